package dev.genaiprocessors.discovery;

import java.util.Objects;

/**
 * What a {@link BalancedProcessor} knows of one instance now: the one view its active checks and
 * its outlier detection both feed.
 *
 * @param instance the instance
 * @param state whether it takes calls
 * @param outstanding calls it is serving now
 * @param calls calls sent to it so far
 * @param failures of those, the ones that failed through its doing
 */
public record InstanceHealth(
    ServiceInstance instance, State state, int outstanding, long calls, long failures) {

  /** Whether an instance takes calls. */
  public enum State {
    /** It takes its full share. */
    HEALTHY,
    /** Back from an ejection, it takes a growing share. */
    RAMPING_UP,
    /** Its calls failed too often: it takes none until its ejection is over. */
    EJECTED,
    /** It failed its active health checks: it takes none until it passes them again. */
    UNHEALTHY
  }

  /**
   * @throws NullPointerException if a component is null
   */
  public InstanceHealth {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(state, "state");
  }
}
