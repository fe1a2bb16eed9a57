package dev.genaiprocessors.testing;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One input of an {@link EventStreamFuzz} property: a recorded event stream after some mutations,
 * and how many bytes at most each read of it hands out. A check reads it with {@link #open()}:
 *
 * <pre>{@code
 * fuzz.check("messages", stream -> new MessageReader(stream.open()).readAll());
 * }</pre>
 *
 * <p>Its {@code toString()} is what a failure shows: the read size, what each mutation did (the
 * indexes count the events as they were at that step) and the start of the body, escaped, in a few
 * hundred characters whatever the body's size. Immutable.
 */
public final class FuzzedStream {
  private static final int MAX_SHOWN_BODY = 600;
  private static final int MAX_SHOWN_MUTATIONS = 1000;

  private final byte[] body;
  private final int readSize;
  private final List<String> mutations;
  private final List<StreamMutation.Kind> kinds;

  FuzzedStream(byte[] body, int readSize, List<String> mutations, List<StreamMutation.Kind> kinds) {
    this.body = body;
    this.readSize = readSize;
    this.mutations = List.copyOf(mutations);
    this.kinds = List.copyOf(kinds);
  }

  /** The mutated stream's bytes, a new copy each call. */
  public byte[] body() {
    return body.clone();
  }

  /** The most bytes one read of {@link #open()} hands out, in [1, 97]. */
  public int readSize() {
    return readSize;
  }

  /**
   * A new stream of {@link #body()} that hands out at most {@link #readSize()} bytes per read, as a
   * slow network does ({@link EventStreamFuzz#trickle}).
   */
  public InputStream open() {
    return EventStreamFuzz.trickle(body, readSize);
  }

  /** The kinds of the mutations applied, in order, for this package's tests. */
  List<StreamMutation.Kind> kinds() {
    return kinds;
  }

  @Override
  public String toString() {
    String done = mutations.isEmpty() ? "as recorded" : String.join("; ", mutations);
    return "read "
        + readSize
        + " bytes at a time, "
        + cut(done, MAX_SHOWN_MUTATIONS)
        + "; body ("
        + body.length
        + " bytes) \""
        + cut(escape(body), MAX_SHOWN_BODY)
        + "\"";
  }

  /** The body as text, with line ends and other control characters escaped as in Java. */
  private static String escape(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> escaped.append("\\n");
        case '\r' -> escaped.append("\\r");
        case '"' -> escaped.append("\\\"");
        case '\\' -> escaped.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            escaped.append(String.format("\\u%04x", (int) c));
          } else {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }

  // Never cut a surrogate pair in two: half a character would print as '?'.
  private static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end) + "... (" + text.length() + " chars)";
  }
}
