package dev.genaiprocessors.examples;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.tools.FunctionCalling;
import dev.genaiprocessors.tools.Tool;
import dev.genaiprocessors.tools.ToolMethod;
import dev.genaiprocessors.tools.ToolParam;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The function-calling loop, offline. A scripted stand-in for a model asks for the weather in two
 * cities in one turn; {@link FunctionCalling} runs both calls concurrently (each takes half a
 * second, both together about as long), feeds the responses back in call order, and the "model"
 * answers from them. Swap the scripted model for the OpenAI, Anthropic or Gemini processor and
 * nothing else changes.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=dev.genaiprocessors.examples.FunctionCallingExample}
 */
public final class FunctionCallingExample {
  private FunctionCallingExample() {}

  /** Temperature units the weather tool knows. */
  public enum Unit {
    CELSIUS,
    FAHRENHEIT
  }

  /** The tools: every {@link ToolMethod} method becomes one. */
  public static final class WeatherTools {
    @ToolMethod(name = "get_weather", description = "The current weather in a city.")
    public String getWeather(
        @ToolParam(name = "city", description = "The city, e.g. Paris") String city,
        @ToolParam(name = "unit", description = "Celsius when absent") Optional<Unit> unit)
        throws InterruptedException {
      Thread.sleep(500); // a slow weather service
      boolean fahrenheit = unit.orElse(Unit.CELSIUS) == Unit.FAHRENHEIT;
      int celsius = city.length() * 3;
      return city + ": sunny, " + (fahrenheit ? celsius * 9 / 5 + 32 + "°F" : celsius + "°C");
    }
  }

  public static void main(String[] args) {
    List<Tool> tools = Tool.fromMethods(new WeatherTools());
    System.out.println("declared to the model: " + tools.get(0).declaration().toJson());
    System.out.println();

    // Stands in for a model processor: reads the conversation, answers it.
    Processor model =
        Processor.named(
            "scripted-model",
            (input, output) -> {
              List<ProcessorPart> conversation = input.gather().parts();
              List<ProcessorPart> responses =
                  conversation.stream().filter(ProcessorPart::isFunctionResponse).toList();
              if (responses.isEmpty()) {
                output.emit("Let me check both cities. ");
                output.emit(
                    ProcessorPart.functionCall(
                        new FunctionCall("call_1", "get_weather", Map.of("city", "Paris"))));
                output.emit(
                    ProcessorPart.functionCall(
                        new FunctionCall(
                            "call_2",
                            "get_weather",
                            Map.of("city", "Oslo", "unit", "FAHRENHEIT"))));
              } else {
                StringBuilder answer = new StringBuilder("Here is the weather: ");
                for (ProcessorPart response : responses) {
                  answer.append(response.functionResponse().response().get("result")).append("; ");
                }
                output.emit(answer.append("enjoy your trip.").toString());
              }
            });

    Processor agent = FunctionCalling.of(model, tools);
    long start = System.nanoTime();
    try (ProcessorStream out = agent.apply("What is the weather in Paris and Oslo?")) {
      for (ProcessorPart part : out) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
            "%5d ms  %-5s %-14s %s%n", ms, part.role(), part.substreamName(), show(part));
      }
    }
  }

  private static String show(ProcessorPart part) {
    if (part.isFunctionCall()) {
      FunctionCall call = part.functionCall();
      return "call     " + call.id() + " " + call.name() + call.args();
    }
    if (part.isFunctionResponse()) {
      return "response " + part.functionResponse().id() + " " + part.functionResponse().response();
    }
    return MimeTypes.isText(part.mimeType()) ? "text     " + part.text() : part.mimeType();
  }
}
