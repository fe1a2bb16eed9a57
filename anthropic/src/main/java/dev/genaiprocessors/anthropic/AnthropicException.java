package dev.genaiprocessors.anthropic;

import dev.genaiprocessors.model.RetryAdvice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call to Anthropic's Messages API failed: the server answered with an error, sent an {@code
 * error} event or something unreadable in the stream, the stream was cut off, or the connection
 * failed or timed out.
 *
 * <p>It carries what the vendor said: the HTTP {@link #status()}, the error {@link #type()} ({@code
 * rate_limit_error}, {@code overloaded_error}, ...), the message, the {@link #requestId()} to quote
 * to support, and the wait the server asked for ({@link #retryAfter()}). {@link #kind()} sorts it
 * for code that decides what to do; as a {@link RetryAdvice} it tells any retry decorator whether
 * and when to try again.
 *
 * <pre>{@code
 * try {
 *   model.apply(prompt).text();
 * } catch (AnthropicException error) {         // it reaches the caller as itself
 *   if (error.kind() == Kind.OVERLOADED) {
 *     Duration wait = error.retryAfter();   // from retry-after-ms or retry-after, or null
 *   }
 * }
 * }</pre>
 *
 * <p>The API key never appears in its message, its {@code toString()} or its causes: should the
 * server echo the key back, it is replaced by {@code <redacted>} and the SDK's exception that held
 * it is left out of the cause chain.
 */
public final class AnthropicException extends RuntimeException implements RetryAdvice {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as far as a caller deciding what to do next needs to know. */
  public enum Kind {
    /** 400, 409, 413 or 422: the request is wrong; retrying it unchanged will not help. */
    BAD_REQUEST,
    /** 401: the API key is missing, wrong or revoked. */
    AUTHENTICATION,
    /** 403: the key may not do this. */
    PERMISSION_DENIED,
    /** 404: no such model or endpoint (check the base URL and the model name). */
    NOT_FOUND,
    /** 429 (or a {@code rate_limit_error} event): too many requests or tokens; wait and retry. */
    RATE_LIMITED,
    /** 402 or {@code billing_error}: the account cannot pay for this; do not retry. */
    QUOTA_EXCEEDED,
    /**
     * 529, or an {@code overloaded_error} event in the stream: Anthropic is overloaded; retrying
     * later may help.
     */
    OVERLOADED,
    /** Another 5xx: the server failed; retrying later may help. */
    SERVER_ERROR,
    /** The server sent another kind of {@code error} event in the middle of the stream. */
    STREAM_ERROR,
    /** The stream broke or ended before {@code message_stop}: the answer is incomplete. */
    STREAM_INTERRUPTED,
    /** The connection could not be made or broke before any answer arrived. */
    CONNECTION_FAILED,
    /** A connect, read or request timeout expired. */
    TIMEOUT,
    /**
     * The server sent something that is not the wire format (a malformed event, a bad body), or
     * answered 200 with something other than an event stream, as a proxy or captive portal does.
     */
    INVALID_RESPONSE,
    /** Another HTTP status, or a failure the SDK did not classify. */
    OTHER
  }

  private final Kind kind;
  private final int status;
  private final @Nullable String type;
  private final @Nullable String vendorMessage;
  private final @Nullable String requestId;
  private final @Nullable Duration retryAfter;
  private final @Nullable Boolean shouldRetry;
  private final Map<String, List<String>> headers;

  AnthropicException(
      String message,
      @Nullable Throwable cause,
      Kind kind,
      int status,
      @Nullable String type,
      @Nullable String vendorMessage,
      @Nullable String requestId,
      @Nullable Duration retryAfter,
      @Nullable Boolean shouldRetry,
      Map<String, List<String>> headers) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.status = status;
    this.type = type;
    this.vendorMessage = vendorMessage;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
    this.shouldRetry = shouldRetry;
    this.headers = Map.copyOf(headers);
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /**
   * The HTTP status the server answered with; 200 for an {@code error} event inside a stream, 0
   * when no status arrived (connection failures, timeouts, cut-off streams).
   */
  public int status() {
    return status;
  }

  /** Anthropic's {@code error.type} ({@code rate_limit_error}, {@code overloaded_error}, ...). */
  public @Nullable String type() {
    return type;
  }

  /** Anthropic's own error message ({@code error.message}), with any API key redacted. */
  public @Nullable String vendorMessage() {
    return vendorMessage;
  }

  /** The {@code request-id} the server sent, to quote to Anthropic's support. */
  public @Nullable String requestId() {
    return requestId;
  }

  /**
   * How long the server asked the client to wait before retrying: {@code retry-after-ms}, else
   * {@code retry-after} (seconds or an HTTP date), else, on a 429, the time until the {@code
   * anthropic-ratelimit-*-reset} of the exhausted limit; {@code null} when it said nothing.
   */
  @Override
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /** The server's {@code x-should-retry} header: {@code null} when absent. */
  public @Nullable Boolean shouldRetry() {
    return shouldRetry;
  }

  /**
   * Whether retrying may succeed: the server's {@code x-should-retry} when it sent one, else true
   * for rate limits, overload, server errors, error events, interrupted streams, connection
   * failures and timeouts. A caller that already passed parts on must not retry a stream blindly.
   */
  @Override
  public boolean isRetryable() {
    if (shouldRetry != null) {
      return shouldRetry;
    }
    return switch (kind) {
      case RATE_LIMITED,
          OVERLOADED,
          SERVER_ERROR,
          STREAM_ERROR,
          STREAM_INTERRUPTED,
          CONNECTION_FAILED,
          TIMEOUT ->
          true;
      default -> false;
    };
  }

  /** The response headers by lower-case name (empty when no response arrived). */
  public Map<String, List<String>> headers() {
    return headers;
  }
}
