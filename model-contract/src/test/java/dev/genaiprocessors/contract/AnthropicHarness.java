package dev.genaiprocessors.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.anthropic.AnthropicModel;
import dev.genaiprocessors.testing.AnthropicReply;
import dev.genaiprocessors.testing.AnthropicServer;
import dev.genaiprocessors.testing.MessageReply;
import dev.genaiprocessors.testing.RawReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link AnthropicModel} against the local {@link AnthropicServer}. */
final class AnthropicHarness implements ModelHarness {
  private final AnthropicServer server = AnthropicServer.start();
  private final AnthropicModel model =
      AnthropicModel.builder()
          .model("claude-sonnet-4-5")
          .apiKey(API_KEY)
          .baseUrl(server.baseUrl())
          .maxRetries(0)
          .build();
  private final List<AnthropicModel> extraModels = new ArrayList<>();

  @Override
  public String vendor() {
    return "Anthropic";
  }

  @Override
  public Processor model() {
    return model;
  }

  @Override
  public void replyText(String... deltas) {
    server.enqueue(
        AnthropicReply.text(deltas)
            .usage(12, 3)
            .id("msg_contract")
            .model("claude-sonnet-4-5-20250929"));
  }

  @Override
  public void replySlowText(Duration pacing, String... deltas) {
    server.enqueue(AnthropicReply.text(deltas).usage(12, 3).pacing(pacing));
  }

  @Override
  public void replyCalls(List<FunctionCall> calls) {
    MessageReply reply = MessageReply.create().usage(12, 3);
    for (FunctionCall call : calls) {
      reply = reply.toolUse(call.id(), call.name(), OpenAiHarness.json(call.args()));
    }
    server.enqueue(reply);
  }

  @Override
  public void replyFault(Fault fault) {
    // Events of a text answer: message_start, content_block_start, ping, then one per delta.
    server.enqueue(
        switch (fault) {
          case RATE_LIMITED ->
              AnthropicReply.error(429, "Number of requests has exceeded your rate limit")
                  .retryAfter(ModelContractTest.RETRY_AFTER);
          case OVERLOADED -> AnthropicReply.error(529, "Overloaded");
          case SERVER_ERROR -> AnthropicReply.error(500, "Internal server error");
          case AUTHENTICATION -> AnthropicReply.error(401, "invalid x-api-key: " + API_KEY);
          case CUT_OFF -> AnthropicReply.text("Hel", "lo", ", world").cutAfterEvents(5);
          case MALFORMED -> AnthropicReply.text("Hel", "lo").malformedEventAt(4);
          case ERROR_EVENT ->
              AnthropicReply.text("Hel", "lo").errorEventAt(4, "overloaded_error", "Overloaded");
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
    JsonNode systemField = body.path("system");
    if (systemField.isTextual()) {
      system.append(systemField.asText());
    } else {
      systemField.forEach(block -> system.append(block.path("text").asText()));
    }
    List<SentTurn> turns = new ArrayList<>();
    for (JsonNode message : body.path("messages")) {
      List<String> texts = new ArrayList<>();
      List<String> images = new ArrayList<>();
      List<FunctionCall> calls = new ArrayList<>();
      List<String> resultIds = new ArrayList<>();
      List<String> results = new ArrayList<>();
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        texts.add(content.asText());
      }
      for (JsonNode block : content.isArray() ? content : List.<JsonNode>of()) {
        switch (block.path("type").asText()) {
          case "text" -> texts.add(block.path("text").asText());
          case "image" -> images.add(block.at("/source/data").asText());
          case "tool_use" ->
              calls.add(
                  new FunctionCall(
                      block.path("id").asText(),
                      block.path("name").asText(),
                      OpenAiHarness.map(block.path("input").toString())));
          case "tool_result" -> {
            resultIds.add(block.path("tool_use_id").asText());
            JsonNode result = block.path("content");
            results.add(result.isTextual() ? result.asText() : result.toString());
          }
          default -> texts.add("<" + block.path("type").asText() + ">");
        }
      }
      String role = message.path("role").asText();
      turns.add(
          new SentTurn(
              role.equals("assistant") ? "model" : role, texts, images, calls, resultIds, results));
    }
    List<String> functions = new ArrayList<>();
    body.path("tools").forEach(tool -> functions.add(tool.path("name").asText()));
    return new SentRequest(system.toString(), SentTurns.merged(turns), functions);
  }

  @Override
  public Processor model(@Nullable Integer maxRetries, @Nullable Duration timeout) {
    AnthropicModel.Builder builder =
        AnthropicModel.builder()
            .model("claude-sonnet-4-5")
            .apiKey(API_KEY)
            .baseUrl(server.baseUrl());
    if (maxRetries != null) {
      builder.maxRetries(maxRetries);
    }
    if (timeout != null) {
      builder.timeout(timeout);
    }
    AnthropicModel built = builder.build();
    extraModels.add(built);
    return built;
  }

  @Override
  public void replyNothing() {
    server.enqueue(AnthropicReply.text("Hel", "lo").firstByteDelay(SILENCE));
  }

  @Override
  public void replyThenStall() {
    server.enqueue(AnthropicReply.text("Hel", "lo").pacing(SILENCE));
  }

  @Override
  public @Nullable String kind(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof dev.genaiprocessors.anthropic.AnthropicException e) {
        return e.kind().name();
      }
    }
    return null;
  }

  @Override
  public void close() {
    extraModels.forEach(AnthropicModel::close);
    model.close();
    server.close();
  }

  @Override
  public String toString() {
    return vendor();
  }
}
