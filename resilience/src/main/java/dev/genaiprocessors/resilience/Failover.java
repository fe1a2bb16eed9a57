package dev.genaiprocessors.resilience;

import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One call tried on one processor after another, under the same rule as {@link Resilience}'s retry:
 * the call moves to the next processor only while none of its parts has reached the caller, and
 * only for a failure the retry would retry. For load balancers and fallback lists, which choose a
 * different processor (another replica, another vendor) for each attempt instead of waiting and
 * trying the same one again.
 *
 * <pre>{@code
 * List<Processor> chain = List.of(primary, secondary, otherVendor);
 * Failover.call(input, output, (attempt, failure) ->
 *     attempt < chain.size() ? chain.get(attempt) : null, error -> false);
 * }</pre>
 *
 * <p><b>Guarantees.</b> Each attempt reads the input from its beginning (the parts read so far are
 * kept in memory for that); no part reaches {@code output} twice. A failure after a part reached
 * the caller, a failure no rule retries, a cancellation, a failure of whoever reads {@code output},
 * or running out of processors ends the call with the last failure itself, the earlier attempts'
 * failures suppressed in it. Nothing waits between attempts: the next processor is tried at once.
 * Runs on the caller's thread; starts no thread.
 */
public final class Failover {
  private Failover() {}

  /** Chooses the processor of each attempt. */
  @FunctionalInterface
  public interface Next {
    /**
     * The processor of attempt {@code attempt} (from 0), or null when there is none left.
     *
     * @param attempt how many attempts were made before this one
     * @param failure why the previous attempt failed; null for the first attempt
     */
    @Nullable Processor processor(int attempt, @Nullable Throwable failure);
  }

  /**
   * Runs one call of {@code input}, trying the processors {@code next} gives one after another
   * until one succeeds.
   *
   * @param retryOn failures to move on after, beside those {@link RetryConfig} retries (network
   *     errors, 408, 429, 5xx, timeouts, and vendor exceptions whose {@link
   *     dev.genaiprocessors.model.RetryAdvice} says so)
   * @throws Exception the failure the call ends with, as described above
   * @throws IllegalStateException when {@code next} gives no processor for the first attempt
   */
  public static void call(
      PartStream input, PartSink output, Next next, Predicate<Throwable> retryOn) throws Exception {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(retryOn, "retryOn");
    ReplayInput replay = new ReplayInput(input, true);
    List<Throwable> earlier = new ArrayList<>();
    Throwable failure = null;
    for (int attempt = 0; ; attempt++) {
      Processor processor = next.processor(attempt, failure);
      if (processor == null) {
        if (failure == null) {
          throw new IllegalStateException("failover was given no processor to try");
        }
        throw withEarlier(failure, earlier);
      }
      Guard.AttemptSink sink = new Guard.AttemptSink(output, null);
      try {
        processor.call(replay.attempt(Watchdog.NONE), sink);
        return;
      } catch (Throwable e) {
        if (failure != null) {
          earlier.add(failure);
        }
        failure = e;
        if (e instanceof Error
            || sink.delivered
            || sink.downstream != null
            || e instanceof CancellationException
            || e instanceof InterruptedException
            || Thread.currentThread().isInterrupted()
            || !(retryable(e) || retryOn.test(e))) {
          throw withEarlier(e, earlier);
        }
      }
    }
  }

  /**
   * Whether {@link Resilience}'s retry would try {@code failure} again: network errors, timeouts,
   * 408, 429 and 5xx answers, and what a {@link dev.genaiprocessors.model.RetryAdvice} in its cause
   * chain calls retryable.
   */
  public static boolean retryable(Throwable failure) {
    return RetryHints.retryable(Objects.requireNonNull(failure, "failure"));
  }

  private static Exception withEarlier(Throwable failure, List<Throwable> earlier) {
    for (Throwable e : earlier) {
      if (e != failure) {
        failure.addSuppressed(e);
      }
    }
    if (failure instanceof Error fatal) {
      throw fatal;
    }
    return (Exception) failure;
  }
}
