package dev.genaiprocessors.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// The timeout only turns a hang (a deadlock this suite exists to catch) into a failure; no test
// measures time.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FunctionCallingTest {

  record City(String city) {}

  record Forecast(String city, int days) {}

  record NoArguments() {}

  /** What a scripted model says to one prompt. */
  @FunctionalInterface
  interface Script {
    void answer(List<ProcessorPart> prompt, PartSink output) throws Exception;
  }

  /**
   * A model processor written for the tests: it reads the whole prompt, records it, and answers
   * with what its script says for that prompt, as a unary model processor does.
   */
  static final class ScriptedModel implements Processor {
    final List<List<ProcessorPart>> prompts = new CopyOnWriteArrayList<>();
    private final Script script;

    ScriptedModel(Script script) {
      this.script = script;
    }

    @Override
    public void call(PartStream input, PartSink output) throws Exception {
      List<ProcessorPart> prompt = input.gather().parts();
      prompts.add(prompt);
      script.answer(prompt, output);
    }

    /** The prompts without the declaration parts at their start. */
    List<List<ProcessorPart>> conversations() {
      return prompts.stream().map(FunctionCallingTest::withoutDeclarations).toList();
    }
  }

  static List<ProcessorPart> withoutDeclarations(List<ProcessorPart> prompt) {
    return prompt.stream()
        .filter(p -> !p.mimeType().equals(MimeTypes.FUNCTION_DECLARATION))
        .toList();
  }

  static List<ProcessorPart> responses(List<ProcessorPart> prompt) {
    return prompt.stream().filter(ProcessorPart::isFunctionResponse).toList();
  }

  static ProcessorPart call(String id, String name, Map<String, ?> args) {
    return ProcessorPart.functionCall(new FunctionCall(id, name, Map.copyOf(args)));
  }

  /** The part a model's call becomes in the loop's output. */
  static ProcessorPart emitted(ProcessorPart call) {
    return call.withRole("model").withSubstreamName(FunctionCalling.FUNCTION_CALL_SUBSTREAM);
  }

  /** The response part the loop makes for {@code value} returned by the call {@code id}. */
  static ProcessorPart result(String id, String name, Object value) {
    return ProcessorPart.functionResponse(FunctionResponse.result(name, value).withId(id))
        .withRole("user")
        .withSubstreamName(FunctionCalling.FUNCTION_CALL_SUBSTREAM);
  }

  static ProcessorPart error(String id, String name, String message) {
    return ProcessorPart.functionResponse(FunctionResponse.error(name, message).withId(id))
        .withRole("user")
        .withSubstreamName(FunctionCalling.FUNCTION_CALL_SUBSTREAM);
  }

  static ProcessorPart modelText(String text) {
    return ProcessorPart.text(text).withRole("model");
  }

  private static final Tool WEATHER =
      Tool.of(
          "get_weather",
          "The weather in a city.",
          City.class,
          c -> "Weather in " + c.city() + " is sunny");

  private static final ProcessorPart WEATHER_CALL =
      call("call_1", "get_weather", Map.of("city", "London"));

  /** Asks for the weather once, then answers from the response it got. */
  private static final Script WEATHER_MODEL =
      (prompt, output) -> {
        List<ProcessorPart> responses = responses(prompt);
        if (responses.isEmpty()) {
          output.emit(WEATHER_CALL);
        } else {
          output.emit(
              responses.get(0).functionResponse().response().get("result") + ": sun will shine");
        }
      };

  @Test
  void theModelsOutputPassesUnchanged_whenItCallsNoFunction() {
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> output.emit(ProcessorPart.text("Hello").withRole("model")));

    ProcessorContent out = FunctionCalling.of(model, WEATHER).apply("Hi").gather();

    assertThat(out.parts()).containsExactly(modelText("Hello"));
    assertThat(model.prompts).hasSize(1);
  }

  @Test
  void aCallIsRun_itsResponseFedBack_andTheModelsNextAnswerEndsTheOutput() {
    ScriptedModel model = new ScriptedModel(WEATHER_MODEL);

    ProcessorContent out = FunctionCalling.of(model, WEATHER).apply("Weather in London?").gather();

    ProcessorPart response = result("call_1", "get_weather", "Weather in London is sunny");
    assertThat(out.parts())
        .containsExactly(
            emitted(WEATHER_CALL),
            response,
            modelText("Weather in London is sunny: sun will shine"));
    assertThat(model.conversations())
        .containsExactly(
            List.of(ProcessorPart.text("Weather in London?")),
            List.of(ProcessorPart.text("Weather in London?"), emitted(WEATHER_CALL), response));
  }

  @Test
  void everyPrompt_startsWithADeclarationPartPerTool_unlessTurnedOff() {
    Tool search = Tool.of("search", "Searches.", City.class, c -> "nothing");
    ScriptedModel declared = new ScriptedModel(WEATHER_MODEL);
    ScriptedModel undeclared = new ScriptedModel(WEATHER_MODEL);

    FunctionCalling.of(declared, WEATHER, search).apply("Hi").gather();
    FunctionCalling.of(undeclared, WEATHER, search)
        .withToolDeclarations(false)
        .apply("Hi")
        .gather();

    assertThat(declared.prompts).hasSize(2);
    for (List<ProcessorPart> prompt : declared.prompts) {
      assertThat(prompt.subList(0, 2))
          .containsExactly(WEATHER.declaration().toPart(), search.declaration().toPart());
    }
    assertThat(undeclared.prompts.get(0)).containsExactly(ProcessorPart.text("Hi"));
  }

  @Test
  void theInputsEndOfTurnParts_areNotSentToTheModel() {
    ScriptedModel model = new ScriptedModel((prompt, output) -> output.emit("ok"));

    FunctionCalling.of(model, WEATHER)
        .apply(List.of(ProcessorPart.text("Hi"), ProcessorPart.endOfTurn()))
        .gather();

    assertThat(model.conversations()).containsExactly(List.of(ProcessorPart.text("Hi")));
  }

  @Test
  void theCaller_seesTheModelsPartsWhileTheModelIsStillAnswering() {
    CountDownLatch firstPartRead = new CountDownLatch(1);
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (responses(prompt).isEmpty()) {
                output.emit("Let me check.");
                firstPartRead.await();
                output.emit(WEATHER_CALL);
              } else {
                output.emit("Sunny.");
              }
            });

    try (ProcessorStream out = FunctionCalling.of(model, WEATHER).apply("Weather?")) {
      Iterator<ProcessorPart> parts = out.iterator();
      assertThat(parts.next()).isEqualTo(modelText("Let me check."));
      firstPartRead.countDown();
      List<ProcessorPart> rest = new ArrayList<>();
      parts.forEachRemaining(rest::add);
      assertThat(rest)
          .containsExactly(
              emitted(WEATHER_CALL),
              result("call_1", "get_weather", "Weather in London is sunny"),
              modelText("Sunny."));
    }
  }

  @Test
  void theCallsOfOneTurn_runConcurrently() {
    CountDownLatch secondStarted = new CountDownLatch(1);
    // The first call can only finish once the second has started: run one after the other, they
    // would never finish.
    Tool first =
        Tool.of(
            "first",
            "",
            NoArguments.class,
            x -> {
              secondStarted.await();
              return "first done";
            });
    Tool second =
        Tool.of(
            "second",
            "",
            NoArguments.class,
            x -> {
              secondStarted.countDown();
              return "second done";
            });
    ProcessorPart callFirst = call("a", "first", Map.of());
    ProcessorPart callSecond = call("b", "second", Map.of());
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (responses(prompt).isEmpty()) {
                output.emit(callFirst);
                output.emit(callSecond);
              } else {
                output.emit("both done");
              }
            });

    ProcessorContent out = FunctionCalling.of(model, first, second).apply("go").gather();

    assertThat(out.parts())
        .containsExactly(
            emitted(callFirst),
            emitted(callSecond),
            result("a", "first", "first done"),
            result("b", "second", "second done"),
            modelText("both done"));
  }

  @Test
  void responses_followTheOrderOfTheCalls_notTheOrderTheyFinish() {
    CountDownLatch laterCallsDone = new CountDownLatch(2);
    Tool slow =
        Tool.of(
            "slow",
            "",
            NoArguments.class,
            x -> {
              laterCallsDone.await();
              return "slow";
            });
    Tool fast =
        Tool.of(
            "fast",
            "",
            City.class,
            c -> {
              laterCallsDone.countDown();
              return "fast " + c.city();
            });
    List<ProcessorPart> calls =
        List.of(
            call("1", "slow", Map.of()),
            call("2", "fast", Map.of("city", "Oslo")),
            call("3", "fast", Map.of("city", "Rome")));
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (responses(prompt).isEmpty()) {
                output.emitAll(calls);
              } else {
                output.emit("done");
              }
            });

    ProcessorContent out = FunctionCalling.of(model, slow, fast).apply("go").gather();

    List<ProcessorPart> expectedResponses =
        List.of(
            result("1", "slow", "slow"),
            result("2", "fast", "fast Oslo"),
            result("3", "fast", "fast Rome"));
    assertThat(out.filter(ProcessorPart::isFunctionResponse).parts()).isEqualTo(expectedResponses);
    List<ProcessorPart> secondConversation = model.conversations().get(1);
    assertThat(secondConversation.subList(secondConversation.size() - 3, secondConversation.size()))
        .isEqualTo(expectedResponses);
  }

  @Test
  void aToolThatThrows_givesTheModelAnErrorResponse_andTheLoopGoesOn() {
    Tool failing =
        Tool.of(
            "failing_function",
            "",
            NoArguments.class,
            x -> {
              throw new IllegalStateException("this function failed");
            });
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (responses(prompt).isEmpty()) {
                output.emit(call("c1", "failing_function", Map.of()));
              } else {
                output.emit(
                    "Sorry: "
                        + responses(prompt).get(0).functionResponse().response().get("error"));
              }
            });

    ProcessorContent out = FunctionCalling.of(model, failing).apply("go").gather();

    String message = "Failed to invoke function failing_function({}): this function failed";
    assertThat(out.parts())
        .containsExactly(
            emitted(call("c1", "failing_function", Map.of())),
            error("c1", "failing_function", message),
            modelText("Sorry: " + message));
    assertThat(out.get(1).functionResponse().isError()).isTrue();
  }

  @Test
  void aCallToAnUnknownFunction_givesTheErrorTheReferenceDescribes_andTheLoopGoesOn() {
    Tool search = Tool.of("search", "", City.class, c -> "nothing");
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (responses(prompt).isEmpty()) {
                output.emit(call("c1", "get_time", Map.of("zone", "UTC")));
              } else {
                output.emit("I cannot tell the time.");
              }
            });

    ProcessorContent out = FunctionCalling.of(model, WEATHER, search).apply("Time?").gather();

    assertThat(out.parts())
        .containsExactly(
            emitted(call("c1", "get_time", Map.of("zone", "UTC"))),
            error(
                "c1",
                "get_time",
                "Function get_time not found. Available functions: 'get_weather', 'search'."),
            modelText("I cannot tell the time."));
  }

  @Test
  void aMissingArgument_givesAnErrorResponseNamingIt_withoutRunningTheTool() {
    AtomicInteger runs = new AtomicInteger();
    Tool forecast = Tool.of("forecast", "", Forecast.class, f -> runs.incrementAndGet());
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (responses(prompt).isEmpty()) {
                output.emit(call("c1", "forecast", Map.of("days", "three")));
              } else {
                output.emit("retrying later");
              }
            });

    ProcessorContent out = FunctionCalling.of(model, forecast).apply("go").gather();

    FunctionResponse response = out.get(1).functionResponse();
    assertThat(response.isError()).isTrue();
    assertThat(response.response().get("error"))
        .isEqualTo(
            "Failed to invoke function forecast({\"days\":\"three\"}): argument 'city' is required but missing");
    assertThat(runs).hasValue(0);
    assertThat(out.get(2)).isEqualTo(modelText("retrying later"));
  }

  @Test
  void aWronglyTypedArgument_isNamedInTheErrorResponse() {
    Tool forecast = Tool.of("forecast", "", Forecast.class, f -> "ok");
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (responses(prompt).isEmpty()) {
                output.emit(call("c1", "forecast", Map.of("city", "Oslo", "days", "three")));
              } else {
                output.emit("noted");
              }
            });

    ProcessorContent out = FunctionCalling.of(model, forecast).apply("go").gather();

    assertThat((String) out.get(1).functionResponse().response().get("error"))
        .startsWith("Failed to invoke function forecast({")
        .endsWith("): argument 'days' must be an integer but was \"three\"");
  }

  @Test
  void callsBeyondMaxFunctionCalls_areDropped_andTheLoopEndsAfterThatTurn() {
    AtomicInteger runs = new AtomicInteger();
    Tool counter = Tool.of("count", "", NoArguments.class, x -> runs.incrementAndGet());
    // A model that never stops calling.
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) ->
                output.emit(call("c" + (responses(prompt).size() + 1), "count", Map.of())));

    ProcessorContent out =
        FunctionCalling.of(model, counter).withMaxFunctionCalls(3).apply("go").gather();

    assertThat(runs).hasValue(3);
    assertThat(model.prompts).hasSize(4);
    assertThat(out.parts())
        .containsExactly(
            emitted(call("c1", "count", Map.of())), result("c1", "count", 1L),
            emitted(call("c2", "count", Map.of())), result("c2", "count", 2L),
            emitted(call("c3", "count", Map.of())), result("c3", "count", 3L));
  }

  @Test
  void
      callsOfOneTurnBeyondMaxFunctionCalls_areDropped_theOthersAnswered_andTheModelNotCalledAgain() {
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              for (String city : List.of("Oslo", "Rome", "Lima")) {
                output.emit(call(city, "get_weather", Map.of("city", city)));
              }
            });

    ProcessorContent out =
        FunctionCalling.of(model, WEATHER).withMaxFunctionCalls(2).apply("go").gather();

    assertThat(out.parts())
        .containsExactly(
            emitted(call("Oslo", "get_weather", Map.of("city", "Oslo"))),
            emitted(call("Rome", "get_weather", Map.of("city", "Rome"))),
            result("Oslo", "get_weather", "Weather in Oslo is sunny"),
            result("Rome", "get_weather", "Weather in Rome is sunny"));
    assertThat(model.prompts).hasSize(1);
  }

  @Test
  void theDefaultLimit_isFiveCalls() {
    assertThat(FunctionCalling.of(new ScriptedModel((p, o) -> {}), WEATHER).maxFunctionCalls())
        .isEqualTo(FunctionCalling.DEFAULT_MAX_FUNCTION_CALLS)
        .isEqualTo(5);
  }

  @Test
  void closingTheStream_cancelsTheRunningTools_andReturnsOnlyOnceTheyHaveStopped()
      throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger interrupted = new AtomicInteger();
    AtomicInteger stopped = new AtomicInteger();
    CountDownLatch allStarted = new CountDownLatch(2);
    CountDownLatch never = new CountDownLatch(1);
    Tool blocking =
        Tool.of(
            "block",
            "",
            NoArguments.class,
            x -> {
              started.incrementAndGet();
              try {
                allStarted.countDown();
                never.await();
                return "unreachable";
              } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
              } finally {
                stopped.incrementAndGet();
              }
            });
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              output.emit(call("1", "block", Map.of()));
              output.emit(call("2", "block", Map.of()));
            });

    ProcessorStream out = FunctionCalling.of(model, blocking).apply("go");
    assertThat(out.read()).isEqualTo(emitted(call("1", "block", Map.of())));
    assertThat(out.read()).isEqualTo(emitted(call("2", "block", Map.of())));
    allStarted.await();
    out.close();

    assertThat(started).hasValue(2);
    assertThat(interrupted).hasValue(2);
    assertThat(stopped).hasValue(2);
  }

  @Test
  void closingTheStream_whileTheModelAnswers_cancelsTheModel() throws Exception {
    AtomicInteger interrupted = new AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              output.emit("thinking...");
              try {
                never.await();
              } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
              }
            });

    ProcessorStream out = FunctionCalling.of(model, WEATHER).apply("go");
    assertThat(out.read()).isEqualTo(modelText("thinking..."));
    out.close();

    assertThat(interrupted).hasValue(1);
  }

  @Test
  void aFailingModel_failsTheRun_namingTheModel() {
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              throw new IllegalStateException("quota exceeded");
            });

    assertThatThrownBy(() -> FunctionCalling.of(model, WEATHER).apply("go").gather())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("quota exceeded")
        .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains("ScriptedModel"));
  }

  @Test
  void aFunctionResponsePartReturnedByATool_isUsedWithTheCallsIdAndName() {
    Tool custom =
        Tool.of(
            "custom",
            "",
            NoArguments.class,
            x ->
                ProcessorPart.functionResponse(FunctionResponse.result(null, Map.of("temp", 21L))));
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (responses(prompt).isEmpty()) {
                output.emit(call("c9", "custom", Map.of()));
              }
            });

    ProcessorContent out = FunctionCalling.of(model, custom).apply("go").gather();

    assertThat(out.get(1)).isEqualTo(result("c9", "custom", Map.of("temp", 21L)));
  }

  @Test
  void aRecordReturnedByATool_becomesItsJsonForm() {
    Tool forecast = Tool.of("forecast", "", City.class, c -> new Forecast(c.city(), 3));
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (responses(prompt).isEmpty()) {
                output.emit(call("c1", "forecast", Map.of("city", "Oslo")));
              }
            });

    ProcessorContent out = FunctionCalling.of(model, forecast).apply("go").gather();

    assertThat(out.get(1).functionResponse().response())
        .isEqualTo(Map.of("result", Map.of("city", "Oslo", "days", 3L)));
  }

  @Test
  void responsesGoOnTheConfiguredSubstream_whileCallsStayOnTheFunctionCallSubstream() {
    ScriptedModel model = new ScriptedModel(WEATHER_MODEL);

    ProcessorContent out =
        FunctionCalling.of(model, WEATHER).withSubstreamName("tools").apply("go").gather();

    assertThat(out.get(0).substreamName()).isEqualTo(FunctionCalling.FUNCTION_CALL_SUBSTREAM);
    assertThat(out.get(1).substreamName()).isEqualTo("tools");
  }

  @Test
  void reservedPartsFromTheModel_reachTheCaller_butAreNotFedBack() {
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              output.emit(Processor.status("looking it up"));
              WEATHER_MODEL.answer(prompt, output);
            });

    ProcessorContent out = FunctionCalling.of(model, WEATHER).apply("go").gather();

    assertThat(out.filterBySubstream("status").parts()).hasSize(2);
    assertThat(model.conversations().get(1)).noneMatch(p -> p.substreamName().equals("status"));
  }

  @Test
  void callsAlreadyOnASubstream_passThroughWithoutBeingRun() {
    AtomicInteger runs = new AtomicInteger();
    Tool counter = Tool.of("count", "", NoArguments.class, x -> runs.incrementAndGet());
    ProcessorPart notification = call("n1", "count", Map.of()).withSubstreamName("function_call");
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              output.emit(notification);
              output.emit("done");
            });

    ProcessorContent out = FunctionCalling.of(model, counter).apply("go").gather();

    assertThat(out.parts()).containsExactly(notification.withRole("model"), modelText("done"));
    assertThat(runs).hasValue(0);
    assertThat(model.prompts).hasSize(1);
  }

  @Test
  void aLimitBelowOne_isRejected_namingIt() {
    FunctionCalling loop = FunctionCalling.of(new ScriptedModel((p, o) -> {}), WEATHER);

    assertThatThrownBy(() -> loop.withMaxFunctionCalls(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFunctionCalls must be at least 1 but was 0");
  }

  @Test
  void twoToolsWithOneName_areRejected_namingIt() {
    assertThatThrownBy(() -> FunctionCalling.of(new ScriptedModel((p, o) -> {}), WEATHER, WEATHER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two tools are named 'get_weather'");
  }
}
