package dev.genaiprocessors.examples;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.model.TokenUsage;
import dev.genaiprocessors.openai.ChatSettings;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A streaming chat with a tool. With {@code OPENAI_API_KEY} set it talks to OpenAI ({@code
 * gpt-4o-mini}, or {@code OPENAI_MODEL}); otherwise to the {@code testing} module's local {@link
 * OpenAiServer}, scripted to answer as OpenAI would, so it runs offline:
 *
 * <pre>{@code
 * ./mvnw -q -B -DskipTests -pl examples -am package exec:java -Dexample=dev.genaiprocessors.examples.OpenAiStreamingChat
 * }</pre>
 *
 * <p>The model asks for the weather tool; the example runs it, appends the call and its response to
 * the conversation and streams the final answer token by token. (The {@code tools} module runs this
 * loop for you; here it is written out to show the parts that travel.)
 */
public final class OpenAiStreamingChat {
  private OpenAiStreamingChat() {}

  public static void main(String[] args) {
    String key = System.getenv("OPENAI_API_KEY");
    OpenAiServer local = key == null || key.isBlank() ? OpenAiServer.start() : null;
    OpenAiModel.Builder builder =
        OpenAiModel.builder()
            .model(System.getenv().getOrDefault("OPENAI_MODEL", "gpt-4o-mini"))
            .settings(ChatSettings.builder().temperature(0.3).maxTokens(300).build())
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
          "(no OPENAI_API_KEY: talking to the local server at " + local.baseUrl() + ")");
      local.enqueue(
          ChatReply.create().toolCall("call_1", "get_weather", "{\"city\":", "\"Paris\"}"));
      local.enqueue(
          ChatReply.create()
              .text("It is ", "sunny ", "in Paris, ", "21 °C: ", "a good day ", "for a walk.")
              .usage(84, 14)
              .pacing(Duration.ofMillis(80)));
      builder.baseUrl(local.baseUrl()).apiKey("sk-local");
    } else {
      builder.apiKey(key);
    }

    try (OpenAiModel model = builder.build()) {
      List<ProcessorPart> conversation = new ArrayList<>();
      conversation.add(ProcessorPart.text("What's the weather like in Paris?").withRole("user"));
      System.out.println("user> " + conversation.get(0).text());

      for (int turn = 0; turn < 3; turn++) {
        List<ProcessorPart> answer = new ArrayList<>();
        System.out.print("model> ");
        try (ProcessorStream stream = model.apply(conversation)) {
          for (ProcessorPart part : stream) {
            answer.add(part);
            if (part.isFunctionCall()) {
              System.out.print(
                  "[calls " + part.functionCall().name() + part.functionCall().args() + "] ");
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
                        "       ("
                            + u.promptTokens()
                            + " prompt + "
                            + u.completionTokens()
                            + " completion tokens, "
                            + end.metadata(OpenAiModel.FINISH_REASON)
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
