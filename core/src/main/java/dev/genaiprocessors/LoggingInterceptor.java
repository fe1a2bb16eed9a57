package dev.genaiprocessors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every stage event at DEBUG level through SLF4J (logger {@code dev.genaiprocessors.run}):
 * starts, ends, errors, cancellations and, with {@code logParts}, every emitted part (as {@link
 * ProcessorPart#toString()}, which abbreviates text and never prints bytes).
 */
public final class LoggingInterceptor implements ProcessorInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger("dev.genaiprocessors.run");

  private final boolean logParts;

  /** Logs stage events but not parts. */
  public LoggingInterceptor() {
    this(false);
  }

  /** Logs stage events and, when {@code logParts}, every emitted part. */
  public LoggingInterceptor(boolean logParts) {
    this.logParts = logParts;
  }

  @Override
  public void onStart(Stage stage) {
    LOG.debug("run {} stage {} started", stage.runId(), stage.name());
  }

  @Override
  public void onFirstPart(Stage stage, ProcessorPart part) {
    LOG.debug("run {} stage {} emitted its first part", stage.runId(), stage.name());
  }

  @Override
  public void onPart(Stage stage, ProcessorPart part) {
    if (logParts) {
      LOG.debug("run {} stage {} emitted {}", stage.runId(), stage.name(), part);
    }
  }

  @Override
  public void onEnd(Stage stage) {
    LOG.debug("run {} stage {} ended", stage.runId(), stage.name());
  }

  @Override
  public void onError(Stage stage, Throwable error) {
    LOG.debug("run {} stage {} failed: {}", stage.runId(), stage.name(), error.toString());
  }

  @Override
  public void onCancel(Stage stage) {
    LOG.debug("run {} stage {} cancelled", stage.runId(), stage.name());
  }
}
