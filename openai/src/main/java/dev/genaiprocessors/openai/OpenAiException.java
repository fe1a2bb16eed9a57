package dev.genaiprocessors.openai;

import dev.genaiprocessors.model.RetryAdvice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call to an OpenAI (or OpenAI-compatible) endpoint failed: the server answered with an error,
 * sent an error or something unreadable in the stream, or the connection failed or timed out.
 *
 * <p>It carries what the vendor said: the HTTP {@link #status()}, the error {@link #type()} and
 * {@link #code()}, the message, the {@link #requestId()} to quote to support, and the wait the
 * server asked for ({@link #retryAfter()}). {@link #kind()} sorts it for code that decides what to
 * do, such as a retry decorator.
 *
 * <pre>{@code
 * try {
 *   model.apply(prompt).text();
 * } catch (OpenAiException error) {         // it reaches the caller as itself
 *   if (error.kind() == Kind.RATE_LIMITED) {
 *     Duration wait = error.retryAfter();   // from retry-after-ms or retry-after, or null
 *   }
 * }
 * }</pre>
 *
 * <p>The API key never appears in its message, its {@code toString()} or its causes: should the
 * server echo the key back, it is replaced by {@code <redacted>} and the SDK's exception that held
 * it is left out of the cause chain.
 */
public final class OpenAiException extends RuntimeException implements RetryAdvice {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as far as a caller deciding what to do next needs to know. */
  public enum Kind {
    /** 400, 409 or 422: the request is wrong; retrying it unchanged will not help. */
    BAD_REQUEST,
    /** 401: the API key is missing, wrong or revoked. */
    AUTHENTICATION,
    /** 403: the key may not do this (model, region, organisation). */
    PERMISSION_DENIED,
    /** 404: no such model or endpoint (check the base URL and the model name). */
    NOT_FOUND,
    /** 429: too many requests or tokens; wait {@link #retryAfter()} and retry. */
    RATE_LIMITED,
    /** 429 with code {@code insufficient_quota}: the account is out of credit; do not retry. */
    QUOTA_EXCEEDED,
    /** 5xx: the server failed or is overloaded; retrying later may help. */
    SERVER_ERROR,
    /** The server sent an error event in the middle of the stream. */
    STREAM_ERROR,
    /** The connection broke after the answer had started (the stream was cut off). */
    STREAM_INTERRUPTED,
    /** The connection could not be made or broke before any answer arrived. */
    CONNECTION_FAILED,
    /** A connect, read or request timeout expired. */
    TIMEOUT,
    /**
     * The server sent something that is not the wire format (a malformed chunk, a bad body), or
     * answered 200 with something other than an event stream, as a proxy or captive portal does.
     */
    INVALID_RESPONSE,
    /** Another HTTP status, or a failure the SDK did not classify. */
    OTHER
  }

  private final Kind kind;
  private final int status;
  private final @Nullable String type;
  private final @Nullable String code;
  private final @Nullable String param;
  private final @Nullable String vendorMessage;
  private final @Nullable String requestId;
  private final @Nullable Duration retryAfter;
  private final @Nullable Boolean shouldRetry;
  private final Map<String, List<String>> headers;

  OpenAiException(
      String message,
      @Nullable Throwable cause,
      Kind kind,
      int status,
      @Nullable String type,
      @Nullable String code,
      @Nullable String param,
      @Nullable String vendorMessage,
      @Nullable String requestId,
      @Nullable Duration retryAfter,
      @Nullable Boolean shouldRetry,
      Map<String, List<String>> headers) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
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
   * The HTTP status the server answered with; 200 for an error event inside a stream, 0 when no
   * status arrived (connection failures, timeouts).
   */
  public int status() {
    return status;
  }

  /** The vendor's {@code error.type} ({@code invalid_request_error}, {@code server_error}, ...). */
  public @Nullable String type() {
    return type;
  }

  /**
   * The vendor's {@code error.code} ({@code rate_limit_exceeded}, {@code invalid_api_key}, ...).
   */
  public @Nullable String code() {
    return code;
  }

  /** The vendor's {@code error.param}: the request field at fault, when it named one. */
  public @Nullable String param() {
    return param;
  }

  /** The vendor's own error message ({@code error.message}), with any API key redacted. */
  public @Nullable String vendorMessage() {
    return vendorMessage;
  }

  /** The {@code x-request-id} the server sent, to quote to the vendor's support. */
  public @Nullable String requestId() {
    return requestId;
  }

  /**
   * How long the server asked the client to wait before retrying: {@code retry-after-ms}, else
   * {@code retry-after} (seconds or an HTTP date); {@code null} when it said nothing.
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
   * for rate limits, server errors, error events, interrupted streams, connection failures and
   * timeouts. A caller that already passed parts on must not retry a stream blindly.
   */
  @Override
  public boolean isRetryable() {
    if (shouldRetry != null) {
      return shouldRetry;
    }
    return switch (kind) {
      case RATE_LIMITED,
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
