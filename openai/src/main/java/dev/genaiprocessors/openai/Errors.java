package dev.genaiprocessors.openai;

import com.openai.core.JsonField;
import com.openai.core.JsonValue;
import com.openai.core.http.Headers;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.SseException;
import dev.genaiprocessors.model.Failures;
import dev.genaiprocessors.model.RetryAdvice;
import dev.genaiprocessors.model.Secrets;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Translates the SDK's exceptions into {@link OpenAiException}s, keeping the API key out. */
final class Errors {

  private Errors() {}

  /**
   * The typed exception for {@code error}, thrown while calling {@code model}.
   *
   * @param answering whether the answer had started arriving (headers received)
   */
  static OpenAiException translate(
      OpenAIException error, String model, boolean answering, @Nullable String apiKey) {
    return translate(error, model, answering, "Chat Completions", apiKey);
  }

  /**
   * The typed exception for {@code error}, thrown while calling {@code model} on the API named
   * {@code api} ({@code Chat Completions}, {@code Responses}).
   *
   * @param answering whether the answer had started arriving (headers received)
   */
  static OpenAiException translate(
      OpenAIException error, String model, boolean answering, String api, @Nullable String apiKey) {
    return switch (error) {
      case OpenAIServiceException service -> service(service, model, apiKey);
      case OpenAIIoException io -> {
        Map<String, List<String>> headers = headers(io.headers().orElse(null));
        boolean timeout = Failures.causedBy(io, InterruptedIOException.class);
        OpenAiException.Kind kind =
            timeout
                ? OpenAiException.Kind.TIMEOUT
                : answering
                    ? OpenAiException.Kind.STREAM_INTERRUPTED
                    : OpenAiException.Kind.CONNECTION_FAILED;
        String what =
            switch (kind) {
              case TIMEOUT -> "timed out";
              case STREAM_INTERRUPTED -> "stream was cut off";
              default -> "connection failed";
            };
        yield build(
            kind,
            "OpenAI " + model + " " + what + ": " + Failures.describe(io),
            io,
            0,
            null,
            null,
            null,
            null,
            headers,
            apiKey);
      }
      case OpenAIInvalidDataException invalid ->
          build(
              OpenAiException.Kind.INVALID_RESPONSE,
              "OpenAI "
                  + model
                  + " sent data that is not the "
                  + api
                  + " format: "
                  + Failures.describe(invalid),
              invalid,
              0,
              null,
              null,
              null,
              null,
              headers(invalid.headers().orElse(null)),
              apiKey);
      default ->
          build(
              OpenAiException.Kind.OTHER,
              "OpenAI " + model + " call failed: " + Failures.describe(error),
              error,
              0,
              null,
              null,
              null,
              null,
              Map.of(),
              apiKey);
    };
  }

  /** The stream ended without a finish reason: the answer is incomplete. */
  static OpenAiException truncated(String model, @Nullable String apiKey) {
    return build(
        OpenAiException.Kind.STREAM_INTERRUPTED,
        "OpenAI " + model + " stream ended before the answer was finished (no finish_reason)",
        null,
        0,
        null,
        null,
        null,
        null,
        Map.of(),
        apiKey);
  }

  /** The Responses stream ended without its terminal event: the answer is incomplete. */
  static OpenAiException truncated(
      String model, String missing, Map<String, List<String>> headers, @Nullable String apiKey) {
    return build(
        OpenAiException.Kind.STREAM_INTERRUPTED,
        "OpenAI " + model + " stream ended before the answer was finished (no " + missing + ")",
        null,
        0,
        null,
        null,
        null,
        null,
        headers,
        apiKey);
  }

  /**
   * The server reported a failure inside a stream that had started well (a Responses {@code error}
   * event or {@code response.failed}).
   *
   * @param event the event that said so, named in the message
   */
  static OpenAiException streamFailed(
      String model,
      String event,
      @Nullable String code,
      @Nullable String vendorMessage,
      @Nullable String param,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    StringBuilder message =
        new StringBuilder("OpenAI ")
            .append(model)
            .append(" sent ")
            .append(event)
            .append(" in the stream");
    if (code != null) {
      message.append(" (").append(code).append(')');
    }
    message.append(": ").append(vendorMessage != null ? vendorMessage : "no error message");
    return build(
        OpenAiException.Kind.STREAM_ERROR,
        message.toString(),
        null,
        200,
        null,
        code,
        param,
        vendorMessage,
        headers,
        apiKey);
  }

  /** Headers by lower-case name, as every {@link OpenAiException} carries them. */
  static Map<String, List<String>> headersOf(@Nullable Headers headers) {
    return headers(headers);
  }

  /** The server's error event ({@code data: {"error": ...}}) in a Chat Completions stream. */
  static OpenAiException streamError(
      String model,
      @Nullable String type,
      @Nullable String code,
      @Nullable String param,
      @Nullable String vendorMessage,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    StringBuilder message =
        new StringBuilder("OpenAI ").append(model).append(" sent an error in the stream");
    if (type != null || code != null) {
      message
          .append(" (")
          .append(type == null ? "" : type)
          .append(type != null && code != null ? ", " : "")
          .append(code == null ? "" : code)
          .append(')');
    }
    message.append(": ").append(vendorMessage != null ? vendorMessage : "no error message");
    return build(
        OpenAiException.Kind.STREAM_ERROR,
        message.toString(),
        null,
        200,
        type,
        code,
        param,
        vendorMessage,
        headers,
        apiKey);
  }

  /**
   * A successful answer that is not an event stream ({@code problem} says what came instead, as
   * {@link dev.genaiprocessors.model.EventStreams} words it): not retryable, since the same request
   * through the same network gets the same page.
   */
  static OpenAiException notAnEventStream(
      String model,
      @Nullable String problem,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    return build(
        OpenAiException.Kind.INVALID_RESPONSE,
        "OpenAI " + model + " " + problem,
        null,
        200,
        null,
        null,
        null,
        null,
        headers,
        apiKey);
  }

  /** The {@code Content-Type} of headers by lower-case name, or null when there was none. */
  static @Nullable String contentType(Map<String, List<String>> headers) {
    return first(headers, "content-type");
  }

  /** An event of a Chat Completions stream that is not a chunk. */
  static OpenAiException malformed(
      String model,
      @Nullable String problem,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    return malformed(model, "Chat Completions", problem, headers, apiKey);
  }

  /** An event of a stream of the API named {@code api} that is not one of its events. */
  static OpenAiException malformed(
      String model,
      String api,
      @Nullable String problem,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    return build(
        OpenAiException.Kind.INVALID_RESPONSE,
        "OpenAI " + model + " sent data that is not the " + api + " format: " + problem,
        null,
        0,
        null,
        null,
        null,
        null,
        headers,
        apiKey);
  }

  /**
   * The call's {@link OpenAiModel.Builder#timeout} passed, in an attempt, between attempts or while
   * the answer streamed; the message names the timeout.
   */
  static OpenAiException timedOut(
      String model,
      dev.genaiprocessors.model.CallDeadline.Exceeded error,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    return build(
        OpenAiException.Kind.TIMEOUT,
        "OpenAI " + model + " timed out: " + error.getMessage(),
        error,
        0,
        null,
        null,
        null,
        null,
        headers,
        apiKey);
  }

  /** The connection failed or timed out while the answer was streaming. */
  static OpenAiException broken(
      String model,
      java.io.IOException error,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    boolean timeout = error instanceof InterruptedIOException;
    OpenAiException.Kind kind =
        timeout ? OpenAiException.Kind.TIMEOUT : OpenAiException.Kind.STREAM_INTERRUPTED;
    return build(
        kind,
        "OpenAI "
            + model
            + (timeout ? " timed out: " : " stream was cut off: ")
            + Failures.describe(error),
        error,
        0,
        null,
        null,
        null,
        null,
        headers,
        apiKey);
  }

  static OpenAiException invalid(String model, String problem, @Nullable String apiKey) {
    return build(
        OpenAiException.Kind.INVALID_RESPONSE,
        "OpenAI " + model + ": " + problem,
        null,
        0,
        null,
        null,
        null,
        null,
        Map.of(),
        apiKey);
  }

  private static OpenAiException service(
      OpenAIServiceException e, String model, @Nullable String apiKey) {
    int status = e.statusCode();
    String type = e.type().orElse(null);
    String code = e.code().orElse(null);
    boolean sse = e instanceof SseException;
    OpenAiException.Kind kind =
        sse
            ? OpenAiException.Kind.STREAM_ERROR
            : switch (status) {
              case 400, 409, 422 -> OpenAiException.Kind.BAD_REQUEST;
              case 401 -> OpenAiException.Kind.AUTHENTICATION;
              case 403 -> OpenAiException.Kind.PERMISSION_DENIED;
              case 404 -> OpenAiException.Kind.NOT_FOUND;
              case 408 -> OpenAiException.Kind.TIMEOUT;
              case 429 ->
                  "insufficient_quota".equals(code)
                      ? OpenAiException.Kind.QUOTA_EXCEEDED
                      : OpenAiException.Kind.RATE_LIMITED;
              default ->
                  status >= 500 ? OpenAiException.Kind.SERVER_ERROR : OpenAiException.Kind.OTHER;
            };
    String vendorMessage = vendorMessage(e.body());
    StringBuilder message =
        new StringBuilder("OpenAI ")
            .append(model)
            .append(sse ? " sent an error in the stream" : " answered " + status);
    if (type != null || code != null) {
      message
          .append(" (")
          .append(type == null ? "" : type)
          .append(type != null && code != null ? ", " : "")
          .append(code == null ? "" : code)
          .append(')');
    }
    message.append(": ").append(vendorMessage != null ? vendorMessage : "no error message");
    Map<String, List<String>> headers = headers(e.headers());
    return build(
        kind,
        message.toString(),
        e,
        status,
        type,
        code,
        e.param().orElse(null),
        vendorMessage,
        headers,
        apiKey);
  }

  private static OpenAiException build(
      OpenAiException.Kind kind,
      String message,
      @Nullable Throwable cause,
      int status,
      @Nullable String type,
      @Nullable String code,
      @Nullable String param,
      @Nullable String vendorMessage,
      Map<String, List<String>> headers,
      @Nullable String apiKey) {
    String requestId = first(headers, "x-request-id");
    String requestSuffix = requestId == null ? "" : " [request " + requestId + "]";
    boolean causeLeaks = Secrets.appearsIn(cause, apiKey);
    OpenAiException result =
        new OpenAiException(
            redact(message + requestSuffix, apiKey),
            causeLeaks ? null : cause,
            kind,
            status,
            type,
            code,
            param,
            vendorMessage == null ? null : redact(vendorMessage, apiKey),
            requestId,
            retryAfter(headers),
            shouldRetry(headers),
            headers);
    return result;
  }

  private static @Nullable String vendorMessage(JsonValue body) {
    JsonField<?> field = body; // JsonValue extends the raw JsonField: view it typed
    Optional<Map<String, JsonValue>> object = field.asObject();
    if (object.isPresent()) {
      JsonValue message = object.get().get("message");
      if (message == null) {
        message = object.get().get("error"); // {"error":"server busy"} (Ollama)
      }
      return message == null ? null : string(message);
    }
    return field.asString().orElse(null);
  }

  /** The text of a JSON string, or the JSON of anything else. */
  static String string(JsonValue value) {
    JsonField<?> field = value;
    return field.asString().orElseGet(value::toString);
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

  /** {@code retry-after-ms}, else {@code retry-after} as seconds or an HTTP date. */
  static @Nullable Duration retryAfter(Map<String, List<String>> headers) {
    return RetryAdvice.waitFromHeaders(name -> first(headers, name), Clock.systemUTC());
  }

  private static @Nullable Boolean shouldRetry(Map<String, List<String>> headers) {
    return RetryAdvice.shouldRetryHeader(first(headers, "x-should-retry"));
  }

  static String redact(String text, @Nullable String apiKey) {
    return Secrets.redact(text, apiKey);
  }
}
