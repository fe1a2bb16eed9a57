package dev.genaiprocessors.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genaiprocessors.model.RetryAdvice;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** What an error answer says about retrying: how long to wait, and whether it is worth it. */
final class RetryHints {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RetryHints() {}

  /** Whether the built-in rules retry {@code error}. */
  static boolean retryable(Throwable error) {
    if (!(error instanceof HttpStatusException)) {
      RetryAdvice advice = RetryAdvice.of(error);
      if (advice != null) {
        return advice.isRetryable();
      }
    }
    return switch (error) {
      case RejectedCallException rejected -> false;
      case HttpStatusException http -> {
        Boolean should = http.shouldRetry();
        if (should != null) {
          yield should;
        }
        int status = http.status();
        yield status == 408 || status == 429 || status >= 500;
      }
      case PartTimeoutException timeout -> true;
      case java.io.IOException io -> true;
      case java.io.UncheckedIOException io -> true;
      default -> false;
    };
  }

  /**
   * How long the server asks to wait: {@code retry-after-ms}, else {@code Retry-After} (seconds,
   * possibly fractional, or an HTTP-date), else Gemini's {@code RetryInfo.retryDelay} in the body;
   * null when it does not say.
   */
  static @Nullable Duration serverWait(HttpStatusException error, Clock clock) {
    Duration wait = RetryAdvice.waitFromHeaders(error::header, clock);
    return wait != null ? wait : retryDelay(error.body());
  }

  private static @Nullable Duration seconds(String value, double unitSeconds) {
    try {
      double amount = Double.parseDouble(value);
      if (!(amount >= 0) || Double.isInfinite(amount)) {
        return null;
      }
      return Duration.ofNanos(Math.round(amount * unitSeconds * 1e9));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Gemini's {@code error.details[@type=...RetryInfo].retryDelay}, a proto duration ("34s"). */
  static @Nullable Duration retryDelay(String body) {
    JsonNode details = errorDetails(body);
    for (JsonNode detail : details) {
      if (detail.path("@type").asText().endsWith("google.rpc.RetryInfo")) {
        String delay = detail.path("retryDelay").asText("");
        if (delay.endsWith("s")) {
          return seconds(delay.substring(0, delay.length() - 1), 1.0);
        }
      }
    }
    return null;
  }

  /**
   * Why retrying cannot help soon, or null: OpenAI's {@code insufficient_quota}, or a Gemini quota
   * counted per day.
   */
  static @Nullable String exhaustedQuota(HttpStatusException error) {
    if (error.status() != 429 && error.status() != 403) {
      return null;
    }
    String body = error.body();
    if (body.contains("insufficient_quota")) {
      return "the account's quota is exhausted (insufficient_quota)";
    }
    for (JsonNode detail : errorDetails(body)) {
      if (detail.path("@type").asText().endsWith("google.rpc.QuotaFailure")) {
        for (JsonNode violation : detail.path("violations")) {
          String quotaId = violation.path("quotaId").asText("");
          if (quotaId.toLowerCase(Locale.ROOT).contains("perday")) {
            return "the daily quota " + quotaId + " is exhausted";
          }
        }
      }
    }
    return null;
  }

  private static JsonNode errorDetails(String body) {
    if (body.isEmpty() || (body.charAt(0) != '{' && !body.strip().startsWith("{"))) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(body).path("error").path("details");
    } catch (java.io.IOException | RuntimeException e) {
      // A truncated or non-JSON body simply gives no hint.
      return JSON.missingNode();
    }
  }
}
