package dev.genaiprocessors.resilience;

import dev.genaiprocessors.model.RetryAdvice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP call was answered with an error status. Integrations throw it (the {@code http} module
 * does; so can a model processor wrapping an SDK's error) so that {@link Resilience} can decide
 * from the status and the headers whether and when to retry:
 *
 * <ul>
 *   <li>retried: 408, 429 and 5xx; 409 and any other status only when the server sends {@code
 *       x-should-retry: true}; never when it sends {@code x-should-retry: false};
 *   <li>waiting as asked by {@code retry-after-ms}, {@code Retry-After} (seconds or an HTTP-date)
 *       or, in the body, Gemini's {@code RetryInfo.retryDelay};
 *   <li>failing fast on a quota that will not come back soon (a per-day quota, OpenAI's {@code
 *       insufficient_quota}).
 * </ul>
 *
 * <p>The message names the status, the URL as given (the thrower removes secrets from it) and the
 * start of the body. The body is kept up to {@value #MAX_BODY_CHARS} characters.
 */
public final class HttpStatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How much of the error body is kept. */
  public static final int MAX_BODY_CHARS = 8192;

  /** How much of the error body the message shows. */
  static final int MESSAGE_BODY_CHARS = 200;

  private final int status;
  private final String url;
  private final transient Map<String, List<String>> headers;
  private final String body;
  private final @Nullable String requestId;

  /**
   * An error answer.
   *
   * @param status the HTTP status code
   * @param url the request's URL, already free of secrets (it goes into the message)
   * @param headers the response headers (names are matched case-insensitively)
   * @param body the response body; only its first {@value #MAX_BODY_CHARS} characters are kept
   * @param requestId the server's id of the request, if it gave one
   */
  public HttpStatusException(
      int status,
      String url,
      Map<String, List<String>> headers,
      String body,
      @Nullable String requestId) {
    super(describe(status, url, body));
    this.status = status;
    this.url = url;
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Objects.requireNonNull(headers, "headers")
        .forEach((name, values) -> copy.put(name, List.copyOf(values)));
    this.headers = Collections.unmodifiableMap(copy);
    this.body = body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) : body;
    this.requestId = requestId;
  }

  private static String describe(int status, String url, String body) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(body, "body");
    String start = body.strip().replaceAll("\\s+", " ");
    if (start.length() > MESSAGE_BODY_CHARS) {
      start = start.substring(0, MESSAGE_BODY_CHARS) + "...";
    }
    return "HTTP " + status + " from " + url + (start.isEmpty() ? "" : ": " + start);
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** The request's URL, free of secrets. */
  public String url() {
    return url;
  }

  /** The response headers, names case-insensitive. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of the header {@code name} (case-insensitive), or null. */
  public @Nullable String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  /** The start of the response body (up to {@value #MAX_BODY_CHARS} characters). */
  public String body() {
    return body;
  }

  /** The server's id of the request, if it gave one. */
  public @Nullable String requestId() {
    return requestId;
  }

  /**
   * What the server's {@code x-should-retry} header says: {@code TRUE}, {@code FALSE}, or null when
   * it says nothing.
   */
  public @Nullable Boolean shouldRetry() {
    return RetryAdvice.shouldRetryHeader(header("x-should-retry"));
  }

  /** The header names, for diagnostics. */
  List<String> headerNames() {
    return new ArrayList<>(headers.keySet());
  }
}
