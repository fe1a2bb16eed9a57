package dev.genaiprocessors.examples;

import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.gemini.GeminiModel;
import dev.genaiprocessors.gemini.GenerationSettings;
import dev.genaiprocessors.testing.GeminiReply;
import dev.genaiprocessors.testing.GeminiServer;
import dev.genaiprocessors.tools.FunctionCalling;
import dev.genaiprocessors.tools.Tool;
import java.time.Duration;
import java.util.Map;

/**
 * A streaming chat with a tool on Gemini. With {@code GEMINI_API_KEY} (or {@code GOOGLE_API_KEY})
 * set it talks to the Gemini API ({@code gemini-2.5-flash}, or {@code GEMINI_MODEL}); otherwise to
 * the {@code testing} module's local {@link GeminiServer}, scripted to answer as Gemini would, so
 * it runs offline:
 *
 * <pre>{@code
 * ./mvnw -q -B -DskipTests -pl examples -am package exec:java -Dexample=dev.genaiprocessors.examples.GeminiStreamingChat
 * }</pre>
 *
 * <p>The model asks for the weather tool; {@link FunctionCalling} runs it, sends the call and its
 * response back and streams the final answer as it arrives. (The loop drops the model's end-of-turn
 * parts, so the token usage is read from {@link GeminiModel} directly, not shown here.)
 */
public final class GeminiStreamingChat {
  private GeminiStreamingChat() {}

  /** The weather tool's arguments. */
  record City(String city) {}

  public static void main(String[] args) {
    String key = System.getenv("GEMINI_API_KEY");
    if (key == null || key.isBlank()) {
      key = System.getenv("GOOGLE_API_KEY");
    }
    GeminiServer local = key == null || key.isBlank() ? GeminiServer.start() : null;
    GeminiModel.Builder builder =
        GeminiModel.builder()
            .model(System.getenv().getOrDefault("GEMINI_MODEL", "gemini-2.5-flash"))
            .settings(GenerationSettings.builder().temperature(0.3).maxOutputTokens(300).build())
            .systemInstruction(
                "You are a concise assistant. Use get_weather for weather questions.");
    if (local != null) {
      System.out.println(
          "(no GEMINI_API_KEY: talking to the local server at " + local.baseUrl() + ")");
      local.enqueue(
          GeminiReply.create().functionCall("get_weather", "{\"city\":\"Paris\"}").usage(40, 5));
      local.enqueue(
          GeminiReply.text(
                  "It is ", "sunny ", "in Paris, ", "21 °C: ", "a good day ", "for a walk.")
              .usage(84, 14)
              .pacing(Duration.ofMillis(80)));
      builder.baseUrl(local.baseUrl()).apiKey("local-key");
    } else {
      builder.apiKey(key);
    }
    Tool weather =
        Tool.of(
            "get_weather",
            "The current weather in a city",
            City.class,
            city -> Map.of("city", city.city(), "celsius", 21, "sky", "sunny"));

    String question = "What's the weather like in Paris?";
    System.out.println("user> " + question);
    System.out.print("model> ");
    try (GeminiModel model = builder.build();
        ProcessorStream answer = FunctionCalling.of(model, weather).apply(question)) {
      for (ProcessorPart part : answer) {
        if (part.isFunctionCall()) {
          System.out.print(
              "[calls " + part.functionCall().name() + part.functionCall().args() + "] ");
        } else if (part.isFunctionResponse()) {
          System.out.print("[" + part.functionResponse().name() + " answered] ");
        } else if (part.isText() && !part.isThought()) {
          System.out.print(part.text());
          System.out.flush();
        }
      }
      System.out.println();
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }
}
