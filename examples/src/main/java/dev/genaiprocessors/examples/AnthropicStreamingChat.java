package dev.genaiprocessors.examples;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.anthropic.AnthropicModel;
import dev.genaiprocessors.anthropic.MessageSettings;
import dev.genaiprocessors.model.TokenUsage;
import dev.genaiprocessors.testing.AnthropicServer;
import dev.genaiprocessors.testing.MessageReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A streaming chat with Claude and a tool. With {@code ANTHROPIC_API_KEY} set it talks to Anthropic
 * ({@code claude-sonnet-4-5}, or {@code ANTHROPIC_MODEL}); otherwise to the {@code testing}
 * module's local {@link AnthropicServer}, scripted to answer as Anthropic would, so it runs
 * offline:
 *
 * <pre>{@code
 * ./mvnw -q -B -DskipTests -pl examples -am package exec:java -Dexample=dev.genaiprocessors.examples.AnthropicStreamingChat
 * }</pre>
 *
 * <p>The model asks for the weather tool; the example runs it, appends the call and its response to
 * the conversation and streams the final answer token by token. (The {@code tools} module's {@code
 * FunctionCalling} runs this loop for you; here it is written out to show the parts that travel.)
 */
public final class AnthropicStreamingChat {
  private AnthropicStreamingChat() {}

  public static void main(String[] args) {
    String key = System.getenv("ANTHROPIC_API_KEY");
    AnthropicServer local = key == null || key.isBlank() ? AnthropicServer.start() : null;
    AnthropicModel.Builder builder =
        AnthropicModel.builder()
            .model(System.getenv().getOrDefault("ANTHROPIC_MODEL", "claude-sonnet-4-5"))
            .settings(MessageSettings.builder().maxTokens(1024).temperature(0.3).build())
            .systemInstruction(
                "You are a concise assistant. Use get_weather for weather questions.")
            .function(
                "get_weather",
                "The current weather in a city",
                Map.of(
                    "type", "object",
                    "properties",
                        Map.of("city", Map.of("type", "string", "description", "City name")),
                    "required", List.of("city")));
    if (local != null) {
      System.out.println(
          "(no ANTHROPIC_API_KEY: talking to the local server at " + local.baseUrl() + ")");
      local.enqueue(
          MessageReply.create()
              .text("Let me check the weather.")
              .toolUse("toolu_01", "get_weather", "{\"city\":", " \"Paris\"}")
              .usage(380, 62));
      local.enqueue(
          MessageReply.create()
              .text("It is ", "sunny ", "in Paris, ", "21 °C: ", "a good day ", "for a walk.")
              .usage(470, 16)
              .pacing(Duration.ofMillis(80)));
      builder.baseUrl(local.baseUrl()).apiKey("sk-ant-local");
    } else {
      builder.apiKey(key);
    }

    try (AnthropicModel model = builder.build()) {
      List<ProcessorPart> conversation = new ArrayList<>();
      conversation.add(ProcessorPart.text("What's the weather like in Paris?").withRole("user"));
      System.out.println("user> " + conversation.get(0).text());

      for (int turn = 0; turn < 3; turn++) {
        List<ProcessorPart> answer = new ArrayList<>();
        System.out.print("claude> ");
        try (ProcessorStream stream = model.apply(conversation)) {
          for (ProcessorPart part : stream) {
            answer.add(part);
            if (part.isFunctionCall()) {
              System.out.print(
                  " [calls " + part.functionCall().name() + part.functionCall().args() + "] ");
            } else if (part.isText() && !part.isThought()) {
              System.out.print(part.text());
              System.out.flush();
            }
          }
        }
        ProcessorPart end = answer.get(answer.size() - 1);
        System.out.println();
        TokenUsage.of(end)
            .ifPresent(
                u ->
                    System.out.println(
                        "        ("
                            + u.promptTokens()
                            + " prompt + "
                            + u.completionTokens()
                            + " output tokens, "
                            + end.metadata(AnthropicModel.FINISH_REASON)
                            + ")"));
        conversation.addAll(answer);
        List<ProcessorPart> calls = answer.stream().filter(ProcessorPart::isFunctionCall).toList();
        if (calls.isEmpty()) {
          break;
        }
        for (ProcessorPart call : calls) {
          conversation.add(
              ProcessorPart.functionResponse(run(call.functionCall())).withRole("user"));
        }
      }
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  /** The tool: a stand-in for a weather service. */
  private static FunctionResponse run(FunctionCall call) {
    Object city = call.args().get("city");
    return FunctionResponse.result(
            call.name(), Map.of("city", String.valueOf(city), "celsius", 21, "sky", "sunny"))
        .withId(call.id());
  }
}
