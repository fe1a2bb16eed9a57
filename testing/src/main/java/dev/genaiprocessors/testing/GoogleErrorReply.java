package dev.genaiprocessors.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scripted HTTP error in Google's shape: the status code and the JSON body {@code
 * {"error":{"code":...,"message":...,"status":...,"details":[...]}}}, where the details may hold a
 * {@code google.rpc.QuotaFailure} (which quota ran out) and a {@code google.rpc.RetryInfo} (how
 * long to wait: Gemini's only retry hint, in the body, not in a header).
 *
 * <pre>{@code
 * server.enqueue(GeminiReply.error(429, "You exceeded your current quota")
 *     .quotaFailure("generativelanguage.googleapis.com/generate_content_free_tier_requests",
 *         "GenerateRequestsPerMinutePerProjectPerModel-FreeTier")
 *     .retryDelay("34s"));
 * server.enqueue(GeminiReply.error(503, "The model is overloaded. Please try again later."));
 * }</pre>
 *
 * <p>Immutable: every method returns a copy.
 */
public final class GoogleErrorReply implements GeminiReply {
  /** One {@code QuotaFailure} violation. */
  record Violation(String quotaMetric, String quotaId) {}

  final int code;
  final String message;
  final String status;
  final List<Violation> violations;
  final @Nullable String retryDelay;
  final @Nullable String rawBody;
  final Duration firstByteDelay;
  final Map<String, String> headers;

  private GoogleErrorReply(
      int code,
      String message,
      String status,
      List<Violation> violations,
      @Nullable String retryDelay,
      @Nullable String rawBody,
      Duration firstByteDelay,
      Map<String, String> headers) {
    this.code = code;
    this.message = message;
    this.status = status;
    this.violations = List.copyOf(violations);
    this.retryDelay = retryDelay;
    this.rawBody = rawBody;
    this.firstByteDelay = firstByteDelay;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /**
   * An error with this HTTP status code and message; the {@code status} string is Google's for the
   * code (see {@link GeminiReply#error}).
   *
   * @throws IllegalArgumentException if {@code code} is not in [400, 599]
   */
  public static GoogleErrorReply of(int code, String message) {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("error code must be in [400, 599] but was " + code);
    }
    Objects.requireNonNull(message, "message");
    return new GoogleErrorReply(
        code, message, statusOf(code), List.of(), null, null, Duration.ZERO, Map.of());
  }

  /** Google's canonical status string for an HTTP status code. */
  static String statusOf(int code) {
    return switch (code) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> code >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    };
  }

  /** A copy with this {@code error.status} instead of the one the code implies. */
  public GoogleErrorReply status(String status) {
    return new GoogleErrorReply(
        code,
        message,
        Objects.requireNonNull(status, "status"),
        violations,
        retryDelay,
        rawBody,
        firstByteDelay,
        headers);
  }

  /**
   * A copy whose details hold a {@code google.rpc.QuotaFailure} with one more violation. A {@code
   * quotaId} containing {@code PerDay} (such as {@code
   * GenerateRequestsPerDayPerProjectPerModel-FreeTier}) says the daily quota is spent.
   */
  public GoogleErrorReply quotaFailure(String quotaMetric, String quotaId) {
    List<Violation> copy = new ArrayList<>(violations);
    copy.add(
        new Violation(
            Objects.requireNonNull(quotaMetric, "quotaMetric"),
            Objects.requireNonNull(quotaId, "quotaId")));
    return new GoogleErrorReply(
        code, message, status, copy, retryDelay, rawBody, firstByteDelay, headers);
  }

  /**
   * A copy whose details hold a {@code google.rpc.RetryInfo} with this {@code retryDelay}, a proto
   * Duration as text ({@code "34s"}, {@code "1.5s"}), written as given.
   */
  public GoogleErrorReply retryDelay(String retryDelay) {
    return new GoogleErrorReply(
        code,
        message,
        status,
        violations,
        Objects.requireNonNull(retryDelay, "retryDelay"),
        rawBody,
        firstByteDelay,
        headers);
  }

  /** A copy whose body is exactly {@code body} instead of Google's error object. */
  public GoogleErrorReply rawBody(String body) {
    return new GoogleErrorReply(
        code,
        message,
        status,
        violations,
        retryDelay,
        Objects.requireNonNull(body, "body"),
        firstByteDelay,
        headers);
  }

  /** A copy that waits this long before sending anything. */
  public GoogleErrorReply firstByteDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("firstByteDelay must not be negative but was " + delay);
    }
    return new GoogleErrorReply(
        code, message, status, violations, retryDelay, rawBody, delay, headers);
  }

  /** A copy with one more response header (replacing one of the same name). */
  public GoogleErrorReply header(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new GoogleErrorReply(
        code, message, status, violations, retryDelay, rawBody, firstByteDelay, copy);
  }

  /** The body as Google writes it: JSON indented by two spaces, then a newline. */
  String body() {
    if (rawBody != null) {
      return rawBody;
    }
    StringBuilder s =
        new StringBuilder("{\n  \"error\": {\n")
            .append("    \"code\": ")
            .append(code)
            .append(",\n")
            .append("    \"message\": ")
            .append(ChatRendering.quote(message))
            .append(",\n")
            .append("    \"status\": ")
            .append(ChatRendering.quote(status));
    List<String> details = new ArrayList<>();
    if (!violations.isEmpty()) {
      StringBuilder d =
          new StringBuilder(
              "      {\n        \"@type\": "
                  + "\"type.googleapis.com/google.rpc.QuotaFailure\",\n        \"violations\": [\n");
      for (int i = 0; i < violations.size(); i++) {
        Violation v = violations.get(i);
        d.append("          {\n            \"quotaMetric\": ")
            .append(ChatRendering.quote(v.quotaMetric()))
            .append(",\n            \"quotaId\": ")
            .append(ChatRendering.quote(v.quotaId()))
            .append("\n          }")
            .append(i + 1 < violations.size() ? ",\n" : "\n");
      }
      details.add(d.append("        ]\n      }").toString());
    }
    if (retryDelay != null) {
      details.add(
          "      {\n        \"@type\": \"type.googleapis.com/google.rpc.RetryInfo\",\n"
              + "        \"retryDelay\": "
              + ChatRendering.quote(retryDelay)
              + "\n      }");
    }
    if (!details.isEmpty()) {
      s.append(",\n    \"details\": [\n").append(String.join(",\n", details)).append("\n    ]");
    }
    return s.append("\n  }\n}\n").toString();
  }

  @Override
  public String toString() {
    return "GoogleErrorReply["
        + code
        + " "
        + status
        + ": "
        + message
        + (retryDelay == null ? "" : ", retryDelay=" + retryDelay)
        + "]";
  }
}
