package dev.genaiprocessors.resilience;

/**
 * Told of every {@link ResilienceEvent} of a {@link Resilience}: where metrics and logs hang.
 *
 * <p>Called on the thread of the call the event concerns (for circuit changes, the call that caused
 * them), possibly from many threads at once; it must be quick and must not throw (an exception
 * thrown here fails the call).
 */
@FunctionalInterface
public interface ResilienceListener {
  /** {@code event} happened. */
  void onEvent(ResilienceEvent event);
}
