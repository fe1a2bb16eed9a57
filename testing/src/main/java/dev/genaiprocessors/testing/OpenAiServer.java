package dev.genaiprocessors.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A local HTTP server that speaks OpenAI's Chat Completions and Responses APIs, for tests that must
 * not reach OpenAI: point the official SDK (or any OpenAI-compatible client) at {@link #baseUrl()},
 * script the answers, and assert on the requests it received.
 *
 * <pre>{@code
 * try (OpenAiServer server = OpenAiServer.start()) {
 *   server.enqueue(OpenAiReply.text("Hel", "lo").usage(12, 2));
 *   server.enqueue(OpenAiReply.error(429, "Rate limit reached").retryAfterMs(20));
 *
 *   OpenAIClient client = OpenAIOkHttpClient.builder()
 *       .baseUrl(server.baseUrl()).apiKey("sk-test").build();
 *   // ... call it, then:
 *   assertThat(server.lastRequest().messages()).hasSize(1);
 * }
 * }</pre>
 *
 * <p><b>What it answers.</b> {@code POST .../chat/completions} takes the next reply from the queue
 * filled by {@link #enqueue}, or the {@link #replyAlways} reply when the queue is empty, or else a
 * 500 error that says no reply was scripted. A {@link ChatReply} is streamed as {@code
 * text/event-stream} when the request says {@code "stream":true} and returned as one JSON body
 * otherwise; {@code stream_options.include_usage} adds the usage chunk. {@code POST .../responses}
 * takes its reply from the same queue: a {@link ResponsesReply} is streamed as named Responses
 * events ({@code event: response.output_text.delta}, {@code data: {"type":...,
 * "sequence_number":N,...}}, no {@code [DONE]}) or returned as one {@code response} object. An
 * {@link ErrorReply} answers either path; a reply of the other API's kind gets a 500 that says so.
 * Any other path gets OpenAI's 404 body. Every request is recorded first, whatever is answered.
 *
 * <p><b>The wire.</b> The server writes HTTP/1.1 by hand over a loopback socket, so the bytes are
 * exactly those the reference documents: un-named SSE events ({@code data: ...} and a blank line),
 * one per HTTP chunk, flushed one by one; field names and order as OpenAI sends them; headers
 * {@code x-request-id}, {@code openai-version}, {@code openai-processing-ms} and the rate-limit
 * headers; keep-alive connections.
 *
 * <p><b>Threads.</b> One virtual thread accepts connections and one serves each connection; all
 * belong to the server, and {@link #close()} stops them and waits for them. Scripting and reading
 * the records are safe from any thread.
 */
public final class OpenAiServer implements AutoCloseable {
  private final OpenAiDialect dialect;
  private final LoopbackHttpServer http;
  private final ReplyScript<OpenAiReply> script = new ReplyScript<>();
  private final AtomicLong served = new AtomicLong();

  private OpenAiServer(OpenAiDialect dialect, int port) {
    this.dialect = dialect;
    http = new LoopbackHttpServer("openai-server", port, this::respond);
  }

  /** Starts a server on a free loopback port that answers as OpenAI does. */
  public static OpenAiServer start() {
    return new OpenAiServer(OpenAiDialect.OPENAI, 0);
  }

  /** Starts a server on a free loopback port that answers in {@code dialect}. */
  public static OpenAiServer start(OpenAiDialect dialect) {
    return new OpenAiServer(Objects.requireNonNull(dialect, "dialect"), 0);
  }

  /**
   * Starts a server on the given loopback port (0 for any free one).
   *
   * @throws IllegalArgumentException if {@code port} is not in [0, 65535]
   * @throws UncheckedIOException when the port is taken
   */
  public static OpenAiServer start(OpenAiDialect dialect, int port) {
    return new OpenAiServer(Objects.requireNonNull(dialect, "dialect"), port);
  }

  /** The base URL to give a client, ending in {@code /v1}: {@code http://127.0.0.1:<port>/v1}. */
  public String baseUrl() {
    return "http://" + http.host() + ":" + port() + "/v1";
  }

  /** The port the server listens on. */
  public int port() {
    return http.port();
  }

  /** The dialect replies are rendered in unless they name their own. */
  public OpenAiDialect dialect() {
    return dialect;
  }

  /**
   * Queues replies, answered in order, one per chat completion or response request. Returns this
   * server.
   */
  public OpenAiServer enqueue(OpenAiReply... replies) {
    script.enqueue(replies);
    return this;
  }

  /**
   * The reply for every request that finds the queue empty (none by default). Returns this server.
   */
  public OpenAiServer replyAlways(OpenAiReply reply) {
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

  /**
   * How many client connections are open now. A connection ends when the client closes it (seen at
   * the next read or write: within one pacing interval for a paced stream) or the server does.
   */
  public int openConnections() {
    return http.openConnections();
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
    return "OpenAiServer[" + baseUrl() + ", " + dialect + "]";
  }

  // ---------------------------------------------------------------- serving

  private @Nullable OpenAiReply nextReply() {
    return script.nextReply();
  }

  /** Answers one request; returns whether the connection may serve another. */
  private boolean respond(RecordedRequest request, OutputStream out)
      throws IOException, InterruptedException {
    script.record(request);
    long number = served.incrementAndGet();
    String path = request.path();
    int query = path.indexOf('?');
    String route = query < 0 ? path : path.substring(0, query);
    boolean chat = route.endsWith("/chat/completions");
    boolean responses = route.endsWith("/responses");
    if (!request.method().equals("POST") || !(chat || responses)) {
      writeError(
          out,
          ErrorReply.of(404, "Invalid URL (" + request.method() + " " + route + ")").code(null),
          number);
      return true;
    }
    JsonNode json;
    try {
      json = request.json();
    } catch (IllegalStateException e) {
      writeError(
          out,
          ErrorReply.of(
              400,
              "We could not parse the JSON body of your request. "
                  + "(HINT: This likely means you aren't using your HTTP library correctly.)"),
          number);
      return true;
    }
    OpenAiReply reply = nextReply();
    if (reply == null) {
      writeError(
          out,
          ErrorReply.of(
              500,
              "OpenAiServer has no reply scripted for request #"
                  + number
                  + " ("
                  + request.method()
                  + " "
                  + route
                  + "): enqueue one or set replyAlways"),
          number);
      return true;
    }
    return switch (reply) {
      case ErrorReply error -> {
        HttpWire.sleep(error.firstByteDelay);
        writeError(out, error, number);
        yield true;
      }
      case RawReply raw -> HttpWire.writeRaw(out, raw);
      case ChatReply chatReply when chat -> writeChat(out, chatReply, json, number);
      case ResponsesReply responsesReply when responses ->
          writeResponses(out, responsesReply, json, number);
      default -> {
        writeError(
            out,
            ErrorReply.of(
                500,
                "OpenAiServer has a "
                    + reply.getClass().getSimpleName()
                    + " scripted for request #"
                    + number
                    + " but it is "
                    + request.method()
                    + " "
                    + route
                    + ": enqueue a "
                    + (chat ? "ChatReply" : "ResponsesReply")
                    + " for it"),
            number);
        yield true;
      }
    };
  }

  private boolean writeResponses(
      OutputStream out, ResponsesReply reply, JsonNode request, long number)
      throws IOException, InterruptedException {
    String model = reply.model != null ? reply.model : request.path("model").asText("gpt-4o-mini");
    String id = reply.id != null ? reply.id : "resp_test" + number;
    ResponsesRendering rendering =
        new ResponsesRendering(reply, model, id, System.currentTimeMillis() / 1000);
    Map<String, String> headers = new LinkedHashMap<>();
    HttpWire.sleep(reply.faults.firstByteDelay());
    if (!request.path("stream").asBoolean(false)) {
      byte[] body = rendering.body().getBytes(StandardCharsets.UTF_8);
      headers.put("Content-Type", "application/json");
      headers.put("Content-Length", Integer.toString(body.length));
      commonHeaders(headers, dialect, reply.requestId, number);
      headers.putAll(reply.headers);
      HttpWire.writeHead(out, 200, headers);
      out.write(body);
      return true;
    }
    List<ResponsesRendering.Event> events =
        reply.faults.inject(
            reply.faults.endEarly(rendering.events()),
            rendering.malformedEvent(),
            ResponsesRendering.errorEvent(reply.errorEventMessage));
    if (reply.failedAt >= 0) {
      events = new ArrayList<>(events.subList(0, Math.min(reply.failedAt, events.size())));
      events.add(rendering.failedEvent(reply.failedCode, reply.failedMessage));
    }
    List<String> blocks = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      blocks.add(events.get(i).sse(i));
    }
    headers.put("Content-Type", "text/event-stream; charset=utf-8");
    headers.put("Transfer-Encoding", "chunked");
    headers.put("Connection", "keep-alive");
    commonHeaders(headers, dialect, reply.requestId, number);
    headers.putAll(reply.headers);
    return HttpWire.writeEventStream(out, headers, blocks, reply.faults);
  }

  private boolean writeChat(OutputStream out, ChatReply reply, JsonNode request, long number)
      throws IOException, InterruptedException {
    OpenAiDialect effective = reply.dialect != null ? reply.dialect : dialect;
    String model = reply.model != null ? reply.model : request.path("model").asText("gpt-4o-mini");
    String id = reply.id != null ? reply.id : "chatcmpl-test" + number;
    boolean stream = request.path("stream").asBoolean(false);
    boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
    ChatRendering rendering =
        new ChatRendering(
            reply, effective, model, id, System.currentTimeMillis() / 1000, includeUsage);
    Map<String, String> headers = new LinkedHashMap<>();
    HttpWire.sleep(reply.faults.firstByteDelay());
    if (!stream) {
      byte[] body = rendering.body().getBytes(StandardCharsets.UTF_8);
      headers.put("Content-Type", "application/json");
      headers.put("Content-Length", Integer.toString(body.length));
      commonHeaders(headers, effective, reply.requestId, number);
      headers.putAll(reply.headers);
      HttpWire.writeHead(out, 200, headers);
      out.write(body);
      return true;
    }
    List<String> events =
        reply.faults.inject(
            reply.faults.endEarly(rendering.events()),
            rendering.malformedEvent(),
            ChatRendering.errorEvent(reply.errorEventMessage));
    headers.put("Content-Type", "text/event-stream; charset=utf-8");
    headers.put("Transfer-Encoding", "chunked");
    headers.put("Connection", "keep-alive");
    commonHeaders(headers, effective, reply.requestId, number);
    headers.putAll(reply.headers);
    List<String> blocks = new ArrayList<>(events.size());
    for (String event : events) {
      blocks.add("data: " + event + "\n\n");
    }
    return HttpWire.writeEventStream(out, headers, blocks, reply.faults);
  }

  private void writeError(OutputStream out, ErrorReply error, long number) throws IOException {
    String text =
        error.rawBody != null
            ? error.rawBody
            : "{\n  \"error\": {\n    \"message\": "
                + ChatRendering.quote(error.message)
                + ",\n    \"type\": "
                + ChatRendering.quote(error.type)
                + ",\n    \"param\": "
                + (error.param == null ? "null" : ChatRendering.quote(error.param))
                + ",\n    \"code\": "
                + (error.code == null ? "null" : ChatRendering.quote(error.code))
                + "\n  }\n}\n";
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json; charset=utf-8");
    headers.put("Content-Length", Integer.toString(body.length));
    commonHeaders(headers, dialect, error.requestId, number);
    headers.putAll(error.headers);
    HttpWire.writeHead(out, error.status, headers);
    out.write(body);
  }

  private static void commonHeaders(
      Map<String, String> headers, OpenAiDialect dialect, @Nullable String requestId, long number) {
    headers.put("x-request-id", requestId != null ? requestId : String.format("req_%032x", number));
    if (dialect == OpenAiDialect.OPENAI) {
      headers.put("openai-organization", "user-testing");
      headers.put("openai-processing-ms", "1");
      headers.put("openai-version", "2020-10-01");
      headers.put("x-ratelimit-limit-requests", "10000");
      headers.put("x-ratelimit-limit-tokens", "30000000");
      headers.put("x-ratelimit-remaining-requests", "9999");
      headers.put("x-ratelimit-remaining-tokens", "29999990");
      headers.put("x-ratelimit-reset-requests", "6ms");
      headers.put("x-ratelimit-reset-tokens", "0s");
    }
  }
}
