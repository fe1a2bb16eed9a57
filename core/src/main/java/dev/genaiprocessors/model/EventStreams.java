package dev.genaiprocessors.model;

import dev.genaiprocessors.MimeTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The check a streaming integration makes before it reads a successful answer with {@link
 * SseReader}: that the server sent an event stream at all. Proxies, captive portals and gateways
 * answer 200 with an HTML page or a whole JSON body in the vendor's place; read as events, such a
 * body holds none, and the call would fail as a stream that ended early, which a retry decorator
 * retries in vain. This check turns it into an error that says what came instead.
 *
 * <pre>{@code
 * try {
 *   EventStreams.check(response.headers().firstValue("Content-Type").orElse(null), body, apiKey);
 * } catch (EventStreams.NotAnEventStream e) {
 *   throw new MyVendorException("MyVendor " + e.getMessage(), NOT_RETRYABLE);
 * }
 * SseReader events = new SseReader(body);
 * }</pre>
 *
 * <p><b>What passes.</b> A {@code Content-Type} whose media type is {@value #MEDIA_TYPE}, in any
 * case, with any parameters ({@code text/event-stream; charset=utf-8}). A missing (or blank) {@code
 * Content-Type} passes too: HTTP lets a server leave it out, some OpenAI-compatible servers do, and
 * the request asked for a stream; what such a body holds is still checked event by event by the
 * vendor's reader, which rejects events that are not the vendor's. Anything else fails.
 */
public final class EventStreams {
  /** The media type of Server-Sent Events. */
  public static final String MEDIA_TYPE = "text/event-stream";

  /** How much of a body that is not an event stream an error quotes, in characters. */
  static final int SHOWN = 200;

  /** How much of such a body is read to quote it, in bytes; the rest is left unread. */
  static final int READ = 1024;

  private EventStreams() {}

  /**
   * Whether {@code contentType}, a {@code Content-Type} header's value, names an event stream:
   * {@value #MEDIA_TYPE} in any case and with any parameters; true when it is null or blank (no
   * header), as the class describes.
   */
  public static boolean isEventStream(@Nullable String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    return MimeTypes.baseType(contentType).equals(MEDIA_TYPE);
  }

  /**
   * Checks that a successful answer is an event stream, and otherwise reads the start of {@code
   * body} to say what came instead. When the answer passes, nothing of {@code body} is read.
   *
   * @param contentType the answer's {@code Content-Type}, or null when it had none
   * @param body the answer's body, which this method never closes
   * @param secret the API key or token to keep out of the quoted body, or null
   * @throws NotAnEventStream when {@link #isEventStream} says no; its message names the content
   *     type and quotes up to 200 characters of the body, {@code secret} redacted
   */
  public static void check(@Nullable String contentType, InputStream body, @Nullable String secret)
      throws NotAnEventStream {
    if (isEventStream(contentType)) {
      return;
    }
    String start = start(body, secret);
    String type = Secrets.redact(contentType == null ? "" : contentType, secret);
    throw new NotAnEventStream(
        type,
        start,
        "answered with "
            + type
            + " instead of an event"
            + " stream ("
            + MEDIA_TYPE
            + "), as a proxy, captive portal or gateway in the server's"
            + " place does; the body starts: "
            + (start.isEmpty() ? "(empty)" : start));
  }

  /**
   * Up to {@value #SHOWN} characters of the start of {@code body}, whitespace runs and control
   * characters as single spaces, {@code secret} redacted (also a part of it that the read cut off).
   */
  static String start(InputStream body, @Nullable String secret) {
    byte[] bytes = new byte[READ];
    int length = 0;
    String failure = null;
    try {
      for (int n; length < READ && (n = body.read(bytes, length, READ - length)) >= 0; ) {
        length += n;
      }
    } catch (IOException e) {
      failure = " (reading the rest failed: " + e.getClass().getSimpleName() + ")";
    }
    String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
    if (length == READ || failure != null) {
      text = withoutCutSecret(text, secret);
    }
    text = Secrets.redact(text, secret);
    StringBuilder shown = new StringBuilder(Math.min(text.length(), SHOWN + 3));
    boolean space = false;
    int i = 0;
    for (; i < text.length() && shown.length() < SHOWN; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        space = shown.length() > 0;
        continue;
      }
      if (space) {
        shown.append(' ');
        space = false;
      }
      shown.append(c);
    }
    boolean more = i < text.length() || length == READ;
    return shown + (more ? "..." : "") + (failure == null ? "" : failure);
  }

  /**
   * {@code text} without a tail that is the start of {@code secret}: a read that stopped in the
   * middle of the secret leaves a part that {@link Secrets#redact} does not recognise.
   */
  private static String withoutCutSecret(String text, @Nullable String secret) {
    if (secret == null || secret.isEmpty()) {
      return text;
    }
    for (int n = Math.min(secret.length() - 1, text.length()); n > 0; n--) {
      if (text.regionMatches(text.length() - n, secret, 0, n)) {
        return text.substring(0, text.length() - n);
      }
    }
    return text;
  }

  /**
   * A successful answer that is not an event stream. Its message says what came instead, to follow
   * the integration's own words ({@code "OpenAI gpt-4o " + e.getMessage()}); retrying the same
   * request through the same network will not make it a stream.
   */
  public static final class NotAnEventStream extends Exception {
    private static final long serialVersionUID = 1L;

    private final String contentType;
    private final String bodyStart;

    NotAnEventStream(String contentType, String bodyStart, String message) {
      super(message, null, false, false);
      this.contentType = contentType;
      this.bodyStart = bodyStart;
    }

    /** The {@code Content-Type} the answer came with (any secret in it redacted). */
    public String contentType() {
      return contentType;
    }

    /** The start of the body, as quoted in the message. */
    public String bodyStart() {
      return bodyStart;
    }
  }
}
