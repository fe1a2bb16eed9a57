package dev.genaiprocessors.model;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a failure says about trying again, for retry decorators that do not know the service that
 * failed.
 *
 * <p>Model processors and service clients throw exceptions that implement this interface: the
 * OpenAI, Anthropic and Gemini processors, for example, read the vendor's status, its {@code
 * retry-after} headers or its {@code RetryInfo} and answer here. A retry decorator (such as the
 * {@code resilience} module's) retries only what {@link #isRetryable()} allows, and waits at least
 * {@link #retryAfter()} when the service named a wait. The decorator finds the advice anywhere in a
 * failure's cause chain.
 *
 * <pre>{@code
 * catch (RuntimeException e) {
 *   if (e instanceof RetryAdvice advice && advice.isRetryable()) {
 *     Duration wait = advice.retryAfter();   // null: use your own backoff
 *   }
 * }
 * }</pre>
 */
public interface RetryAdvice {

  /**
   * Whether the same call may succeed if tried again: true for rate limits, overload, server
   * errors, broken connections and timeouts; false for bad requests, bad credentials and an
   * exhausted quota.
   */
  boolean isRetryable();

  /**
   * How long the service asked the caller to wait before trying again; null when it did not say.
   */
  @Nullable Duration retryAfter();

  /**
   * The first {@link RetryAdvice} in {@code failure}'s cause chain (the failure itself included),
   * or null when none gives advice.
   */
  static @Nullable RetryAdvice of(@Nullable Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof RetryAdvice advice) {
        return advice;
      }
    }
    return null;
  }

  /**
   * What an {@code x-should-retry} header value says (OpenAI and Anthropic send it): {@code TRUE}
   * for {@code true}, {@code FALSE} for {@code false}, in any case and with spaces around; null for
   * anything else or no value.
   */
  static @Nullable Boolean shouldRetryHeader(@Nullable String value) {
    if (value == null) {
      return null;
    }
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> null;
    };
  }

  /**
   * The wait an HTTP answer's headers ask for: {@code retry-after-ms} (milliseconds, as OpenAI and
   * Anthropic send it), else {@code Retry-After} in seconds (possibly fractional) or as an HTTP
   * date (RFC 9110, section 10.2.3), measured against {@code clock}; null when neither says
   * anything usable. A date in the past is a wait of zero.
   *
   * @param header the value of a header by name (case as the caller stores them), or null
   */
  static @Nullable Duration waitFromHeaders(
      Function<String, @Nullable String> header, Clock clock) {
    String millis = header.apply("retry-after-ms");
    if (millis != null) {
      Duration wait = RetryWaits.seconds(millis.strip(), 0.001);
      if (wait != null) {
        return wait;
      }
    }
    String after = header.apply("retry-after");
    if (after == null) {
      return null;
    }
    Duration seconds = RetryWaits.seconds(after.strip(), 1.0);
    if (seconds != null) {
      return seconds;
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(after.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), at.toInstant());
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
