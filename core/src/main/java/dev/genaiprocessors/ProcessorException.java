package dev.genaiprocessors;

import java.util.Objects;

/**
 * A processor failed. The message names the failing processor; the cause is the original
 * exception, of its original type.
 *
 * <pre>{@code
 * try {
 *   pipeline.apply(input).gather();
 * } catch (ProcessorException e) {
 *   if (e.getCause() instanceof HttpTimeoutException) { ... }   // the original error
 *   log.warn("stage {} failed", e.processorName());
 * }
 * }</pre>
 */
public final class ProcessorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String processorName;

  /** A failure of the processor {@code processorName} caused by {@code cause}. */
  public ProcessorException(String processorName, Throwable cause) {
    super(
        "processor '" + Objects.requireNonNull(processorName, "processorName") + "' failed: "
            + describe(Objects.requireNonNull(cause, "cause")),
        cause);
    this.processorName = processorName;
  }

  /** The name of the processor that failed (see {@link Processor#name()}). */
  public String processorName() {
    return processorName;
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getName() + (message == null ? "" : ": " + message);
  }

  /** {@code error} itself if it already names a processor, else wrapped with {@code name}. */
  static ProcessorException wrap(String name, Throwable error) {
    return error instanceof ProcessorException named ? named : new ProcessorException(name, error);
  }
}
