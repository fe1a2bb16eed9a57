package dev.genaiprocessors.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.gemini.GeminiModel;
import dev.genaiprocessors.testing.GeminiReply;
import dev.genaiprocessors.testing.GeminiServer;
import dev.genaiprocessors.testing.GenerateContentReply;
import dev.genaiprocessors.testing.RawReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link GeminiModel} against the local {@link GeminiServer}. */
final class GeminiHarness implements ModelHarness {
  private final GeminiServer server = GeminiServer.start();
  private final GeminiModel model =
      GeminiModel.builder()
          .model("gemini-2.5-flash")
          .apiKey(API_KEY)
          .baseUrl(server.baseUrl())
          .maxRetries(0)
          .build();
  private final List<GeminiModel> extraModels = new ArrayList<>();

  @Override
  public String vendor() {
    return "Gemini";
  }

  @Override
  public Processor model() {
    return model;
  }

  @Override
  public void replyText(String... deltas) {
    server.enqueue(
        GeminiReply.text(deltas)
            .usage(12, 3)
            .responseId("contract-response")
            .modelVersion("gemini-2.5-flash-001"));
  }

  @Override
  public void replySlowText(Duration pacing, String... deltas) {
    server.enqueue(GeminiReply.text(deltas).usage(12, 3).pacing(pacing));
  }

  @Override
  public void replyCalls(List<FunctionCall> calls) {
    List<GenerateContentReply.Call> scripted = new ArrayList<>();
    for (FunctionCall call : calls) {
      GenerateContentReply.Call c =
          GenerateContentReply.call(call.name(), OpenAiHarness.json(call.args()));
      scripted.add(call.id() == null ? c : c.withId(call.id()));
    }
    server.enqueue(
        GeminiReply.create()
            .functionCalls(scripted.toArray(GenerateContentReply.Call[]::new))
            .usage(12, 3));
  }

  @Override
  public void replyFault(Fault fault) {
    server.enqueue(
        switch (fault) {
          case RATE_LIMITED ->
              GeminiReply.error(429, "You exceeded your current quota.")
                  .quotaFailure(
                      "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                      "GenerateRequestsPerMinutePerProjectPerModel-FreeTier")
                  .retryDelay(ModelContractTest.RETRY_AFTER.toSeconds() + "s");
          case OVERLOADED ->
              GeminiReply.error(503, "The model is overloaded. Please try again later.");
          case SERVER_ERROR -> GeminiReply.error(500, "An internal error has occurred.");
          case AUTHENTICATION -> GeminiReply.error(401, "API key not valid: " + API_KEY);
          case CUT_OFF -> GeminiReply.text("Hel", "lo", ", world").cutAfterEvents(2);
          case MALFORMED -> GeminiReply.text("Hel", "lo").malformedEventAt(1);
          case ERROR_EVENT ->
              GeminiReply.text("Hel", "lo").errorEventAt(1, 500, "An internal error has occurred.");
        });
  }

  @Override
  public void replyRaw(int status, @Nullable String contentType, String body) {
    server.enqueue(RawReply.of(status, contentType, body));
  }

  @Override
  public int requestCount() {
    return server.requestCount();
  }

  @Override
  public SentRequest request(int index) {
    JsonNode body = server.requests().get(index).json();
    StringBuilder system = new StringBuilder();
    body.at("/systemInstruction/parts").forEach(part -> system.append(part.path("text").asText()));
    List<SentTurn> turns = new ArrayList<>();
    for (JsonNode content : body.path("contents")) {
      List<String> texts = new ArrayList<>();
      List<String> images = new ArrayList<>();
      List<FunctionCall> calls = new ArrayList<>();
      List<String> resultIds = new ArrayList<>();
      List<String> results = new ArrayList<>();
      for (JsonNode part : content.path("parts")) {
        if (part.has("text")) {
          texts.add(part.path("text").asText());
        } else if (part.has("inlineData")) {
          images.add(part.at("/inlineData/data").asText());
        } else if (part.has("functionCall")) {
          JsonNode call = part.path("functionCall");
          String name = call.path("name").asText();
          calls.add(
              new FunctionCall(
                  call.hasNonNull("id") ? call.path("id").asText() : name,
                  name,
                  OpenAiHarness.map(call.path("args").toString())));
        } else if (part.has("functionResponse")) {
          JsonNode response = part.path("functionResponse");
          resultIds.add(
              response.hasNonNull("id")
                  ? response.path("id").asText()
                  : response.path("name").asText());
          results.add(response.path("response").toString());
        } else {
          texts.add("<" + part.fieldNames().next() + ">");
        }
      }
      String role = content.path("role").asText("user");
      turns.add(new SentTurn(role, texts, images, calls, resultIds, results));
    }
    List<String> functions = new ArrayList<>();
    body.path("tools")
        .forEach(
            tool ->
                tool.path("functionDeclarations")
                    .forEach(f -> functions.add(f.path("name").asText())));
    return new SentRequest(system.toString(), SentTurns.merged(turns), functions);
  }

  @Override
  public Processor model(@Nullable Integer maxRetries, @Nullable Duration timeout) {
    GeminiModel.Builder builder =
        GeminiModel.builder().model("gemini-2.5-flash").apiKey(API_KEY).baseUrl(server.baseUrl());
    if (maxRetries != null) {
      builder.maxRetries(maxRetries);
    }
    if (timeout != null) {
      builder.timeout(timeout);
    }
    GeminiModel built = builder.build();
    extraModels.add(built);
    return built;
  }

  @Override
  public void replyNothing() {
    server.enqueue(GeminiReply.text("Hel", "lo").firstByteDelay(SILENCE));
  }

  @Override
  public void replyThenStall() {
    server.enqueue(GeminiReply.text("Hel", "lo").pacing(SILENCE));
  }

  @Override
  public @Nullable String kind(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof dev.genaiprocessors.gemini.GeminiException e) {
        return e.kind().name();
      }
    }
    return null;
  }

  @Override
  public void close() {
    extraModels.forEach(GeminiModel::close);
    model.close();
    server.close();
  }

  @Override
  public String toString() {
    return vendor();
  }
}
