package dev.genaiprocessors.discovery;

import java.time.Duration;
import java.util.Objects;

/**
 * Active health checking: every {@code interval}, each instance is probed; {@code
 * unhealthyThreshold} failed probes in a row take it out of the balance, {@code healthyThreshold}
 * passed probes in a row bring it back. A probe that runs past {@code timeout} is interrupted and
 * counts as failed. Instances start healthy.
 *
 * <pre>{@code
 * HealthCheck check = HealthCheck.of(HealthProbe.http(client, "/health"))
 *     .withInterval(Duration.ofSeconds(5)).withThresholds(2, 3);
 * }</pre>
 *
 * @param probe what one check does
 * @param interval between the starts of two rounds of checks, positive
 * @param timeout of one probe, positive
 * @param healthyThreshold passed probes in a row that make an unhealthy instance healthy, at least
 *     1
 * @param unhealthyThreshold failed probes in a row that make a healthy instance unhealthy, at least
 *     1
 */
public record HealthCheck(
    HealthProbe probe,
    Duration interval,
    Duration timeout,
    int healthyThreshold,
    int unhealthyThreshold) {

  /**
   * @throws IllegalArgumentException naming the setting and its value when one is out of range
   */
  public HealthCheck {
    Objects.requireNonNull(probe, "probe");
    Checks.positive("interval", interval);
    Checks.positive("timeout", timeout);
    Checks.atLeast("healthyThreshold", healthyThreshold, 1);
    Checks.atLeast("unhealthyThreshold", unhealthyThreshold, 1);
  }

  /**
   * Checks with {@code probe} every 10 s, 2 s timeout, healthy after 2 passes, unhealthy after 3.
   */
  public static HealthCheck of(HealthProbe probe) {
    return new HealthCheck(probe, Duration.ofSeconds(10), Duration.ofSeconds(2), 2, 3);
  }

  /** A copy checking every {@code interval}. */
  public HealthCheck withInterval(Duration interval) {
    return new HealthCheck(probe, interval, timeout, healthyThreshold, unhealthyThreshold);
  }

  /** A copy whose probes time out after {@code timeout}. */
  public HealthCheck withTimeout(Duration timeout) {
    return new HealthCheck(probe, interval, timeout, healthyThreshold, unhealthyThreshold);
  }

  /** A copy with these thresholds. */
  public HealthCheck withThresholds(int healthyThreshold, int unhealthyThreshold) {
    return new HealthCheck(probe, interval, timeout, healthyThreshold, unhealthyThreshold);
  }
}
