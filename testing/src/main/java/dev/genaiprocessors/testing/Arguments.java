package dev.genaiprocessors.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * The argument checks the reply builders share, so that every builder rejects a bad value with the
 * same message: the argument's name and the value ({@code "events must not be negative but was
 * -1"}).
 */
final class Arguments {
  private Arguments() {}

  static int requireNotNegative(int value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative but was " + value);
    }
    return value;
  }

  static long requireNotNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative but was " + value);
    }
    return value;
  }

  static Duration requireNotNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative but was " + value);
    }
    return value;
  }
}
