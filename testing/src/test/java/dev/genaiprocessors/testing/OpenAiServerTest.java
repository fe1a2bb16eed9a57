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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's wire format, read with a plain HTTP client. */
@Timeout(60)
class OpenAiServerTest {
  private static final String STREAM_REQUEST =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
          + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}";

  private OpenAiServer server;

  /** A response as a plain client reads it ({@code java.base}'s, so no module needs adding). */
  record Response(int statusCode, HttpURLConnection connection, String body) {
    java.util.Optional<String> header(String name) {
      return java.util.Optional.ofNullable(connection.getHeaderField(name));
    }
  }

  private static Response post(String baseUrl, String path, String body) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Authorization", "Bearer sk-secret");
    connection.setRequestProperty("Content-Type", "application/json");
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

  @BeforeEach
  void start() {
    server = OpenAiServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Response post(String path, String body) throws IOException {
    return post(server.baseUrl(), path, body);
  }

  /** The stream with the varying {@code created} timestamp replaced by 0. */
  private static String normalised(String body) {
    return body.replaceAll("\"created\":\\d+", "\"created\":0");
  }

  @Test
  void streamedReply_isTheReferenceEventStream_byteForByte() throws Exception {
    server.enqueue(OpenAiReply.text("Hel").usage(12, 3).id("chatcmpl-1"));

    Response response = post("/chat/completions", STREAM_REQUEST);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.header("content-type")).contains("text/event-stream; charset=utf-8");
    assertThat(response.header("x-request-id"))
        .hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    String head =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":0,"
            + "\"model\":\"gpt-4o-mini\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_7f1c3c6d5e\"";
    assertThat(normalised(response.body()))
        .isEqualTo(
            "data: "
                + head
                + ",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
                + "data: "
                + head
                + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
                + "data: "
                + head
                + ",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
                + "data: "
                + head
                + ",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":"
                + "{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n"
                + "data: [DONE]\n\n");
  }

  @Test
  void toolCalls_streamAsFragmentsKeyedByIndex() throws Exception {
    server.enqueue(ChatReply.create().toolCall("call_1", "get_weather", "{\"loc", "\":\"Paris\"}"));

    String body = post("/chat/completions", STREAM_REQUEST).body();

    assertThat(body)
        .contains(
            "\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}")
        .contains(
            "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"loc\"}}]}")
        .contains("\"finish_reason\":\"tool_calls\"");
  }

  @Test
  void unstreamedRequest_getsOneChatCompletionBody() throws Exception {
    server.enqueue(OpenAiReply.text("Hel", "lo"));

    Response response =
        post(
            "/chat/completions",
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(response.header("content-type")).contains("application/json");
    assertThat(response.body())
        .contains("\"object\":\"chat.completion\"")
        .contains(
            "\"message\":{\"role\":\"assistant\",\"content\":\"Hello\",\"refusal\":null,\"annotations\":[]}")
        .contains("\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12");
  }

  @Test
  void errorReply_hasOpenAisBodyAndRetryHeaders() throws Exception {
    server.enqueue(
        OpenAiReply.error(429, "Rate limit reached")
            .retryAfter(Duration.ofMillis(1500))
            .retryAfterMs(1500)
            .shouldRetry(true)
            .requestId("req_1"));

    Response response = post("/chat/completions", STREAM_REQUEST);

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.header("retry-after")).contains("1.5");
    assertThat(response.header("retry-after-ms")).contains("1500");
    assertThat(response.header("x-should-retry")).contains("true");
    assertThat(response.header("x-request-id")).contains("req_1");
    assertThat(response.body().replaceAll("\\s", ""))
        .isEqualTo(
            "{\"error\":{\"message\":\"Ratelimitreached\",\"type\":\"requests\",\"param\":null,"
                + "\"code\":\"rate_limit_exceeded\"}}");
  }

  @Test
  void cutStream_dropsTheConnectionInTheMiddleOfTheBody() {
    server.enqueue(OpenAiReply.text("a", "b", "c").cutAfterEvents(2));

    assertThatThrownBy(() -> post("/chat/completions", STREAM_REQUEST))
        .isInstanceOf(IOException.class);
  }

  @Test
  void malformedAndErrorEvents_areSentWhereScripted() throws Exception {
    server.enqueue(OpenAiReply.text("a", "b").malformedEventAt(1));
    server.enqueue(OpenAiReply.text("a", "b").errorEventAt(2, "overloaded"));

    List<String> malformed =
        post("/chat/completions", STREAM_REQUEST).body().lines().filter(l -> !l.isEmpty()).toList();
    String withError = post("/chat/completions", STREAM_REQUEST).body();

    assertThat(malformed.get(1)).endsWith("\"delta\":{\"content\":\"trunc");
    assertThat(withError)
        .endsWith(
            "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\","
                + "\"param\":null,\"code\":null}}\n\n")
        .doesNotContain("[DONE]");
  }

  @Test
  void vllmDialect_sendsEmptyToolCallsAndNullChoices() throws Exception {
    try (OpenAiServer vllm = OpenAiServer.start(OpenAiDialect.VLLM)) {
      vllm.enqueue(OpenAiReply.text("x"));
      String body = post(vllm.baseUrl(), "/chat/completions", STREAM_REQUEST).body();

      assertThat(body)
          .contains("\"delta\":{\"content\":\"x\",\"tool_calls\":[]}")
          .contains("\"choices\":null,\"usage\":{");
    }
  }

  @Test
  void ollamaDialect_sendsNoUsageInTheStream() throws Exception {
    try (OpenAiServer ollama = OpenAiServer.start(OpenAiDialect.OLLAMA)) {
      ollama.enqueue(OpenAiReply.text("x"));
      String body = post(ollama.baseUrl(), "/chat/completions", STREAM_REQUEST).body();

      assertThat(body)
          .doesNotContain("usage")
          .contains("\"system_fingerprint\":\"fp_ollama\"")
          .endsWith("data: [DONE]\n\n");
    }
  }

  @Test
  void azureDialect_opensWithAPromptFilterChunk_andWritesChoicesBeforeIdAndModel()
      throws Exception {
    try (OpenAiServer azure = OpenAiServer.start(OpenAiDialect.AZURE)) {
      azure.enqueue(OpenAiReply.text("x").id("chatcmpl-az").model("gpt-4o-2024-08-06"));
      String body = post(azure.baseUrl(), "/chat/completions", STREAM_REQUEST).body();

      assertThat(body)
          .startsWith(
              "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\","
                  + "\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,")
          .contains(
              "\"delta\":{\"content\":\"x\"},\"finish_reason\":null,\"index\":0,"
                  + "\"logprobs\":null}],\"created\":")
          .contains(
              ",\"id\":\"chatcmpl-az\",\"model\":\"gpt-4o-2024-08-06\","
                  + "\"object\":\"chat.completion.chunk\"")
          .contains("{\"choices\":[{\"content_filter_results\":{\"hate\":{\"filtered\":false,")
          .contains("\"system_fingerprint\":\"fp_b705f0c291\",\"usage\":{\"completion_tokens\":1,")
          .doesNotContain("\"usage\":null")
          .endsWith("data: [DONE]\n\n");
    }
  }

  @Test
  void qwenDialect_sendsTheCallIdOnlyFirst_andAnEmptyIdInLaterFragments() throws Exception {
    try (OpenAiServer qwen = OpenAiServer.start(OpenAiDialect.QWEN)) {
      qwen.enqueue(
          ChatReply.create()
              .toolCall("call_q", "get_weather", "{\"city\":", "\"Oslo\"}")
              .id("chatcmpl-qw"));
      String body = post(qwen.baseUrl(), "/chat/completions", STREAM_REQUEST).body();

      assertThat(body)
          .startsWith("data: {\"choices\":[{\"delta\":{\"content\":\"\",\"role\":\"assistant\"}")
          .contains(
              "{\"index\":0,\"id\":\"call_q\",\"type\":\"function\","
                  + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}")
          .contains(
              "{\"index\":0,\"id\":\"\",\"type\":\"function\","
                  + "\"function\":{\"arguments\":\"{\\\"city\\\":\"}}")
          .contains("\"usage\":null,\"created\":")
          .contains("\"system_fingerprint\":null,\"model\":\"gpt-4o-mini\",\"id\":\"chatcmpl-qw\"}")
          .contains("{\"choices\":[],\"object\":\"chat.completion.chunk\",\"usage\":{");
    }
  }

  @Test
  void glmDialect_sendsAnEmptyNameInLaterFragments_andUsageInTheFinishChunk() throws Exception {
    try (OpenAiServer glm = OpenAiServer.start(OpenAiDialect.GLM)) {
      glm.enqueue(ChatReply.create().toolCall("call_g", "get_weather", "{\"city\":", "\"Oslo\"}"));
      String body = post(glm.baseUrl(), "/chat/completions", STREAM_REQUEST).body();

      assertThat(body)
          .contains(
              "\"tool_calls\":[{\"id\":\"call_g\",\"index\":0,\"type\":\"function\","
                  + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]")
          .contains(
              "\"tool_calls\":[{\"index\":0,\"type\":\"function\","
                  + "\"function\":{\"name\":\"\",\"arguments\":\"\\\"Oslo\\\"}\"}}]")
          .contains(
              "\"finish_reason\":\"tool_calls\",\"delta\":{\"role\":\"assistant\","
                  + "\"content\":\"\"}}],\"usage\":{\"prompt_tokens\":10,")
          .doesNotContain("\"object\"", "\"choices\":[]", "\"finish_reason\":null")
          .endsWith("data: [DONE]\n\n");
    }
  }

  @Test
  void requests_areRecorded_withTheAuthorizationHiddenFromToString() throws Exception {
    server.replyAlways(OpenAiReply.text("ok"));

    post("/chat/completions", STREAM_REQUEST);
    post("/chat/completions", STREAM_REQUEST);

    assertThat(server.requestCount()).isEqualTo(2);
    RecordedRequest request = server.lastRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    assertThat(request.header("AUTHORIZATION")).isEqualTo("Bearer sk-secret");
    assertThat(request.messages()).hasSize(1);
    assertThat(request.toString()).doesNotContain("sk-secret").contains("<redacted>");
  }

  @Test
  void requestWithNoReplyScripted_getsA500ThatSaysSo() throws Exception {
    Response response = post("/chat/completions", STREAM_REQUEST);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("no reply scripted");
  }

  @Test
  void unknownPath_getsOpenAis404() throws Exception {
    Response response = post("/embeddings", "{}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("Invalid URL (POST /v1/embeddings)");
  }

  @Test
  void replies_validateTheirArguments() {
    assertThatThrownBy(() -> OpenAiReply.error(200, "x"))
        .hasMessage("error status must be in [400, 599] but was 200");
    assertThatThrownBy(() -> OpenAiReply.text("x").cutAfterEvents(-1))
        .hasMessage("events must not be negative but was -1");
  }

  // ---------------------------------------------------------------- Responses API

  private static final String RESPONSES_REQUEST =
      "{\"model\":\"gpt-4.1-mini\",\"input\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
          + "\"stream\":true}";

  /** The SSE blocks of a stream: each an event name and its data. */
  private static List<String[]> sseEvents(String body) {
    List<String[]> events = new java.util.ArrayList<>();
    for (String block : body.split("\n\n")) {
      if (block.isEmpty()) {
        continue;
      }
      String[] lines = block.split("\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0]).startsWith("event: ");
      assertThat(lines[1]).startsWith("data: ");
      events.add(new String[] {lines[0].substring(7), lines[1].substring(6)});
    }
    return events;
  }

  @Test
  void responsesStream_isNamedEvents_numberedInOrder_endingWithCompletedAndNoDone()
      throws Exception {
    server.enqueue(ResponsesReply.create().text("Hel", "lo").usage(12, 3, 2, 1).id("resp_1"));

    Response response = post("/responses", RESPONSES_REQUEST);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.header("content-type")).contains("text/event-stream; charset=utf-8");
    assertThat(response.header("x-request-id"))
        .hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    assertThat(response.body()).endsWith("\n\n").doesNotContain("[DONE]");
    List<String[]> events = sseEvents(response.body());
    assertThat(events)
        .extracting(e -> e[0])
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i)[1])
          .startsWith("{\"type\":\"" + events.get(i)[0] + "\",\"sequence_number\":" + i + ",");
    }
    assertThat(events.get(4)[1])
        .isEqualTo(
            "{\"type\":\"response.output_text.delta\","
                + "\"sequence_number\":4,\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":0,"
                + "\"delta\":\"Hel\",\"logprobs\":[]}");
    assertThat(events.get(0)[1])
        .contains(
            "\"id\":\"resp_1\",\"object\":\"response\"",
            "\"status\":\"in_progress\"",
            "\"model\":\"gpt-4.1-mini\"",
            "\"usage\":null");
    assertThat(events.get(9)[1])
        .contains(
            "\"status\":\"completed\"",
            "\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Hello\"}]",
            "\"usage\":{\"input_tokens\":12,\"input_tokens_details\":{\"cached_tokens\":2},"
                + "\"output_tokens\":3,\"output_tokens_details\":{\"reasoning_tokens\":1},"
                + "\"total_tokens\":15}");
    assertThat(server.lastRequest().path()).isEqualTo("/v1/responses");
    assertThat(server.lastRequest().input()).hasSize(1);
  }

  @Test
  void responsesFunctionCalls_streamTheirArgumentsAsDeltas_thenDoneWithCallIdAndName()
      throws Exception {
    server.enqueue(
        ResponsesReply.create()
            .reasoningSummary("Think")
            .functionCall("call_1", "get_weather", "{\"city\":", "\"Paris\"}")
            .id("resp_2"));

    List<String[]> events = sseEvents(post("/responses", RESPONSES_REQUEST).body());

    assertThat(events)
        .extracting(e -> e[0])
        .containsSubsequence(
            "response.reasoning_summary_text.delta",
            "response.output_item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed");
    assertThat(events)
        .extracting(e -> e[1])
        .anySatisfy(
            data ->
                assertThat(data)
                    .contains(
                        "\"item\":{\"id\":\"fc_2_1\",\"type\":\"function_call\",\"status\":\"in_progress\","
                            + "\"arguments\":\"\",\"call_id\":\"call_1\",\"name\":\"get_weather\"}"));
    assertThat(events)
        .extracting(e -> e[1])
        .anySatisfy(
            data ->
                assertThat(data)
                    .endsWith(
                        "\"item_id\":\"fc_2_1\",\"output_index\":1,\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}"));
  }

  @Test
  void responsesFaults_errorEventFailedResponseMalformedEventAndIncomplete_areSentWhereScripted()
      throws Exception {
    server.enqueue(ResponsesReply.create().text("a").errorEventAt(3, "overloaded"));
    server.enqueue(ResponsesReply.create().text("a").failedAt(2, "server_error", "boom"));
    server.enqueue(ResponsesReply.create().text("a").malformedEventAt(4));
    server.enqueue(ResponsesReply.create().text("a").incomplete("max_output_tokens"));

    List<String[]> error = sseEvents(post("/responses", RESPONSES_REQUEST).body());
    List<String[]> failed = sseEvents(post("/responses", RESPONSES_REQUEST).body());
    List<String[]> malformed = sseEvents(post("/responses", RESPONSES_REQUEST).body());
    List<String[]> incomplete = sseEvents(post("/responses", RESPONSES_REQUEST).body());

    assertThat(error).hasSize(4);
    assertThat(error.get(3))
        .containsExactly(
            "error",
            "{\"type\":\"error\",\"sequence_number\":3,"
                + "\"code\":\"server_error\",\"message\":\"overloaded\",\"param\":null}");
    assertThat(failed).hasSize(3);
    assertThat(failed.get(2)[0]).isEqualTo("response.failed");
    assertThat(failed.get(2)[1])
        .contains(
            "\"status\":\"failed\"", "\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}");
    assertThat(malformed.get(4)[1]).endsWith("\"delta\":\"trunc");
    assertThat(incomplete.get(incomplete.size() - 1)[0]).isEqualTo("response.incomplete");
    assertThat(incomplete.get(incomplete.size() - 1)[1])
        .contains("\"incomplete_details\":{\"reason\":\"max_output_tokens\"}");
  }

  @Test
  void responsesStreamCut_dropsTheConnection_andEndAfterEvents_endsItCleanly() throws Exception {
    server.enqueue(ResponsesReply.create().text("a", "b").cutAfterEvents(3));
    server.enqueue(ResponsesReply.create().text("a", "b").endAfterEvents(3));

    assertThatThrownBy(() -> post("/responses", RESPONSES_REQUEST)).isInstanceOf(IOException.class);
    assertThat(sseEvents(post("/responses", RESPONSES_REQUEST).body())).hasSize(3);
  }

  @Test
  void unstreamedResponsesRequest_getsTheFinalResponseObject() throws Exception {
    server.enqueue(ResponsesReply.create().text("Hel", "lo").id("resp_3"));

    Response response = post("/responses", "{\"model\":\"gpt-4.1-mini\",\"input\":\"Hi\"}");

    assertThat(response.header("content-type")).contains("application/json");
    assertThat(response.body())
        .startsWith("{\"id\":\"resp_3\",\"object\":\"response\"")
        .contains("\"status\":\"completed\"", "\"text\":\"Hello\"", "\"input_tokens\":10");
  }

  @Test
  void errorReply_answersTheResponsesPathToo_andAReplyOfTheOtherApiGetsA500ThatSaysSo()
      throws Exception {
    server.enqueue(OpenAiReply.error(429, "Rate limit reached").retryAfterMs(20));
    server.enqueue(OpenAiReply.text("chat only"));
    server.enqueue(ResponsesReply.create().text("responses only"));

    Response limited = post("/responses", RESPONSES_REQUEST);
    Response wrongForResponses = post("/responses", RESPONSES_REQUEST);
    Response wrongForChat = post("/chat/completions", STREAM_REQUEST);

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.header("retry-after-ms")).contains("20");
    assertThat(limited.body()).contains("\"code\": \"rate_limit_exceeded\"");
    assertThat(wrongForResponses.statusCode()).isEqualTo(500);
    assertThat(wrongForResponses.body())
        .contains("ChatReply", "POST /v1/responses", "ResponsesReply");
    assertThat(wrongForChat.statusCode()).isEqualTo(500);
    assertThat(wrongForChat.body()).contains("ResponsesReply", "ChatReply");
  }

  @Test
  void responsesReplies_validateTheirArguments() {
    assertThatThrownBy(() -> ResponsesReply.create().cutAfterEvents(-2))
        .hasMessage("events must not be negative but was -2");
    assertThatThrownBy(() -> ResponsesReply.create().usage(-1, 0))
        .hasMessage("inputTokens must not be negative but was -1");
    assertThatThrownBy(() -> ResponsesReply.create().pacing(Duration.ofMillis(-1)))
        .hasMessage("pacing must not be negative but was PT-0.001S");
  }

  @Test
  void aPortOutOfRange_isRejected_namingIt_byEveryServer() {
    assertThatThrownBy(() -> OpenAiServer.start(OpenAiDialect.OPENAI, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be in [0, 65535] but was -1");
    assertThatThrownBy(() -> GeminiServer.start(65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be in [0, 65535] but was 65536");
    assertThatThrownBy(() -> AwsJsonServer.start(70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be in [0, 65535] but was 70000");
  }
}
