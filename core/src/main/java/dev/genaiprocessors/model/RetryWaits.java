package dev.genaiprocessors.model;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Number parsing for {@link RetryAdvice#waitFromHeaders}. */
final class RetryWaits {
  private RetryWaits() {}

  /** {@code value} times {@code unitSeconds} as a duration; null unless a finite number >= 0. */
  static @Nullable Duration seconds(String value, double unitSeconds) {
    try {
      double amount = Double.parseDouble(value);
      if (!(amount >= 0) || Double.isInfinite(amount)) {
        return null;
      }
      return Duration.ofNanos(Math.round(amount * unitSeconds * 1e9));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
