package dev.genaiprocessors.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A local HTTP server that speaks Google's Gemini API ({@code generateContent} and {@code
 * streamGenerateContent}), for tests that must not reach Google: point the official Gen AI SDK (or
 * any Gemini client) at {@link #baseUrl()}, script the answers, and assert on the requests it
 * received.
 *
 * <pre>{@code
 * try (GeminiServer server = GeminiServer.start()) {
 *   server.enqueue(GeminiReply.text("Hel", "lo").usage(12, 3));
 *   server.enqueue(GeminiReply.error(429, "You exceeded your current quota").retryDelay("34s"));
 *
 *   Client client = Client.builder().apiKey("test-key")
 *       .httpOptions(HttpOptions.builder().baseUrl(server.baseUrl()).build()).build();
 *   // ... call it, then:
 *   assertThat(server.lastRequest().header("x-goog-api-key")).isEqualTo("test-key");
 *   assertThat(server.lastRequest().json().at("/contents/0/role").asText()).isEqualTo("user");
 * }
 * }</pre>
 *
 * <p><b>What it answers.</b> {@code POST .../models/{model}:streamGenerateContent?alt=sse} (the
 * Gemini API's {@code /v1beta/models/...} and Vertex AI's {@code
 * /v1/projects/{p}/locations/{l}/publishers/google/models/...} alike) streams the next reply from
 * the queue filled by {@link #enqueue}, or the {@link #replyAlways} reply when the queue is empty,
 * or else a 500 error that says no reply was scripted. Without {@code alt=sse} the same events come
 * as one JSON array, as Google sends them; {@code :generateContent} returns the response as one
 * JSON body. Any other path gets Google's 404 error body. Every request is recorded first, whatever
 * is answered.
 *
 * <p><b>The wire.</b> The server writes HTTP/1.1 by hand over a loopback socket: un-named
 * server-sent events ({@code data: {...}} and a blank line, lines ended by CRLF), one per HTTP
 * chunk, flushed one by one; no {@code [DONE]}: the end of the body ends the answer. Errors are
 * Google's JSON error objects, indented as Google indents them, with {@code QuotaFailure} and
 * {@code RetryInfo} details when scripted. Keep-alive connections.
 *
 * <p><b>Threads.</b> One virtual thread accepts connections and one serves each connection; all
 * belong to the server, and {@link #close()} stops them and waits for them. Scripting and reading
 * the records are safe from any thread.
 */
public final class GeminiServer implements AutoCloseable {
  private static final Pattern ROUTE =
      Pattern.compile(".*/models/([^/:]+):(streamGenerateContent|generateContent)");

  private final LoopbackHttpServer http;
  private final ReplyScript<GeminiReply> script = new ReplyScript<>();
  private final AtomicLong served = new AtomicLong();

  private GeminiServer(int port) {
    http = new LoopbackHttpServer("gemini-server", port, this::respond);
  }

  /** Starts a server on a free loopback port. */
  public static GeminiServer start() {
    return new GeminiServer(0);
  }

  /**
   * Starts a server on the given loopback port (0 for any free one).
   *
   * @throws IllegalArgumentException if {@code port} is not in [0, 65535]
   * @throws UncheckedIOException when the port is taken
   */
  public static GeminiServer start(int port) {
    return new GeminiServer(port);
  }

  /**
   * The base URL to give a client, without a path: {@code http://127.0.0.1:<port>} (the SDK adds
   * {@code /v1beta/models/...} itself).
   */
  public String baseUrl() {
    return "http://" + http.host() + ":" + port();
  }

  /** The port the server listens on. */
  public int port() {
    return http.port();
  }

  /** Queues replies, answered in order, one per generate request. Returns this server. */
  public GeminiServer enqueue(GeminiReply... replies) {
    script.enqueue(replies);
    return this;
  }

  /**
   * The reply for every request that finds the queue empty (none by default). Returns this server.
   */
  public GeminiServer replyAlways(GeminiReply reply) {
    script.replyAlways(reply);
    return this;
  }

  /** How many queued replies are still waiting for a request. */
  public int pendingReplies() {
    return script.pendingReplies();
  }

  /**
   * The requests received since the start (or {@link #clearRequests()}), in arrival order: the most
   * recent 10,000 at most, so a long benchmark holds bounded memory ({@link #requestCount()} counts
   * them all).
   */
  public List<RecordedRequest> requests() {
    return script.requests();
  }

  /** How many requests were received since the start (or {@link #clearRequests()}). */
  public int requestCount() {
    return script.requestCount();
  }

  /**
   * The request received last.
   *
   * @throws IllegalStateException when none was received
   */
  public RecordedRequest lastRequest() {
    return script.lastRequest(baseUrl());
  }

  /** Forgets the requests received so far (long benchmark runs call it to bound memory). */
  public void clearRequests() {
    script.clearRequests();
  }

  /** Stops listening, drops every open connection and waits until every server thread has ended. */
  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "GeminiServer[" + baseUrl() + "]";
  }

  // ---------------------------------------------------------------- serving

  private @Nullable GeminiReply nextReply() {
    return script.nextReply();
  }

  /** Answers one request; returns whether the connection may serve another. */
  private boolean respond(RecordedRequest request, OutputStream out)
      throws IOException, InterruptedException {
    script.record(request);
    long number = served.incrementAndGet();
    String target = request.path();
    int q = target.indexOf('?');
    String route = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    Matcher matcher = ROUTE.matcher(route);
    if (!request.method().equals("POST") || !matcher.matches()) {
      writeError(out, GoogleErrorReply.of(404, "Method not found."));
      return true;
    }
    try {
      request.json();
    } catch (IllegalStateException e) {
      writeError(out, GoogleErrorReply.of(400, "Invalid JSON payload received. Unexpected token."));
      return true;
    }
    GeminiReply reply = nextReply();
    if (reply == null) {
      writeError(
          out,
          GoogleErrorReply.of(
              500,
              "GeminiServer has no reply scripted for request #"
                  + number
                  + " ("
                  + request.method()
                  + " "
                  + route
                  + "): enqueue one or set replyAlways"));
      return true;
    }
    return switch (reply) {
      case GoogleErrorReply error -> {
        HttpWire.sleep(error.firstByteDelay);
        writeError(out, error);
        yield true;
      }
      case RawReply raw -> HttpWire.writeRaw(out, raw);
      case GenerateContentReply content -> {
        String model = matcher.group(1);
        GeminiRendering rendering =
            new GeminiRendering(
                content,
                content.modelVersion != null ? content.modelVersion : model,
                content.responseId != null
                    ? content.responseId
                    : String.format("resp-%06d", number));
        HttpWire.sleep(content.faults.firstByteDelay());
        if (matcher.group(2).equals("generateContent")) {
          writeJson(out, 200, rendering.body(), content.headers);
          yield true;
        }
        List<String> events =
            content.faults.inject(
                content.faults.endEarly(rendering.events()),
                rendering.malformedEvent(),
                rendering.errorEvent());
        if (!query.contains("alt=sse")) {
          writeJson(out, 200, "[" + String.join(",\r\n", events) + "]", content.headers);
          yield true;
        }
        yield writeStream(out, content, events);
      }
    };
  }

  private boolean writeStream(OutputStream out, GenerateContentReply reply, List<String> events)
      throws IOException, InterruptedException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/event-stream");
    headers.put("Content-Disposition", "attachment");
    headers.put("Vary", "Origin, X-Origin, Referer");
    headers.put("Transfer-Encoding", "chunked");
    headers.put("Server", "scaffolding on HTTPServer2");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.putAll(reply.headers);
    return HttpWire.writeEventStream(
        out,
        headers,
        events.stream().map(event -> "data: " + event + "\r\n\r\n").toList(),
        reply.faults);
  }

  private static void writeJson(
      OutputStream out, int status, String text, Map<String, String> extra) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json; charset=UTF-8");
    headers.put("Vary", "Origin, X-Origin, Referer");
    headers.put("Content-Length", Integer.toString(body.length));
    headers.put("Server", "scaffolding on HTTPServer2");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.putAll(extra);
    HttpWire.writeHead(out, status, headers);
    out.write(body);
  }

  private static void writeError(OutputStream out, GoogleErrorReply error) throws IOException {
    writeJson(out, error.code, error.body(), error.headers);
  }
}
