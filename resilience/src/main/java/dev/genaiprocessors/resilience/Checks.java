package dev.genaiprocessors.resilience;

import java.time.Duration;
import java.util.Objects;

/** Validation of settings; every message names the setting and the value. */
final class Checks {
  private Checks() {}

  static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive but was " + value);
    }
    return value;
  }

  static Duration notNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative but was " + value);
    }
    return value;
  }

  static int atLeast(String name, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(
          name + " must be at least " + minimum + " but was " + value);
    }
    return value;
  }

  static long notNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative but was " + value);
    }
    return value;
  }

  static float percent(String name, float value) {
    if (!(value > 0 && value <= 100)) {
      throw new IllegalArgumentException(name + " must be in (0, 100] but was " + value);
    }
    return value;
  }
}
