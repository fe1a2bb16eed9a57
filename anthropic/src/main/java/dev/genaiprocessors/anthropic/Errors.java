package dev.genaiprocessors.anthropic;

import com.anthropic.core.JsonField;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.Headers;
import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicRetryableException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.SseException;
import dev.genaiprocessors.model.Failures;
import dev.genaiprocessors.model.RetryAdvice;
import dev.genaiprocessors.model.Secrets;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Translates the SDK's exceptions into {@link AnthropicException}s, keeping the API key out. */
final class Errors {
  private static final List<String> RATE_LIMITS =
      List.of("requests", "tokens", "input-tokens", "output-tokens");

  private Errors() {}

  /**
   * The typed exception for {@code error}, thrown while calling {@code model}.
   *
   * @param answering whether the answer had started arriving (headers received)
   */
  static AnthropicException translate(
      com.anthropic.errors.AnthropicException error,
      String model,
      boolean answering,
      @Nullable String apiKey) {
    return switch (error) {
      case AnthropicServiceException service -> service(service, model, apiKey);
      case AnthropicIoException io -> io(io, model, answering, apiKey);
      case AnthropicRetryableException retryable -> io(retryable, model, answering, apiKey);
      case AnthropicInvalidDataException invalid ->
          build(
              AnthropicException.Kind.INVALID_RESPONSE,
              "Anthropic "
                  + model
                  + " sent data that is not the Messages format: "
                  + Failures.describe(invalid),
              invalid,
              0,
              null,
              null,
              Map.of(),
              apiKey);
      default ->
          build(
              AnthropicException.Kind.OTHER,
              "Anthropic " + model + " call failed: " + Failures.describe(error),
              error,
              0,
              null,
              null,
              Map.of(),
              apiKey);
    };
  }

  /** The stream ended before {@code message_stop}: the answer is incomplete. */
  static AnthropicException truncated(String model, String what, @Nullable String apiKey) {
    return build(
        AnthropicException.Kind.STREAM_INTERRUPTED,
        "Anthropic " + model + " stream ended before the message was finished (" + what + ")",
        null,
        0,
        null,
        null,
        Map.of(),
        apiKey);
  }

  /** The server's {@code error} event in the middle of a stream. */
  static AnthropicException streamError(
      String model,
      @Nullable String type,
      @Nullable String vendorMessage,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    AnthropicException.Kind kind =
        switch (type == null ? "" : type) {
          case "overloaded_error" -> AnthropicException.Kind.OVERLOADED;
          case "rate_limit_error" -> AnthropicException.Kind.RATE_LIMITED;
          default -> AnthropicException.Kind.STREAM_ERROR;
        };
    StringBuilder message =
        new StringBuilder("Anthropic ").append(model).append(" sent an error event in the stream");
    if (type != null) {
      message.append(" (").append(type).append(')');
    }
    message.append(": ").append(vendorMessage != null ? vendorMessage : "no error message");
    return build(kind, message.toString(), null, 200, type, vendorMessage, headers, apiKey);
  }

  /**
   * A successful answer that is not an event stream ({@code problem} says what came instead, as
   * {@link dev.genaiprocessors.model.EventStreams} words it): not retryable, since the same request
   * through the same network gets the same page.
   */
  static AnthropicException notAnEventStream(
      String model,
      @Nullable String problem,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    return build(
        AnthropicException.Kind.INVALID_RESPONSE,
        "Anthropic " + model + " " + problem,
        null,
        200,
        null,
        null,
        headers,
        apiKey);
  }

  /** The {@code Content-Type} of headers by lower-case name, or null when there was none. */
  static @Nullable String contentType(Map<String, List<String>> headers) {
    return first(headers, "content-type");
  }

  /** An event of the stream that is not a Messages API event. */
  static AnthropicException malformed(
      String model,
      @Nullable String problem,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    return build(
        AnthropicException.Kind.INVALID_RESPONSE,
        "Anthropic " + model + " sent data that is not the Messages format: " + problem,
        null,
        0,
        null,
        null,
        headers,
        apiKey);
  }

  /**
   * The call's {@link AnthropicModel.Builder#timeout} passed, in an attempt, between attempts or
   * while the answer streamed; the message names the timeout.
   */
  static AnthropicException timedOut(
      String model,
      dev.genaiprocessors.model.CallDeadline.Exceeded error,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    return build(
        AnthropicException.Kind.TIMEOUT,
        "Anthropic " + model + " timed out: " + error.getMessage(),
        error,
        0,
        null,
        null,
        headers,
        apiKey);
  }

  /** The connection failed or timed out while the answer was streaming. */
  static AnthropicException broken(
      String model,
      java.io.IOException error,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    boolean timeout = error instanceof InterruptedIOException;
    AnthropicException.Kind kind =
        timeout ? AnthropicException.Kind.TIMEOUT : AnthropicException.Kind.STREAM_INTERRUPTED;
    return build(
        kind,
        "Anthropic "
            + model
            + (timeout ? " timed out: " : " stream was cut off: ")
            + Failures.describe(error),
        error,
        0,
        null,
        null,
        headers,
        apiKey);
  }

  /** The response headers by lower-case name. */
  static Map<String, List<String>> headersOf(@Nullable Headers headers) {
    return headers(headers);
  }

  static AnthropicException invalid(String model, String problem, @Nullable String apiKey) {
    return build(
        AnthropicException.Kind.INVALID_RESPONSE,
        "Anthropic " + model + ": " + problem,
        null,
        0,
        null,
        null,
        Map.of(),
        apiKey);
  }

  private static AnthropicException io(
      com.anthropic.errors.AnthropicException io,
      String model,
      boolean answering,
      @Nullable String apiKey) {
    boolean timeout = Failures.causedBy(io, InterruptedIOException.class);
    AnthropicException.Kind kind =
        timeout
            ? AnthropicException.Kind.TIMEOUT
            : answering
                ? AnthropicException.Kind.STREAM_INTERRUPTED
                : AnthropicException.Kind.CONNECTION_FAILED;
    String what =
        switch (kind) {
          case TIMEOUT -> "timed out";
          case STREAM_INTERRUPTED -> "stream was cut off";
          default -> "connection failed";
        };
    return build(
        kind,
        "Anthropic " + model + " " + what + ": " + Failures.describe(io),
        io,
        0,
        null,
        null,
        Map.of(),
        apiKey);
  }

  private static AnthropicException service(
      AnthropicServiceException e, String model, @Nullable String apiKey) {
    int status = e.statusCode();
    boolean sse = e instanceof SseException;
    JsonValue body = e.body();
    String type = e.type().map(t -> t.asString()).orElseGet(() -> errorField(body, "type"));
    String vendorMessage = e.apiMessage().orElseGet(() -> errorField(body, "message"));
    AnthropicException.Kind kind;
    if (sse) {
      kind =
          switch (type == null ? "" : type) {
            case "overloaded_error" -> AnthropicException.Kind.OVERLOADED;
            case "rate_limit_error" -> AnthropicException.Kind.RATE_LIMITED;
            default -> AnthropicException.Kind.STREAM_ERROR;
          };
    } else {
      kind =
          switch (status) {
            case 400, 409, 413, 422 -> AnthropicException.Kind.BAD_REQUEST;
            case 401 -> AnthropicException.Kind.AUTHENTICATION;
            case 402 -> AnthropicException.Kind.QUOTA_EXCEEDED;
            case 403 ->
                "billing_error".equals(type)
                    ? AnthropicException.Kind.QUOTA_EXCEEDED
                    : AnthropicException.Kind.PERMISSION_DENIED;
            case 404 -> AnthropicException.Kind.NOT_FOUND;
            case 408 -> AnthropicException.Kind.TIMEOUT;
            case 429 -> AnthropicException.Kind.RATE_LIMITED;
            case 529 -> AnthropicException.Kind.OVERLOADED;
            default ->
                status >= 500
                    ? AnthropicException.Kind.SERVER_ERROR
                    : AnthropicException.Kind.OTHER;
          };
    }
    StringBuilder message =
        new StringBuilder("Anthropic ")
            .append(model)
            .append(sse ? " sent an error event in the stream" : " answered " + status);
    if (type != null) {
      message.append(" (").append(type).append(')');
    }
    message.append(": ").append(vendorMessage != null ? vendorMessage : "no error message");
    Map<String, List<String>> headers = headers(e.headers());
    return build(
        kind, message.toString(), e, sse ? 200 : status, type, vendorMessage, headers, apiKey);
  }

  private static AnthropicException build(
      AnthropicException.Kind kind,
      String message,
      @Nullable Throwable cause,
      int status,
      @Nullable String type,
      @Nullable String vendorMessage,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    String requestId = first(headers, "request-id");
    String requestSuffix = requestId == null ? "" : " [request " + requestId + "]";
    boolean causeLeaks = Secrets.appearsIn(cause, apiKey);
    return new AnthropicException(
        redact(message + requestSuffix, apiKey),
        causeLeaks ? null : cause,
        kind,
        status,
        type,
        vendorMessage == null ? null : redact(vendorMessage, apiKey),
        requestId,
        retryAfter(headers, status, Clock.systemUTC()),
        shouldRetry(headers),
        headers);
  }

  /** {@code error.<name>} of Anthropic's error body, when the SDK did not read it. */
  private static @Nullable String errorField(JsonValue body, String name) {
    JsonField<?> field = body; // JsonValue extends the raw JsonField: view it typed
    Optional<Map<String, JsonValue>> object = field.asObject();
    if (object.isEmpty()) {
      return field.asString().orElse(null);
    }
    JsonValue error = object.get().get("error");
    if (error == null) {
      return null;
    }
    JsonField<?> errorField = error;
    Optional<Map<String, JsonValue>> errorObject = errorField.asObject();
    if (errorObject.isEmpty()) {
      return errorField.asString().orElse(null); // {"error":"server busy"}
    }
    JsonValue value = errorObject.get().get(name);
    if (value == null) {
      return null;
    }
    JsonField<?> valueField = value;
    return valueField.asString().orElseGet(value::toString);
  }

  /** Headers by lower-case name. */
  private static Map<String, List<String>> headers(@Nullable Headers headers) {
    if (headers == null) {
      return Map.of();
    }
    Map<String, List<String>> copy = new TreeMap<>();
    for (String name : headers.names()) {
      copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(headers.values(name)));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static @Nullable String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * {@code retry-after-ms}, else {@code retry-after} as seconds or an HTTP date, else (on a 429)
   * the time until the reset of whichever {@code anthropic-ratelimit-*} limit is exhausted.
   */
  static @Nullable Duration retryAfter(Map<String, List<String>> headers, int status, Clock clock) {
    Duration wait = RetryAdvice.waitFromHeaders(name -> first(headers, name), clock);
    if (wait != null) {
      return wait;
    }
    if (status != 429) {
      return null;
    }
    for (String limit : RATE_LIMITS) {
      String remaining = first(headers, "anthropic-ratelimit-" + limit + "-remaining");
      String reset = first(headers, "anthropic-ratelimit-" + limit + "-reset");
      if ("0".equals(remaining == null ? null : remaining.strip()) && reset != null) {
        try {
          return nonNegative(Duration.between(clock.instant(), Instant.parse(reset.strip())));
        } catch (DateTimeParseException e) {
          // An unreadable reset time says nothing: try the next limit.
        }
      }
    }
    return null;
  }

  private static Duration nonNegative(Duration wait) {
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private static @Nullable Boolean shouldRetry(Map<String, List<String>> headers) {
    return RetryAdvice.shouldRetryHeader(first(headers, "x-should-retry"));
  }

  static String redact(String text, @Nullable String apiKey) {
    return Secrets.redact(text, apiKey);
  }
}
