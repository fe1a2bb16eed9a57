package dev.genaiprocessors;

/**
 * Observes runs: every stage's start and end, every part it emits, its failure or cancellation.
 * Metrics and tracing (the {@code observability} module) and debug logging ({@link
 * LoggingInterceptor}) hang here; add one to a run with {@link RunConfig#withInterceptor}.
 *
 * <p>A <em>stage</em> is one processor running inside a run: the processor the caller applied (the
 * root stage, {@link Stage#root()}), every member of a chain, every {@link PartProcessor} stage,
 * every branch of a parallel. Methods are called on the stage's own thread, may be called from many
 * threads at once, and must be quick and must not throw: an exception thrown here fails the stage.
 * All methods do nothing by default.
 */
public interface ProcessorInterceptor {

  /**
   * One processor running in one run.
   *
   * @param runId the run's number, unique within this JVM
   * @param name the processor's {@link Processor#name()}
   * @param root whether this is the processor the caller applied (the whole run)
   */
  record Stage(long runId, String name, boolean root) {}

  /** The stage starts reading its input. */
  default void onStart(Stage stage) {}

  /** The stage emitted its first part (called before {@link #onPart} for that part). */
  default void onFirstPart(Stage stage, ProcessorPart part) {}

  /** The stage emitted {@code part}. */
  default void onPart(Stage stage, ProcessorPart part) {}

  /** The stage ended normally. */
  default void onEnd(Stage stage) {}

  /** The stage failed with {@code error} (the original exception). */
  default void onError(Stage stage, Throwable error) {}

  /** The stage was cancelled: its consumer stopped reading, or another stage failed. */
  default void onCancel(Stage stage) {}

  /**
   * Something noteworthy happened inside a stage, reported with {@link RunEvents#report}: a retry,
   * a wait for a rate limit, a circuit opening. {@code stage} names the reporting processor.
   *
   * @param kind what happened, in lower case ({@code "retry"}, {@code "circuit_opened"}, ...)
   * @param attributes details as JSON values (delays, attempt numbers, status codes)
   */
  default void onEvent(Stage stage, String kind, java.util.Map<String, ?> attributes) {}
}
