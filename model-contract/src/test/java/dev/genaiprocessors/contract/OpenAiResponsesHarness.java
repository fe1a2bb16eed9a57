package dev.genaiprocessors.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.openai.OpenAiApi;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.OpenAiReply;
import dev.genaiprocessors.testing.OpenAiServer;
import dev.genaiprocessors.testing.RawReply;
import dev.genaiprocessors.testing.ResponsesReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link OpenAiModel} on the Responses API against the local {@link OpenAiServer}. */
final class OpenAiResponsesHarness implements ModelHarness {
  private final OpenAiServer server = OpenAiServer.start();
  private final OpenAiModel model =
      OpenAiModel.builder()
          .model("gpt-4o-mini")
          .apiKey(API_KEY)
          .baseUrl(server.baseUrl())
          .api(OpenAiApi.RESPONSES)
          .maxRetries(0)
          .build();
  private final List<OpenAiModel> extraModels = new ArrayList<>();

  @Override
  public String vendor() {
    return "OpenAI Responses";
  }

  @Override
  public Processor model() {
    return model;
  }

  @Override
  public void replyText(String... deltas) {
    server.enqueue(
        ResponsesReply.create()
            .text(deltas)
            .usage(12, 3)
            .id("resp_contract")
            .model("gpt-4o-mini-2024-07-18"));
  }

  @Override
  public void replySlowText(Duration pacing, String... deltas) {
    server.enqueue(ResponsesReply.create().text(deltas).usage(12, 3).pacing(pacing));
  }

  @Override
  public void replyCalls(List<FunctionCall> calls) {
    ResponsesReply reply = ResponsesReply.create().usage(12, 3);
    for (FunctionCall call : calls) {
      reply = reply.functionCall(call.id(), call.name(), OpenAiHarness.json(call.args()));
    }
    server.enqueue(reply);
  }

  @Override
  public void replyFault(Fault fault) {
    // Events of a text answer: created, in_progress, item added, part added, then one per delta.
    server.enqueue(
        switch (fault) {
          case RATE_LIMITED ->
              OpenAiReply.error(429, "Rate limit reached for requests")
                  .retryAfter(ModelContractTest.RETRY_AFTER);
          case OVERLOADED -> OpenAiReply.error(503, "The engine is currently overloaded");
          case SERVER_ERROR ->
              OpenAiReply.error(500, "The server had an error while processing your request");
          case AUTHENTICATION -> OpenAiReply.error(401, "Incorrect API key provided: " + API_KEY);
          case CUT_OFF -> ResponsesReply.create().text("Hel", "lo", ", world").cutAfterEvents(6);
          case MALFORMED -> ResponsesReply.create().text("Hel", "lo").malformedEventAt(5);
          case ERROR_EVENT ->
              ResponsesReply.create().text("Hel", "lo").errorEventAt(5, "The server had an error");
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
    StringBuilder system = new StringBuilder(body.path("instructions").asText(""));
    List<SentTurn> turns = new ArrayList<>();
    for (JsonNode item : body.path("input")) {
      String type = item.path("type").asText("message");
      switch (type) {
        case "function_call" ->
            turns.add(
                new SentTurn(
                    "model",
                    List.of(),
                    List.of(),
                    List.of(
                        new FunctionCall(
                            item.path("call_id").asText(),
                            item.path("name").asText(),
                            OpenAiHarness.map(item.path("arguments").asText()))),
                    List.of(),
                    List.of()));
        case "function_call_output" ->
            turns.add(
                new SentTurn(
                    "user",
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(item.path("call_id").asText()),
                    List.of(item.path("output").asText())));
        default -> {
          List<String> texts = new ArrayList<>();
          List<String> images = new ArrayList<>();
          JsonNode content = item.path("content");
          if (content.isTextual()) {
            texts.add(content.asText());
          }
          for (JsonNode block : content.isArray() ? content : List.<JsonNode>of()) {
            switch (block.path("type").asText()) {
              case "input_text", "output_text" -> texts.add(block.path("text").asText());
              case "input_image" -> {
                String url = block.path("image_url").asText();
                images.add(url.substring(url.indexOf(',') + 1));
              }
              default -> texts.add("<" + block.path("type").asText() + ">");
            }
          }
          String role = item.path("role").asText("user");
          switch (role) {
            case "system", "developer" -> system.append(String.join("", texts));
            case "assistant" ->
                turns.add(new SentTurn("model", texts, images, List.of(), List.of(), List.of()));
            default ->
                turns.add(new SentTurn(role, texts, images, List.of(), List.of(), List.of()));
          }
        }
      }
    }
    List<String> functions = new ArrayList<>();
    body.path("tools").forEach(tool -> functions.add(tool.path("name").asText()));
    return new SentRequest(system.toString(), SentTurns.merged(turns), functions);
  }

  @Override
  public Processor model(@Nullable Integer maxRetries, @Nullable Duration timeout) {
    OpenAiModel.Builder builder =
        OpenAiModel.builder()
            .model("gpt-4o-mini")
            .apiKey(API_KEY)
            .baseUrl(server.baseUrl())
            .api(OpenAiApi.RESPONSES);
    if (maxRetries != null) {
      builder.maxRetries(maxRetries);
    }
    if (timeout != null) {
      builder.timeout(timeout);
    }
    OpenAiModel built = builder.build();
    extraModels.add(built);
    return built;
  }

  @Override
  public void replyNothing() {
    server.enqueue(ResponsesReply.create().text("Hel", "lo").firstByteDelay(SILENCE));
  }

  @Override
  public void replyThenStall() {
    server.enqueue(ResponsesReply.create().text("Hel", "lo").pacing(SILENCE));
  }

  @Override
  public @Nullable String kind(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof dev.genaiprocessors.openai.OpenAiException e) {
        return e.kind().name();
      }
    }
    return null;
  }

  @Override
  public void close() {
    extraModels.forEach(OpenAiModel::close);
    model.close();
    server.close();
  }

  @Override
  public String toString() {
    return vendor();
  }
}
