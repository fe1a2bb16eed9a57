package dev.genaiprocessors.resilience;

import java.time.Duration;

/**
 * The most calls in flight at once through a {@link Resilience}, and how long a call may wait for a
 * free place before it is refused with {@link RejectedCallException.Reason#BULKHEAD_FULL}. A place
 * is held for one attempt; it is given back while the call waits to retry.
 *
 * @param maxConcurrentCalls the most attempts in flight at once, at least 1
 * @param maxWait how long a call waits for a place; zero refuses at once
 */
public record BulkheadConfig(int maxConcurrentCalls, Duration maxWait) {

  /**
   * @throws IllegalArgumentException when {@code maxConcurrentCalls} is below 1 or {@code maxWait}
   *     negative
   */
  public BulkheadConfig {
    Checks.atLeast("maxConcurrentCalls", maxConcurrentCalls, 1);
    Checks.notNegative("maxWait", maxWait);
  }

  /** At most {@code maxConcurrentCalls} at once; the others wait as long as it takes. */
  public static BulkheadConfig of(int maxConcurrentCalls) {
    return new BulkheadConfig(maxConcurrentCalls, Duration.ofDays(1));
  }

  /** A copy with another longest wait for a place. */
  public BulkheadConfig withMaxWait(Duration maxWait) {
    return new BulkheadConfig(maxConcurrentCalls, maxWait);
  }
}
