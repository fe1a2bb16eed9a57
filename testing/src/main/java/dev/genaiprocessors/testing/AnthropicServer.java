package dev.genaiprocessors.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A local HTTP server that speaks Anthropic's Messages API, for tests that must not reach
 * Anthropic: point the official SDK (or any client) at {@link #baseUrl()}, script the answers, and
 * assert on the requests it received.
 *
 * <pre>{@code
 * try (AnthropicServer server = AnthropicServer.start()) {
 *   server.enqueue(AnthropicReply.text("Hel", "lo").usage(12, 2));
 *   server.enqueue(AnthropicReply.error(429, "Rate limited").retryAfter(Duration.ofSeconds(1)));
 *
 *   AnthropicClient client = AnthropicOkHttpClient.builder()
 *       .baseUrl(server.baseUrl()).apiKey("sk-ant-test").build();
 *   // ... call it, then:
 *   assertThat(server.lastRequest().header("anthropic-version")).isEqualTo("2023-06-01");
 *   assertThat(server.lastRequest().json().at("/messages/0/role").asText()).isEqualTo("user");
 * }
 * }</pre>
 *
 * <p><b>What it answers.</b> {@code POST /v1/messages} takes the next reply from the queue filled
 * by {@link #enqueue}, or the {@link #replyAlways} reply when the queue is empty, or else a 500
 * {@code api_error} that says no reply was scripted. As Anthropic does, it first answers 401 when
 * the request carries neither {@code x-api-key} nor {@code Authorization}, 400 when {@code
 * anthropic-version} is missing and 400 when the body is not JSON (these take no reply from the
 * queue). A {@link MessageReply} is streamed as {@code text/event-stream} when the request says
 * {@code "stream":true} and returned as one {@code message} JSON body otherwise. Any other path
 * gets Anthropic's 404 body. Every request is recorded first, whatever is answered.
 *
 * <p><b>The wire.</b> The server writes HTTP/1.1 by hand over a loopback socket, so the bytes are
 * exactly those the reference documents: named SSE events ({@code event: ...}, {@code data: ...}
 * and a blank line), one per HTTP chunk, flushed one by one; no {@code [DONE]}; headers {@code
 * request-id}, {@code anthropic-organization-id} and the {@code anthropic-ratelimit-*} headers;
 * keep-alive connections.
 *
 * <p><b>Threads.</b> One virtual thread accepts connections and one serves each connection; all
 * belong to the server, and {@link #close()} stops them and waits for them. Scripting and reading
 * the records are safe from any thread.
 */
public final class AnthropicServer implements AutoCloseable {
  private final LoopbackHttpServer http;
  private final ReplyScript<AnthropicReply> script = new ReplyScript<>();
  private final AtomicLong served = new AtomicLong();

  private AnthropicServer(int port) {
    http = new LoopbackHttpServer("anthropic-server", port, this::respond);
  }

  /** Starts a server on a free loopback port. */
  public static AnthropicServer start() {
    return new AnthropicServer(0);
  }

  /**
   * Starts a server on the given loopback port (0 for any free one).
   *
   * @throws IllegalArgumentException when the port is not in [0, 65535]
   * @throws UncheckedIOException when the port is taken
   */
  public static AnthropicServer start(int port) {
    return new AnthropicServer(port);
  }

  /**
   * The base URL to give a client: {@code http://127.0.0.1:<port>}, without {@code /v1} (the SDK
   * adds {@code /v1/messages}, as it does to {@code https://api.anthropic.com}).
   */
  public String baseUrl() {
    return "http://" + http.host() + ":" + port();
  }

  /** The port the server listens on. */
  public int port() {
    return http.port();
  }

  /** Queues replies, answered in order, one per messages request. Returns this server. */
  public AnthropicServer enqueue(AnthropicReply... replies) {
    script.enqueue(replies);
    return this;
  }

  /**
   * The reply for every request that finds the queue empty (none by default). Returns this server.
   */
  public AnthropicServer replyAlways(AnthropicReply reply) {
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
    return "AnthropicServer[" + baseUrl() + "]";
  }

  // ---------------------------------------------------------------- serving

  private @Nullable AnthropicReply nextReply() {
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
    if (!request.method().equals("POST") || !route.endsWith("/v1/messages")) {
      writeError(out, AnthropicErrorReply.of(404, "Not Found"), number);
      return true;
    }
    if (request.header("x-api-key") == null && request.header("authorization") == null) {
      writeError(out, AnthropicErrorReply.of(401, "x-api-key header is required"), number);
      return true;
    }
    if (request.header("anthropic-version") == null) {
      writeError(out, AnthropicErrorReply.of(400, "anthropic-version: header is required"), number);
      return true;
    }
    JsonNode json;
    try {
      json = request.json();
    } catch (IllegalStateException e) {
      writeError(
          out,
          AnthropicErrorReply.of(
              400, "There was an issue with your request body: it" + " is not valid JSON"),
          number);
      return true;
    }
    AnthropicReply reply = nextReply();
    if (reply == null) {
      writeError(
          out,
          AnthropicErrorReply.of(
              500,
              "AnthropicServer has no reply scripted for"
                  + " request #"
                  + number
                  + " ("
                  + request.method()
                  + " "
                  + route
                  + "): enqueue one or set"
                  + " replyAlways"),
          number);
      return true;
    }
    return switch (reply) {
      case AnthropicErrorReply error -> {
        HttpWire.sleep(error.firstByteDelay);
        writeError(out, error, number);
        yield true;
      }
      case RawReply raw -> HttpWire.writeRaw(out, raw);
      case MessageReply message -> writeMessage(out, message, json, number);
    };
  }

  private boolean writeMessage(OutputStream out, MessageReply reply, JsonNode request, long number)
      throws IOException, InterruptedException {
    String model =
        reply.model != null ? reply.model : request.path("model").asText("claude-sonnet-4-5");
    String id = reply.id != null ? reply.id : String.format("msg_test%020d", number);
    MessageRendering rendering = new MessageRendering(reply, model, id);
    Map<String, String> headers = new LinkedHashMap<>();
    HttpWire.sleep(reply.faults.firstByteDelay());
    if (!request.path("stream").asBoolean(false)) {
      byte[] body = rendering.body().getBytes(StandardCharsets.UTF_8);
      headers.put("Content-Type", "application/json");
      headers.put("Content-Length", Integer.toString(body.length));
      commonHeaders(headers, reply.requestId, number);
      headers.putAll(reply.headers);
      HttpWire.writeHead(out, 200, headers);
      out.write(body);
      return true;
    }
    List<MessageRendering.Event> events = reply.faults.endEarly(rendering.events());
    if (reply.unknownEventAt >= 0) {
      events.add(Math.min(reply.unknownEventAt, events.size()), MessageRendering.unknownEvent());
    }
    events =
        reply.faults.inject(
            events,
            MessageRendering.malformedEvent(),
            MessageRendering.errorEvent(reply.errorEventType, reply.errorEventMessage));
    headers.put("Content-Type", "text/event-stream; charset=utf-8");
    headers.put("Transfer-Encoding", "chunked");
    headers.put("Connection", "keep-alive");
    headers.put("Cache-Control", "no-cache");
    commonHeaders(headers, reply.requestId, number);
    headers.putAll(reply.headers);
    return HttpWire.writeEventStream(
        out, headers, events.stream().map(MessageRendering.Event::wire).toList(), reply.faults);
  }

  private void writeError(OutputStream out, AnthropicErrorReply error, long number)
      throws IOException {
    String requestId = requestId(error.requestId, number);
    String text =
        error.rawBody != null
            ? error.rawBody
            : MessageRendering.errorBody(error.type, error.message, requestId);
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Content-Length", Integer.toString(body.length));
    commonHeaders(headers, requestId, number);
    headers.putAll(error.headers);
    HttpWire.writeHead(out, error.status, headers);
    out.write(body);
  }

  private static String requestId(@Nullable String requestId, long number) {
    return requestId != null ? requestId : String.format("req_test%020d", number);
  }

  private static void commonHeaders(
      Map<String, String> headers, @Nullable String requestId, long number) {
    headers.put("request-id", requestId(requestId, number));
    headers.put("anthropic-organization-id", "00000000-0000-4000-8000-000000000000");
    headers.put("anthropic-ratelimit-requests-limit", "4000");
    headers.put("anthropic-ratelimit-requests-remaining", "3999");
    headers.put("anthropic-ratelimit-requests-reset", "2026-01-01T00:00:01Z");
    headers.put("anthropic-ratelimit-tokens-limit", "400000");
    headers.put("anthropic-ratelimit-tokens-remaining", "399990");
    headers.put("anthropic-ratelimit-tokens-reset", "2026-01-01T00:00:01Z");
  }
}
