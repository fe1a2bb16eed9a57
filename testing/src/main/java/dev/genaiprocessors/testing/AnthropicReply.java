package dev.genaiprocessors.testing;

/**
 * What {@link AnthropicServer} answers to one request: a {@link MessageReply} (a message, streamed
 * or whole, faults included) or an {@link AnthropicErrorReply} (an HTTP error with Anthropic's
 * error body and headers), or a {@link RawReply} (any status, content type and body, as a proxy in
 * Anthropic's place answers).
 *
 * <pre>{@code
 * server.enqueue(AnthropicReply.text("Hel", "lo"));
 * server.enqueue(AnthropicReply.error(529, "Overloaded"));
 * server.enqueue(MessageReply.create().toolUse("toolu_1", "get_weather", "{\"city\":", "\"Paris\"}"));
 * }</pre>
 *
 * <p>Replies are immutable: every fluent method returns a copy, so one reply may be enqueued many
 * times and shared between tests and threads.
 */
public sealed interface AnthropicReply permits MessageReply, AnthropicErrorReply, RawReply {

  /** A message with one text block whose text arrives as the given deltas (one event each). */
  static MessageReply text(String... deltas) {
    return MessageReply.create().text(deltas);
  }

  /**
   * An HTTP error with Anthropic's error body; the error {@code type} follows from the status as
   * Anthropic sends it (400 {@code invalid_request_error}, 401 {@code authentication_error}, 403
   * {@code permission_error}, 404 {@code not_found_error}, 413 {@code request_too_large}, 429
   * {@code rate_limit_error}, 500 {@code api_error}, 504 {@code timeout_error}, 529 {@code
   * overloaded_error}, other 5xx {@code api_error}).
   */
  static AnthropicErrorReply error(int status, String message) {
    return AnthropicErrorReply.of(status, message);
  }
}
