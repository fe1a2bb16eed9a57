package dev.genaiprocessors.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One answer of a {@link ScriptedHttpServer}: a status, headers and a body sent in chunks, after a
 * delay, with a pause between chunks, and optionally a connection cut before the body is complete.
 * Immutable; each {@code with...} method returns a copy.
 *
 * <pre>{@code
 * ScriptedResponse.status(429).withHeader("Retry-After", "2").withBody("{\"error\":\"slow down\"}");
 * ScriptedResponse.ok().withChunks(List.of("a\n", "b\n", "c\n")).cutAfterChunks(3);
 * }</pre>
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param chunks the body, sent chunk by chunk (flushed after each)
 * @param delay how long to wait before sending the status line
 * @param betweenChunks how long to wait between two chunks
 * @param cut whether to drop the connection after the chunks instead of ending the body
 */
public record ScriptedResponse(
    int status,
    Map<String, String> headers,
    List<byte[]> chunks,
    Duration delay,
    Duration betweenChunks,
    boolean cut) {

  /** Copies the headers and chunks. */
  public ScriptedResponse {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status must be in [100, 999] but was " + status);
    }
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    chunks = chunks.stream().map(byte[]::clone).toList();
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(betweenChunks, "betweenChunks");
  }

  /** An empty answer with {@code status}. */
  public static ScriptedResponse status(int status) {
    return new ScriptedResponse(status, Map.of(), List.of(), Duration.ZERO, Duration.ZERO, false);
  }

  /** An empty 200 answer. */
  public static ScriptedResponse ok() {
    return status(200);
  }

  /** A 200 answer with a JSON body. */
  public static ScriptedResponse json(String json) {
    return ok().withHeader("Content-Type", "application/json").withBody(json);
  }

  /** A copy with the header {@code name} set to {@code value}. */
  public ScriptedResponse withHeader(String name, String value) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put(name, value);
    return new ScriptedResponse(status, all, chunks, delay, betweenChunks, cut);
  }

  /** A copy whose body is {@code body} as UTF-8, in one chunk. */
  public ScriptedResponse withBody(String body) {
    return withChunks(List.of(body));
  }

  /** A copy whose body is {@code chunks} as UTF-8, sent one by one. */
  public ScriptedResponse withChunks(List<String> chunks) {
    List<byte[]> bytes = new ArrayList<>();
    for (String chunk : chunks) {
      bytes.add(chunk.getBytes(StandardCharsets.UTF_8));
    }
    return new ScriptedResponse(status, headers, bytes, delay, betweenChunks, cut);
  }

  /** A copy that waits {@code delay} before answering. */
  public ScriptedResponse withDelay(Duration delay) {
    return new ScriptedResponse(status, headers, chunks, delay, betweenChunks, cut);
  }

  /** A copy that waits {@code pause} between chunks. */
  public ScriptedResponse withPauseBetweenChunks(Duration pause) {
    return new ScriptedResponse(status, headers, chunks, delay, pause, cut);
  }

  /** A copy that sends its chunks and then drops the connection, the body unfinished. */
  public ScriptedResponse cutAfterChunks() {
    return new ScriptedResponse(status, headers, chunks, delay, betweenChunks, true);
  }
}
