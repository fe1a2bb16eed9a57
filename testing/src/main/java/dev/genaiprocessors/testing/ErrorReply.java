package dev.genaiprocessors.testing;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scripted HTTP error in OpenAI's shape: the status, the JSON body {@code
 * {"error":{"message":...,"type":...,"param":...,"code":...}}} and the headers a client reads to
 * decide whether and when to retry ({@code retry-after}, {@code retry-after-ms}, {@code
 * x-should-retry}), plus {@code x-request-id}.
 *
 * <pre>{@code
 * server.enqueue(OpenAiReply.error(429, "Rate limit reached for gpt-4o-mini").retryAfterMs(20));
 * server.enqueue(OpenAiReply.error(503, "server busy").rawBody("{\"error\":\"server busy\"}")); // Ollama
 * }</pre>
 *
 * <p>Immutable: every method returns a copy.
 */
public final class ErrorReply implements OpenAiReply {
  final int status;
  final String message;
  final String type;
  final @Nullable String code;
  final @Nullable String param;
  final @Nullable String rawBody;
  final @Nullable String requestId;
  final Duration firstByteDelay;
  final Map<String, String> headers;

  private ErrorReply(
      int status,
      String message,
      String type,
      @Nullable String code,
      @Nullable String param,
      @Nullable String rawBody,
      @Nullable String requestId,
      Duration firstByteDelay,
      Map<String, String> headers) {
    this.status = status;
    this.message = message;
    this.type = type;
    this.code = code;
    this.param = param;
    this.rawBody = rawBody;
    this.requestId = requestId;
    this.firstByteDelay = firstByteDelay;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /**
   * An error with this status and message; type and code default as OpenAI sends them for the
   * status (see {@link OpenAiReply#error}).
   *
   * @throws IllegalArgumentException if {@code status} is not in [400, 599]
   */
  public static ErrorReply of(int status, String message) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("error status must be in [400, 599] but was " + status);
    }
    Objects.requireNonNull(message, "message");
    String type =
        switch (status) {
          case 429 -> "requests";
          case 400, 401, 403, 404, 409, 422 -> "invalid_request_error";
          default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    String code =
        switch (status) {
          case 401 -> "invalid_api_key";
          case 404 -> "model_not_found";
          case 429 -> "rate_limit_exceeded";
          default -> null;
        };
    return new ErrorReply(status, message, type, code, null, null, null, Duration.ZERO, Map.of());
  }

  /** A copy with this {@code error.type}. */
  public ErrorReply type(String type) {
    return new ErrorReply(
        status,
        message,
        Objects.requireNonNull(type, "type"),
        code,
        param,
        rawBody,
        requestId,
        firstByteDelay,
        headers);
  }

  /** A copy with this {@code error.code} ({@code null} for JSON {@code null}). */
  public ErrorReply code(@Nullable String code) {
    return new ErrorReply(
        status, message, type, code, param, rawBody, requestId, firstByteDelay, headers);
  }

  /** A copy with this {@code error.param} ({@code null} for JSON {@code null}). */
  public ErrorReply param(@Nullable String param) {
    return new ErrorReply(
        status, message, type, code, param, rawBody, requestId, firstByteDelay, headers);
  }

  /**
   * A copy whose body is exactly {@code body} instead of OpenAI's error object, for servers that
   * answer otherwise (Ollama's {@code {"error":"server busy, please try again."}}).
   */
  public ErrorReply rawBody(String body) {
    return new ErrorReply(
        status,
        message,
        type,
        code,
        param,
        Objects.requireNonNull(body, "body"),
        requestId,
        firstByteDelay,
        headers);
  }

  /** A copy sent with this {@code x-request-id}; by default one the server numbers. */
  public ErrorReply requestId(String requestId) {
    return new ErrorReply(
        status,
        message,
        type,
        code,
        param,
        rawBody,
        Objects.requireNonNull(requestId, "requestId"),
        firstByteDelay,
        headers);
  }

  /** A copy that waits this long before sending anything. */
  public ErrorReply firstByteDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("firstByteDelay must not be negative but was " + delay);
    }
    return new ErrorReply(status, message, type, code, param, rawBody, requestId, delay, headers);
  }

  /** A copy with the header {@code retry-after} in seconds (a decimal when not whole). */
  public ErrorReply retryAfter(Duration wait) {
    Objects.requireNonNull(wait, "wait");
    if (wait.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative but was " + wait);
    }
    BigDecimal seconds = BigDecimal.valueOf(wait.toMillis()).movePointLeft(3).stripTrailingZeros();
    return header("retry-after", seconds.toPlainString());
  }

  /**
   * A copy with the header {@code retry-after} exactly as given, such as an HTTP date ({@code Wed,
   * 21 Oct 2026 07:28:00 GMT}).
   */
  public ErrorReply retryAfter(String value) {
    return header("retry-after", value);
  }

  /** A copy with the header {@code retry-after-ms}. */
  public ErrorReply retryAfterMs(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("retryAfterMs must not be negative but was " + millis);
    }
    return header("retry-after-ms", Long.toString(millis));
  }

  /** A copy with the header {@code x-should-retry}. */
  public ErrorReply shouldRetry(boolean shouldRetry) {
    return header("x-should-retry", Boolean.toString(shouldRetry));
  }

  /** A copy with one more header (replacing one of the same name). */
  public ErrorReply header(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new ErrorReply(
        status, message, type, code, param, rawBody, requestId, firstByteDelay, copy);
  }

  @Override
  public String toString() {
    return "ErrorReply["
        + status
        + " "
        + type
        + (code == null ? "" : "/" + code)
        + ": "
        + message
        + "]";
  }
}
