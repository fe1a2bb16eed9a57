package dev.genaiprocessors;

/** Small string helpers shared by {@code toString()} methods. */
final class Strings {
  private static final int MAX_SHOWN = 80;

  private Strings() {}

  /** {@code text} quoted, cut to a readable length so logs never carry whole documents. */
  static String abbreviate(String text) {
    if (text.length() <= MAX_SHOWN) {
      return '"' + text + '"';
    }
    return '"' + text.substring(0, MAX_SHOWN) + "\"... (" + text.length() + " chars)";
  }
}
