package dev.genaiprocessors.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One thing wrong with a configuration: where ({@link #path}, a dotted key path such as {@code
 * models.primary.temperature} or {@code pipeline.chain[1].type}), what ({@link #message}: the value
 * and the rule it breaks), and where it was written ({@link #origin}: {@code app.yaml:4:16}, {@code
 * environment variable APP_MODELS_PRIMARY_TEMPERATURE}), when known. Secret values never appear.
 *
 * @param path the key path, empty for the whole document
 * @param message the value and the rule, as in {@code 3.5 is above 2.0}
 * @param origin the file and line and column, or the variable, that gave the value; null when
 *     unknown
 */
public record ConfigProblem(String path, String message, @Nullable String origin) {
  /** Checks that path and message are given. */
  public ConfigProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code path: message (origin)}, as listed in a {@link ConfigException}'s message. */
  @Override
  public String toString() {
    return (path.isEmpty() ? "" : path + ": ")
        + message
        + (origin == null ? "" : " (" + origin + ")");
  }
}
