package dev.genaiprocessors;

import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Observes runs: every stage's start and end, every part it reads and emits, its failure or
 * cancellation. Metrics and tracing (the {@code observability} module) and debug logging ({@link
 * LoggingInterceptor}) hang here; add one to a run with {@link RunConfig#withInterceptor}, or to
 * every run with {@link RunConfig#setDefaults}.
 *
 * <p>A <em>stage</em> is one processor running inside a run: the processor the caller applied (the
 * root stage, {@link Stage#root()}), every member of a chain, every {@link PartProcessor} stage,
 * every branch of a parallel. Stages nest: each knows the stage it runs inside ({@link
 * Stage#parent()}), so a tracer can build a tree of spans. A run started from inside a stage (a
 * tool loop calling its model) has that stage as its root's parent.
 *
 * <p>Threads: {@link #onStart} of a run's root stage is called on the thread that starts the run
 * (the first reader of its stream), so an interceptor can pick up what that thread carries, such as
 * a tracing context; every other method is called on a thread working for the stage. {@link #bind}
 * carries what an interceptor needs (a tracing context, logging ids) onto every thread that works
 * for a stage. Methods may be called from many threads at once, and must be quick and must not
 * throw: an exception thrown here fails the stage. All methods do nothing by default.
 */
public interface ProcessorInterceptor {

  /**
   * One processor running in one run.
   *
   * @param runId the run's number, unique within this JVM
   * @param id the stage's number, unique within this JVM; 0 for a processor that reports an event
   *     from inside another stage without being a stage itself (see {@link #onEvent})
   * @param name the processor's {@link Processor#name()}
   * @param root whether this is the processor the caller applied (the whole run)
   * @param parent the stage this one runs inside: the composition holding it, or for a root stage
   *     the stage whose thread started the run; {@code null} for a run started outside any stage
   */
  record Stage(long runId, long id, String name, boolean root, @Nullable Stage parent) {

    /**
     * @throws NullPointerException if {@code name} is null
     */
    public Stage {
      Objects.requireNonNull(name, "name");
    }

    /** A stage with no number and no parent, as tests and hand-made events use. */
    public Stage(long runId, String name, boolean root) {
      this(runId, 0, name, root, null);
    }

    /** Names the stage and its run, never the parts it carries. */
    @Override
    public String toString() {
      return "Stage[run " + runId + ", " + id + " '" + name + "'" + (root ? ", root" : "") + "]";
    }
  }

  /**
   * What {@link #bind} put on a thread, undone by {@link #close()} on the same thread when the
   * thread's work for the stage ends.
   */
  @FunctionalInterface
  interface Binding extends AutoCloseable {
    /** A binding that binds nothing. */
    Binding NONE = () -> {};

    /** Undoes the binding; must not throw. */
    @Override
    void close();
  }

  /**
   * The stage starts: called before it reads its input, and for a run's root stage on the thread
   * that starts the run.
   */
  default void onStart(Stage stage) {}

  /**
   * Makes {@code stage} current on the calling thread for the interceptor's own purposes (a tracing
   * context, logging ids), until the returned binding is closed. Called on the stage's own thread
   * around its processor's {@code call}, and on every thread the runtime starts while working for
   * the stage (the workers of a {@link PartProcessor} stage, the branches of a parallel part
   * processor) around that thread's work, so that code inside the processor, and the spans or log
   * lines it makes, see the stage as current. Called after {@link #onStart}; the binding is closed
   * before {@link #onEnd}, {@link #onError} or {@link #onCancel}.
   */
  default Binding bind(Stage stage) {
    return Binding.NONE;
  }

  /**
   * The stage read {@code part} from its input, and {@link #partsToReport} chose it. Parts on
   * reserved substreams that bypass the stage are not counted here.
   */
  default void onInput(Stage stage, ProcessorPart part) {}

  /**
   * A choice for {@link #partsToReport}: every part one by one, through {@link #onInput} and {@link
   * #onPart} (the default).
   */
  Predicate<ProcessorPart> EVERY_PART = part -> true;

  /**
   * A choice for {@link #partsToReport}: no part one by one; the stage's parts are only counted,
   * through {@link #onCounts}.
   */
  Predicate<ProcessorPart> NO_PART = part -> false;

  /**
   * Which of {@code stage}'s parts this interceptor is told of one by one, through {@link #onInput}
   * and {@link #onPart}; the others are only counted, and the counts reach {@link #onCounts} in
   * batches. Every part is told exactly once, one way or the other. Called once per stage, after
   * {@link #onStart}; the predicate is then called for every part the stage reads and emits, on the
   * thread that reads or emits it, so it must be cheap (a check of the part's kind, not of its
   * content).
   *
   * <p>Telling a part costs two calls per part and stage; counting it, an increment on the thread's
   * own counter. An interceptor that needs only numbers for most stages (metrics) returns {@link
   * #NO_PART} for them and keeps a cheap pipeline cheap to observe. The default, {@link
   * #EVERY_PART}, tells every part.
   */
  default Predicate<ProcessorPart> partsToReport(Stage stage) {
    return EVERY_PART;
  }

  /**
   * {@code inputs} parts read and {@code outputs} parts emitted by {@code stage} that were counted
   * rather than told (see {@link #partsToReport}), since the last call for the stage. The thread
   * that runs the stage counts in batches and reports at least every 4,096 of its parts and, with
   * what remains, before {@link #onEnd}, {@link #onError} or {@link #onCancel}, so the counts are
   * complete by the time the stage's consumer sees its end; a part read or emitted by another
   * thread is reported at once, one at a time. Either count may be 0.
   */
  default void onCounts(Stage stage, long inputs, long outputs) {}

  /**
   * The stage emitted its first part: called once per stage, whatever {@link #partsToReport} chose,
   * and before {@link #onPart} for that part.
   */
  default void onFirstPart(Stage stage, ProcessorPart part) {}

  /** The stage emitted {@code part}, and {@link #partsToReport} chose it. */
  default void onPart(Stage stage, ProcessorPart part) {}

  /** The stage ended normally. */
  default void onEnd(Stage stage) {}

  /** The stage failed with {@code error} (the original exception). */
  default void onError(Stage stage, Throwable error) {}

  /** The stage was cancelled: its consumer stopped reading, or another stage failed. */
  default void onCancel(Stage stage) {}

  /**
   * Something noteworthy happened inside a stage, reported with {@link RunEvents#report}: a retry,
   * a wait for a rate limit, a circuit opening. {@code stage} names the reporting processor: the
   * stage the reporting thread works for when their names agree (a decorator reports under the name
   * of the processor it wraps, which is its own), otherwise a stage numbered 0 under that name
   * whose {@link Stage#parent()} is the stage the thread works for.
   *
   * @param kind what happened, in lower case ({@code "retry"}, {@code "circuit_opened"}, ...)
   * @param attributes details as JSON values (delays, attempt numbers, status codes)
   */
  default void onEvent(Stage stage, String kind, java.util.Map<String, ?> attributes) {}
}
