package dev.genaiprocessors.config;

import java.util.List;

/**
 * A configuration that cannot be used: it could not be read, parsed, bound or validated, or a
 * pipeline it declares could not be built. It lists every problem found, not only the first, each
 * naming the key path, the value and the rule ({@link ConfigProblem}); secret values never appear.
 *
 * <pre>
 * the configuration has 2 problems:
 *   models.primary.temperature: 3.5 is above 2.0 (app.yaml:4:18)
 *   models.primary.model: is required but missing (app.yaml:3:5)
 * </pre>
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  /**
   * An exception listing {@code problems}.
   *
   * @throws IllegalArgumentException when {@code problems} is empty
   */
  public ConfigException(List<ConfigProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems, in the order they were found (the document's order). */
  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String message(List<ConfigProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    if (problems.size() == 1) {
      return "the configuration has 1 problem: " + problems.get(0);
    }
    StringBuilder text =
        new StringBuilder("the configuration has " + problems.size() + " problems:");
    for (ConfigProblem problem : problems) {
      text.append("\n  ").append(problem);
    }
    return text.toString();
  }
}
