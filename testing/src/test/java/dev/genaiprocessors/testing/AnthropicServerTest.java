package dev.genaiprocessors.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's wire format, read with the JDK's plain {@link HttpURLConnection} ({@code
 * java.base}'s, so the module needs no {@code java.net.http}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnthropicServerTest {
  private static final String KEY = "sk-ant-test-0123456789";
  private static final String STREAM_REQUEST =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true}";
  private static final String WHOLE_REQUEST =
      STREAM_REQUEST.replace("\"stream\":true", "\"stream\":false");

  private AnthropicServer server;

  /** A response as a plain client reads it. */
  record Response(int statusCode, HttpURLConnection connection, String body) {
    Optional<String> header(String name) {
      return Optional.ofNullable(connection.getHeaderField(name));
    }
  }

  @BeforeEach
  void start() {
    server = AnthropicServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Response post(String path, String body, String... headers) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create(server.baseUrl() + path).toURL().openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("content-type", "application/json");
    if (headers.length == 0) {
      connection.setRequestProperty("x-api-key", KEY);
      connection.setRequestProperty("anthropic-version", "2023-06-01");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      connection.setRequestProperty(headers[i], headers[i + 1]);
    }
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    int status = connection.getResponseCode();
    try (InputStream in =
        status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
      return new Response(
          status, connection, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private Response post(String body) throws IOException {
    return post("/v1/messages", body);
  }

  @Test
  void streamedReply_isTheReferenceEventStream_byteForByte() throws IOException {
    server.enqueue(
        MessageReply.create()
            .text("Hello")
            .toolUse("toolu_01", "get_weather", "{\"city\": \"Par", "is\"}")
            .usage(12, 42)
            .id("msg_01")
            .model("claude-sonnet-4-5"));

    Response response = post(STREAM_REQUEST);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.header("content-type")).contains("text/event-stream; charset=utf-8");
    assertThat(response.header("request-id"))
        .hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    assertThat(response.body())
        .isEqualTo(
            """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type":"ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Par"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"is\\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}}

        event: message_stop
        data: {"type":"message_stop"}

        """);
  }

  @Test
  void thinkingBlock_streamsThinkingDeltas_thenItsSignature() throws IOException {
    server.enqueue(
        MessageReply.create()
            .thinking("EqQBCgIYAhIM", "Let me ", "think.")
            .text("42")
            .usage(20, 9, 100, 50));

    String body = post(STREAM_REQUEST).body();

    assertThat(body)
        .contains("\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":50")
        .contains(
            "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}\n\n")
        .contains(
            "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me \"}}\n\n")
        .contains(
            "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM\"}}\n\n")
        .contains(
            "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"42\"}}\n\n")
        .contains("\"stop_reason\":\"end_turn\"");
  }

  @Test
  void wholeReply_isOneMessageBody_whenTheRequestDoesNotStream() throws IOException {
    server.enqueue(
        MessageReply.create()
            .text("Hel", "lo")
            .toolUse("toolu_1", "f", "{\"a\":", "1}")
            .usage(5, 3, 0, 2)
            .id("msg_1")
            .model("claude-haiku-4-5"));

    Response response = post(WHOLE_REQUEST);

    assertThat(response.header("content-type")).contains("application/json");
    assertThat(response.body())
        .isEqualTo(
            "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-haiku-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{\"a\":1}}],"
                + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":2,\"output_tokens\":3}}");
  }

  @Test
  void rateLimit_isA429_withAnthropicsErrorBodyAndRetryHeaders() throws IOException {
    server.enqueue(
        AnthropicReply.error(429, "Number of requests has exceeded your rate limit")
            .retryAfter(Duration.ofSeconds(3))
            .shouldRetry(true)
            .requestId("req_429"));

    Response response = post(STREAM_REQUEST);

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.header("retry-after")).contains("3");
    assertThat(response.header("x-should-retry")).contains("true");
    assertThat(response.header("request-id")).contains("req_429");
    assertThat(response.body())
        .isEqualTo(
            "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                + "\"message\":\"Number of requests has exceeded your rate limit\"},\"request_id\":\"req_429\"}");
  }

  @Test
  void errorStatuses_carryTheTypeAnthropicSendsForThem() throws IOException {
    server.enqueue(
        AnthropicReply.error(529, "Overloaded"),
        AnthropicReply.error(500, "Internal"),
        AnthropicReply.error(503, "Unavailable"),
        AnthropicReply.error(400, "bad"),
        AnthropicReply.error(401, "invalid x-api-key"));

    assertThat(post(STREAM_REQUEST))
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(529);
              assertThat(r.body()).contains("\"type\":\"overloaded_error\"");
            });
    assertThat(post(STREAM_REQUEST).body()).contains("\"type\":\"api_error\"");
    assertThat(post(STREAM_REQUEST).statusCode()).isEqualTo(503);
    assertThat(post(STREAM_REQUEST).body()).contains("\"type\":\"invalid_request_error\"");
    assertThat(post(STREAM_REQUEST).body()).contains("\"type\":\"authentication_error\"");
  }

  @Test
  void errorEvent_endsTheStreamWithAnthropicsErrorEvent() throws IOException {
    server.enqueue(AnthropicReply.text("a", "b").errorEventAt(4, "overloaded_error", "Overloaded"));

    String body = post(STREAM_REQUEST).body();

    assertThat(body)
        .endsWith(
            "event: content_block_delta\n"
                + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}\n\n"
                + "event: error\n"
                + "data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
  }

  @Test
  void malformedAndUnknownEvents_areSentWhereScripted() throws IOException {
    server.enqueue(AnthropicReply.text("a").malformedEventAt(1).unknownEventAt(1));

    String body = post(STREAM_REQUEST).body();

    assertThat(body.split("\n\n")[1])
        .startsWith("event: content_block_delta\n")
        .endsWith("\"text\":\"trunc");
    assertThat(body.split("\n\n")[2]).startsWith("event: content_block_annotation\n");
  }

  @Test
  void cutStream_dropsTheConnection_beforeTheBodyEnds() {
    server.enqueue(AnthropicReply.text("a", "b", "c").cutAfterEvents(4));

    assertThatThrownBy(() -> post(STREAM_REQUEST)).isInstanceOf(IOException.class);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void endAfterEvents_closesTheBodyCleanly_withoutMessageStop() throws IOException {
    server.enqueue(AnthropicReply.text("a", "b").endAfterEvents(4));

    String body = post(STREAM_REQUEST).body();

    assertThat(body.split("\n\n")).hasSize(4);
    assertThat(body).doesNotContain("message_stop");
  }

  @Test
  void requests_areRecorded_withHeadersAndBody_andTheKeyNeverInToString() throws IOException {
    server.enqueue(AnthropicReply.text("ok"));

    post(STREAM_REQUEST);

    RecordedRequest request = server.lastRequest();
    assertThat(request.path()).isEqualTo("/v1/messages");
    assertThat(request.header("x-api-key")).isEqualTo(KEY);
    assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(request.isStreaming()).isTrue();
    assertThat(request.json().at("/max_tokens").asInt()).isEqualTo(1024);
    assertThat(request.messages()).hasSize(1);
    assertThat(request.toString()).doesNotContain(KEY).contains("x-api-key=<redacted>");
  }

  @Test
  void missingKeyOrVersion_isRejectedAsAnthropicDoes_withoutTakingAReply() throws IOException {
    server.enqueue(AnthropicReply.text("kept"));

    Response noKey = post("/v1/messages", STREAM_REQUEST, "anthropic-version", "2023-06-01");
    Response noVersion = post("/v1/messages", STREAM_REQUEST, "x-api-key", KEY);
    Response wrongPath = post("/v1/complete", STREAM_REQUEST);

    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(noKey.body()).contains("authentication_error", "x-api-key header is required");
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(noVersion.body()).contains("anthropic-version");
    assertThat(wrongPath.statusCode()).isEqualTo(404);
    assertThat(server.pendingReplies()).isEqualTo(1);
  }

  @Test
  void emptyQueue_answersWithReplyAlways_elseAnExplainingError() throws IOException {
    Response unscripted = post(STREAM_REQUEST);
    server.replyAlways(AnthropicReply.text("always"));

    assertThat(unscripted.statusCode()).isEqualTo(500);
    assertThat(unscripted.body()).contains("no reply scripted");
    assertThat(post(STREAM_REQUEST).body()).contains("always");
    assertThat(post(STREAM_REQUEST).body()).contains("always");
  }

  @Test
  void keepAlive_servesSeveralRequestsOnOneConnection_andCloseJoinsEverything() throws IOException {
    server.replyAlways(AnthropicReply.text("x"));
    for (int i = 0; i < 5; i++) {
      assertThat(post(STREAM_REQUEST).statusCode()).isEqualTo(200);
    }
    server.close();
    assertThat(server.requestCount()).isEqualTo(5);
  }

  @Test
  void fluentSettings_rejectNegativeValues_namingThem() {
    assertThatThrownBy(() -> MessageReply.create().cutAfterEvents(-1))
        .hasMessage("events must not be negative but was -1");
    assertThatThrownBy(() -> MessageReply.create().usage(-1, 0))
        .hasMessage("inputTokens must not be negative but was -1");
    assertThatThrownBy(() -> AnthropicReply.error(200, "ok"))
        .hasMessage("error status must be in [400, 599] but was 200");
  }
}
