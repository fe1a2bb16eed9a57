package dev.genaiprocessors;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A small property-based test harness for the fuzz tests of the readers: a property is checked
 * against inputs generated from seeded {@link Random}s, and a failure names the property, the try,
 * the seed that reproduces it and the input.
 *
 * <p>Two system properties, which Maven passes on to the tests ({@code -Dfuzz.tries=...}), set a
 * run: {@code fuzz.tries}, the tries per property (500 by default: a few thousand inputs over all
 * properties, a few seconds), and {@code fuzz.seed}, the first seed (fixed by default, so that the
 * ordinary build is repeatable; give a new one to explore new inputs).
 *
 * <p>(jqwik, the usual JVM library for this, asks since version 1.10 not to be used by AI coding
 * agents, which write much of this project; this harness has no shrinking, so inputs are kept small
 * instead.)
 *
 * <p>The testing module has the same harness for the readers of event streams, public, with the
 * stream mutations the vendor modules share: {@code dev.genaiprocessors.testing.EventStreamFuzz}.
 * Core cannot use it (testing depends on core), so this one stays; the two keep the same system
 * properties, defaults and failure message.
 */
final class Fuzz {
  static final int TRIES = tries();
  static final long SEED = property("fuzz.seed", 20261202L);

  private Fuzz() {}

  /** A check of one generated input; it may throw anything, which fails the property. */
  interface Check<T> {
    void accept(T input) throws Exception;
  }

  /**
   * Checks {@code property} on {@link #TRIES} inputs made by {@code generate}.
   *
   * @throws AssertionError naming the try, the seed and the input, at the first failing input
   */
  static <T> void check(String property, Function<Random, T> generate, Check<T> check) {
    for (int i = 0; i < TRIES; i++) {
      long seed = SEED + i;
      T input = generate.apply(new Random(seed));
      try {
        check.accept(input);
      } catch (Throwable failure) {
        throw new AssertionError(
            property
                + " failed on try "
                + i
                + " of "
                + TRIES
                + " (-Dfuzz.seed="
                + SEED
                + "; this input alone: -Dfuzz.seed="
                + seed
                + " -Dfuzz.tries=1) for input "
                + Strings.truncated(describe(input))
                + ": "
                + failure,
            failure);
      }
    }
  }

  private static int tries() {
    long tries = property("fuzz.tries", 500);
    if (tries < 0) {
      throw new IllegalArgumentException("fuzz.tries must not be negative but was " + tries);
    }
    if (tries > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "fuzz.tries must be at most " + Integer.MAX_VALUE + " but was " + tries);
    }
    return (int) tries;
  }

  /** A number given as a system property, or the default; a value that is none fails loudly. */
  private static long property(String name, long defaultValue) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number but was '" + value + "'", e);
    }
  }

  private static String describe(Object input) {
    return input instanceof byte[] bytes ? java.util.Arrays.toString(bytes) : String.valueOf(input);
  }

  // ---------------------------------------------------------------- generators

  static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** Any string of up to {@code max} chars: any UTF-16 code unit, lone surrogates included. */
  static String anyChars(Random random, int max) {
    char[] chars = new char[random.nextInt(max + 1)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
    }
    return new String(chars);
  }

  /** A string of up to {@code max} chars drawn from {@code alphabet}. */
  static String chars(Random random, int max, String alphabet) {
    char[] chars = new char[random.nextInt(max + 1)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
    }
    return new String(chars);
  }

  /** Printable ASCII of up to {@code max} chars. */
  static String ascii(Random random, int max) {
    char[] chars = new char[random.nextInt(max + 1)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) (' ' + random.nextInt(95));
    }
    return new String(chars);
  }

  /** Short text of every kind: any chars, printable ASCII, or a known troublemaker. */
  static String text(Random random) {
    return switch (random.nextInt(3)) {
      case 0 -> anyChars(random, 12);
      case 1 -> ascii(random, 12);
      default -> pick(random, List.of("", "\ud83d\ude00", "\u0000", "\\\"", "\r\n", "\ufeff"));
    };
  }

  static byte[] bytes(Random random, int max) {
    byte[] bytes = new byte[random.nextInt(max + 1)];
    random.nextBytes(bytes);
    return bytes;
  }
}
