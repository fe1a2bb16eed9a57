package dev.genaiprocessors.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.RetryAdvice;
import dev.genaiprocessors.model.TokenUsage;
import dev.genaiprocessors.testing.AnthropicReply;
import dev.genaiprocessors.testing.AnthropicServer;
import dev.genaiprocessors.testing.MessageReply;
import dev.genaiprocessors.testing.RecordedRequest;
import dev.genaiprocessors.tools.FunctionCalling;
import dev.genaiprocessors.tools.Tool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official SDK, driven by {@link AnthropicModel}, against the local {@link AnthropicServer}.
 */
// The timeout only turns a hang into a failure; no test measures time.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AnthropicModelTest {
  private static final String KEY = "sk-ant-api03-test-8f3b2c7e1d3a";

  private AnthropicServer server;
  private AnthropicModel model;

  @BeforeEach
  void start() {
    server = AnthropicServer.start();
    model = model(b -> {});
  }

  @AfterEach
  void stop() {
    model.close();
    server.close();
  }

  private AnthropicModel model(Consumer<AnthropicModel.Builder> configure) {
    AnthropicModel.Builder builder =
        AnthropicModel.builder()
            .model("claude-sonnet-4-5")
            .apiKey(KEY)
            .baseUrl(server.baseUrl())
            .maxRetries(0);
    configure.accept(builder);
    return builder.build();
  }

  private static AnthropicException failure(Runnable run) {
    try {
      run.run();
    } catch (AnthropicException e) {
      // The vendor's exception itself, the model named in its suppressed trace.
      assertThat(ProcessorException.stageOf(e)).isPresent();
      return e;
    }
    throw new AssertionError("the run did not fail");
  }

  private static ProcessorPart last(ProcessorContent content) {
    return content.get(content.size() - 1);
  }

  private static List<ProcessorPart> collect(
      Iterable<ProcessorPart> parts, List<ProcessorPart> into) {
    for (ProcessorPart part : parts) {
      into.add(part);
    }
    return into;
  }

  // ---------------------------------------------------------------- streaming

  @Test
  void stream_emitsTextDeltas_asModelParts_inArrivalOrder() {
    server.enqueue(AnthropicReply.text("Hel", "lo", ", world"));

    List<ProcessorPart> parts = collect(model.apply("Say hello"), new ArrayList<>());

    assertThat(parts).hasSize(4);
    assertThat(parts.subList(0, 3))
        .extracting(ProcessorPart::text)
        .containsExactly("Hel", "lo", ", world");
    assertThat(parts).allSatisfy(p -> assertThat(p.role()).isEqualTo("model"));
    RecordedRequest request = server.lastRequest();
    assertThat(request.isStreaming()).isTrue();
    assertThat(request.path()).isEqualTo("/v1/messages");
    // SDK 3.14 sends the key as "Authorization: Bearer" (older ones as x-api-key): either will do.
    assertThat(
            java.util.Arrays.asList(request.header("x-api-key"), request.header("authorization")))
        .anySatisfy(header -> assertThat(header).endsWith(KEY));
    assertThat(request.header("anthropic-version")).isNotBlank();
    assertThat(request.json().at("/model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(request.json().at("/max_tokens").asLong())
        .isEqualTo(MessageSettings.DEFAULT_MAX_TOKENS);
  }

  @Test
  void text_gathersTheWholeAnswer_acrossTextBlocks() {
    server.enqueue(MessageReply.create().text("The answer ", "is ").text("42."));

    assertThat(model.apply("What is the answer?").text()).isEqualTo("The answer is 42.");
  }

  @Test
  void finalPart_carriesStopReasonModelMessageIdAndUsage_withCacheCounts() {
    server.enqueue(
        AnthropicReply.text("Hi")
            .usage(12, 7, 100, 50)
            .id("msg_01abc")
            .model("claude-sonnet-4-5-20250929"));

    ProcessorPart end = last(model.apply("Hi").gather());

    assertThat(end.text()).isEmpty();
    assertThat(end.isEndOfTurn()).isTrue();
    assertThat(end.metadata(AnthropicModel.FINISH_REASON)).isEqualTo("end_turn");
    assertThat(end.metadata(AnthropicModel.MODEL)).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(end.metadata(AnthropicModel.RESPONSE_ID)).isEqualTo("msg_01abc");
    assertThat(end.metadata(AnthropicModel.STOP_SEQUENCE)).isNull();
    // prompt = input + cache reads + cache writes; cached = reads; cacheCreation = writes
    assertThat(TokenUsage.of(end)).contains(new TokenUsage(162, 7, 169, 50, 100, 0));
  }

  @Test
  void stopSequence_isTheFinishReason_andNamedInTheMetadata() {
    server.enqueue(AnthropicReply.text("one, two").stopSequence("three"));

    ProcessorPart end = last(model.apply("Count").gather());

    assertThat(end.metadata(AnthropicModel.FINISH_REASON)).isEqualTo("stop_sequence");
    assertThat(end.metadata(AnthropicModel.STOP_SEQUENCE)).isEqualTo("three");
  }

  @Test
  void toolUseBlocks_becomeFunctionCallParts_onceTheirInputIsComplete() {
    server.enqueue(
        MessageReply.create()
            .text("Checking.")
            .toolUse("toolu_01", "get_weather", "{\"ci", "ty\": \"Par", "is\"}")
            .toolUse("toolu_02", "get_time", "{\"zone\":", "\"CET\"}")
            .toolUse("toolu_03", "get_news"));

    ProcessorContent out = model.apply("Weather, time and news in Paris?").gather();

    List<FunctionCall> calls =
        out.stream()
            .filter(ProcessorPart::isFunctionCall)
            .map(ProcessorPart::functionCall)
            .toList();
    assertThat(calls)
        .containsExactly(
            new FunctionCall("toolu_01", "get_weather", Map.of("city", "Paris")),
            new FunctionCall("toolu_02", "get_time", Map.of("zone", "CET")),
            new FunctionCall("toolu_03", "get_news", Map.of()));
    assertThat(out.stream().filter(ProcessorPart::isFunctionCall))
        .allSatisfy(p -> assertThat(p.role()).isEqualTo("model"));
    assertThat(out.get(0).text()).isEqualTo("Checking.");
    assertThat(last(out).metadata(AnthropicModel.FINISH_REASON)).isEqualTo("tool_use");
  }

  @Test
  void thinking_streamsAsThoughtParts_andItsSignatureRoundTrips_inTheNextTurn() {
    server.enqueue(
        MessageReply.create()
            .thinking("EqQBCgIYAhIM1gbcDa9GJwZA", "Let me ", "think.")
            .text("42."));
    server.enqueue(AnthropicReply.text("Glad to help."));

    ProcessorPart question = ProcessorPart.text("Answer?").withRole("user");
    ProcessorContent first = model.apply(question).gather();

    List<ProcessorPart> thoughts = first.stream().filter(ProcessorPart::isThought).toList();
    assertThat(thoughts).extracting(ProcessorPart::text).containsExactly("Let me ", "think.");
    assertThat(thoughts.get(0).metadata(AnthropicModel.THINKING_SIGNATURE)).isNull();
    assertThat(thoughts.get(1).metadata(AnthropicModel.THINKING_SIGNATURE))
        .isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA");
    assertThat(thoughts.get(1).thoughtSignature())
        .isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA".getBytes(StandardCharsets.UTF_8));
    assertThat(first.stream().filter(p -> !p.isThought()).map(ProcessorPart::text))
        .containsExactly("42.", "");

    List<ProcessorPart> conversation = new ArrayList<>();
    conversation.add(question);
    conversation.addAll(first.parts());
    conversation.add(ProcessorPart.text("Thanks").withRole("user"));
    model.apply(conversation).drain();

    List<JsonNode> messages = server.lastRequest().messages();
    assertThat(messages)
        .extracting(m -> m.get("role").asText())
        .containsExactly("user", "assistant", "user");
    JsonNode assistant = messages.get(1).get("content");
    assertThat(assistant).hasSize(2);
    assertThat(assistant.at("/0/type").asText()).isEqualTo("thinking");
    assertThat(assistant.at("/0/thinking").asText()).isEqualTo("Let me think.");
    assertThat(assistant.at("/0/signature").asText()).isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA");
    assertThat(assistant.at("/1/type").asText()).isEqualTo("text");
    assertThat(assistant.at("/1/text").asText()).isEqualTo("42.");
  }

  @Test
  void redactedThinking_isEmittedAsAThought_andSentBackAsItCame() {
    server.enqueue(MessageReply.create().redactedThinking("EmwKAhgBEgy3va3pzix").text("ok"));
    server.enqueue(AnthropicReply.text("ok again"));

    ProcessorContent first = model.apply("Hi").gather();
    ProcessorPart redacted = first.get(0);
    assertThat(redacted.isThought()).isTrue();
    assertThat(redacted.metadata(AnthropicModel.REDACTED_THINKING))
        .isEqualTo("EmwKAhgBEgy3va3pzix");

    List<ProcessorPart> conversation = new ArrayList<>(List.of(ProcessorPart.text("Hi")));
    conversation.addAll(first.parts());
    conversation.add(ProcessorPart.text("And?"));
    model.apply(conversation).drain();

    JsonNode assistant = server.lastRequest().messages().get(1).get("content");
    assertThat(assistant.at("/0/type").asText()).isEqualTo("redacted_thinking");
    assertThat(assistant.at("/0/data").asText()).isEqualTo("EmwKAhgBEgy3va3pzix");
  }

  @Test
  void unsignedThoughts_ofAnotherVendor_areLeftOut() {
    server.enqueue(AnthropicReply.text("ok"));

    model
        .apply(
            List.of(
                ProcessorPart.text("Hi").withRole("user"),
                ProcessorPart.text("reasoning elsewhere").withRole("model").withThought(true),
                ProcessorPart.text("Hello!").withRole("model"),
                ProcessorPart.text("Bye").withRole("user")))
        .drain();

    JsonNode assistant = server.lastRequest().messages().get(1).get("content");
    assertThat(assistant).hasSize(1);
    assertThat(assistant.at("/0/text").asText()).isEqualTo("Hello!");
  }

  @Test
  void unknownEventsAndPings_areSkipped() {
    server.enqueue(AnthropicReply.text("a", "b").unknownEventAt(3));

    assertThat(model.apply("Hi").text()).isEqualTo("ab");
  }

  // ---------------------------------------------------------------- requests

  @Test
  void systemParts_areGatheredIntoTheSystemPrompt_afterTheSystemInstruction() {
    server.enqueue(AnthropicReply.text("ok"));
    try (AnthropicModel instructed = model(b -> b.systemInstruction("You are terse."))) {
      instructed
          .apply(
              List.of(
                  ProcessorPart.text("Answer in French.").withRole("system"),
                  ProcessorPart.text("Hi").withRole("user"),
                  ProcessorPart.text("No emojis.").withRole("system"),
                  ProcessorPart.text("there").withRole("user")))
          .drain();
    }

    JsonNode body = server.lastRequest().json();
    assertThat(body.get("system"))
        .extracting(n -> n.get("text").asText())
        .containsExactly("You are terse.", "Answer in French.", "No emojis.");
    assertThat(body.at("/system/0/type").asText()).isEqualTo("text");
    assertThat(server.lastRequest().messages()).hasSize(1);
    assertThat(body.at("/messages/0/content/0/text").asText()).isEqualTo("Hithere");
  }

  @Test
  void multiTurnConversation_mapsRoles_andMergesConsecutiveParts_intoContentBlocks() {
    server.enqueue(AnthropicReply.text("ok"));
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    byte[] pdf = {'%', 'P', 'D', 'F'};

    model
        .apply(
            List.of(
                ProcessorPart.text("What is in ").withRole("user"),
                ProcessorPart.text("this picture?"),
                ProcessorPart.bytes(png, MimeTypes.IMAGE_PNG).withRole("user"),
                ProcessorPart.fromUri("https://example.com/cat.jpg", MimeTypes.IMAGE_JPEG),
                ProcessorPart.text("A cat.").withRole("model"),
                ProcessorPart.text("")
                    .withRole("model")
                    .withMetadata(ProcessorPart.TURN_COMPLETE, true),
                ProcessorPart.text("Summarise these.").withRole("user"),
                ProcessorPart.bytes(pdf, MimeTypes.APPLICATION_PDF),
                ProcessorPart.fromUri("https://example.com/paper.pdf", MimeTypes.APPLICATION_PDF)))
        .drain();

    List<JsonNode> messages = server.lastRequest().messages();
    assertThat(messages)
        .extracting(m -> m.get("role").asText())
        .containsExactly("user", "assistant", "user");
    JsonNode first = messages.get(0).get("content");
    assertThat(first).hasSize(3);
    assertThat(first.at("/0/type").asText()).isEqualTo("text");
    assertThat(first.at("/0/text").asText()).isEqualTo("What is in this picture?");
    assertThat(first.at("/1/type").asText()).isEqualTo("image");
    assertThat(first.at("/1/source/type").asText()).isEqualTo("base64");
    assertThat(first.at("/1/source/media_type").asText()).isEqualTo("image/png");
    assertThat(first.at("/1/source/data").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(png));
    assertThat(first.at("/2/source/type").asText()).isEqualTo("url");
    assertThat(first.at("/2/source/url").asText()).isEqualTo("https://example.com/cat.jpg");
    assertThat(messages.get(1).at("/content/0/text").asText()).isEqualTo("A cat.");
    JsonNode third = messages.get(2).get("content");
    assertThat(third.at("/1/type").asText()).isEqualTo("document");
    assertThat(third.at("/1/source/type").asText()).isEqualTo("base64");
    assertThat(third.at("/1/source/media_type").asText()).isEqualTo("application/pdf");
    assertThat(third.at("/1/source/data").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(pdf));
    assertThat(third.at("/2/source/type").asText()).isEqualTo("url");
    assertThat(third.at("/2/source/url").asText()).isEqualTo("https://example.com/paper.pdf");
  }

  @Test
  void conversation_roundTrips_withToolUseAndToolResultBlocks() {
    server.enqueue(
        MessageReply.create()
            .text("Let me check.")
            .toolUse("toolu_9", "get_weather", "{\"city\":\"Paris\"}"));
    server.enqueue(AnthropicReply.text("Sunny, 21°C."));

    ProcessorPart question = ProcessorPart.text("Weather in Paris?").withRole("user");
    ProcessorContent first = model.apply(question).gather();
    FunctionCall call =
        first.stream()
            .filter(ProcessorPart::isFunctionCall)
            .findFirst()
            .orElseThrow()
            .functionCall();
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

    assertThat(answer).isEqualTo("Sunny, 21°C.");
    List<JsonNode> messages = server.lastRequest().messages();
    assertThat(messages)
        .extracting(m -> m.get("role").asText())
        .containsExactly("user", "assistant", "user");
    JsonNode assistant = messages.get(1).get("content");
    assertThat(assistant.at("/0/text").asText()).isEqualTo("Let me check.");
    assertThat(assistant.at("/1/type").asText()).isEqualTo("tool_use");
    assertThat(assistant.at("/1/id").asText()).isEqualTo("toolu_9");
    assertThat(assistant.at("/1/name").asText()).isEqualTo("get_weather");
    assertThat(assistant.at("/1/input/city").asText()).isEqualTo("Paris");
    JsonNode result = messages.get(2).at("/content/0");
    assertThat(result.at("/type").asText()).isEqualTo("tool_result");
    assertThat(result.at("/tool_use_id").asText()).isEqualTo("toolu_9");
    assertThat(result.at("/content").asText())
        .isEqualTo("{\"result\":{\"celsius\":21,\"sky\":\"sunny\"}}");
    assertThat(result.has("is_error")).isFalse();
  }

  @Test
  void callsAndResponsesWithoutIds_arePairedByName_andErrorsFlagged() {
    server.enqueue(AnthropicReply.text("done"));

    model
        .apply(
            List.of(
                ProcessorPart.text("Go").withRole("user"),
                ProcessorPart.functionCall("lookup", Map.of("q", "a")).withRole("model"),
                ProcessorPart.functionResponse(FunctionResponse.error("lookup", "not found"))
                    .withRole("user")))
        .drain();

    List<JsonNode> messages = server.lastRequest().messages();
    String id = messages.get(1).at("/content/0/id").asText();
    assertThat(id).isNotBlank();
    assertThat(messages.get(2).at("/content/0/tool_use_id").asText()).isEqualTo(id);
    assertThat(messages.get(2).at("/content/0/is_error").asBoolean()).isTrue();
  }

  @Test
  void functionsAndSettings_areSentAsToolsAndRequestFields() {
    server.enqueue(AnthropicReply.text("ok"));
    Map<String, Object> schema =
        Map.of(
            "type",
            "object",
            "properties",
            Map.of("city", Map.of("type", "string")),
            "required",
            List.of("city"));
    try (AnthropicModel withTools =
        model(
            b ->
                b.function("get_weather", "The weather in a city", schema)
                    .settings(
                        MessageSettings.builder()
                            .maxTokens(8000)
                            .temperature(0.2)
                            .topP(0.9)
                            .topK(40)
                            .stopSequences(List.of("END"))
                            .thinkingBudget(2048)
                            .toolChoice("any")
                            .build()))) {
      withTools.apply("Weather?").drain();
    }

    JsonNode body = server.lastRequest().json();
    assertThat(body.at("/tools/0/name").asText()).isEqualTo("get_weather");
    assertThat(body.at("/tools/0/description").asText()).isEqualTo("The weather in a city");
    assertThat(body.at("/tools/0/input_schema/type").asText()).isEqualTo("object");
    assertThat(body.at("/tools/0/input_schema/properties/city/type").asText()).isEqualTo("string");
    assertThat(body.at("/tools/0/input_schema/required/0").asText()).isEqualTo("city");
    assertThat(body.at("/max_tokens").asLong()).isEqualTo(8000);
    assertThat(body.at("/temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.at("/top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.at("/top_k").asLong()).isEqualTo(40);
    assertThat(body.at("/stop_sequences/0").asText()).isEqualTo("END");
    assertThat(body.at("/thinking/type").asText()).isEqualTo("enabled");
    assertThat(body.at("/thinking/budget_tokens").asLong()).isEqualTo(2048);
    assertThat(body.at("/tool_choice/type").asText()).isEqualTo("any");
  }

  @Test
  void cacheControlMetadata_marksThatContentBlock_asAnEphemeralBreakpoint() {
    server.enqueue(AnthropicReply.text("ok"));
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};

    model
        .apply(
            List.of(
                ProcessorPart.text("A long style guide.")
                    .withRole("system")
                    .withMetadata(AnthropicModel.CACHE_CONTROL, "ephemeral"),
                ProcessorPart.text("A long document.")
                    .withMetadata(AnthropicModel.CACHE_CONTROL, "ephemeral"),
                ProcessorPart.text("Question about it?"),
                ProcessorPart.bytes(png, MimeTypes.IMAGE_PNG)
                    .withMetadata(
                        AnthropicModel.CACHE_CONTROL, Map.of("type", "ephemeral", "ttl", "1h"))))
        .drain();

    JsonNode body = server.lastRequest().json();
    assertThat(body.at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
    JsonNode content = body.at("/messages/0/content");
    assertThat(content).hasSize(3);
    assertThat(content.at("/0/text").asText()).isEqualTo("A long document.");
    assertThat(content.at("/0/cache_control/type").asText()).isEqualTo("ephemeral");
    assertThat(content.at("/1/text").asText()).isEqualTo("Question about it?");
    assertThat(content.at("/1/cache_control").isMissingNode()).isTrue();
    assertThat(content.at("/2/cache_control/ttl").asText()).isEqualTo("1h");
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
    assertThatThrownBy(() -> model.apply(ProcessorPart.text("x").withRole("narrator")).drain())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'narrator'");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void settings_outOfRange_failWithAMessageNamingTheValue() {
    assertThatThrownBy(() -> MessageSettings.builder().temperature(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("temperature must be in [0, 1] but was 1.5");
    assertThatThrownBy(() -> MessageSettings.builder().maxTokens(0))
        .hasMessage("maxTokens must be at least 1 but was 0");
    assertThatThrownBy(() -> MessageSettings.builder().topP(Double.NaN))
        .hasMessage("topP must be in [0, 1] but was NaN");
    assertThatThrownBy(() -> MessageSettings.builder().topK(0))
        .hasMessage("topK must be at least 1 but was 0");
    assertThatThrownBy(() -> MessageSettings.builder().stopSequences(List.of("a", "")))
        .hasMessage("stopSequences[1] must not be empty but was ''");
    assertThatThrownBy(() -> MessageSettings.builder().thinkingBudget(1000))
        .hasMessage("thinkingBudget must be at least 1024 but was 1000");
    assertThatThrownBy(() -> MessageSettings.builder().thinkingBudget(4096).build())
        .hasMessage("thinkingBudget must be less than maxTokens (4096) but was 4096");
    assertThatThrownBy(() -> AnthropicModel.builder().model("m").apiKey(KEY).baseUrl("ftp://x"))
        .hasMessage("baseUrl must be an http or https URL but was 'ftp://x'");
    assertThatThrownBy(() -> AnthropicModel.builder().model("m").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apiKey is required");
    assertThat(MessageSettings.defaults().maxTokens()).isEqualTo(4096);
  }

  // ---------------------------------------------------------------- faults

  @Test
  void rateLimit_surfacesAsTypedError_withTypeRequestIdAndRetryAfter() {
    server.enqueue(
        AnthropicReply.error(429, "Number of request tokens has exceeded your rate limit")
            .retryAfter(Duration.ofSeconds(2))
            .requestId("req_ratelimited"));

    AnthropicException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(AnthropicException.Kind.RATE_LIMITED);
    assertThat(error.status()).isEqualTo(429);
    assertThat(error.type()).isEqualTo("rate_limit_error");
    assertThat(error.requestId()).isEqualTo("req_ratelimited");
    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(error.isRetryable()).isTrue();
    assertThat(RetryAdvice.of(new RuntimeException(error))).isSameAs(error);
    assertThat(error.vendorMessage()).startsWith("Number of request tokens");
    assertThat(error.getMessage())
        .contains("429", "rate_limit_error", "req_ratelimited")
        .doesNotContain(KEY);
  }

  @Test
  void rateLimit_withoutRetryAfter_waitsUntilTheExhaustedLimitResets() {
    server.enqueue(
        AnthropicReply.error(429, "Slow down")
            .header("anthropic-ratelimit-tokens-remaining", "0")
            .header("anthropic-ratelimit-tokens-reset", "2999-01-01T00:00:00Z"));

    AnthropicException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.retryAfter()).isNotNull().isPositive();
  }

  @Test
  void retryAfterMs_winsOverRetryAfter_andShouldRetryFalse_isNotRetryable() {
    server.enqueue(
        AnthropicReply.error(429, "Slow down")
            .retryAfterMs(1500)
            .retryAfter(Duration.ofSeconds(9))
            .shouldRetry(false));

    AnthropicException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.retryAfter()).isEqualTo(Duration.ofMillis(1500));
    assertThat(error.shouldRetry()).isFalse();
    assertThat(error.isRetryable()).isFalse();
  }

  @Test
  void rateLimit_isRetriedByTheSdk_afterTheWaitTheServerAskedFor() {
    server.enqueue(
        AnthropicReply.error(429, "Slow down").retryAfterMs(10), AnthropicReply.text("fine"));
    try (AnthropicModel retrying = model(b -> b.maxRetries(1))) {
      assertThat(retrying.apply("Hi").text()).isEqualTo("fine");
    }
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void overloaded529_surfacesAsOverloaded_andIsRetryable() {
    server.enqueue(AnthropicReply.error(529, "Overloaded"));

    AnthropicException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(AnthropicException.Kind.OVERLOADED);
    assertThat(error.status()).isEqualTo(529);
    assertThat(error.type()).isEqualTo("overloaded_error");
    assertThat(error.vendorMessage()).isEqualTo("Overloaded");
    assertThat(error.isRetryable()).isTrue();
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {500, 502, 503})
  void serverErrors_surfaceAsServerError_withStatusAndRequestId(int status) {
    server.enqueue(AnthropicReply.error(status, "Internal server error").retryAfter("2"));

    AnthropicException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(AnthropicException.Kind.SERVER_ERROR);
    assertThat(error.status()).isEqualTo(status);
    assertThat(error.type()).isEqualTo("api_error");
    assertThat(error.requestId()).startsWith("req_");
    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(error.isRetryable()).isTrue();
  }

  @Test
  void badRequest_isNotRetryable() {
    server.enqueue(AnthropicReply.error(400, "max_tokens: Field required"));

    AnthropicException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(AnthropicException.Kind.BAD_REQUEST);
    assertThat(error.type()).isEqualTo("invalid_request_error");
    assertThat(error.vendorMessage()).isEqualTo("max_tokens: Field required");
    assertThat(error.isRetryable()).isFalse();
  }

  @Test
  void overloadedErrorEvent_inTheStream_deliversWhatArrived_thenFailsAsOverloaded() {
    server.enqueue(
        AnthropicReply.text("one ", "two ", "three")
            .errorEventAt(5, "overloaded_error", "Overloaded"));

    List<ProcessorPart> received = new ArrayList<>();
    AnthropicException error = failure(() -> collect(model.apply("Count"), received));

    assertThat(received).extracting(ProcessorPart::text).containsExactly("one ", "two ");
    assertThat(error.kind()).isEqualTo(AnthropicException.Kind.OVERLOADED);
    assertThat(error.status()).isEqualTo(200);
    assertThat(error.type()).isEqualTo("overloaded_error");
    assertThat(error.vendorMessage()).isEqualTo("Overloaded");
    assertThat(error.isRetryable()).isTrue();
  }

  @Test
  void otherErrorEvent_inTheStream_failsAsStreamError() {
    server.enqueue(AnthropicReply.text("a").errorEventAt(2, "api_error", "Internal server error"));

    AnthropicException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(AnthropicException.Kind.STREAM_ERROR);
    assertThat(error.type()).isEqualTo("api_error");
  }

  @Test
  void streamCutOffHalfway_deliversWhatArrived_thenFailsAsInterrupted() {
    server.enqueue(AnthropicReply.text("one ", "two ", "three ", "four").cutAfterEvents(5));

    List<ProcessorPart> received = new ArrayList<>();
    AnthropicException error = failure(() -> collect(model.apply("Count"), received));

    assertThat(received).extracting(ProcessorPart::text).containsExactly("one ", "two ");
    assertThat(error.kind()).isEqualTo(AnthropicException.Kind.STREAM_INTERRUPTED);
    assertThat(error.status()).isZero();
    assertThat(error.isRetryable()).isTrue();
  }

  @Test
  void streamEndingBeforeMessageStop_failsAsInterrupted() {
    server.enqueue(AnthropicReply.text("a", "b").endAfterEvents(5));

    AnthropicException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(AnthropicException.Kind.STREAM_INTERRUPTED);
    assertThat(error.getMessage()).contains("no message_stop");
  }

  @Test
  void malformedEvent_failsAsInvalidResponse() {
    server.enqueue(AnthropicReply.text("a", "b").malformedEventAt(4));

    AnthropicException error = failure(() -> model.apply("Hi").drain());

    assertThat(error.kind()).isEqualTo(AnthropicException.Kind.INVALID_RESPONSE);
    assertThat(error.isRetryable()).isFalse();
    assertThat(error.getMessage()).doesNotContain(KEY);
  }

  @Test
  void slowFirstByte_beyondTheReadTimeout_failsAsTimeout() {
    server.enqueue(AnthropicReply.text("late").firstByteDelay(Duration.ofSeconds(2)));
    try (AnthropicModel impatient = model(b -> b.readTimeout(Duration.ofMillis(200)))) {
      AnthropicException error = failure(() -> impatient.apply("Hi").drain());

      assertThat(error.kind()).isEqualTo(AnthropicException.Kind.TIMEOUT);
      assertThat(error.isRetryable()).isTrue();
    }
  }

  @Test
  void slowFirstByteAndPacedEvents_withinTheTimeouts_stillStreamEverything() {
    server.enqueue(
        AnthropicReply.text("slow", " but", " sure")
            .firstByteDelay(Duration.ofMillis(100))
            .pacing(Duration.ofMillis(20)));

    assertThat(model.apply("Hi").text()).isEqualTo("slow but sure");
  }

  @Test
  void apiKey_neverAppears_inMessagesCausesStackTracesOrToString() {
    server.enqueue(AnthropicReply.error(401, "invalid x-api-key: " + KEY));

    AnthropicException error = failure(() -> model.apply("Hi").drain());

    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    assertThat(error.kind()).isEqualTo(AnthropicException.Kind.AUTHENTICATION);
    assertThat(error.type()).isEqualTo("authentication_error");
    assertThat(error.getMessage()).contains("invalid x-api-key: <redacted>");
    assertThat(error.vendorMessage()).doesNotContain(KEY);
    assertThat(trace.toString()).doesNotContain(KEY);
    assertThat(error.toString()).doesNotContain(KEY);
    assertThat(model.toString()).doesNotContain(KEY).contains("apiKey=<redacted>");
    assertThat(server.lastRequest().toString()).doesNotContain(KEY);
  }

  @Test
  void connectionRefused_failsAsConnectionFailed() {
    int port = server.port();
    server.close();
    try (AnthropicModel nowhere =
        AnthropicModel.builder()
            .model("m")
            .apiKey(KEY)
            .baseUrl("http://127.0.0.1:" + port)
            .maxRetries(0)
            .build()) {
      AnthropicException error = failure(() -> nowhere.apply("Hi").drain());

      assertThat(error.kind()).isEqualTo(AnthropicException.Kind.CONNECTION_FAILED);
      assertThat(error.isRetryable()).isTrue();
    }
  }

  // ---------------------------------------------------------------- function calling

  record City(String city) {}

  @Test
  void functionCalling_runsTwoToolsCalledInOneTurn_andSendsBothResultsBack() {
    server.enqueue(
        MessageReply.create()
            .text("I'll check both.")
            .toolUse("toolu_a", "get_weather", "{\"city\":", "\"Paris\"}")
            .toolUse("toolu_b", "get_time", "{\"city\":\"Paris\"}"));
    server.enqueue(AnthropicReply.text("Sunny, ", "and it is noon."));
    Tool weather =
        Tool.of("get_weather", "The weather in a city.", City.class, c -> "sunny in " + c.city());
    Tool time = Tool.of("get_time", "The local time in a city.", City.class, c -> "12:00");

    ProcessorContent out =
        FunctionCalling.of(model, weather, time).apply("Weather and time in Paris?").gather();

    assertThat(
            out.stream()
                .filter(ProcessorPart::isFunctionResponse)
                .map(p -> p.functionResponse().id()))
        .containsExactly("toolu_a", "toolu_b");
    assertThat(
            out.stream()
                .filter(p -> p.isText() && !p.isFunctionResponse())
                .map(ProcessorPart::text)
                .reduce("", String::concat))
        .isEqualTo("I'll check both.Sunny, and it is noon.");
    List<RecordedRequest> requests = server.requests();
    assertThat(requests).hasSize(2);
    JsonNode first = requests.get(0).json();
    assertThat(first.get("tools"))
        .extracting(t -> t.get("name").asText())
        .containsExactly("get_weather", "get_time");
    assertThat(first.at("/tools/0/input_schema/properties/city/type").asText()).isEqualTo("string");
    List<JsonNode> messages = requests.get(1).messages();
    assertThat(messages)
        .extracting(m -> m.get("role").asText())
        .containsExactly("user", "assistant", "user");
    assertThat(messages.get(1).get("content"))
        .extracting(b -> b.get("type").asText())
        .containsExactly("text", "tool_use", "tool_use");
    JsonNode results = messages.get(2).get("content");
    assertThat(results)
        .extracting(b -> b.get("type").asText())
        .containsExactly("tool_result", "tool_result");
    assertThat(results.at("/0/tool_use_id").asText()).isEqualTo("toolu_a");
    assertThat(results.at("/0/content").asText()).isEqualTo("{\"result\":\"sunny in Paris\"}");
    assertThat(results.at("/1/tool_use_id").asText()).isEqualTo("toolu_b");
    assertThat(results.at("/1/content").asText()).isEqualTo("{\"result\":\"12:00\"}");
  }
}
