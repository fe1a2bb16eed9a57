package dev.genaiprocessors.queue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One message as a {@link Broker} carries it: an id, a body of bytes and string headers.
 *
 * <p>The id is the message's identity end to end: a broker implementation sends it as its native
 * message id (AMQP's {@code message-id} property, JetStream's {@code Nats-Msg-Id} header) and
 * delivers it back unchanged; workers and remote stages use it for correlation and to suppress
 * duplicates. The library's own headers are named in {@link Headers}.
 *
 * <p>Header names are 1 to 128 characters of {@code [A-Za-z0-9_-]}, starting with a letter or a
 * digit; values are at most {@value #MAX_HEADER_VALUE_CHARS} characters and hold no line break (the
 * library makes error texts fit with {@link #headerValue}). The body is copied in and out, so a
 * message is immutable.
 *
 * @param id the message id: 1 to 200 characters, none of them a space or a control character
 * @param body the payload (for the library's messages, part JSON in UTF-8)
 * @param headers string headers, in the order given
 */
public record Message(String id, byte[] body, Map<String, String> headers) {
  /** The longest header value a message may carry. */
  public static final int MAX_HEADER_VALUE_CHARS = 4096;

  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

  /**
   * Checks and copies the fields.
   *
   * @throws IllegalArgumentException naming the id, header name or value that is not allowed
   */
  public Message {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(headers, "headers");
    checkId(id);
    LinkedHashMap<String, String> copy = new LinkedHashMap<>();
    headers.forEach(
        (name, value) -> {
          Objects.requireNonNull(name, "header name");
          Objects.requireNonNull(value, () -> "value of header " + name);
          if (!HEADER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                "header name must match " + HEADER_NAME + " but was \"" + cut(name) + '"');
          }
          if (value.length() > MAX_HEADER_VALUE_CHARS
              || value.indexOf('\n') >= 0
              || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(
                "header "
                    + name
                    + " must be at most "
                    + MAX_HEADER_VALUE_CHARS
                    + " characters with no line break but was \""
                    + cut(value)
                    + '"');
          }
          copy.put(name, value);
        });
    body = body.clone();
    headers = java.util.Collections.unmodifiableMap(copy);
  }

  /** A message with no headers. */
  public static Message of(String id, byte[] body) {
    return new Message(id, body, Map.of());
  }

  /** A copy of the body. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The header's value, or {@code null} when the message has none of that name. */
  public @org.jspecify.annotations.Nullable String header(String name) {
    return headers.get(name);
  }

  /** This message with one more header (or that header replaced). */
  public Message withHeader(String name, String value) {
    LinkedHashMap<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Message(id, body, copy);
  }

  /** This message with the given headers added (replacing those of the same names). */
  public Message withHeaders(Map<String, String> more) {
    LinkedHashMap<String, String> copy = new LinkedHashMap<>(headers);
    copy.putAll(more);
    return new Message(id, body, copy);
  }

  /**
   * {@code text} made fit for a header value: line breaks and other control characters become
   * spaces, and a text longer than {@value #MAX_HEADER_VALUE_CHARS} characters is cut, ending in an
   * ellipsis.
   */
  public static String headerValue(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_HEADER_VALUE_CHARS));
    for (int i = 0; i < text.length() && out.length() < MAX_HEADER_VALUE_CHARS; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (text.length() > MAX_HEADER_VALUE_CHARS) {
      out.setLength(MAX_HEADER_VALUE_CHARS - 1);
      if (Character.isHighSurrogate(out.charAt(out.length() - 1))) {
        out.setLength(out.length() - 1);
      }
      out.append('…');
    }
    return out.toString();
  }

  static void checkId(String id) {
    if (id.isEmpty() || id.length() > 200 || id.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException(
          "message id must be 1 to 200 characters with no space or control character but was \""
              + cut(id)
              + '"');
    }
  }

  private static String cut(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message m
        && id.equals(m.id)
        && Arrays.equals(body, m.body)
        && headers.equals(m.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(body), headers);
  }

  @Override
  public String toString() {
    return "Message[id=" + id + ", " + body.length + " bytes, headers=" + headers + "]";
  }
}
