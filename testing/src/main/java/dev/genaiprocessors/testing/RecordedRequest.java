package dev.genaiprocessors.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request as a local vendor server ({@link OpenAiServer}, {@link AnthropicServer}, {@link
 * GeminiServer}) received it: method, path, headers and body bytes.
 *
 * <pre>{@code
 * RecordedRequest request = server.lastRequest();
 * assertThat(request.header("authorization")).isEqualTo("Bearer sk-test");
 * assertThat(request.json().at("/messages/0/role").asText()).isEqualTo("user");
 * }</pre>
 *
 * <p>Immutable. {@link #toString()} never shows the values of the headers that carry keys ({@code
 * Authorization}, {@code x-goog-api-key}, {@code x-api-key}).
 */
public final class RecordedRequest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String method;
  private final String path;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  RecordedRequest(String method, String path, Map<String, List<String>> headers, byte[] body) {
    this.method = method;
    this.path = path;
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    this.headers = Collections.unmodifiableMap(copy);
    this.body = body;
  }

  /** The HTTP method ({@code POST}, ...). */
  public String method() {
    return method;
  }

  /** The request target: the path and query, for example {@code /v1/chat/completions}. */
  public String path() {
    return path;
  }

  /** Every header, by name, case-insensitively, in the order received per name. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of the header {@code name} (any case), or {@code null} when absent. */
  public @Nullable String header(String name) {
    List<String> values = headers.get(Objects.requireNonNull(name, "name"));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** A copy of the body's bytes. */
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * The body parsed as JSON.
   *
   * @throws IllegalStateException when the body is not JSON
   */
  public JsonNode json() {
    try {
      return MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("request body is not JSON: " + abbreviate(bodyText()), e);
    }
  }

  /** The {@code messages} of a chat completion request, in order. */
  public List<JsonNode> messages() {
    List<JsonNode> messages = new ArrayList<>();
    json().path("messages").forEach(messages::add);
    return messages;
  }

  /** The {@code input} items of a Responses API request, in order (empty when it is a string). */
  public List<JsonNode> input() {
    List<JsonNode> items = new ArrayList<>();
    JsonNode input = json().path("input");
    if (input.isArray()) {
      input.forEach(items::add);
    }
    return items;
  }

  /** Whether the request asked for a streamed answer ({@code "stream":true}). */
  public boolean isStreaming() {
    return json().path("stream").asBoolean(false);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("RecordedRequest[").append(method).append(' ').append(path);
    headers.forEach(
        (name, values) ->
            s.append(", ")
                .append(name)
                .append('=')
                .append(isSecret(name) ? "<redacted>" : String.join(",", values)));
    return s.append(", body=").append(abbreviate(bodyText())).append(']').toString();
  }

  private static boolean isSecret(String header) {
    return header.equalsIgnoreCase("authorization")
        || header.equalsIgnoreCase("x-goog-api-key")
        || header.equalsIgnoreCase("x-api-key");
  }

  static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
