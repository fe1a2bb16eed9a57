package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Names the stage an unchecked failure came from, riding on that failure as a suppressed exception,
 * as Reactor's assembly traces do: the failure itself reaches the caller unchanged, and its stack
 * trace ends with {@code Suppressed: dev.genaiprocessors.StageTrace: failed in processor 'upper'
 * (in 'chain', in 'pipeline')}. Users ask for the stage through {@link ProcessorException#stageOf},
 * not through this type.
 *
 * <p>One trace per exception instance, whatever the number of levels it crosses: the first stage to
 * see it is the failing one; each enclosing level (a chain, a parallel stage, the run's root, a
 * processor that applied another) is added once, up to {@value #MAX_ENCLOSING} names, so a failure
 * crossing dozens of hops carries one short trace. An instance thrown again by a later run (a
 * shared constant) keeps its first trace, to which that run's names are added within the same
 * bound: its stage is then that of the first failure.
 */
final class StageTrace extends RuntimeException {
  private static final long serialVersionUID = 1L;
  static final int MAX_ENCLOSING = 8;
  // One lock for every trace: attaching is a few field writes, and a shared exception instance may
  // cross two runs at once, so finding-or-adding the trace must be one step.
  private static final ReentrantLock LOCK = new ReentrantLock();

  private final String stage;
  // Guarded by LOCK.
  private final List<String> enclosing = new ArrayList<>(2);

  private StageTrace(String stage) {
    super(null, null, false, false);
    this.stage = stage;
  }

  /** The name of the stage that failed. */
  String stage() {
    return stage;
  }

  @Override
  public String getMessage() {
    StringBuilder message = new StringBuilder("failed in processor ").append(Strings.quoted(stage));
    LOCK.lock();
    try {
      if (!enclosing.isEmpty()) {
        message.append(" (in ");
        for (int i = 0; i < enclosing.size(); i++) {
          message.append(i == 0 ? "" : ", in ").append(Strings.quoted(enclosing.get(i)));
        }
        message.append(')');
      }
    } finally {
      LOCK.unlock();
    }
    return message.toString();
  }

  /**
   * Names {@code stageName} on {@code error}: the failing stage if {@code error} carries no trace
   * yet, else one more enclosing level (once per name). Does nothing when {@code error} does not
   * take suppressed exceptions, nor for the JVM's own {@link VirtualMachineError}s: naming a stage
   * allocates, which an out-of-memory or stack-overflow error is no time for, and the JVM may share
   * one instance of those between threads.
   */
  static void attach(String stageName, Throwable error) {
    if (error instanceof VirtualMachineError) {
      return;
    }
    LOCK.lock();
    try {
      StageTrace trace = of(error);
      if (trace == null) {
        error.addSuppressed(new StageTrace(stageName));
      } else if (!trace.stage.equals(stageName)
          && !trace.enclosing.contains(stageName)
          && trace.enclosing.size() < MAX_ENCLOSING) {
        trace.enclosing.add(stageName);
      }
    } finally {
      LOCK.unlock();
    }
  }

  /** The trace {@code error} carries, or {@code null}. */
  static @Nullable StageTrace of(Throwable error) {
    for (Throwable suppressed : error.getSuppressed()) {
      if (suppressed instanceof StageTrace trace) {
        return trace;
      }
    }
    return null;
  }
}
