package dev.genaiprocessors.testing;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An answer in no vendor's format: exactly this status, {@code Content-Type} and body, as a proxy,
 * a captive portal or a misconfigured gateway sends them in the vendor's place. Every vendor server
 * takes one ({@link OpenAiServer}, {@link AnthropicServer}, {@link GeminiServer}), so a test checks
 * that a model processor reports such an answer clearly instead of reading it as a broken stream.
 *
 * <pre>{@code
 * server.enqueue(RawReply.of(200, "text/html; charset=utf-8", "<!DOCTYPE html><title>Hi</title>"));
 * server.enqueue(RawReply.of(200, "text/event-stream", "data: {\"unexpected\":true}\n\n"));
 * server.enqueue(RawReply.of(200, null, "<html>no Content-Type at all</html>"));
 * }</pre>
 *
 * <p>The server sends the status, the {@code Content-Type} (none when it is null), a {@code
 * Content-Length} and the body, nothing else: no request id or other header of the vendor's.
 * Immutable.
 */
public final class RawReply implements OpenAiReply, AnthropicReply, GeminiReply {
  final int status;
  final @Nullable String contentType;
  final byte[] body;

  private RawReply(int status, @Nullable String contentType, byte[] body) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
  }

  /**
   * An answer with this status, {@code Content-Type} (null to send none) and body (sent as UTF-8).
   *
   * @throws IllegalArgumentException if {@code status} is not in [200, 599]
   */
  public static RawReply of(int status, @Nullable String contentType, String body) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be in [200, 599] but was " + status);
    }
    Objects.requireNonNull(body, "body");
    return new RawReply(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "RawReply["
        + status
        + " "
        + (contentType == null ? "no Content-Type" : contentType)
        + ", "
        + body.length
        + " bytes]";
  }
}
