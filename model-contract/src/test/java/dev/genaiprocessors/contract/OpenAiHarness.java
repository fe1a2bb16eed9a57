package dev.genaiprocessors.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiDialect;
import dev.genaiprocessors.testing.OpenAiReply;
import dev.genaiprocessors.testing.OpenAiServer;
import dev.genaiprocessors.testing.RawReply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@link OpenAiModel} against the local {@link OpenAiServer}, speaking OpenAI's Chat Completions or
 * an OpenAI-compatible server's {@link OpenAiDialect}.
 */
final class OpenAiHarness implements ModelHarness {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenAiDialect dialect;
  private final OpenAiServer server;
  private final OpenAiModel model;
  private final List<OpenAiModel> extraModels = new ArrayList<>();

  OpenAiHarness() {
    this(OpenAiDialect.OPENAI);
  }

  OpenAiHarness(OpenAiDialect dialect) {
    this.dialect = dialect;
    server = OpenAiServer.start(dialect);
    model =
        OpenAiModel.builder()
            .model("gpt-4o-mini")
            .apiKey(API_KEY)
            .baseUrl(server.baseUrl())
            .maxRetries(0)
            .build();
  }

  @Override
  public String vendor() {
    return dialect == OpenAiDialect.OPENAI ? "OpenAI" : "OpenAI-compatible " + dialect;
  }

  @Override
  public Processor model() {
    return model;
  }

  @Override
  public void replyText(String... deltas) {
    server.enqueue(
        OpenAiReply.text(deltas)
            .usage(12, 3)
            .id("chatcmpl-contract")
            .model("gpt-4o-mini-2024-07-18"));
  }

  @Override
  public void replySlowText(Duration pacing, String... deltas) {
    server.enqueue(OpenAiReply.text(deltas).usage(12, 3).pacing(pacing));
  }

  @Override
  public void replyCalls(List<FunctionCall> calls) {
    ChatReply reply = ChatReply.create().usage(12, 3);
    for (FunctionCall call : calls) {
      // Two fragments, so a dialect's later fragments (Qwen's empty id, GLM's empty name) come.
      String arguments = json(call.args());
      int half = arguments.length() / 2;
      reply =
          reply.toolCall(
              call.id(), call.name(), arguments.substring(0, half), arguments.substring(half));
    }
    server.enqueue(reply);
  }

  @Override
  public void replyFault(Fault fault) {
    server.enqueue(
        switch (fault) {
          case RATE_LIMITED ->
              OpenAiReply.error(429, "Rate limit reached for requests")
                  .retryAfter(ModelContractTest.RETRY_AFTER);
          case OVERLOADED -> OpenAiReply.error(503, "The engine is currently overloaded");
          case SERVER_ERROR ->
              OpenAiReply.error(500, "The server had an error while processing your request");
          case AUTHENTICATION -> OpenAiReply.error(401, "Incorrect API key provided: " + API_KEY);
          case CUT_OFF -> OpenAiReply.text("Hel", "lo", ", world").cutAfterEvents(3);
          case MALFORMED -> OpenAiReply.text("Hel", "lo").malformedEventAt(2);
          case ERROR_EVENT ->
              OpenAiReply.text("Hel", "lo").errorEventAt(2, "The server had an error");
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
    List<SentTurn> turns = new ArrayList<>();
    for (JsonNode message : body.path("messages")) {
      String role = message.path("role").asText();
      List<String> texts = new ArrayList<>();
      List<String> images = new ArrayList<>();
      List<FunctionCall> calls = new ArrayList<>();
      List<String> resultIds = new ArrayList<>();
      List<String> results = new ArrayList<>();
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        texts.add(content.asText());
      }
      for (JsonNode block : content.isArray() ? content : JSON.createArrayNode()) {
        switch (block.path("type").asText()) {
          case "text" -> texts.add(block.path("text").asText());
          case "image_url" -> images.add(dataUrlBase64(block.at("/image_url/url").asText()));
          default -> texts.add("<" + block.path("type").asText() + ">");
        }
      }
      for (JsonNode call : message.path("tool_calls")) {
        calls.add(
            new FunctionCall(
                call.path("id").asText(),
                call.at("/function/name").asText(),
                map(call.at("/function/arguments").asText())));
      }
      switch (role) {
        case "system", "developer" -> system.append(String.join("", texts));
        case "tool" -> {
          resultIds.add(message.path("tool_call_id").asText());
          results.addAll(texts);
          turns.add(new SentTurn("user", List.of(), List.of(), List.of(), resultIds, results));
        }
        case "assistant" ->
            turns.add(new SentTurn("model", texts, images, calls, resultIds, results));
        default -> turns.add(new SentTurn(role, texts, images, calls, resultIds, results));
      }
    }
    List<String> functions = new ArrayList<>();
    body.path("tools").forEach(tool -> functions.add(tool.at("/function/name").asText()));
    return new SentRequest(system.toString(), SentTurns.merged(turns), functions);
  }

  @Override
  public Processor model(@Nullable Integer maxRetries, @Nullable Duration timeout) {
    OpenAiModel.Builder builder =
        OpenAiModel.builder().model("gpt-4o-mini").apiKey(API_KEY).baseUrl(server.baseUrl());
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
    server.enqueue(OpenAiReply.text("Hel", "lo").firstByteDelay(SILENCE));
  }

  @Override
  public void replyThenStall() {
    server.enqueue(OpenAiReply.text("Hel", "lo").pacing(SILENCE));
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

  private static String dataUrlBase64(String url) {
    int comma = url.indexOf(',');
    return url.startsWith("data:") && comma > 0 ? url.substring(comma + 1) : url;
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(String json) {
    try {
      return JSON.readValue(json, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
