package dev.genaiprocessors.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.TokenUsage;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiDialect;
import dev.genaiprocessors.testing.OpenAiReply;
import dev.genaiprocessors.testing.OpenAiServer;
import dev.genaiprocessors.testing.RawReply;
import dev.genaiprocessors.testing.RecordedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official SDK, driven by {@link OpenAiModel}, against the local {@link OpenAiServer}. */
class OpenAiModelTest {
  private static final String KEY = "sk-test-4f9b2c7e1d3a";

  private OpenAiServer server;
  private OpenAiModel model;

  @BeforeEach
  void start() {
    server = OpenAiServer.start();
    model = model(b -> {});
  }

  @AfterEach
  void stop() {
    model.close();
    server.close();
  }

  private OpenAiModel model(Consumer<OpenAiModel.Builder> configure) {
    OpenAiModel.Builder builder =
        OpenAiModel.builder()
            .model("gpt-4o-mini")
            .apiKey(KEY)
            .baseUrl(server.baseUrl())
            .maxRetries(0);
    configure.accept(builder);
    return builder.build();
  }

  private static OpenAiException failure(Runnable run) {
    try {
      run.run();
    } catch (OpenAiException e) {
      // The vendor's exception itself, the model named in its suppressed trace.
      assertThat(ProcessorException.stageOf(e)).isPresent();
      return e;
    }
    throw new AssertionError("the run did not fail");
  }

  private static ProcessorPart last(ProcessorContent content) {
    return content.get(content.size() - 1);
  }

  // ---------------------------------------------------------------- streaming

  @Test
  void textDeltas_streamAsModelParts_inArrivalOrder() {
    server.enqueue(OpenAiReply.text("Hel", "lo", ", world"));

    List<ProcessorPart> parts = new ArrayList<>();
    for (ProcessorPart part : model.apply("Say hello")) {
      parts.add(part);
    }

    assertThat(parts).hasSize(4);
    assertThat(parts.subList(0, 3))
        .extracting(ProcessorPart::text)
        .containsExactly("Hel", "lo", ", world");
    assertThat(parts).allSatisfy(p -> assertThat(p.role()).isEqualTo("model"));
    assertThat(server.lastRequest().isStreaming()).isTrue();
  }

  @Test
  void aStreamWithoutContentType_isStillReadAsOne() {
    // HTTP lets a server leave the header out, and some OpenAI-compatible ones do.
    server.enqueue(
        RawReply.of(
            200,
            null,
            "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));

    assertThat(model.apply("Hello").text()).isEqualTo("Hi");
  }

  @Test
  void text_gathersTheWholeAnswer() {
    server.enqueue(OpenAiReply.text("The answer ", "is ", "42."));

    assertThat(model.apply("What is the answer?").text()).isEqualTo("The answer is 42.");
  }

  @Test
  void finalPart_carriesUsageModelFinishReasonAndResponseId() {
    server.enqueue(
        OpenAiReply.text("Hi")
            .usage(12, 3, 8, 2)
            .id("chatcmpl-abc")
            .model("gpt-4o-mini-2024-07-18"));

    ProcessorPart end = last(model.apply("Hi").gather());

    assertThat(end.text()).isEmpty();
    assertThat(end.isEndOfTurn()).isTrue();
    assertThat(end.metadata(OpenAiModel.FINISH_REASON)).isEqualTo("stop");
    assertThat(end.metadata(OpenAiModel.MODEL)).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(end.metadata(OpenAiModel.RESPONSE_ID)).isEqualTo("chatcmpl-abc");
    assertThat(end.metadata(OpenAiModel.SYSTEM_FINGERPRINT)).isNotNull();
    assertThat(TokenUsage.of(end)).contains(new TokenUsage(12, 3, 15, 8, 0, 2));
    assertThat(server.lastRequest().json().at("/stream_options/include_usage").asBoolean())
        .isTrue();
  }

  @Test
  void toolCallFragments_areReassembled_intoFunctionCallPartsWithTheirIds() {
    server.enqueue(
        ChatReply.create()
            .toolCall("call_1", "get_weather", "{\"ci", "ty\": \"Par", "is\"}")
            .toolCall("call_2", "get_time", "{\"zone\":", "\"CET\"}"));

    ProcessorContent out = model.apply("Weather and time in Paris?").gather();

    List<FunctionCall> calls =
        out.stream()
            .filter(ProcessorPart::isFunctionCall)
            .map(ProcessorPart::functionCall)
            .toList();
    assertThat(calls)
        .containsExactly(
            new FunctionCall("call_1", "get_weather", Map.of("city", "Paris")),
            new FunctionCall("call_2", "get_time", Map.of("zone", "CET")));
    assertThat(out.stream().filter(ProcessorPart::isFunctionCall))
        .allSatisfy(p -> assertThat(p.role()).isEqualTo("model"));
    assertThat(last(out).metadata(OpenAiModel.FINISH_REASON)).isEqualTo("tool_calls");
  }

  @Test
  void functionDeclarationParts_areOfferedAsTools_notSentAsContent() {
    server.enqueue(OpenAiReply.text("ok"));
    String declaration =
        "{\"name\":\"get_weather\",\"description\":\"The weather.\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}";

    model
        .apply(
            List.of(
                ProcessorPart.bytes(
                    declaration.getBytes(StandardCharsets.UTF_8), MimeTypes.FUNCTION_DECLARATION),
                ProcessorPart.text("Weather in Paris?")))
        .drain();

    JsonNode sent = server.lastRequest().json();
    assertThat(sent.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
    assertThat(sent.at("/tools/0/function/parameters/properties/city/type").asText())
        .isEqualTo("string");
    assertThat(sent.at("/messages").size()).isEqualTo(1);
    assertThat(sent.at("/messages/0/content").asText()).isEqualTo("Weather in Paris?");
  }

  @Test
  void functionDeclarationPart_withoutAName_failsNamingWhatItHeld() {
    assertThatThrownBy(
            () ->
                model
                    .apply(
                        List.of(
                            ProcessorPart.bytes(
                                "{\"description\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                                MimeTypes.FUNCTION_DECLARATION),
                            ProcessorPart.text("Hi")))
                    .drain())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a string \"name\"")
        .hasMessageContaining("{\"description\":\"x\"}");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void functionsDeclared_areSentAsTools_withTheirSchemaAndSettings() {
    server.enqueue(OpenAiReply.text("ok"));
    Map<String, Object> schema =
        Map.of(
            "type",
            "object",
            "properties",
            Map.of("city", Map.of("type", "string")),
            "required",
            List.of("city"));
    try (OpenAiModel withTools =
        model(
            b ->
                b.function("get_weather", "The weather in a city", schema)
                    .settings(
                        ChatSettings.builder()
                            .temperature(0.2)
                            .maxTokens(100)
                            .stop(List.of("END"))
                            .seed(7)
                            .toolChoice("required")
                            .build()))) {
      withTools.apply("Weather?").drain();
    }

    JsonNode body = server.lastRequest().json();
    assertThat(body.at("/tools/0/type").asText()).isEqualTo("function");
    assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
    assertThat(body.at("/tools/0/function/parameters/properties/city/type").asText())
        .isEqualTo("string");
    assertThat(body.at("/temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.at("/max_completion_tokens").asLong()).isEqualTo(100);
    assertThat(body.at("/stop/0").asText()).isEqualTo("END");
    assertThat(body.at("/seed").asLong()).isEqualTo(7);
    assertThat(body.at("/tool_choice").asText()).isEqualTo("required");
  }

  // ---------------------------------------------------------------- requests

  @Test
  void request_mapsRolesTextImagesAndAudio_intoMessages() {
    server.enqueue(OpenAiReply.text("ok"));
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    byte[] wav = {'R', 'I', 'F', 'F'};

    model
        .apply(
            List.of(
                ProcessorPart.text("Be brief.").withRole("system"),
                ProcessorPart.text("What is in ").withRole("user"),
                ProcessorPart.text("this picture?").withRole("user"),
                ProcessorPart.bytes(png, MimeTypes.IMAGE_PNG).withRole("user"),
                ProcessorPart.fromUri("https://example.com/cat.jpg", MimeTypes.IMAGE_JPEG)
                    .withMetadata("detail", "low"),
                ProcessorPart.bytes(wav, MimeTypes.AUDIO_WAV)))
        .drain();

    RecordedRequest request = server.lastRequest();
    assertThat(request.header("authorization")).isEqualTo("Bearer " + KEY);
    assertThat(request.json().at("/model").asText()).isEqualTo("gpt-4o-mini");
    List<JsonNode> messages = request.messages();
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).at("/role").asText()).isEqualTo("system");
    assertThat(messages.get(0).at("/content").asText()).isEqualTo("Be brief.");
    JsonNode user = messages.get(1);
    assertThat(user.at("/role").asText()).isEqualTo("user");
    assertThat(user.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(user.at("/content/0/text").asText()).isEqualTo("What is in this picture?");
    assertThat(user.at("/content/1/image_url/url").asText())
        .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(png));
    assertThat(user.at("/content/2/image_url/url").asText())
        .isEqualTo("https://example.com/cat.jpg");
    assertThat(user.at("/content/2/image_url/detail").asText()).isEqualTo("low");
    assertThat(user.at("/content/3/type").asText()).isEqualTo("input_audio");
    assertThat(user.at("/content/3/input_audio/format").asText()).isEqualTo("wav");
    assertThat(user.at("/content/3/input_audio/data").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(wav));
  }

  @Test
  void conversation_roundTrips_withFunctionCallsAndResponses() {
    server.enqueue(
        ChatReply.create()
            .text("Let me check.")
            .toolCall("call_9", "get_weather", "{\"city\":\"Paris\"}"));
    server.enqueue(OpenAiReply.text("Sunny, 21°C."));

    ProcessorPart question = ProcessorPart.text("Weather in Paris?").withRole("user");
    ProcessorContent first = model.apply(question).gather();
    FunctionCall call =
        first.stream()
            .filter(ProcessorPart::isFunctionCall)
            .findFirst()
            .orElseThrow()
            .functionCall();
    // An ordered map: the tool message's JSON keeps the result's key order.
    Map<String, Object> weather = new java.util.LinkedHashMap<>();
    weather.put("celsius", 21);
    weather.put("sky", "sunny");
    ProcessorPart response =
        ProcessorPart.functionResponse(
                FunctionResponse.result(call.name(), weather).withId(call.id()))
            .withRole("user");
    List<ProcessorPart> conversation = new ArrayList<>();
    conversation.add(question);
    conversation.addAll(first.parts());
    conversation.add(response);
    String answer = model.apply(conversation).text();

    assertThat(answer).isEqualTo("Sunny, 21°C.");
    List<JsonNode> messages = server.lastRequest().messages();
    assertThat(messages)
        .extracting(m -> m.get("role").asText())
        .containsExactly("user", "assistant", "tool");
    assertThat(messages.get(1).at("/content").asText()).isEqualTo("Let me check.");
    assertThat(messages.get(1).at("/tool_calls/0/id").asText()).isEqualTo("call_9");
    assertThat(messages.get(1).at("/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
    assertThat(messages.get(1).at("/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(messages.get(2).at("/tool_call_id").asText()).isEqualTo("call_9");
    assertThat(messages.get(2).at("/content").asText())
        .isEqualTo("{\"result\":{\"celsius\":21,\"sky\":\"sunny\"}}");
  }

  @Test
  void callsAndResponsesWithoutIds_arePairedByName() {
    server.enqueue(OpenAiReply.text("done"));

    model
        .apply(
            List.of(
                ProcessorPart.text("Go").withRole("user"),
                ProcessorPart.functionCall("lookup", Map.of("q", "a")).withRole("model"),
                ProcessorPart.functionResponse("lookup", "found a").withRole("user")))
        .drain();

    List<JsonNode> messages = server.lastRequest().messages();
    String id = messages.get(1).at("/tool_calls/0/id").asText();
    assertThat(id).isNotBlank();
    assertThat(messages.get(2).at("/tool_call_id").asText()).isEqualTo(id);
  }

  @Test
  void emptyInput_sendsNoRequest_andEmitsNothing() {
    assertThat(model.apply(List.of()).gather().parts()).isEmpty();
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void partThatCannotBeSent_failsTheRun_namingItsType() {
    assertThatThrownBy(
            () -> model.apply(ProcessorPart.bytes(new byte[4], MimeTypes.VIDEO_MP4)).drain())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("video/mp4");
    assertThat(server.requestCount()).isZero();
  }

  // ---------------------------------------------------------------- structured output

  record Forecast(String city, double celsius) {}

  @Test
  void responseFormatOfARecord_sendsItsSchema_andEmitsOneTypedJsonPart() {
    server.enqueue(OpenAiReply.text("{\"city\":\"Paris\",", "\"celsius\":21.5}"));
    try (OpenAiModel structured =
        model(
            b ->
                b.settings(
                    ChatSettings.builder()
                        .responseFormat(ResponseFormat.of(Forecast.class))
                        .build()))) {
      ProcessorContent out = structured.apply("Weather in Paris as JSON").gather();

      assertThat(out.get(0).mimeType()).isEqualTo("application/json; type=Forecast");
      assertThat(out.get(0).as(Forecast.class)).isEqualTo(new Forecast("Paris", 21.5));
    }
    JsonNode format = server.lastRequest().json().at("/response_format");
    assertThat(format.at("/type").asText()).isEqualTo("json_schema");
    assertThat(format.at("/json_schema/strict").asBoolean()).isTrue();
    assertThat(format.at("/json_schema/schema/properties/celsius/type").asText())
        .isEqualTo("number");
  }

  @Test
  void settings_outOfRange_failWithAMessageNamingTheValue() {
    assertThatThrownBy(() -> ChatSettings.builder().temperature(3.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("temperature must be in [0, 2] but was 3.5");
    assertThatThrownBy(() -> ChatSettings.builder().maxTokens(0))
        .hasMessage("maxTokens must be at least 1 but was 0");
    assertThatThrownBy(() -> ChatSettings.builder().topP(Double.NaN))
        .hasMessage("topP must be in [0, 1] but was NaN");
    assertThatThrownBy(() -> ChatSettings.builder().stop(List.of("a", "")))
        .hasMessage("stop[1] must not be empty but was ''");
    assertThatThrownBy(() -> OpenAiModel.builder().model("m").apiKey(KEY).baseUrl("ftp://x"))
        .hasMessage("baseUrl must be an http or https URL but was 'ftp://x'");
  }

  // ---------------------------------------------------------------- faults

  @Test
  void rateLimit_surfacesAsTypedError_withStatusTypeRequestIdAndRetryHint() {
    server.enqueue(
        OpenAiReply.error(429, "Rate limit reached for gpt-4o-mini. Please try again in 456ms.")
            .retryAfterMs(456)
            .retryAfter(Duration.ofSeconds(1))
            .requestId("req_ratelimited"));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.RATE_LIMITED);
    assertThat(error.status()).isEqualTo(429);
    assertThat(error.type()).isEqualTo("requests");
    assertThat(error.code()).isEqualTo("rate_limit_exceeded");
    assertThat(error.requestId()).isEqualTo("req_ratelimited");
    assertThat(error.retryAfter()).isEqualTo(Duration.ofMillis(456));
    assertThat(error.isRetryable()).isTrue();
    assertThat(error.vendorMessage()).startsWith("Rate limit reached");
    assertThat(error.getMessage())
        .contains("429", "rate_limit_exceeded", "req_ratelimited")
        .doesNotContain(KEY);
  }

  @Test
  void rateLimit_isRetriedByTheSdk_afterTheWaitTheServerAskedFor() {
    server.enqueue(OpenAiReply.error(429, "Slow down").retryAfterMs(10), OpenAiReply.text("fine"));
    try (OpenAiModel retrying = model(b -> b.maxRetries(1))) {
      assertThat(retrying.apply("Hi").text()).isEqualTo("fine");
    }
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void insufficientQuota_isNotRetryable() {
    server.enqueue(
        OpenAiReply.error(429, "You exceeded your current quota")
            .type("insufficient_quota")
            .code("insufficient_quota")
            .shouldRetry(false));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.QUOTA_EXCEEDED);
    assertThat(error.shouldRetry()).isFalse();
    assertThat(error.isRetryable()).isFalse();
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {500, 502, 503})
  void serverErrors_surfaceAsServerError_withStatusAndRequestId(int status) {
    server.enqueue(OpenAiReply.error(status, "The server had an error").retryAfter("2"));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.SERVER_ERROR);
    assertThat(error.status()).isEqualTo(status);
    assertThat(error.type()).isEqualTo("server_error");
    assertThat(error.requestId()).startsWith("req_");
    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void ollamaStyleErrorBody_givesItsMessage() {
    server.enqueue(
        OpenAiReply.error(503, "busy")
            .rawBody(
                "{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}"));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.status()).isEqualTo(503);
    assertThat(error.vendorMessage()).startsWith("server busy");
  }

  @Test
  void streamCutOffHalfway_deliversWhatArrived_thenFailsAsInterrupted() {
    server.enqueue(OpenAiReply.text("one ", "two ", "three ", "four").cutAfterEvents(3));

    List<String> received = new ArrayList<>();
    OpenAiException error =
        failure(
            () -> {
              for (ProcessorPart part : model.apply("Count")) {
                received.add(part.text());
              }
            });

    assertThat(received).containsExactly("one ", "two ");
    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.STREAM_INTERRUPTED);
    assertThat(error.status()).isZero();
    assertThat(error.requestId()).startsWith("req_");
    assertThat(error.isRetryable()).isTrue();
  }

  @Test
  void malformedChunk_failsAsInvalidResponse() {
    server.enqueue(OpenAiReply.text("a", "b").malformedEventAt(2));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.INVALID_RESPONSE);
    assertThat(error.getMessage()).doesNotContain(KEY);
  }

  @Test
  void errorEventInTheStream_failsAsStreamError_withTheVendorMessage() {
    server.enqueue(OpenAiReply.text("a", "b").errorEventAt(2, "The model is overloaded"));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.STREAM_ERROR);
    assertThat(error.type()).isEqualTo("server_error");
    assertThat(error.vendorMessage()).isEqualTo("The model is overloaded");
  }

  @Test
  void streamEndingWithoutAFinishReason_failsAsInterrupted() {
    server.enqueue(OpenAiReply.text("a", "b").endAfterEvents(3));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.STREAM_INTERRUPTED);
    assertThat(error.getMessage()).contains("no finish_reason");
  }

  @Test
  void slowFirstByte_beyondTheReadTimeout_failsAsTimeout() {
    server.enqueue(OpenAiReply.text("late").firstByteDelay(Duration.ofSeconds(2)));
    try (OpenAiModel impatient = model(b -> b.readTimeout(Duration.ofMillis(200)))) {
      OpenAiException error = failure(() -> impatient.apply("Hi").drain());

      assertThat(error.kind()).isEqualTo(OpenAiException.Kind.TIMEOUT);
      assertThat(error.isRetryable()).isTrue();
    }
  }

  @Test
  void slowFirstByteAndPacedChunks_withinTheTimeouts_stillStreamEverything() {
    server.enqueue(
        OpenAiReply.text("slow", " but", " sure")
            .firstByteDelay(Duration.ofMillis(100))
            .pacing(Duration.ofMillis(20)));

    assertThat(model.apply("Hi").text()).isEqualTo("slow but sure");
  }

  @Test
  void apiKey_neverAppears_inMessagesCausesStackTracesOrToString() {
    server.enqueue(
        OpenAiReply.error(
            401,
            "Incorrect API key provided: "
                + KEY
                + ". You can find your API key at https://platform.openai.com/account/api-keys."));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.AUTHENTICATION);
    assertThat(error.code()).isEqualTo("invalid_api_key");
    assertThat(error.getMessage()).contains("Incorrect API key provided: <redacted>");
    assertThat(error.vendorMessage()).doesNotContain(KEY);
    assertThat(trace.toString()).doesNotContain(KEY);
    assertThat(model.toString()).doesNotContain(KEY).contains("apiKey=<redacted>");
  }

  @Test
  void connectionRefused_failsAsConnectionFailed() {
    int port = server.port();
    server.close();
    try (OpenAiModel nowhere =
        OpenAiModel.builder()
            .model("m")
            .apiKey(KEY)
            .baseUrl("http://127.0.0.1:" + port + "/v1")
            .maxRetries(0)
            .build()) {
      OpenAiException error = failure(() -> nowhere.apply("Hi").drain());

      assertThat(error.kind()).isEqualTo(OpenAiException.Kind.CONNECTION_FAILED);
    }
  }

  // ---------------------------------------------------------------- compatible servers

  /**
   * Each dialect's quirk once broke a call: Azure's chunks put {@code choices} before {@code id}
   * and {@code model} and its first chunk has both empty (the final part lost them); Qwen sends
   * {@code "id":""} in a call's later fragments (the call id came out empty); GLM sends {@code
   * "name":""} in them (the run failed for a call without a function name).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"OLLAMA", "VLLM", "AZURE", "QWEN", "GLM"})
  void compatibleServers_streamTextAndToolCalls_whateverTheirQuirks(String name) {
    OpenAiDialect dialect = OpenAiDialect.valueOf(name);
    try (OpenAiServer compatible = OpenAiServer.start(dialect);
        OpenAiModel local =
            OpenAiModel.builder()
                .model("llama3.2")
                .apiKey("ollama")
                .baseUrl(compatible.baseUrl())
                .build()) {
      compatible.enqueue(
          ChatReply.create()
              .text("Checking", "...")
              .toolCall("call_a", "get_weather", "{\"city\":", " \"Os", "lo\"}")
              .id("chatcmpl-compat")
              .model("served-model-0715")
              .usage(12, 5));

      ProcessorContent out = local.apply("Weather in Oslo?").gather();

      assertThat(
              out.stream()
                  .filter(p -> !p.isFunctionCall() && !p.isEndOfTurn())
                  .map(ProcessorPart::text))
          .containsExactly("Checking", "...");
      assertThat(
              out.stream().filter(ProcessorPart::isFunctionCall).map(ProcessorPart::functionCall))
          .containsExactly(new FunctionCall("call_a", "get_weather", Map.of("city", "Oslo")));
      ProcessorPart end = last(out);
      assertThat(end.metadata(OpenAiModel.FINISH_REASON)).isEqualTo("tool_calls");
      assertThat(end.metadata(OpenAiModel.MODEL)).isEqualTo("served-model-0715");
      assertThat(end.metadata(OpenAiModel.RESPONSE_ID)).isEqualTo("chatcmpl-compat");
      if (dialect == OpenAiDialect.OLLAMA) {
        assertThat(TokenUsage.of(end)).isEmpty(); // Ollama sends no usage in the stream
      } else { // vLLM's usage chunk has "choices": null; GLM's usage is in its finish chunk
        assertThat(TokenUsage.of(end))
            .hasValueSatisfying(
                usage -> {
                  assertThat(usage.promptTokens()).isEqualTo(12);
                  assertThat(usage.completionTokens()).isEqualTo(5);
                  assertThat(usage.totalTokens()).isEqualTo(17);
                });
      }
    }
  }
}
