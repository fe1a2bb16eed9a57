package dev.genaiprocessors.config;

import dev.genaiprocessors.model.Secrets;
import java.util.Objects;

/**
 * A configuration value that must never be shown: an API key, a password, a token. Declare a
 * settings component as {@code Secret} and the binder keeps its value out of every message, and
 * {@link #toString()} prints {@value dev.genaiprocessors.model.Secrets#REDACTED}.
 *
 * <pre>{@code
 * record ModelSettings(String model, Secret apiKey) {}
 * OpenAiModel.builder().model(s.model()).apiKey(s.apiKey().reveal()).build();
 * }</pre>
 *
 * <p>Two secrets are equal when their values are, so a reloaded configuration whose key changed is
 * a new configuration.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** A secret holding {@code value}. */
  public static Secret of(String value) {
    return new Secret(Objects.requireNonNull(value, "value"));
  }

  /** The value itself, to hand to the client that needs it; never print it. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** {@value dev.genaiprocessors.model.Secrets#REDACTED}, whatever the value. */
  @Override
  public String toString() {
    return Secrets.REDACTED;
  }
}
