package dev.genaiprocessors.examples;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.openai.ChatSettings;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;
import dev.genaiprocessors.tools.FunctionCalling;
import dev.genaiprocessors.tools.Tool;
import dev.genaiprocessors.tools.ToolParam;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A slow background tool while the conversation goes on. The model asks a manager to approve a
 * flight ({@code request_approval}, a {@linkplain Tool#inBackground() background tool}: a human
 * takes minutes to answer); {@link FunctionCalling} acknowledges the call at once, and while the
 * approval is pending the model looks up the weather, lists the calls still running ({@code
 * list_fc}) and tells the user it is waiting. When the manager approves, the result starts a new
 * model turn, and the loop ends once the model has answered and nothing runs in the background.
 *
 * <p>With {@code OPENAI_API_KEY} set it talks to OpenAI ({@code gpt-4o-mini}, or {@code
 * OPENAI_MODEL}); otherwise to the {@code testing} module's local {@link OpenAiServer}, scripted to
 * answer as OpenAI would, so it runs offline:
 *
 * <pre>{@code
 * ./mvnw -q -B -DskipTests -pl examples -am package exec:java -Dexample=BackgroundToolExample
 * }</pre>
 *
 * <p>The manager is played by this program: it approves once the model has said something after the
 * weather arrived (the model is then waiting), so the run is the same every time.
 */
public final class BackgroundToolExample {
  private BackgroundToolExample() {}

  /** What needs approving. */
  record Spend(
      @ToolParam(description = "What the money is for") String purpose,
      @ToolParam(description = "The amount in euros") int euros) {}

  /** The weather tool's arguments. */
  record City(String city) {}

  public static void main(String[] args) {
    String key = System.getenv("OPENAI_API_KEY");
    OpenAiServer local = key == null || key.isBlank() ? OpenAiServer.start() : null;
    OpenAiModel.Builder builder =
        OpenAiModel.builder()
            .model(System.getenv().getOrDefault("OPENAI_MODEL", "gpt-4o-mini"))
            .settings(ChatSettings.builder().temperature(0.3).maxTokens(300).build())
            .systemInstruction(
                "You are a travel assistant. Spending needs the manager's approval"
                    + " (request_approval, which runs in the background); carry on helping while"
                    + " it is pending.");
    if (local != null) {
      System.out.println(
          "(no OPENAI_API_KEY: talking to the local server at " + local.baseUrl() + ")");
      local.enqueue(
          ChatReply.create()
              .text("I'll ask your manager to approve the flight. ")
              .toolCall(
                  "call_approval",
                  "request_approval",
                  "{\"purpose\":\"flight to Oslo\",",
                  "\"euros\":420}"),
          ChatReply.create().toolCall("call_weather", "get_weather", "{\"city\":\"Oslo\"}"),
          ChatReply.create().toolCall("call_list", FunctionCalling.LIST_CALLS_TOOL, "{}"),
          ChatReply.create()
              .text(
                  "While your manager decides: Oslo is sunny, 18 °C. ",
                  "I'll confirm the booking as soon as it is approved.")
              .pacing(Duration.ofMillis(40)),
          ChatReply.create()
              .text("Approved! ", "Your flight to Oslo is booked.")
              .pacing(Duration.ofMillis(40)));
      builder.baseUrl(local.baseUrl()).apiKey("sk-local");
    } else {
      builder.apiKey(key);
    }

    CountDownLatch managerDecides = new CountDownLatch(1);
    Tool approval =
        Tool.of(
                "request_approval",
                "Asks the user's manager to approve a spend. Takes minutes to hours.",
                Spend.class,
                spend -> {
                  managerDecides.await(); // honours interruption: a cancelled call stops here
                  return "approved: " + spend.purpose() + ", " + spend.euros() + " EUR";
                })
            .inBackground();
    Tool weather =
        Tool.of(
            "get_weather",
            "The current weather in a city",
            City.class,
            city -> city.city() + ": sunny, 18 °C");

    String question = "Book me the 420 EUR flight to Oslo. And what's the weather there?";
    System.out.println("user> " + question);
    long start = System.nanoTime();
    boolean weatherKnown = false;
    try (OpenAiModel model = builder.build();
        ProcessorStream out =
            FunctionCalling.of(model, approval, weather)
                // a manager who never answers must not keep the conversation open for ever
                .withBackgroundTimeout(Duration.ofMinutes(2))
                .apply(question)) {
      for (ProcessorPart part : out) {
        String shown = show(part);
        if (!shown.isEmpty()) {
          System.out.printf("%5d ms  %s%n", (System.nanoTime() - start) / 1_000_000, shown);
        }
        if (part.isFunctionResponse() && "get_weather".equals(part.functionResponse().name())) {
          weatherKnown = true;
        } else if (weatherKnown && part.isText() && !part.text().isBlank()) {
          managerDecides.countDown(); // the model is waiting now: the manager approves
        }
      }
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  private static String show(ProcessorPart part) {
    if (part.isFunctionCall()) {
      FunctionCall call = part.functionCall();
      return "model calls " + call.name() + call.args() + " (id " + call.id() + ")";
    }
    if (part.isFunctionResponse()) {
      FunctionResponse response = part.functionResponse();
      return "tool answers " + response.id() + ": " + response.response();
    }
    if (part.isText() && !part.isThought() && !part.text().isBlank()) {
      return "model says  " + part.text();
    }
    return "";
  }
}
