package dev.genaiprocessors.testing;

/**
 * What {@link GeminiServer} answers to one request: a {@link GenerateContentReply} (a response,
 * streamed as server-sent events or whole, faults included) or a {@link GoogleErrorReply} (an HTTP
 * error with Google's error body, {@code RetryInfo} and {@code QuotaFailure} details included), or
 * a {@link RawReply} (any status, content type and body, as a proxy in Google's place answers).
 *
 * <pre>{@code
 * server.enqueue(GeminiReply.text("Hel", "lo").usage(12, 3));
 * server.enqueue(GeminiReply.error(429, "You exceeded your current quota").retryDelay("34s"));
 * server.enqueue(GeminiReply.create().functionCall("get_weather", "{\"city\":\"Paris\"}"));
 * }</pre>
 *
 * <p>Replies are immutable: every fluent method returns a copy, so one reply may be enqueued many
 * times and shared between tests and threads.
 */
public sealed interface GeminiReply permits GenerateContentReply, GoogleErrorReply, RawReply {

  /** An empty response (no parts yet): add chunks to it with its methods. */
  static GenerateContentReply create() {
    return GenerateContentReply.create();
  }

  /** A response whose text arrives in the given chunks, one streamed event each. */
  static GenerateContentReply text(String... chunks) {
    return GenerateContentReply.create().text(chunks);
  }

  /**
   * An HTTP error with Google's error body; the {@code status} string follows from the code as
   * Google sends it (400 {@code INVALID_ARGUMENT}, 401 {@code UNAUTHENTICATED}, 403 {@code
   * PERMISSION_DENIED}, 404 {@code NOT_FOUND}, 429 {@code RESOURCE_EXHAUSTED}, 500 {@code
   * INTERNAL}, 503 {@code UNAVAILABLE}, 504 {@code DEADLINE_EXCEEDED}).
   */
  static GoogleErrorReply error(int code, String message) {
    return GoogleErrorReply.of(code, message);
  }
}
