package dev.genaiprocessors.testing;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scripted HTTP error in Anthropic's shape: the status, the JSON body {@code
 * {"type":"error","error":{"type":...,"message":...},"request_id":...}} and the headers a client
 * reads to decide whether and when to retry ({@code retry-after}, {@code retry-after-ms}, {@code
 * x-should-retry}), plus {@code request-id}.
 *
 * <pre>{@code
 * server.enqueue(AnthropicReply.error(429, "Number of request tokens has exceeded your rate limit")
 *     .retryAfter(Duration.ofSeconds(2)));
 * server.enqueue(AnthropicReply.error(529, "Overloaded"));
 * }</pre>
 *
 * <p>Immutable: every method returns a copy.
 */
public final class AnthropicErrorReply implements AnthropicReply {
  final int status;
  final String message;
  final String type;
  final @Nullable String rawBody;
  final @Nullable String requestId;
  final Duration firstByteDelay;
  final Map<String, String> headers;

  private AnthropicErrorReply(
      int status,
      String message,
      String type,
      @Nullable String rawBody,
      @Nullable String requestId,
      Duration firstByteDelay,
      Map<String, String> headers) {
    this.status = status;
    this.message = message;
    this.type = type;
    this.rawBody = rawBody;
    this.requestId = requestId;
    this.firstByteDelay = firstByteDelay;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /**
   * An error with this status and message; the type defaults as Anthropic sends it for the status
   * (see {@link AnthropicReply#error}).
   *
   * @throws IllegalArgumentException if {@code status} is not in [400, 599]
   */
  public static AnthropicErrorReply of(int status, String message) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("error status must be in [400, 599] but was " + status);
    }
    Objects.requireNonNull(message, "message");
    return new AnthropicErrorReply(
        status, message, defaultType(status), null, null, Duration.ZERO, Map.of());
  }

  static String defaultType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  /** A copy with this {@code error.type}. */
  public AnthropicErrorReply type(String type) {
    return new AnthropicErrorReply(
        status,
        message,
        Objects.requireNonNull(type, "type"),
        rawBody,
        requestId,
        firstByteDelay,
        headers);
  }

  /** A copy whose body is exactly {@code body} instead of Anthropic's error object. */
  public AnthropicErrorReply rawBody(String body) {
    return new AnthropicErrorReply(
        status,
        message,
        type,
        Objects.requireNonNull(body, "body"),
        requestId,
        firstByteDelay,
        headers);
  }

  /**
   * A copy sent with this {@code request-id} (also in the body); by default one the server numbers.
   */
  public AnthropicErrorReply requestId(String requestId) {
    return new AnthropicErrorReply(
        status,
        message,
        type,
        rawBody,
        Objects.requireNonNull(requestId, "requestId"),
        firstByteDelay,
        headers);
  }

  /** A copy that waits this long before sending anything. */
  public AnthropicErrorReply firstByteDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("firstByteDelay must not be negative but was " + delay);
    }
    return new AnthropicErrorReply(status, message, type, rawBody, requestId, delay, headers);
  }

  /** A copy with the header {@code retry-after} in seconds (a decimal when not whole). */
  public AnthropicErrorReply retryAfter(Duration wait) {
    Objects.requireNonNull(wait, "wait");
    if (wait.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative but was " + wait);
    }
    BigDecimal seconds = BigDecimal.valueOf(wait.toMillis()).movePointLeft(3).stripTrailingZeros();
    return header("retry-after", seconds.toPlainString());
  }

  /** A copy with the header {@code retry-after} exactly as given (seconds, or an HTTP date). */
  public AnthropicErrorReply retryAfter(String value) {
    return header("retry-after", value);
  }

  /** A copy with the header {@code retry-after-ms}. */
  public AnthropicErrorReply retryAfterMs(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("retryAfterMs must not be negative but was " + millis);
    }
    return header("retry-after-ms", Long.toString(millis));
  }

  /** A copy with the header {@code x-should-retry}. */
  public AnthropicErrorReply shouldRetry(boolean shouldRetry) {
    return header("x-should-retry", Boolean.toString(shouldRetry));
  }

  /** A copy with one more header (replacing one of the same name). */
  public AnthropicErrorReply header(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new AnthropicErrorReply(status, message, type, rawBody, requestId, firstByteDelay, copy);
  }

  @Override
  public String toString() {
    return "AnthropicErrorReply[" + status + " " + type + ": " + message + "]";
  }
}
