package dev.genaiprocessors;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A processor failed with a checked exception. The message names the failing processor; the cause
 * is the original exception, of its original type.
 *
 * <p>Only checked exceptions arrive wrapped like this. An unchecked exception ({@code
 * RuntimeException}) or an {@code Error} thrown by a processor reaches the caller as itself, the
 * same instance, so {@code catch (IllegalArgumentException e)} around a pipeline works as it does
 * around a Java stream; the failing stage is then named in a suppressed exception added to it,
 * shown in its stack trace as {@code failed in processor 'parse' (in 'chain(fetch,parse)', in
 * 'pipeline')}: one per exception, naming the failing stage, then each enclosing level once (at
 * most eight), however many hops the failure crossed, as Reactor's assembly traces do. {@link
 * #stageOf} answers "which stage failed?" for both:
 *
 * <pre>{@code
 * try {
 *   pipeline.apply(input).gather();
 * } catch (ProcessorException e) {                 // a checked exception, say an IOException
 *   if (e.getCause() instanceof HttpTimeoutException) { ... }   // the original error
 *   log.warn("stage {} failed", e.processorName());
 * } catch (IllegalArgumentException e) {           // an unchecked one, unchanged
 *   log.warn("stage {} failed", ProcessorException.stageOf(e).orElse("?"));
 * }
 * }</pre>
 *
 * <p>A cancelled run throws {@link java.util.concurrent.CancellationException}, never this.
 *
 * <p><b>Difference from the Python library.</b> Python raises the original exception whatever its
 * type; Java's checked exceptions cannot leave {@link ProcessorStream#read()} or an {@code
 * Iterator} undeclared, so those (and only those) are wrapped here.
 */
public final class ProcessorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String processorName;

  /** A failure of the processor {@code processorName} caused by {@code cause}. */
  public ProcessorException(String processorName, Throwable cause) {
    super(
        "processor "
            + Strings.quoted(Objects.requireNonNull(processorName, "processorName"))
            + " failed: "
            + describe(Objects.requireNonNull(cause, "cause")),
        cause);
    this.processorName = processorName;
  }

  /** The name of the processor that failed (see {@link Processor#name()}). */
  public String processorName() {
    return processorName;
  }

  /**
   * The name of the stage (processor) whose failure {@code error} is, if a run named one: the
   * {@link #processorName()} of a {@code ProcessorException}, or the stage named in the suppressed
   * trace the runtime adds to an unchecked exception or an {@code Error} leaving a run. The cause
   * chain is searched too, so the answer survives the failure being wrapped by the caller.
   *
   * <p>Empty when {@code error} never left a stage, does not take suppressed exceptions (one built
   * with suppression disabled), or is one of the JVM's own {@link VirtualMachineError}s (an {@code
   * OutOfMemoryError}, a {@code StackOverflowError}), which pass through untouched. An exception
   * instance thrown by several runs (a shared constant) names the stage of its first failure.
   *
   * @throws NullPointerException if {@code error} is null
   */
  public static Optional<String> stageOf(Throwable error) {
    Objects.requireNonNull(error, "error");
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (@Nullable Throwable e = error; e != null && seen.add(e); e = e.getCause()) {
      if (e instanceof ProcessorException named) {
        return Optional.of(named.processorName);
      }
      StageTrace trace = StageTrace.of(e);
      if (trace != null) {
        return Optional.of(trace.stage());
      }
    }
    return Optional.empty();
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getName() + (message == null ? "" : ": " + message);
  }
}
