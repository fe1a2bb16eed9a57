package dev.genaiprocessors.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One answer of an {@link AwsJsonServer}: a status, a JSON body in the AWS JSON 1.1 protocol's
 * shape, and extra headers. A success is PascalCase JSON ({@code {"Sentiment":"POSITIVE",...}}); an
 * error is {@code {"__type":"<ErrorCode>","Message":"..."}} with the status AWS sends for it, which
 * the official SDK turns into the service's typed exception.
 *
 * <pre>{@code
 * server.enqueue(AwsJsonReply.throttling());                     // 400 ThrottlingException
 * server.enqueue(AwsJsonReply.error(500, "InternalServerException", "try again"));
 * server.enqueue(AwsJsonReply.of(Map.of("Languages", List.of(Map.of("LanguageCode", "fr",
 *     "Score", 0.97)))));
 * }</pre>
 *
 * <p>Every reply is sent with {@code Content-Type: application/x-amz-json-1.1} and an {@code
 * x-amzn-RequestId} header (a fresh id unless {@link #withRequestId} sets one). Immutable.
 */
public final class AwsJsonReply {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final int status;
  final byte[] body;
  final Map<String, String> headers;
  final @Nullable String requestId;

  private AwsJsonReply(
      int status, byte[] body, Map<String, String> headers, @Nullable String requestId) {
    this.status = status;
    this.body = body;
    this.headers = Map.copyOf(headers);
    this.requestId = requestId;
  }

  /** A 200 answer whose body is {@code json}, sent as it is. */
  public static AwsJsonReply json(String json) {
    Objects.requireNonNull(json, "json");
    return new AwsJsonReply(200, json.getBytes(StandardCharsets.UTF_8), Map.of(), null);
  }

  /**
   * A 200 answer whose body is {@code value} written as JSON (maps, lists, strings, numbers).
   *
   * @throws IllegalArgumentException if Jackson cannot write {@code value}
   */
  public static AwsJsonReply of(Object value) {
    Objects.requireNonNull(value, "value");
    try {
      return new AwsJsonReply(200, MAPPER.writeValueAsBytes(value), Map.of(), null);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass() + " as JSON", e);
    }
  }

  /**
   * An AWS error: {@code status} with {@code {"__type": type, "Message": message}}.
   *
   * @throws IllegalArgumentException if {@code status} is not in [400, 599]
   */
  public static AwsJsonReply error(int status, String type, String message) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be in [400, 599] but was " + status);
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(message, "message");
    Map<String, String> body = new LinkedHashMap<>();
    body.put("__type", type);
    body.put("Message", message);
    try {
      return new AwsJsonReply(status, MAPPER.writeValueAsBytes(body), Map.of(), null);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings is always JSON", e);
    }
  }

  /** AWS's rate limit answer: 400 {@code ThrottlingException}, "Rate exceeded". */
  public static AwsJsonReply throttling() {
    return error(400, "ThrottlingException", "Rate exceeded");
  }

  /** A copy that also sends the header {@code name: value} (for example {@code Retry-After}). */
  public AwsJsonReply withHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new AwsJsonReply(status, body, copy, requestId);
  }

  /** A copy sent with this {@code x-amzn-RequestId} instead of a fresh one. */
  public AwsJsonReply withRequestId(String requestId) {
    return new AwsJsonReply(status, body, headers, Objects.requireNonNull(requestId, "requestId"));
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The body as text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "AwsJsonReply[" + status + ", " + RecordedRequest.abbreviate(bodyText()) + "]";
  }
}
