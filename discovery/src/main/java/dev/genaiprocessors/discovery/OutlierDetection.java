package dev.genaiprocessors.discovery;

import java.time.Duration;

/**
 * Passive health: an instance whose calls keep failing is ejected from the balance for {@code
 * ejection}, then returns gradually over {@code rampUp} (it takes a growing share of the calls it
 * would get, from a tenth to all); a failure while it ramps up ejects it again at once.
 *
 * <p>A failure counts when it is the instance's doing: one the failover would move on after
 * (network errors, timeouts, 408, 429, 5xx, a vendor's retryable error). A bad request, a
 * cancellation, or a failure of whoever reads the output does not count.
 *
 * <pre>{@code
 * OutlierDetection outliers = OutlierDetection.defaults().withEjection(Duration.ofSeconds(10));
 * }</pre>
 *
 * @param consecutiveFailures failures in a row that eject an instance, at least 1
 * @param failureRate the share of failures among its last {@code window} calls that ejects it, in
 *     (0, 1]
 * @param window how many of its last calls the failure rate is measured over, at least 1 (the rate
 *     is not judged before that many calls)
 * @param ejection how long an ejected instance gets no calls, positive
 * @param rampUp how long a returning instance takes to get its full share; zero for at once
 */
public record OutlierDetection(
    int consecutiveFailures, double failureRate, int window, Duration ejection, Duration rampUp) {

  /**
   * @throws IllegalArgumentException naming the setting and its value when one is out of range
   */
  public OutlierDetection {
    Checks.atLeast("consecutiveFailures", consecutiveFailures, 1);
    if (!(failureRate > 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failureRate must be in (0, 1] but was " + failureRate);
    }
    Checks.atLeast("window", window, 1);
    Checks.positive("ejection", ejection);
    Checks.notNegative("rampUp", rampUp);
  }

  /** 5 failures in a row, or half of the last 20 calls, eject for 30 s; 10 s of ramp-up. */
  public static OutlierDetection defaults() {
    return new OutlierDetection(5, 0.5, 20, Duration.ofSeconds(30), Duration.ofSeconds(10));
  }

  /** A copy ejecting after {@code consecutiveFailures} failures in a row. */
  public OutlierDetection withConsecutiveFailures(int consecutiveFailures) {
    return new OutlierDetection(consecutiveFailures, failureRate, window, ejection, rampUp);
  }

  /** A copy ejecting at {@code failureRate} over the last {@code window} calls. */
  public OutlierDetection withFailureRate(double failureRate, int window) {
    return new OutlierDetection(consecutiveFailures, failureRate, window, ejection, rampUp);
  }

  /** A copy ejecting for {@code ejection}. */
  public OutlierDetection withEjection(Duration ejection) {
    return new OutlierDetection(consecutiveFailures, failureRate, window, ejection, rampUp);
  }

  /** A copy ramping returning instances up over {@code rampUp}. */
  public OutlierDetection withRampUp(Duration rampUp) {
    return new OutlierDetection(consecutiveFailures, failureRate, window, ejection, rampUp);
  }
}
