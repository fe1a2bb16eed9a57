package dev.genaiprocessors.resilience;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Time limits of one attempt of a call: to its first part, and between two parts (the last part and
 * the end of the call included). An attempt over a limit is interrupted and fails with a {@link
 * PartTimeoutException}, which is retried while none of its parts has reached the caller.
 *
 * <p>Only the decorated processor's own time counts: the time its output waits for a slow consumer,
 * and the time a {@link dev.genaiprocessors.Processor} waits for its input, do not.
 *
 * <pre>{@code
 * TimeoutConfig timeouts = TimeoutConfig.toFirstPart(Duration.ofSeconds(20)).withBetweenParts(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>How it works: while an attempt runs, one virtual thread watches it and interrupts the
 * attempt's thread when a limit passes; that thread ends with the attempt.
 *
 * @param firstPart the longest an attempt may take to emit its first part, or null for no limit
 * @param betweenParts the longest between two parts, or from the last part to the end, or null
 */
public record TimeoutConfig(@Nullable Duration firstPart, @Nullable Duration betweenParts) {

  /**
   * @throws IllegalArgumentException when a limit is zero or negative, or both are null
   */
  public TimeoutConfig {
    if (firstPart != null) {
      Checks.positive("firstPart", firstPart);
    }
    if (betweenParts != null) {
      Checks.positive("betweenParts", betweenParts);
    }
    if (firstPart == null && betweenParts == null) {
      throw new IllegalArgumentException(
          "a TimeoutConfig needs firstPart or betweenParts but both were null");
    }
  }

  /** A limit on the time to the first part only. */
  public static TimeoutConfig toFirstPart(Duration firstPart) {
    return new TimeoutConfig(firstPart, null);
  }

  /** A limit between parts only. */
  public static TimeoutConfig betweenParts(Duration betweenParts) {
    return new TimeoutConfig(null, betweenParts);
  }

  /** A copy with another limit between parts. */
  public TimeoutConfig withBetweenParts(Duration betweenParts) {
    return new TimeoutConfig(firstPart, betweenParts);
  }

  /** A copy with another limit to the first part. */
  public TimeoutConfig withFirstPart(Duration firstPart) {
    return new TimeoutConfig(firstPart, betweenParts);
  }
}
