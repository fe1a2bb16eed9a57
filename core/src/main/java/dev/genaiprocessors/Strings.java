package dev.genaiprocessors;

/**
 * Small string helpers shared by {@code toString()} methods and error messages.
 *
 * <p>Every message that quotes a value it was given (a MIME type, a name, a key, a field read from
 * JSON) goes through {@link #quoted} or {@link #truncated}, so that a hostile or mistaken 10 MB
 * value gives a message of a few dozen characters, never one of 10 million.
 */
final class Strings {
  private static final int MAX_SHOWN = 80;
  // Longer than any real MIME type, name or key, so messages about real values show them whole.
  private static final int MAX_QUOTED = 200;

  private Strings() {}

  /** {@code text} quoted, cut to a readable length so logs never carry whole documents. */
  static String abbreviate(String text) {
    return quote('"', text, MAX_SHOWN);
  }

  /**
   * {@code value} in single quotes for an error message, cut after 200 characters with the full
   * length added: {@code 'abc...'... (10000000 chars)}.
   */
  static String quoted(String value) {
    return quote('\'', value, MAX_QUOTED);
  }

  /**
   * {@code value} unquoted, cut like {@link #quoted} (for names built into a path, such as a map
   * key in {@code metadata.key[2]}).
   */
  static String truncated(String value) {
    if (value.length() <= MAX_QUOTED) {
      return value;
    }
    return value.substring(0, cutAt(value, MAX_QUOTED)) + "... (" + value.length() + " chars)";
  }

  private static String quote(char quote, String text, int max) {
    if (text.length() <= max) {
      return quote + text + quote;
    }
    String cut = text.substring(0, cutAt(text, max));
    return quote + cut + quote + "... (" + text.length() + " chars)";
  }

  // Never cut a surrogate pair in two: half a character would print as '?'.
  private static int cutAt(String text, int max) {
    return Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
  }
}
