package dev.genaiprocessors.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.RetryAdvice;
import dev.genaiprocessors.model.TokenUsage;
import dev.genaiprocessors.testing.GeminiReply;
import dev.genaiprocessors.testing.GeminiServer;
import dev.genaiprocessors.testing.GenerateContentReply;
import dev.genaiprocessors.testing.RecordedRequest;
import dev.genaiprocessors.tools.FunctionCalling;
import dev.genaiprocessors.tools.Tool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official Gen AI SDK, driven by {@link GeminiModel}, against the local {@link GeminiServer}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GeminiModelTest {
  private static final String KEY = "AIzaSyTest-5c1e9d7b3a";

  private GeminiServer server;
  private GeminiModel model;

  @BeforeEach
  void start() {
    server = GeminiServer.start();
    model = model(b -> {});
  }

  @AfterEach
  void stop() {
    model.close();
    server.close();
  }

  private GeminiModel model(Consumer<GeminiModel.Builder> configure) {
    GeminiModel.Builder builder =
        GeminiModel.builder().model("gemini-2.5-flash").apiKey(KEY).baseUrl(server.baseUrl());
    configure.accept(builder);
    return builder.build();
  }

  private static GeminiException failure(Runnable run) {
    try {
      run.run();
    } catch (GeminiException e) {
      // The vendor's exception itself, the model named in its suppressed trace.
      assertThat(ProcessorException.stageOf(e)).isPresent();
      return e;
    }
    throw new AssertionError("the run did not fail");
  }

  private static ProcessorPart last(ProcessorContent content) {
    return content.get(content.size() - 1);
  }

  private static JsonNode json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter s = new StringWriter();
    t.printStackTrace(new PrintWriter(s));
    return s.toString();
  }

  // ---------------------------------------------------------------- streaming

  @Test
  void stream_emitsTextDeltas_asTheyArrive_thenAFinalPartWithMetadata() {
    server.enqueue(
        GeminiReply.text("Hel", "lo", " world")
            .usage(12, 3, 4, 2)
            .modelVersion("gemini-2.5-flash-001")
            .responseId("resp-1"));

    ProcessorContent answer = model.apply("Hi").gather();

    assertThat(answer.size()).isEqualTo(4);
    assertThat(answer.get(0).text()).isEqualTo("Hel");
    assertThat(answer.get(1).text()).isEqualTo("lo");
    assertThat(answer.get(0).role()).isEqualTo("model");
    assertThat(answer.text()).isEqualTo("Hello world");
    ProcessorPart end = last(answer);
    assertThat(end.text()).isEmpty();
    assertThat(end.metadata(GeminiModel.FINISH_REASON)).isEqualTo("STOP");
    assertThat(end.metadata(GeminiModel.MODEL)).isEqualTo("gemini-2.5-flash-001");
    assertThat(end.metadata(GeminiModel.RESPONSE_ID)).isEqualTo("resp-1");
    assertThat(end.metadata(ProcessorPart.TURN_COMPLETE)).isEqualTo(true);
    assertThat(TokenUsage.of(end)).contains(new TokenUsage(12, 7, 19, 2, 0, 4));
  }

  @Test
  void clientOfYourOwn_givesTheSameParts_throughTheSdksDecodedChunks() {
    String sig = Base64.getEncoder().encodeToString("sig".getBytes());
    Consumer<GeminiServer> script =
        s ->
            s.enqueue(
                GeminiReply.create()
                    .thought("Hmm.", sig)
                    .text("Hel", "lo")
                    .functionCalls(GenerateContentReply.call("lookup", "{\"q\":\"x\",\"n\":2}"))
                    .inlineData("image/png", new byte[] {1, 2, 3})
                    .safetyRating("HARM_CATEGORY_HARASSMENT", "NEGLIGIBLE")
                    .usage(12, 3, 4, 2)
                    .modelVersion("gemini-2.5-flash-001")
                    .responseId("resp-1"));
    script.accept(server);
    ProcessorContent ours = model.apply("Hi").gather();
    script.accept(server);
    com.google.genai.Client client =
        com.google.genai.Client.builder()
            .apiKey(KEY)
            .httpOptions(
                com.google.genai.types.HttpOptions.builder()
                    .baseUrl(server.baseUrl())
                    .apiVersion("v1beta")
                    .build())
            .build();
    try (client;
        GeminiModel own = GeminiModel.builder().model("gemini-2.5-flash").client(client).build()) {
      ProcessorContent decoded = own.apply("Hi").gather();

      assertThat(ours.size()).isEqualTo(6);
      assertThat(decoded.stream().toList()).isEqualTo(ours.stream().toList());

      server.enqueue(GeminiReply.text("a", "b").errorEventAt(1, 503, "busy"));
      GeminiException error = failure(() -> own.apply("Hi").gather());
      assertThat(error.kind()).isEqualTo(GeminiException.Kind.STREAM_ERROR);
      assertThat(error.status()).isEqualTo(503);
      assertThat(error).hasMessageContaining("busy");
    }
  }

  @Test
  void request_goesToStreamGenerateContent_withTheKeyHeader_andAutomaticCallingOff() {
    server.enqueue(GeminiReply.text("ok"));

    model.apply("Hi").gather();

    RecordedRequest request = server.lastRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path())
        .isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(request.header("x-goog-api-key")).isEqualTo(KEY);
    assertThat(request.json().get("contents").toString())
        .isEqualTo("[{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"user\"}]");
    assertThat(request.json().has("tools")).isFalse();
  }

  @Test
  void emptyInput_sendsNothing_andEmitsNothing() {
    assertThat(model.apply(List.of()).gather().size()).isZero();
    assertThat(server.requestCount()).isZero();
  }

  // ---------------------------------------------------------------- mapping

  @Test
  void multiTurn_mergesConsecutivePartsOfOneRole_intoOneContent() {
    server.enqueue(GeminiReply.text("fine"));

    model
        .apply(
            List.of(
                ProcessorPart.text("Hello").withRole("user"),
                ProcessorPart.text("there").withRole("user"),
                ProcessorPart.text("Hi!").withRole("model"),
                ProcessorPart.text("")
                    .withRole("model")
                    .withMetadata(ProcessorPart.TURN_COMPLETE, true),
                ProcessorPart.text("How are you?")))
        .gather();

    assertThat(server.lastRequest().json().get("contents").toString())
        .isEqualTo(
            "[{\"parts\":[{\"text\":\"Hello\"},{\"text\":\"there\"}],\"role\":\"user\"},"
                + "{\"parts\":[{\"text\":\"Hi!\"}],\"role\":\"model\"},"
                + "{\"parts\":[{\"text\":\"How are you?\"}],\"role\":\"user\"}]");
  }

  @Test
  void systemInstruction_andSystemParts_goToSystemInstruction() {
    try (GeminiModel withSystem = model(b -> b.systemInstruction("Be brief."))) {
      server.enqueue(GeminiReply.text("ok"));

      withSystem
          .apply(
              List.of(
                  ProcessorPart.text("Answer in French.").withRole("system"),
                  ProcessorPart.text("Hi")))
          .gather();
    }

    JsonNode json = server.lastRequest().json();
    assertThat(json.get("systemInstruction").toString())
        .isEqualTo(
            "{\"parts\":[{\"text\":\"Be brief.\"},{\"text\":\"Answer in French.\"}],\"role\":\"user\"}");
    assertThat(json.get("contents")).hasSize(1);
  }

  @Test
  void imageBytes_andFileUris_becomeInlineDataAndFileData() {
    server.enqueue(GeminiReply.text("a cat"));
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};

    model
        .apply(
            List.of(
                ProcessorPart.text("What is this?"),
                ProcessorPart.bytes(png, "image/png"),
                ProcessorPart.fromUri("gs://bucket/cat.jpg", "image/jpeg")))
        .gather();

    assertThat(server.lastRequest().json().at("/contents/0/parts").toString())
        .isEqualTo(
            "[{\"text\":\"What is this?\"},"
                + "{\"inlineData\":{\"data\":\""
                + Base64.getEncoder().encodeToString(png)
                + "\",\"mimeType\":\"image/png\"}},"
                + "{\"fileData\":{\"fileUri\":\"gs://bucket/cat.jpg\",\"mimeType\":\"image/jpeg\"}}]");
  }

  @Test
  void fieldsAPythonPeerWrote_thatTheJavaModelDoesNotHold_reachTheWire() {
    server.enqueue(GeminiReply.text("a cat, then a report"));
    ProcessorPart video =
        PartJson.fromJson(
            "{\"part\": {\"file_data\": {\"file_uri\":"
                + " \"gs://bucket/cat.mp4\", \"mime_type\": \"video/mp4\"}, \"video_metadata\":"
                + " {\"fps\": 2.0, \"start_offset\": \"1.5s\"}}, \"role\": \"user\", \"mimetype\":"
                + " \"video/mp4\"}");
    ProcessorPart pdf =
        PartJson.fromJson(
            "{\"part\": {\"file_data\": {\"file_uri\":"
                + " \"gs://bucket/report.pdf\", \"mime_type\": \"application/pdf\"}}, \"role\":"
                + " \"user\", \"mimetype\": \"text/plain\"}");
    assertThat(video.extraFields()).containsKey("video_metadata");
    assertThat(pdf.extraFields()).containsKey("file_data");

    model.apply(List.of(video, pdf)).gather();

    assertThat(server.lastRequest().json().at("/contents/0/parts"))
        .isEqualTo(
            json(
                "[{\"fileData\":{\"fileUri\":\"gs://bucket/cat.mp4\",\"mimeType\":\"video/mp4\"},"
                    + "\"videoMetadata\":{\"fps\":2.0,\"startOffset\":\"1.5s\"}},"
                    + "{\"fileData\":{\"fileUri\":\"gs://bucket/report.pdf\","
                    + "\"mimeType\":\"application/pdf\"}}]"));
  }

  @Test
  void extraFields_turnCamelCase_butNotTheKeysOfTheCallersOwnJson_andFieldsTheSdkLacksAreDropped() {
    server.enqueue(GeminiReply.text("noted"));
    ProcessorPart call =
        PartJson.fromJson(
            "{\"part\": {\"function_call\": {\"name\":"
                + " \"find\", \"args\": {\"city_name\": \"Paris\"}},"
                + " \"part_metadata\": {\"trace_id\": \"t-1\"}, \"field_from_the_future\": {\"a_b\": 1}},"
                + " \"role\": \"model\"}");

    model.apply(List.of(ProcessorPart.text("Find Paris."), call)).gather();

    assertThat(server.lastRequest().json().at("/contents/1/parts"))
        .isEqualTo(
            json(
                "[{\"functionCall\":{\"args\":{\"city_name\":\"Paris\"},\"name\":\"find\"},"
                    + "\"partMetadata\":{\"trace_id\":\"t-1\"}}]"));
  }

  @Test
  void anExtraFieldTheSdkCannotRead_failsTheRun_namingTheField() {
    ProcessorPart video =
        PartJson.fromJson(
            "{\"part\": {\"file_data\": {\"file_uri\":"
                + " \"gs://bucket/cat.mp4\", \"mime_type\": \"video/mp4\"}, \"video_metadata\":"
                + " {\"fps\": \"fast\"}}, \"mimetype\": \"video/mp4\"}");

    assertThatThrownBy(() -> model.apply(List.of(video)).gather())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Gemini cannot take the extra fields [video_metadata] of a part of"
                + " type video/mp4: ")
        .hasMessageContaining("\"fast\"");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void functionCalls_areEmittedWhole_andTheirResponsesGoBack() {
    server.enqueue(
        GeminiReply.create()
            .text("Checking.")
            .functionCalls(
                GenerateContentReply.call("get_weather", "{\"city\":\"Paris\",\"days\":2}"),
                GenerateContentReply.call("get_time", "{\"zone\":\"CET\"}").withId("call-7")));
    try (GeminiModel withTools =
        model(
            b ->
                b.function(
                    "get_weather",
                    "The weather",
                    Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("city", Map.of("type", "string")))))) {

      ProcessorContent answer = withTools.apply("Weather and time in Paris?").gather();

      List<ProcessorPart> calls = answer.stream().filter(ProcessorPart::isFunctionCall).toList();
      assertThat(calls)
          .extracting(ProcessorPart::functionCall)
          .containsExactly(
              new FunctionCall(null, "get_weather", Map.of("city", "Paris", "days", 2L)),
              new FunctionCall("call-7", "get_time", Map.of("zone", "CET")));
      assertThat(calls).allSatisfy(c -> assertThat(c.role()).isEqualTo("model"));
      assertThat(server.lastRequest().json().get("tools"))
          .isEqualTo(
              json(
                  "[{\"functionDeclarations\":[{\"description\":\"The weather\",\"name\":\"get_weather\","
                      + "\"parametersJsonSchema\":{\"type\":\"object\",\"properties\":{\"city\":"
                      + "{\"type\":\"string\"}}}}]}]"));

      server.enqueue(GeminiReply.text("Sunny, 14:00."));
      List<ProcessorPart> next = new ArrayList<>(List.of(ProcessorPart.text("Weather?")));
      next.addAll(answer.stream().toList());
      next.add(
          ProcessorPart.functionResponse(
                  FunctionResponse.result("get_weather", Map.of("sky", "sunny")))
              .withRole("user"));
      next.add(
          ProcessorPart.functionResponse(
                  FunctionResponse.result("get_time", "14:00").withId("call-7"))
              .withRole("user"));
      withTools.apply(next).gather();
    }

    assertThat(server.lastRequest().json().get("contents").toString())
        .isEqualTo(
            "[{\"parts\":[{\"text\":\"Weather?\"}],\"role\":\"user\"},"
                + "{\"parts\":[{\"text\":\"Checking.\"},"
                + "{\"functionCall\":{\"args\":{\"city\":\"Paris\",\"days\":2},\"name\":\"get_weather\"}},"
                + "{\"functionCall\":{\"id\":\"call-7\",\"args\":{\"zone\":\"CET\"},\"name\":\"get_time\"}}],"
                + "\"role\":\"model\"},"
                + "{\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\",\"response\":"
                + "{\"result\":{\"sky\":\"sunny\"}}}},"
                + "{\"functionResponse\":{\"id\":\"call-7\",\"name\":\"get_time\",\"response\":"
                + "{\"result\":\"14:00\"}}}],\"role\":\"user\"}]");
  }

  @Test
  void thoughts_areThoughtParts_andSignaturesGoBackOnTheSameParts() {
    String sig1 = Base64.getEncoder().encodeToString("sig-thought".getBytes());
    String sig2 = Base64.getEncoder().encodeToString("sig-call".getBytes());
    server.enqueue(
        GeminiReply.create()
            .thought("Let me think.", sig1)
            .functionCalls(GenerateContentReply.call("lookup", "{}").withThoughtSignature(sig2))
            .usage(5, 1, 9, 0));

    ProcessorContent answer = model.apply("Q").gather();

    ProcessorPart thought = answer.get(0);
    assertThat(thought.isThought()).isTrue();
    assertThat(thought.text()).isEqualTo("Let me think.");
    assertThat(thought.thoughtSignature()).isEqualTo("sig-thought".getBytes());
    assertThat(answer.get(1).thoughtSignature()).isEqualTo("sig-call".getBytes());
    assertThat(TokenUsage.of(last(answer)).orElseThrow().reasoningTokens()).isEqualTo(9);

    server.enqueue(GeminiReply.text("done"));
    List<ProcessorPart> next = new ArrayList<>(List.of(ProcessorPart.text("Q")));
    next.addAll(answer.stream().toList());
    next.add(ProcessorPart.functionResponse(FunctionResponse.result("lookup", 1)).withRole("user"));
    model.apply(next).gather();

    assertThat(server.lastRequest().json().at("/contents/1").toString())
        .isEqualTo(
            "{\"parts\":[{\"text\":\"Let me think.\",\"thought\":true,\"thoughtSignature\":\""
                + sig1
                + "\"},{\"functionCall\":{\"args\":{},\"name\":\"lookup\"},\"thoughtSignature\":\""
                + sig2
                + "\"}],\"role\":\"model\"}");
  }

  @Test
  void inlineDataAnswers_areByteParts() {
    server.enqueue(GeminiReply.create().inlineData("image/png", new byte[] {1, 2, 3}));

    ProcessorPart image = model.apply("Draw").gather().get(0);

    assertThat(image.mimeType()).isEqualTo("image/png");
    assertThat(image.bytes()).containsExactly(1, 2, 3);
  }

  @Test
  void safetyRatings_andFinishReasons_surfaceInTheFinalPart() {
    server.enqueue(
        GeminiReply.text("Partial")
            .finishReason("SAFETY")
            .safetyRating("HARM_CATEGORY_DANGEROUS_CONTENT", "HIGH", true)
            .safetyRating("HARM_CATEGORY_HARASSMENT", "NEGLIGIBLE"));

    ProcessorPart end = last(model.apply("Q").gather());

    assertThat(end.metadata(GeminiModel.FINISH_REASON)).isEqualTo("SAFETY");
    assertThat(end.metadata(GeminiModel.SAFETY_RATINGS))
        .isEqualTo(
            List.of(
                Map.of(
                    "category",
                    "HARM_CATEGORY_DANGEROUS_CONTENT",
                    "probability",
                    "HIGH",
                    "blocked",
                    true),
                Map.of("category", "HARM_CATEGORY_HARASSMENT", "probability", "NEGLIGIBLE")));
  }

  @Test
  void maxTokens_isAFinishReason_notAnError() {
    server.enqueue(GeminiReply.text("Once upon").finishReason("MAX_TOKENS"));

    assertThat(last(model.apply("Story").gather()).metadata(GeminiModel.FINISH_REASON))
        .isEqualTo("MAX_TOKENS");
  }

  @Test
  void settings_areSent_asGenerationConfig() {
    try (GeminiModel tuned =
        model(
            b ->
                b.settings(
                    GenerationSettings.builder()
                        .temperature(0.5)
                        .topP(0.9)
                        .topK(40)
                        .maxOutputTokens(100)
                        .stopSequences(List.of("END"))
                        .seed(7)
                        .thinkingBudget(256)
                        .includeThoughts(true)
                        .responseJsonSchema(Map.of("type", "object"))
                        .build()))) {
      server.enqueue(GeminiReply.text("{}"));
      tuned.apply("Q").gather();
    }

    assertThat(server.lastRequest().json().get("generationConfig"))
        .isEqualTo(
            json(
                "{\"maxOutputTokens\":100,\"responseJsonSchema\":{\"type\":\"object\"},"
                    + "\"responseMimeType\":\"application/json\",\"seed\":7,\"stopSequences\":[\"END\"],"
                    + "\"temperature\":0.5,\"thinkingConfig\":{\"includeThoughts\":true,"
                    + "\"thinkingBudget\":256},\"topK\":40.0,\"topP\":0.9}"));
  }

  // ---------------------------------------------------------------- errors

  @Test
  void blockedPrompt_isATypedError() {
    server.enqueue(GeminiReply.create().blockedPrompt("PROHIBITED_CONTENT"));

    GeminiException error = failure(() -> model.apply("bad").gather());

    assertThat(error.kind()).isEqualTo(GeminiException.Kind.PROMPT_BLOCKED);
    assertThat(error.blockReason()).isEqualTo("PROHIBITED_CONTENT");
    assertThat(error.isRetryable()).isFalse();
    assertThat(error).hasMessageContaining("blocked the prompt (PROHIBITED_CONTENT)");
  }

  @Test
  void rateLimit_readsRetryInfo_asRetryAfter() {
    server.enqueue(
        GeminiReply.error(429, "You exceeded your current quota.")
            .quotaFailure(
                "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                "GenerateRequestsPerMinutePerProjectPerModel-FreeTier")
            .retryDelay("34s"));

    GeminiException error = failure(() -> model.apply("Hi").gather());

    assertThat(error.kind()).isEqualTo(GeminiException.Kind.RATE_LIMITED);
    assertThat(error.status()).isEqualTo(429);
    assertThat(error.googleStatus()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(34));
    assertThat(error.isRetryable()).isTrue();
    assertThat(RetryAdvice.of(new ProcessorException("x", error))).isSameAs(error);
    assertThat(error.quotaIds())
        .containsExactly("GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
    assertThat(error.vendorMessage()).isEqualTo("You exceeded your current quota.");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void fractionalRetryDelay_isRead() {
    server.enqueue(GeminiReply.error(429, "slow down").retryDelay("1.5s"));

    assertThat(failure(() -> model.apply("Hi").gather()).retryAfter())
        .isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void perDayQuota_isQuotaExceeded_andNotRetryable() {
    server.enqueue(
        GeminiReply.error(429, "You exceeded your current quota.")
            .quotaFailure(
                "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                "GenerateRequestsPerDayPerProjectPerModel-FreeTier")
            .retryDelay("20s"));

    GeminiException error = failure(() -> model.apply("Hi").gather());

    assertThat(error.kind()).isEqualTo(GeminiException.Kind.QUOTA_EXCEEDED);
    assertThat(error.isRetryable()).isFalse();
  }

  @Test
  void overloadAndInternalErrors_areRetryableServerErrors() {
    server.enqueue(
        GeminiReply.error(503, "The model is overloaded. Please try again later."),
        GeminiReply.error(500, "An internal error has occurred."));

    GeminiException overloaded = failure(() -> model.apply("Hi").gather());
    GeminiException internal = failure(() -> model.apply("Hi").gather());

    assertThat(overloaded.kind()).isEqualTo(GeminiException.Kind.SERVER_ERROR);
    assertThat(overloaded.googleStatus()).isEqualTo("UNAVAILABLE");
    assertThat(overloaded.isRetryable()).isTrue();
    assertThat(overloaded.retryAfter()).isNull();
    assertThat(internal.status()).isEqualTo(500);
    assertThat(internal.googleStatus()).isEqualTo("INTERNAL");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void badRequestAndPermissionDenied_areNotRetryable() {
    server.enqueue(
        GeminiReply.error(400, "Invalid JSON payload."),
        GeminiReply.error(403, "Permission denied."));

    GeminiException bad = failure(() -> model.apply("Hi").gather());
    GeminiException denied = failure(() -> model.apply("Hi").gather());

    assertThat(bad.kind()).isEqualTo(GeminiException.Kind.BAD_REQUEST);
    assertThat(bad.googleStatus()).isEqualTo("INVALID_ARGUMENT");
    assertThat(denied.kind()).isEqualTo(GeminiException.Kind.PERMISSION_DENIED);
    assertThat(bad.isRetryable()).isFalse();
    assertThat(denied.isRetryable()).isFalse();
  }

  @Test
  void sdkRetries_canBeTurnedOn_andTheLastErrorIsStillTyped() {
    try (GeminiModel retrying = model(b -> b.maxRetries(1))) {
      server.enqueue(
          GeminiReply.error(503, "busy"), GeminiReply.error(503, "busy").retryDelay("2s"));

      GeminiException error = failure(() -> retrying.apply("Hi").gather());

      assertThat(server.requestCount()).isEqualTo(2);
      assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void cutOffStream_isStreamInterrupted_afterTheDeltasThatArrived() {
    server.enqueue(GeminiReply.text("a", "b", "c").cutAfterEvents(2));
    List<ProcessorPart> seen = new ArrayList<>();

    GeminiException error = failure(() -> model.apply("Hi").forEach(seen::add));

    assertThat(error.kind()).isEqualTo(GeminiException.Kind.STREAM_INTERRUPTED);
    assertThat(error.isRetryable()).isTrue();
    assertThat(seen).extracting(ProcessorPart::text).containsExactly("a", "b");
  }

  @Test
  void streamEndingWithoutFinishReason_isStreamInterrupted() {
    server.enqueue(GeminiReply.text("a", "b", "c").endAfterEvents(2));

    GeminiException error = failure(() -> model.apply("Hi").gather());

    assertThat(error.kind()).isEqualTo(GeminiException.Kind.STREAM_INTERRUPTED);
    assertThat(error).hasMessageContaining("no finishReason");
  }

  @Test
  void malformedChunk_isInvalidResponse() {
    server.enqueue(GeminiReply.text("a", "b").malformedEventAt(1));

    GeminiException error = failure(() -> model.apply("Hi").gather());

    assertThat(error.kind()).isEqualTo(GeminiException.Kind.INVALID_RESPONSE);
    assertThat(error.isRetryable()).isFalse();
  }

  @Test
  void errorInsideTheStream_isStreamError() {
    server.enqueue(GeminiReply.text("a", "b").errorEventAt(1, 500, "boom"));

    GeminiException error = failure(() -> model.apply("Hi").gather());

    assertThat(error.kind()).isEqualTo(GeminiException.Kind.STREAM_ERROR);
    assertThat(error.status()).isEqualTo(500);
    assertThat(error).hasMessageContaining("boom");
  }

  @Test
  void unreachableServer_isConnectionFailed() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (GeminiModel nowhere =
        GeminiModel.builder().model("m").apiKey(KEY).baseUrl("http://127.0.0.1:" + port).build()) {
      GeminiException error = failure(() -> nowhere.apply("Hi").gather());

      assertThat(error.kind()).isEqualTo(GeminiException.Kind.CONNECTION_FAILED);
      assertThat(error.isRetryable()).isTrue();
    }
  }

  // ---------------------------------------------------------------- secrets

  @Test
  void apiKey_neverLeaks_evenWhenTheServerEchoesIt() {
    server.enqueue(GeminiReply.error(400, "API key not valid: " + KEY));

    GeminiException error = failure(() -> model.apply("Hi").gather());

    assertThat(error.getMessage()).doesNotContain(KEY).contains("<redacted>");
    assertThat(error.vendorMessage()).doesNotContain(KEY);
    assertThat(stackTrace(error)).doesNotContain(KEY);
    assertThat(model.toString()).doesNotContain(KEY).contains("apiKey=<redacted>");
    assertThat(GeminiModel.builder().apiKey(KEY).toString()).doesNotContain(KEY);
    assertThat(server.lastRequest().toString()).doesNotContain(KEY);
  }

  @Test
  void apiKey_neverLeaks_fromAnErrorInsideTheStream() {
    server.enqueue(GeminiReply.text("a").errorEventAt(0, 500, "bad key " + KEY));

    GeminiException error = failure(() -> model.apply("Hi").gather());

    assertThat(stackTrace(error)).doesNotContain(KEY);
  }

  // ---------------------------------------------------------------- settings

  @Test
  void settings_areValidated_namingTheValue() {
    assertThatThrownBy(() -> GenerationSettings.builder().temperature(3.5))
        .hasMessage("temperature must be in [0, 2] but was 3.5");
    assertThatThrownBy(() -> GenerationSettings.builder().topP(-0.1))
        .hasMessage("topP must be in [0, 1] but was -0.1");
    assertThatThrownBy(() -> GenerationSettings.builder().topK(0))
        .hasMessage("topK must be at least 1 but was 0");
    assertThatThrownBy(() -> GenerationSettings.builder().maxOutputTokens(0))
        .hasMessage("maxOutputTokens must be at least 1 but was 0");
    assertThatThrownBy(() -> GenerationSettings.builder().thinkingBudget(-2))
        .hasMessageContaining("but was -2");
    assertThatThrownBy(
            () -> GenerationSettings.builder().stopSequences(List.of("a", "b", "c", "d", "e", "f")))
        .hasMessageContaining("at most 5 sequences but held 6");
    assertThatThrownBy(() -> GenerationSettings.builder().responseMimeType("text/html"))
        .hasMessage(
            "responseMimeType must be text/plain, application/json or text/x.enum but was"
                + " 'text/html'");
    assertThatThrownBy(
            () ->
                GenerationSettings.builder()
                    .responseMimeType("text/plain")
                    .responseJsonSchema(Map.of("type", "object"))
                    .build())
        .hasMessageContaining("needs responseMimeType application/json but it was 'text/plain'");
  }

  @Test
  void builder_rejectsMissingOrConflictingSettings() {
    assertThatThrownBy(() -> GeminiModel.builder().apiKey(KEY).build())
        .hasMessageContaining("model is required");
    assertThatThrownBy(() -> GeminiModel.builder().model("m").build())
        .hasMessageContaining("apiKey (Gemini API) or vertexAi(project, location) is required");
    assertThatThrownBy(
            () ->
                GeminiModel.builder()
                    .model("m")
                    .apiKey(KEY)
                    .vertexAi("my-project", "us-central1")
                    .build())
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> GeminiModel.builder().model("m").baseUrl("ftp://x"))
        .hasMessage("baseUrl must be an http or https URL but was 'ftp://x'");
    assertThatThrownBy(() -> GeminiModel.builder().maxRetries(-1))
        .hasMessage("maxRetries must not be negative but was -1");
    assertThatThrownBy(() -> GeminiModel.builder().function("1bad", "", Map.of()))
        .hasMessageContaining("but was '1bad'");
    assertThat(GeminiModel.builder().model("m").vertexAi("my-project", "us-central1").toString())
        .contains("vertexAi=my-project/us-central1");
  }

  @Test
  void partsThatCannotBeSent_failNamingThem() {
    assertThatThrownBy(
            () -> model.apply(List.of(ProcessorPart.text("x").withRole("narrator"))).gather())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Gemini knows the roles user and model (and system for the system"
                + " instruction), but a part has role 'narrator'");
  }

  // ---------------------------------------------------------------- function calling

  record City(String city) {}

  @Test
  void functionCalling_runsTwoToolsCalledInOneTurn_againstTheLocalServer() {
    Tool weather =
        Tool.of("get_weather", "The weather in a city.", City.class, c -> "sunny in " + c.city());
    Tool time = Tool.of("get_time", "The local time in a city.", City.class, c -> "14:00");
    server.enqueue(
        GeminiReply.create()
            .functionCalls(
                GenerateContentReply.call("get_weather", "{\"city\":\"Paris\"}"),
                GenerateContentReply.call("get_time", "{\"city\":\"Paris\"}")),
        GeminiReply.text("It is sunny ", "and 14:00 in Paris."));

    ProcessorContent out =
        FunctionCalling.of(model, weather, time).apply("Weather and time in Paris?").gather();

    assertThat(
            out.stream()
                .filter(p -> !p.isFunctionCall() && !p.isFunctionResponse())
                .map(ProcessorPart::text)
                .reduce("", String::concat))
        .isEqualTo("It is sunny and 14:00 in Paris.");
    List<RecordedRequest> requests = server.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).json().at("/tools/0/functionDeclarations"))
        .extracting(d -> d.get("name").asText())
        .containsExactly("get_weather", "get_time");
    JsonNode second = requests.get(1).json().get("contents");
    assertThat(second.toString())
        .isEqualTo(
            "[{\"parts\":[{\"text\":\"Weather and time in Paris?\"}],\"role\":\"user\"},"
                + "{\"parts\":[{\"functionCall\":{\"args\":{\"city\":\"Paris\"},\"name\":\"get_weather\"}},"
                + "{\"functionCall\":{\"args\":{\"city\":\"Paris\"},\"name\":\"get_time\"}}],"
                + "\"role\":\"model\"},"
                + "{\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\",\"response\":"
                + "{\"result\":\"sunny in Paris\"}}},"
                + "{\"functionResponse\":{\"name\":\"get_time\",\"response\":{\"result\":\"14:00\"}}}],"
                + "\"role\":\"user\"}]");
  }
}
