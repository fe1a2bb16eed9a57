package dev.genaiprocessors.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.errors.ApiException;
import com.google.genai.errors.GenAiIOException;
import dev.genaiprocessors.model.Failures;
import dev.genaiprocessors.model.Secrets;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Translates the SDK's exceptions into {@link GeminiException}s, keeping the API key out. */
final class Errors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Errors() {}

  /** What an error body's {@code error} object says. */
  record Details(
      @Nullable Integer code,
      @Nullable String status,
      @Nullable String message,
      @Nullable Duration retryDelay,
      List<String> quotaIds) {
    static final Details NONE = new Details(null, null, null, null, List.of());
  }

  /**
   * The typed exception for {@code error}, thrown while calling {@code model}.
   *
   * @param errorBody the HTTP error body the call received, when one was captured
   * @param answering whether the response had started (the HTTP status was 200)
   */
  static GeminiException translate(
      RuntimeException error,
      String model,
      boolean answering,
      @Nullable String errorBody,
      @Nullable String apiKey) {
    if (error instanceof ApiException api) {
      Details details = errorBody == null ? Details.NONE : details(errorBody);
      int code = api.code();
      String googleStatus = details.status() != null ? details.status() : api.status();
      String vendorMessage = details.message() != null ? details.message() : api.message();
      if (answering && errorBody == null) {
        return inStream(code, googleStatus, vendorMessage, error, model, apiKey);
      }
      GeminiException.Kind kind = kind(code, details);
      String message =
          "Gemini "
              + model
              + " answered "
              + code
              + (googleStatus == null ? "" : " " + googleStatus)
              + ": "
              + orNone(vendorMessage)
              + (kind == GeminiException.Kind.QUOTA_EXCEEDED
                  ? " (daily quota " + String.join(", ", details.quotaIds()) + ")"
                  : "");
      return build(
          kind,
          message,
          error,
          code,
          googleStatus,
          vendorMessage,
          details.retryDelay(),
          details.quotaIds(),
          null,
          apiKey);
    }
    if (error instanceof GenAiIOException io) {
      if (Failures.causedBy(io, JsonProcessingException.class)) {
        return invalid(
            model,
            "sent data that is not a GenerateContentResponse: " + Failures.describe(io),
            io,
            apiKey);
      }
      if (answering) {
        return streamFailed(io, model, apiKey);
      }
      GeminiException.Kind kind =
          Failures.causedBy(io, InterruptedIOException.class)
              ? GeminiException.Kind.TIMEOUT
              : GeminiException.Kind.CONNECTION_FAILED;
      return build(
          kind,
          "Gemini "
              + model
              + (kind == GeminiException.Kind.TIMEOUT ? " timed out: " : " connection failed: ")
              + Failures.describe(io),
          io,
          0,
          null,
          null,
          null,
          List.of(),
          null,
          apiKey);
    }
    return build(
        GeminiException.Kind.OTHER,
        "Gemini " + model + " call failed: " + Failures.describe(error),
        error,
        0,
        null,
        null,
        null,
        List.of(),
        null,
        apiKey);
  }

  /**
   * The call's {@link GeminiModel.Builder#timeout} passed, in an attempt, between attempts or while
   * the answer streamed; the message names the timeout.
   */
  static GeminiException timedOut(
      String model,
      dev.genaiprocessors.model.CallDeadline.Exceeded error,
      @Nullable String apiKey) {
    return build(
        GeminiException.Kind.TIMEOUT,
        "Gemini " + model + " timed out: " + error.getMessage(),
        error,
        0,
        null,
        null,
        null,
        List.of(),
        null,
        apiKey);
  }

  /** Reading the answer failed after it had started: the stream was cut off, or timed out. */
  static GeminiException streamFailed(Exception error, String model, @Nullable String apiKey) {
    boolean timedOut = Failures.causedBy(error, InterruptedIOException.class);
    return build(
        timedOut ? GeminiException.Kind.TIMEOUT : GeminiException.Kind.STREAM_INTERRUPTED,
        "Gemini "
            + model
            + (timedOut ? " timed out: " : " stream was cut off: ")
            + Failures.describe(error),
        error,
        0,
        null,
        null,
        null,
        List.of(),
        null,
        apiKey);
  }

  /** The server sent an {@code error} object in place of a chunk. */
  static GeminiException inStream(
      int code,
      @Nullable String googleStatus,
      @Nullable String vendorMessage,
      @Nullable Throwable cause,
      String model,
      @Nullable String apiKey) {
    return build(
        GeminiException.Kind.STREAM_ERROR,
        "Gemini "
            + model
            + " sent an error in the stream ("
            + code
            + (googleStatus == null ? "" : " " + googleStatus)
            + "): "
            + orNone(vendorMessage),
        cause,
        code,
        googleStatus,
        vendorMessage,
        null,
        List.of(),
        null,
        apiKey);
  }

  private static String orNone(@Nullable String vendorMessage) {
    return vendorMessage == null || vendorMessage.isEmpty() ? "no error message" : vendorMessage;
  }

  /** The stream ended without a finish reason: the answer is incomplete. */
  static GeminiException truncated(String model, @Nullable String apiKey) {
    return build(
        GeminiException.Kind.STREAM_INTERRUPTED,
        "Gemini " + model + " stream ended before the answer was finished (no finishReason)",
        null,
        0,
        null,
        null,
        null,
        List.of(),
        null,
        apiKey);
  }

  /** The server's answer broke the format. */
  static GeminiException invalid(
      String model, String problem, @Nullable Throwable cause, @Nullable String apiKey) {
    return build(
        GeminiException.Kind.INVALID_RESPONSE,
        "Gemini " + model + " " + problem,
        cause,
        0,
        null,
        null,
        null,
        List.of(),
        null,
        apiKey);
  }

  /**
   * A successful answer that is not an event stream ({@code problem} says what came instead, as
   * {@link dev.genaiprocessors.model.EventStreams} words it): not retryable, since the same request
   * through the same network gets the same page.
   */
  static GeminiException notAnEventStream(String model, String problem, @Nullable String apiKey) {
    return build(
        GeminiException.Kind.INVALID_RESPONSE,
        "Gemini " + model + " " + problem,
        null,
        200,
        null,
        null,
        null,
        List.of(),
        null,
        apiKey);
  }

  /** The prompt was blocked: {@code promptFeedback.blockReason}. */
  static GeminiException blocked(
      String model, String blockReason, @Nullable String blockMessage, @Nullable String apiKey) {
    return build(
        GeminiException.Kind.PROMPT_BLOCKED,
        "Gemini "
            + model
            + " blocked the prompt ("
            + blockReason
            + ")"
            + (blockMessage == null ? "" : ": " + blockMessage),
        null,
        200,
        null,
        blockMessage,
        null,
        List.of(),
        blockReason,
        apiKey);
  }

  private static GeminiException.Kind kind(int code, Details details) {
    return switch (code) {
      case 400, 409, 422 -> GeminiException.Kind.BAD_REQUEST;
      case 401 -> GeminiException.Kind.AUTHENTICATION;
      case 403 -> GeminiException.Kind.PERMISSION_DENIED;
      case 404 -> GeminiException.Kind.NOT_FOUND;
      case 408, 504 -> GeminiException.Kind.TIMEOUT;
      case 429 ->
          details.quotaIds().stream().anyMatch(id -> id.contains("PerDay"))
              ? GeminiException.Kind.QUOTA_EXCEEDED
              : GeminiException.Kind.RATE_LIMITED;
      default -> code >= 500 ? GeminiException.Kind.SERVER_ERROR : GeminiException.Kind.OTHER;
    };
  }

  /** Reads Google's error body; {@link Details#NONE} when it is not one. */
  static Details details(String body) {
    JsonNode error;
    try {
      error = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return Details.NONE;
    }
    if (error != null && error.isArray() && !error.isEmpty()) {
      error = error.get(0); // the JSON-array form of streamGenerateContent
    }
    if (error == null || !error.path("error").isObject()) {
      return Details.NONE;
    }
    error = error.get("error");
    Duration retryDelay = null;
    List<String> quotaIds = new ArrayList<>();
    for (JsonNode detail : error.path("details")) {
      String type = detail.path("@type").asText("");
      if (type.endsWith("google.rpc.RetryInfo")) {
        retryDelay = protoDuration(detail.path("retryDelay").asText(""));
      } else if (type.endsWith("google.rpc.QuotaFailure")) {
        for (JsonNode violation : detail.path("violations")) {
          if (violation.path("quotaId").isTextual()) {
            quotaIds.add(violation.get("quotaId").asText());
          }
        }
      }
    }
    return new Details(
        error.path("code").isInt() ? error.get("code").asInt() : null,
        error.path("status").isTextual() ? error.get("status").asText() : null,
        error.path("message").isTextual() ? error.get("message").asText() : null,
        retryDelay,
        quotaIds);
  }

  /** A proto Duration in its JSON form ({@code "34s"}, {@code "1.5s"}), or null when it is not. */
  static @Nullable Duration protoDuration(String text) {
    String t = text.strip();
    if (!t.endsWith("s")) {
      return null;
    }
    try {
      BigDecimal seconds = new BigDecimal(t.substring(0, t.length() - 1));
      if (seconds.signum() < 0) {
        return null;
      }
      return Duration.ofNanos(seconds.movePointRight(9).longValue());
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  private static GeminiException build(
      GeminiException.Kind kind,
      String message,
      @Nullable Throwable cause,
      int status,
      @Nullable String googleStatus,
      @Nullable String vendorMessage,
      @Nullable Duration retryAfter,
      List<String> quotaIds,
      @Nullable String blockReason,
      @Nullable String apiKey) {
    boolean causeLeaks = Secrets.appearsIn(cause, apiKey);
    return new GeminiException(
        redact(message, apiKey),
        causeLeaks ? null : cause,
        kind,
        status,
        googleStatus,
        vendorMessage == null ? null : redact(vendorMessage, apiKey),
        retryAfter,
        quotaIds,
        blockReason);
  }

  static String redact(String text, @Nullable String apiKey) {
    return Secrets.redact(text, apiKey);
  }
}
