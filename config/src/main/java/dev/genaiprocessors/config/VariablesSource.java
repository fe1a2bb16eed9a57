package dev.genaiprocessors.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** Environment variables, system properties, or name-value pairs standing for them. */
final class VariablesSource extends ConfigSource {
  private final String prefix;
  private final String kind;
  private final String separator;
  private final Supplier<Map<String, String>> variables;

  VariablesSource(
      String prefix, String kind, String separator, Supplier<Map<String, String>> variables) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException(
          "the prefix must not be empty, or every " + kind.strip() + " would be read");
    }
    this.kind = kind;
    this.separator = separator;
    this.variables = variables;
  }

  static Supplier<Map<String, String>> systemProperties() {
    return () -> {
      Map<String, String> values = new HashMap<>();
      for (String name : System.getProperties().stringPropertyNames()) {
        String value = System.getProperty(name);
        if (value != null) {
          values.put(name, value);
        }
      }
      return values;
    };
  }

  @Override
  Layer read(Reading reading) {
    Map<String, String> selected = new HashMap<>();
    for (Map.Entry<String, String> entry : variables.get().entrySet()) {
      if (entry.getKey().startsWith(prefix) && entry.getKey().length() > prefix.length()) {
        selected.put(entry.getKey().substring(prefix.length()), entry.getValue());
      }
    }
    return Documents.flat(selected, separator, name -> kind + prefix + name, true);
  }

  @Override
  String describe() {
    return kind + prefix + "*";
  }
}
