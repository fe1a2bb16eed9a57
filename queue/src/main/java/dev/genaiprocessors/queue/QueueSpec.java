package dev.genaiprocessors.queue;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A destination as every party declares it: its name, the name of its dead-letter destination, and
 * how many deliveries a message gets before it is dead-lettered.
 *
 * <p>Publishers, workers and remote stages of one destination must declare it with the same spec
 * (brokers such as RabbitMQ refuse a second declaration with other settings). {@link #of(String)}
 * gives the defaults: dead letters in {@code <name>.dlq}, at most {@value #DEFAULT_MAX_DELIVERIES}
 * deliveries.
 *
 * <p>{@code maxDeliveries} is one number with two uses. A {@link Worker} whose processor fails on a
 * message retries it while the message has had fewer deliveries, then dead-letters it with the
 * error; the broker dead-letters a message whose deliveries all ended without an acknowledgement
 * (its consumers died, say a message that crashes the worker's process) once it has had that many.
 *
 * @param name the destination: 1 to 200 characters of {@code [A-Za-z0-9_.-]}, starting and ending
 *     with a letter or digit
 * @param deadLetter the dead-letter destination's name, under the same rule, not {@code name}
 * @param maxDeliveries at least 1
 */
public record QueueSpec(String name, String deadLetter, int maxDeliveries) {
  /** How many deliveries a message gets by default. */
  public static final int DEFAULT_MAX_DELIVERIES = 5;

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,198}[A-Za-z0-9])?");

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException naming the field and value that is not allowed
   */
  public QueueSpec {
    checkName("name", name);
    checkName("deadLetter", deadLetter);
    if (deadLetter.equals(name)) {
      throw new IllegalArgumentException(
          "deadLetter must differ from name but both were \"" + name + '"');
    }
    if (maxDeliveries < 1) {
      throw new IllegalArgumentException(
          "maxDeliveries must be at least 1 but was " + maxDeliveries);
    }
  }

  /**
   * {@code name} with dead letters in {@code <name>.dlq} after {@value #DEFAULT_MAX_DELIVERIES}.
   */
  public static QueueSpec of(String name) {
    Objects.requireNonNull(name, "name");
    return new QueueSpec(name, name + ".dlq", DEFAULT_MAX_DELIVERIES);
  }

  /** This spec with another number of deliveries. */
  public QueueSpec withMaxDeliveries(int maxDeliveries) {
    return new QueueSpec(name, deadLetter, maxDeliveries);
  }

  /** This spec with another dead-letter destination. */
  public QueueSpec withDeadLetter(String deadLetter) {
    return new QueueSpec(name, deadLetter, maxDeliveries);
  }

  /**
   * Checks a destination name against the rule above.
   *
   * @throws IllegalArgumentException naming {@code field} and the value
   */
  static String checkName(String field, String value) {
    Objects.requireNonNull(value, field);
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field
              + " must be 1 to 200 characters of [A-Za-z0-9_.-], starting and ending with a letter"
              + " or digit, but was \""
              + (value.length() <= 80 ? value : value.substring(0, 77) + "...")
              + '"');
    }
    return value;
  }
}
