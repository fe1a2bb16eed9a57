package dev.genaiprocessors.testing;

/**
 * What {@link OpenAiServer} answers to one request: a {@link ChatReply} (a chat completion,
 * streamed or whole, faults included), a {@link ResponsesReply} (the same for the Responses API) or
 * an {@link ErrorReply} (an HTTP error with OpenAI's error body and headers, on either API), or a
 * {@link RawReply} (any status, content type and body, as a proxy in OpenAI's place answers).
 *
 * <pre>{@code
 * server.enqueue(OpenAiReply.text("Hel", "lo"));
 * server.enqueue(OpenAiReply.error(429, "Rate limit reached").retryAfterMs(20));
 * server.enqueue(ChatReply.create().toolCall("call_1", "get_weather", "{\"city\":", "\"Paris\"}"));
 * server.enqueue(ResponsesReply.create().text("Hel", "lo").usage(12, 2));
 * }</pre>
 *
 * <p>Replies are immutable: every fluent method returns a copy, so one reply may be enqueued many
 * times and shared between tests and threads.
 */
public sealed interface OpenAiReply permits ChatReply, ResponsesReply, ErrorReply, RawReply {

  /** A completion whose text arrives as the given deltas (one chunk each when streamed). */
  static ChatReply text(String... deltas) {
    return ChatReply.create().text(deltas);
  }

  /**
   * An HTTP error with OpenAI's error body; the error {@code type} and {@code code} follow from the
   * status as OpenAI sends them (429: {@code requests} / {@code rate_limit_exceeded}; 5xx: {@code
   * server_error}; 401: {@code invalid_request_error} / {@code invalid_api_key}; ...).
   */
  static ErrorReply error(int status, String message) {
    return ErrorReply.of(status, message);
  }
}
