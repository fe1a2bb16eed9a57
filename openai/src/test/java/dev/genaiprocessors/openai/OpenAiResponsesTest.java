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
import dev.genaiprocessors.Substreams;
import dev.genaiprocessors.model.TokenUsage;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiReply;
import dev.genaiprocessors.testing.OpenAiServer;
import dev.genaiprocessors.testing.RawReply;
import dev.genaiprocessors.testing.RecordedRequest;
import dev.genaiprocessors.testing.ResponsesReply;
import dev.genaiprocessors.tools.FunctionCalling;
import dev.genaiprocessors.tools.Tool;
import dev.genaiprocessors.tools.ToolMethod;
import dev.genaiprocessors.tools.ToolParam;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link OpenAiModel} on the Responses API ({@link OpenAiApi#RESPONSES}), driving the official SDK
 * against the local {@link OpenAiServer}; scenarios that must behave alike on both APIs run on
 * each.
 */
@Timeout(60)
class OpenAiResponsesTest {
  private static final String KEY = "sk-test-9c1e5a7b3d2f";

  private OpenAiServer server;
  private OpenAiModel model;

  @BeforeEach
  void start() {
    server = OpenAiServer.start();
    model = model(OpenAiApi.RESPONSES, b -> {});
  }

  @AfterEach
  void stop() {
    model.close();
    server.close();
  }

  private OpenAiModel model(OpenAiApi api, Consumer<OpenAiModel.Builder> configure) {
    OpenAiModel.Builder builder =
        OpenAiModel.builder()
            .model("gpt-4.1-mini")
            .apiKey(KEY)
            .baseUrl(server.baseUrl())
            .maxRetries(0)
            .api(api);
    configure.accept(builder);
    return builder.build();
  }

  /** The same answer scripted for whichever API the model calls. */
  private void enqueueText(OpenAiApi api, String... deltas) {
    server.enqueue(
        api == OpenAiApi.RESPONSES
            ? ResponsesReply.create().text(deltas)
            : OpenAiReply.text(deltas));
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

  private static List<FunctionCall> calls(ProcessorContent content) {
    return content.stream()
        .filter(ProcessorPart::isFunctionCall)
        .map(ProcessorPart::functionCall)
        .toList();
  }

  // ---------------------------------------------------------------- both APIs

  @ParameterizedTest(name = "{0}")
  @EnumSource(OpenAiApi.class)
  void textDeltas_streamAsModelParts_asTheyArrive_onBothApis(OpenAiApi api) {
    enqueueText(api, "Hel", "lo", ", world");
    List<ProcessorPart> parts = new ArrayList<>();
    try (OpenAiModel m = model(api, b -> {})) {
      for (ProcessorPart part : m.apply("Say hello")) {
        parts.add(part);
      }
    }

    assertThat(parts).hasSize(4);
    assertThat(parts.subList(0, 3))
        .extracting(ProcessorPart::text)
        .containsExactly("Hel", "lo", ", world");
    assertThat(parts).allSatisfy(p -> assertThat(p.role()).isEqualTo("model"));
    assertThat(parts.get(3).isEndOfTurn()).isTrue();
    assertThat(parts.get(3).metadata(OpenAiModel.FINISH_REASON)).isEqualTo("stop");
    assertThat(server.lastRequest().path())
        .isEqualTo(api == OpenAiApi.RESPONSES ? "/v1/responses" : "/v1/chat/completions");
    assertThat(server.lastRequest().isStreaming()).isTrue();
  }

  record Forecast(String city, double celsius) {}

  @ParameterizedTest(name = "{0}")
  @EnumSource(OpenAiApi.class)
  void responseFormatOfARecord_emitsOneTypedJsonPart_onBothApis(OpenAiApi api) {
    enqueueText(api, "{\"city\":\"Paris\",", "\"celsius\":21.5}");
    try (OpenAiModel structured =
        model(
            api,
            b ->
                b.settings(
                    ChatSettings.builder()
                        .responseFormat(ResponseFormat.of(Forecast.class))
                        .build()))) {
      ProcessorContent out = structured.apply("Weather in Paris as JSON").gather();

      assertThat(out.size()).isEqualTo(2);
      assertThat(out.get(0).mimeType()).isEqualTo("application/json; type=Forecast");
      assertThat(out.get(0).as(Forecast.class)).isEqualTo(new Forecast("Paris", 21.5));
    }
    JsonNode format =
        api == OpenAiApi.RESPONSES
            ? server.lastRequest().json().at("/text/format")
            : server.lastRequest().json().at("/response_format/json_schema");
    if (api == OpenAiApi.RESPONSES) {
      assertThat(format.at("/type").asText()).isEqualTo("json_schema");
    }
    assertThat(format.at("/name").asText()).isNotBlank();
    assertThat(format.at("/strict").asBoolean()).isTrue();
    assertThat(format.at("/schema/properties/celsius/type").asText()).isEqualTo("number");
    assertThat(format.at("/schema/additionalProperties").asBoolean(true)).isFalse();
  }

  /** Two tools for the function-calling loop. */
  public static final class TravelTools {
    @ToolMethod(name = "get_weather", description = "The current weather in a city.")
    public String getWeather(@ToolParam(name = "city", description = "The city") String city) {
      return city + ": sunny, 21°C";
    }

    @ToolMethod(name = "get_time", description = "The local time in a city.")
    public String getTime(@ToolParam(name = "city", description = "The city") String city) {
      return city + ": 14:05";
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(OpenAiApi.class)
  void functionCalling_runsTwoToolsCalledInOneTurn_andSendsTheirOutputsBack_onBothApis(
      OpenAiApi api) {
    if (api == OpenAiApi.RESPONSES) {
      server.enqueue(
          ResponsesReply.create()
              .text("Checking.")
              .functionCall("call_w", "get_weather", "{\"city\":", "\"Paris\"}")
              .functionCall("call_t", "get_time", "{\"city\":\"Paris\"}"));
      server.enqueue(ResponsesReply.create().text("Sunny, and it is 14:05."));
    } else {
      server.enqueue(
          ChatReply.create()
              .text("Checking.")
              .toolCall("call_w", "get_weather", "{\"city\":", "\"Paris\"}")
              .toolCall("call_t", "get_time", "{\"city\":\"Paris\"}"));
      server.enqueue(OpenAiReply.text("Sunny, and it is 14:05."));
    }
    ProcessorContent out;
    try (OpenAiModel m = model(api, b -> {})) {
      out =
          FunctionCalling.of(m, Tool.fromMethods(new TravelTools()))
              .apply("Weather and time in Paris?")
              .gather();
    }

    assertThat(calls(out)).extracting(FunctionCall::id).containsExactly("call_w", "call_t");
    assertThat(
            out.stream()
                .filter(ProcessorPart::isFunctionResponse)
                .map(p -> p.functionResponse().response()))
        .containsExactly(Map.of("result", "Paris: sunny, 21°C"), Map.of("result", "Paris: 14:05"));
    assertThat(
            out.stream()
                .filter(p -> p.isText() && p.role().equals("model"))
                .map(ProcessorPart::text)
                .reduce("", String::concat))
        .isEqualTo("Checking.Sunny, and it is 14:05.");
    assertThat(server.requestCount()).isEqualTo(2);
    for (RecordedRequest request : server.requests()) {
      JsonNode tools = request.json().path("tools");
      List<String> names = new ArrayList<>();
      tools.forEach(
          t ->
              names.add(
                  api == OpenAiApi.RESPONSES
                      ? t.path("name").asText()
                      : t.at("/function/name").asText()));
      assertThat(names).containsExactlyInAnyOrder("get_weather", "get_time");
    }
    RecordedRequest second = server.lastRequest();
    if (api == OpenAiApi.RESPONSES) {
      List<JsonNode> input = second.input();
      assertThat(input)
          .extracting(i -> i.has("role") ? i.path("role").asText() : i.path("type").asText())
          .containsExactly(
              "user",
              "assistant",
              "function_call",
              "function_call",
              "function_call_output",
              "function_call_output");
      assertThat(input.get(4).path("call_id").asText()).isEqualTo("call_w");
      assertThat(input.get(4).path("output").asText())
          .isEqualTo("{\"result\":\"Paris: sunny, 21°C\"}");
      assertThat(input.get(5).path("call_id").asText()).isEqualTo("call_t");
      assertThat(second.json().at("/tools/0/type").asText()).isEqualTo("function");
      assertThat(second.json().at("/tools/0/strict").asBoolean(true)).isFalse();
    } else {
      assertThat(second.messages())
          .extracting(msg -> msg.path("role").asText())
          .containsExactly("user", "assistant", "tool", "tool");
    }
  }

  // ---------------------------------------------------------------- requests

  @Test
  void
      responses_mapsRolesTextImagesAndPdfs_intoInputItems_andTheSystemInstructionIntoInstructions() {
    server.enqueue(ResponsesReply.create().text("ok"));
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    byte[] pdf = {'%', 'P', 'D', 'F'};
    try (OpenAiModel m = model(OpenAiApi.RESPONSES, b -> b.systemInstruction("Be brief."))) {
      m.apply(
              List.of(
                  ProcessorPart.text("You are a travel agent.").withRole("developer"),
                  ProcessorPart.text("What is in ").withRole("user"),
                  ProcessorPart.text("these?").withRole("user"),
                  ProcessorPart.bytes(png, MimeTypes.IMAGE_PNG).withRole("user"),
                  ProcessorPart.fromUri("https://example.com/cat.jpg", MimeTypes.IMAGE_JPEG)
                      .withMetadata("detail", "low"),
                  ProcessorPart.bytes(pdf, MimeTypes.APPLICATION_PDF),
                  ProcessorPart.fromUri("file-abc123", MimeTypes.APPLICATION_PDF),
                  ProcessorPart.text("A cat and two PDFs.").withRole("model"),
                  ProcessorPart.text("Thinking...").withRole("model").withThought(true),
                  ProcessorPart.text("Thanks!").withRole("user")))
          .drain();
    }

    RecordedRequest request = server.lastRequest();
    assertThat(request.header("authorization")).isEqualTo("Bearer " + KEY);
    JsonNode body = request.json();
    assertThat(body.at("/model").asText()).isEqualTo("gpt-4.1-mini");
    assertThat(body.at("/instructions").asText()).isEqualTo("Be brief.");
    assertThat(body.at("/stream").asBoolean()).isTrue();
    List<JsonNode> input = request.input();
    assertThat(input)
        .extracting(i -> i.path("role").asText())
        .containsExactly("developer", "user", "assistant", "user");
    assertThat(input.get(0).path("content").asText()).isEqualTo("You are a travel agent.");
    JsonNode content = input.get(1).path("content");
    assertThat(content.at("/0/type").asText()).isEqualTo("input_text");
    assertThat(content.at("/0/text").asText()).isEqualTo("What is in these?");
    assertThat(content.at("/1/type").asText()).isEqualTo("input_image");
    assertThat(content.at("/1/image_url").asText())
        .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(png));
    assertThat(content.at("/1/detail").asText()).isEqualTo("auto");
    assertThat(content.at("/2/image_url").asText()).isEqualTo("https://example.com/cat.jpg");
    assertThat(content.at("/2/detail").asText()).isEqualTo("low");
    assertThat(content.at("/3/type").asText()).isEqualTo("input_file");
    assertThat(content.at("/3/file_data").asText())
        .isEqualTo("data:application/pdf;base64," + Base64.getEncoder().encodeToString(pdf));
    assertThat(content.at("/3/filename").asText()).isEqualTo("document.pdf");
    assertThat(content.at("/4/type").asText()).isEqualTo("input_file");
    assertThat(content.at("/4/file_id").asText()).isEqualTo("file-abc123");
    assertThat(input.get(2).path("content").asText()).isEqualTo("A cat and two PDFs.");
    assertThat(input.get(3).path("content").asText()).isEqualTo("Thanks!");
  }

  @Test
  void responses_roundTripsAFunctionCall_asFunctionCallAndFunctionCallOutputItems() {
    server.enqueue(
        ResponsesReply.create()
            .text("Let me check.")
            .functionCall("call_9", "get_weather", "{\"ci", "ty\": \"Par", "is\"}"));
    server.enqueue(ResponsesReply.create().text("Sunny, 21°C."));

    ProcessorPart question = ProcessorPart.text("Weather in Paris?").withRole("user");
    ProcessorContent first = model.apply(question).gather();
    FunctionCall call = calls(first).get(0);
    Map<String, Object> weather = new LinkedHashMap<>();
    weather.put("celsius", 21);
    weather.put("sky", "sunny");
    List<ProcessorPart> conversation = new ArrayList<>();
    conversation.add(question);
    conversation.addAll(first.parts());
    conversation.add(
        ProcessorPart.functionResponse(
                FunctionResponse.result(call.name(), weather).withId(call.id()))
            .withRole("user"));
    String answer = model.apply(conversation).text();

    assertThat(call).isEqualTo(new FunctionCall("call_9", "get_weather", Map.of("city", "Paris")));
    assertThat(last(first).metadata(OpenAiModel.FINISH_REASON)).isEqualTo("tool_calls");
    assertThat(answer).isEqualTo("Sunny, 21°C.");
    List<JsonNode> input = server.lastRequest().input();
    assertThat(input).hasSize(4);
    assertThat(input.get(1).path("role").asText()).isEqualTo("assistant");
    assertThat(input.get(1).path("content").asText()).isEqualTo("Let me check.");
    assertThat(input.get(2).path("type").asText()).isEqualTo("function_call");
    assertThat(input.get(2).path("call_id").asText()).isEqualTo("call_9");
    assertThat(input.get(2).path("name").asText()).isEqualTo("get_weather");
    assertThat(input.get(2).path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(input.get(3).path("type").asText()).isEqualTo("function_call_output");
    assertThat(input.get(3).path("call_id").asText()).isEqualTo("call_9");
    assertThat(input.get(3).path("output").asText())
        .isEqualTo("{\"result\":{\"celsius\":21,\"sky\":\"sunny\"}}");
  }

  @Test
  void responses_pairsCallsAndOutputsWithoutIds_byName() {
    server.enqueue(ResponsesReply.create().text("done"));

    model
        .apply(
            List.of(
                ProcessorPart.text("Go").withRole("user"),
                ProcessorPart.functionCall("lookup", Map.of("q", "a")).withRole("model"),
                ProcessorPart.functionResponse("lookup", "found a").withRole("user")))
        .drain();

    List<JsonNode> input = server.lastRequest().input();
    String id = input.get(1).path("call_id").asText();
    assertThat(id).isNotBlank();
    assertThat(input.get(2).path("call_id").asText()).isEqualTo(id);
  }

  @Test
  void responses_sendsSettingsToolsAndToolChoice_inTheResponsesShape() {
    server.enqueue(ResponsesReply.create().text("ok"));
    Map<String, Object> schema =
        Map.of(
            "type",
            "object",
            "properties",
            Map.of("city", Map.of("type", "string")),
            "required",
            List.of("city"));
    try (OpenAiModel configured =
        model(
            OpenAiApi.RESPONSES,
            b ->
                b.function("get_weather", "The weather in a city", schema)
                    .function("get_time", "The time in a city", schema, true)
                    .settings(
                        ChatSettings.builder()
                            .temperature(0.2)
                            .topP(0.9)
                            .maxTokens(100)
                            .parallelToolCalls(false)
                            .reasoningEffort("low")
                            .toolChoice("get_weather")
                            .responseFormat(ResponseFormat.jsonObject())
                            .build()))) {
      configured.apply("Weather?").drain();
    }

    JsonNode body = server.lastRequest().json();
    assertThat(body.at("/temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.at("/top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.at("/max_output_tokens").asLong()).isEqualTo(100);
    assertThat(body.at("/parallel_tool_calls").asBoolean(true)).isFalse();
    assertThat(body.at("/reasoning/effort").asText()).isEqualTo("low");
    assertThat(body.at("/tool_choice/type").asText()).isEqualTo("function");
    assertThat(body.at("/tool_choice/name").asText()).isEqualTo("get_weather");
    assertThat(body.at("/text/format/type").asText()).isEqualTo("json_object");
    assertThat(body.at("/tools/0/type").asText()).isEqualTo("function");
    assertThat(body.at("/tools/0/name").asText()).isEqualTo("get_weather");
    assertThat(body.at("/tools/0/description").asText()).isEqualTo("The weather in a city");
    assertThat(body.at("/tools/0/parameters/properties/city/type").asText()).isEqualTo("string");
    assertThat(body.at("/tools/0/strict").asBoolean(true)).isFalse();
    assertThat(body.at("/tools/1/strict").asBoolean()).isTrue();
    assertThat(body.has("stop")).isFalse();
    assertThat(body.has("stream_options")).isFalse();
    assertThat(body.has("messages")).isFalse();
  }

  @Test
  void responses_jsonSchemaFormat_goesToTextFormat_andItsTextStillStreams() {
    server.enqueue(ResponsesReply.create().text("{\"ok\":", "true}"));
    Map<String, Object> schema =
        Map.of(
            "type",
            "object",
            "properties",
            Map.of("ok", Map.of("type", "boolean")),
            "required",
            List.of("ok"),
            "additionalProperties",
            false);
    try (OpenAiModel configured =
        model(
            OpenAiApi.RESPONSES,
            b ->
                b.settings(
                    ChatSettings.builder()
                        .responseFormat(ResponseFormat.jsonSchema("verdict", schema, true))
                        .build()))) {
      assertThat(configured.apply("OK?").text()).isEqualTo("{\"ok\":true}");
    }

    JsonNode format = server.lastRequest().json().at("/text/format");
    assertThat(format.at("/type").asText()).isEqualTo("json_schema");
    assertThat(format.at("/name").asText()).isEqualTo("verdict");
    assertThat(format.at("/strict").asBoolean()).isTrue();
    assertThat(format.at("/schema/properties/ok/type").asText()).isEqualTo("boolean");
  }

  @Test
  void declarationParts_becomeTools_butABuilderFunctionOfTheSameNameWins() {
    server.enqueue(ResponsesReply.create().text("ok"));
    Map<String, Object> schema = Map.of("type", "object", "properties", Map.of());
    try (OpenAiModel configured =
        model(OpenAiApi.RESPONSES, b -> b.function("get_time", "From the builder", schema))) {
      configured
          .apply(
              List.of(
                  ProcessorPart.text("{\"name\":\"get_time\",\"description\":\"From a part\"}")
                      .withMimeType(MimeTypes.FUNCTION_DECLARATION),
                  ProcessorPart.text(
                          "{\"name\":\"get_date\",\"description\":\"The date\","
                              + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}")
                      .withMimeType(MimeTypes.FUNCTION_DECLARATION),
                  ProcessorPart.text("What time is it?")))
          .drain();
    }

    JsonNode body = server.lastRequest().json();
    assertThat(body.at("/tools").size()).isEqualTo(2);
    assertThat(body.at("/tools/0/description").asText()).isEqualTo("From the builder");
    assertThat(body.at("/tools/1/name").asText()).isEqualTo("get_date");
    assertThat(server.lastRequest().input()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"stop", "seed", "presencePenalty", "frequencyPenalty"})
  void responses_refusesSettingsItDoesNotHave_atBuildTime_namingThem(String setting) {
    ChatSettings.Builder settings = ChatSettings.builder();
    switch (setting) {
      case "stop" -> settings.stop(List.of("END"));
      case "seed" -> settings.seed(7);
      case "presencePenalty" -> settings.presencePenalty(0.5);
      default -> settings.frequencyPenalty(0.5);
    }
    OpenAiModel.Builder builder =
        OpenAiModel.builder()
            .model("gpt-4.1-mini")
            .apiKey(KEY)
            .api(OpenAiApi.RESPONSES)
            .settings(settings.build());

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the Responses API has no " + setting + ":")
        .hasMessageContaining("OpenAiApi.CHAT_COMPLETIONS")
        .hasMessageNotContaining(KEY);
    try (OpenAiModel chat = builder.api(OpenAiApi.CHAT_COMPLETIONS).build()) {
      assertThat(chat.api()).isEqualTo(OpenAiApi.CHAT_COMPLETIONS);
    }
  }

  @Test
  void responses_refusesAudio_namingTheOtherApi_andSendsNothing() {
    assertThatThrownBy(
            () -> model.apply(ProcessorPart.bytes(new byte[4], MimeTypes.AUDIO_WAV)).drain())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("audio/wav")
        .hasMessageContaining("CHAT_COMPLETIONS");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void responses_passesReservedPartsThrough_andSendsNothingForAnEmptyConversation() {
    ProcessorPart status = ProcessorPart.text("working").withSubstreamName(Substreams.STATUS);

    assertThat(model.apply(List.of(status)).gather().parts()).containsExactly(status);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void api_isChatCompletionsByDefault_andRequired() {
    try (OpenAiModel chat = OpenAiModel.builder().model("m").apiKey(KEY).build()) {
      assertThat(chat.api()).isEqualTo(OpenAiApi.CHAT_COMPLETIONS);
      assertThat(chat.toString()).doesNotContain("api=");
    }
    assertThat(model.api()).isEqualTo(OpenAiApi.RESPONSES);
    assertThat(model.toString()).contains("api=RESPONSES");
    assertThatThrownBy(() -> OpenAiModel.builder().api(null))
        .isInstanceOf(NullPointerException.class);
  }

  // ---------------------------------------------------------------- output

  @Test
  void responses_finalPart_carriesUsageModelFinishReasonAndResponseId() {
    server.enqueue(
        ResponsesReply.create()
            .text("Hi")
            .usage(12, 3, 8, 2)
            .id("resp_abc")
            .model("gpt-4.1-mini-2025-04-14"));

    ProcessorPart end = last(model.apply("Hi").gather());

    assertThat(end.text()).isEmpty();
    assertThat(end.role()).isEqualTo("model");
    assertThat(end.isEndOfTurn()).isTrue();
    assertThat(end.metadata(ProcessorPart.TURN_COMPLETE)).isEqualTo(true);
    assertThat(end.metadata(OpenAiModel.FINISH_REASON)).isEqualTo("stop");
    assertThat(end.metadata(OpenAiModel.MODEL)).isEqualTo("gpt-4.1-mini-2025-04-14");
    assertThat(end.metadata(OpenAiModel.RESPONSE_ID)).isEqualTo("resp_abc");
    assertThat(end.metadata(OpenAiModel.SYSTEM_FINGERPRINT)).isNull();
    assertThat(TokenUsage.of(end)).contains(new TokenUsage(12, 3, 15, 8, 0, 2));
  }

  @Test
  void responses_reasoningSummary_streamsAsThoughtParts_beforeTheAnswer() {
    server.enqueue(
        ResponsesReply.create().reasoningSummary("Weighing ", "options.").text("Take the train."));

    ProcessorContent out = model.apply("Train or plane?").gather();

    assertThat(out.stream().filter(ProcessorPart::isThought).map(ProcessorPart::text))
        .containsExactly("Weighing ", "options.");
    assertThat(out.get(0).isThought()).isTrue();
    assertThat(
            out.stream()
                .filter(p -> !p.isThought())
                .map(ProcessorPart::text)
                .reduce("", String::concat))
        .isEqualTo("Take the train.");
  }

  @Test
  void responses_incompleteAnswer_endsWithFinishReasonLength_notAnError() {
    server.enqueue(ResponsesReply.create().text("Once upon").incomplete("max_output_tokens"));

    ProcessorContent out = model.apply("Tell a story").gather();

    assertThat(out.text()).isEqualTo("Once upon");
    assertThat(last(out).metadata(OpenAiModel.FINISH_REASON)).isEqualTo("length");
    assertThat(TokenUsage.of(last(out))).isPresent();
  }

  // ---------------------------------------------------------------- faults

  @Test
  void responses_rateLimit_surfacesAsTypedError_withRetryHintAndRequestId() {
    server.enqueue(
        OpenAiReply.error(429, "Rate limit reached for gpt-4.1-mini.")
            .retryAfterMs(456)
            .requestId("req_limited"));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.RATE_LIMITED);
    assertThat(error.status()).isEqualTo(429);
    assertThat(error.code()).isEqualTo("rate_limit_exceeded");
    assertThat(error.requestId()).isEqualTo("req_limited");
    assertThat(error.retryAfter()).isEqualTo(Duration.ofMillis(456));
    assertThat(error.isRetryable()).isTrue();
  }

  @Test
  void responses_rateLimit_isRetriedByTheSdk_afterTheWaitTheServerAskedFor() {
    server.enqueue(
        OpenAiReply.error(429, "Slow down").retryAfterMs(10), ResponsesReply.create().text("fine"));
    try (OpenAiModel retrying = model(OpenAiApi.RESPONSES, b -> b.maxRetries(1))) {
      assertThat(retrying.apply("Hi").text()).isEqualTo("fine");
    }
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void responses_serverError_surfacesAsServerError() {
    server.enqueue(OpenAiReply.error(503, "The engine is currently overloaded"));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.SERVER_ERROR);
    assertThat(error.vendorMessage()).isEqualTo("The engine is currently overloaded");
  }

  @Test
  void responses_streamCutOffHalfway_deliversWhatArrived_thenFailsAsInterrupted() {
    // created, in_progress, item added, part added, then the deltas: cut after the second.
    server.enqueue(ResponsesReply.create().text("one ", "two ", "three ").cutAfterEvents(6));

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
    assertThat(error.isRetryable()).isTrue();
  }

  @Test
  void responses_streamEndingWithoutResponseCompleted_failsAsInterrupted_afterTheText() {
    server.enqueue(ResponsesReply.create().text("a", "b").requestId("req_ended").endAfterEvents(9));

    List<String> received = new ArrayList<>();
    OpenAiException error =
        failure(
            () -> {
              for (ProcessorPart part : model.apply("Hi")) {
                received.add(part.text());
              }
            });

    assertThat(received).containsExactly("a", "b");
    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.STREAM_INTERRUPTED);
    assertThat(error.getMessage()).contains("no response.completed", "req_ended");
    assertThat(error.requestId()).isEqualTo("req_ended");
  }

  @Test
  void responses_malformedEvent_failsAsInvalidResponse() {
    server.enqueue(ResponsesReply.create().text("a", "b").malformedEventAt(5));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.INVALID_RESPONSE);
    assertThat(error.getMessage()).contains("Responses format").doesNotContain(KEY);
  }

  @Test
  void responses_aNullEvent_failsAsInvalidResponse_notAsANullPointer() {
    // Found by StreamReadersFuzzTest: the SDK hands "data: null" on as a null event.
    server.enqueue(
        RawReply.of(200, "text/event-stream", "event: response.created\ndata: null\n\n"));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.INVALID_RESPONSE);
    assertThat(error.getMessage()).contains("Responses format", "null");
  }

  @Test
  void responses_errorEvent_failsAsStreamError_withTheVendorsCodeAndMessage() {
    server.enqueue(
        ResponsesReply.create()
            .text("a", "b")
            .requestId("req_err")
            .errorEventAt(5, "The model is overloaded"));

    OpenAiException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.STREAM_ERROR);
    assertThat(error.status()).isEqualTo(200);
    assertThat(error.code()).isEqualTo("server_error");
    assertThat(error.vendorMessage()).isEqualTo("The model is overloaded");
    assertThat(error.requestId()).isEqualTo("req_err");
    assertThat(error.getMessage()).contains("error event", "The model is overloaded");
    assertThat(error.isRetryable()).isTrue();
  }

  @Test
  void responses_responseFailed_failsAsStreamError_withTheResponsesError() {
    server.enqueue(
        ResponsesReply.create()
            .text("a")
            .failedAt(5, "server_error", "The server had an error while processing your request."));

    List<String> received = new ArrayList<>();
    OpenAiException error =
        failure(
            () -> {
              for (ProcessorPart part : model.apply("Hi")) {
                received.add(part.text());
              }
            });

    assertThat(received).containsExactly("a");
    assertThat(error.kind()).isEqualTo(OpenAiException.Kind.STREAM_ERROR);
    assertThat(error.code()).isEqualTo("server_error");
    assertThat(error.vendorMessage()).startsWith("The server had an error");
    assertThat(error.getMessage()).contains("response.failed");
  }

  @Test
  void responses_slowFirstByte_beyondTheReadTimeout_failsAsTimeout() {
    server.enqueue(ResponsesReply.create().text("late").firstByteDelay(Duration.ofSeconds(2)));
    try (OpenAiModel impatient =
        model(OpenAiApi.RESPONSES, b -> b.readTimeout(Duration.ofMillis(200)))) {
      OpenAiException error = failure(() -> impatient.apply("Hi").drain());

      assertThat(error.kind()).isEqualTo(OpenAiException.Kind.TIMEOUT);
    }
  }

  @Test
  void responses_pacedEventsAfterASlowFirstByte_withinTheTimeouts_stillStreamEverything() {
    server.enqueue(
        ResponsesReply.create()
            .text("slow", " but", " sure")
            .firstByteDelay(Duration.ofMillis(100))
            .pacing(Duration.ofMillis(10)));

    assertThat(model.apply("Hi").text()).isEqualTo("slow but sure");
  }

  @Test
  void responses_apiKey_neverAppears_inMessagesCausesStackTracesOrToString() {
    server.enqueue(OpenAiReply.error(401, "Incorrect API key provided: " + KEY + "."));
    server.enqueue(ResponsesReply.create().text("a").errorEventAt(3, "bad key " + KEY));
    server.enqueue(ResponsesReply.create().text("a").failedAt(3, "server_error", "key " + KEY));

    List<OpenAiException> errors =
        List.of(
            failure(() -> model.apply("Hi").drain()),
            failure(() -> model.apply("Hi").drain()),
            failure(() -> model.apply("Hi").drain()));

    assertThat(errors.get(0).kind()).isEqualTo(OpenAiException.Kind.AUTHENTICATION);
    assertThat(errors.get(0).getMessage()).contains("<redacted>");
    for (OpenAiException error : errors) {
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(KEY);
      assertThat(String.valueOf(error.vendorMessage())).doesNotContain(KEY);
    }
    assertThat(model.toString()).doesNotContain(KEY).contains("apiKey=<redacted>");
  }
}
