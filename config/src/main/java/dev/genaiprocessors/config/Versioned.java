package dev.genaiprocessors.config;

import java.util.Objects;

/**
 * A value of a {@link LiveConfig} and its version: 1 for the first, one more for each change
 * applied.
 *
 * @param version the version, from 1
 * @param value the value
 * @param <T> the type of the value
 */
public record Versioned<T>(long version, T value) {
  /** Checks the version is positive and the value given. */
  public Versioned {
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1 but was " + version);
    }
    Objects.requireNonNull(value, "value");
  }
}
