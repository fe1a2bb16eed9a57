package dev.genaiprocessors.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.contract.ModelHarness.SentRequest;
import dev.genaiprocessors.contract.ModelHarness.SentTurn;
import dev.genaiprocessors.tools.FunctionCalling;
import dev.genaiprocessors.tools.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The function-calling loop's streaming and background tools driven by each vendor's real model
 * processor (its official SDK) against the {@code testing} module's local server: what the loop
 * promises with a scripted model holds through OpenAI's, Anthropic's and Gemini's wire formats.
 */
// The timeout only turns a hang into a failure; no test measures time.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FunctionCallingContractTest {

  record NoArguments() {}

  static java.util.stream.Stream<org.junit.jupiter.api.Named<Supplier<ModelHarness>>> vendors() {
    return ModelContractTest.vendors();
  }

  static List<FunctionResponse> responses(ProcessorContent out) {
    return out.stream()
        .filter(ProcessorPart::isFunctionResponse)
        .map(ProcessorPart::functionResponse)
        .toList();
  }

  static String text(ProcessorContent out) {
    return out.stream()
        .filter(p -> !p.isFunctionCall() && !p.isFunctionResponse())
        .map(ProcessorPart::text)
        .reduce("", String::concat);
  }

  /** The function results a request sent after its last model turn, as the vendor took them. */
  static List<String> lastResults(SentRequest request, List<String> ids) {
    List<String> results = new ArrayList<>();
    List<SentTurn> turns = request.turns();
    int lastModel = -1;
    for (int i = 0; i < turns.size(); i++) {
      if (turns.get(i).role().equals("model")) {
        lastModel = i;
      }
    }
    for (SentTurn turn : turns.subList(lastModel + 1, turns.size())) {
      results.addAll(turn.results());
      ids.addAll(turn.resultIds());
    }
    return results;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void aStreamingTool_sendsEachResultInOrder_markedContinuing_andTheModelReadsThemAll(
      Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      h.replyCalls(List.of(new FunctionCall("call_1", "build", Map.of())));
      h.replyText("Built", " in two steps.");
      Tool build =
          Tool.streaming(
              "build",
              "Builds the project, step by step.",
              NoArguments.class,
              (args, results) -> {
                results.accept("step 1 compiled");
                results.accept("step 2 tested");
              });

      ProcessorContent out = FunctionCalling.of(h.model(), build).apply("Build it.").gather();

      assertThat(responses(out))
          .extracting(FunctionResponse::id, r -> r.response().get("result"), r -> r.willContinue())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("call_1", "step 1 compiled", true),
              org.assertj.core.groups.Tuple.tuple("call_1", "step 2 tested", true),
              org.assertj.core.groups.Tuple.tuple("call_1", "", false));
      assertThat(text(out)).isEqualTo("Built in two steps.");
      assertThat(h.requestCount()).isEqualTo(2);
      List<String> ids = new ArrayList<>();
      List<String> results = lastResults(h.request(1), ids);
      assertThat(ids).isNotEmpty().allMatch("call_1"::equals);
      assertThat(String.join("\n", results))
          .containsSubsequence("step 1 compiled", "step 2 tested");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void twoBackgroundTools_finishingInReverseOrder_eachStartAModelTurn_withTheirResult(
      Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      h.replyCalls(
          List.of(
              new FunctionCall("call_1", "slow_search", Map.of()),
              new FunctionCall("call_2", "quick_search", Map.of())));
      h.replyText("Both searches are running.");
      h.replyText("The quick one is back.");
      h.replyText("The slow one is back too.");
      // Each search waits for the model turn before the one its result should start: the quick
      // one for the turn after the acknowledgements, the slow one for the quick one's turn.
      CountDownLatch secondTurnDone = new CountDownLatch(1);
      CountDownLatch thirdTurnDone = new CountDownLatch(1);
      AtomicInteger turns = new AtomicInteger();
      Processor model =
          (input, output) -> {
            try (ProcessorStream answer = h.model().apply(input)) {
              for (ProcessorPart part : answer) {
                output.emit(part);
              }
            }
            switch (turns.incrementAndGet()) {
              case 2 -> secondTurnDone.countDown();
              case 3 -> thirdTurnDone.countDown();
              default -> {}
            }
          };
      Tool slow =
          Tool.of(
                  "slow_search",
                  "A search that takes long.",
                  NoArguments.class,
                  args -> {
                    thirdTurnDone.await();
                    return "slow result";
                  })
              .inBackground();
      Tool quick =
          Tool.of(
                  "quick_search",
                  "A search that takes less long.",
                  NoArguments.class,
                  args -> {
                    secondTurnDone.await();
                    return "quick result";
                  })
              .inBackground();

      ProcessorContent out = FunctionCalling.of(model, slow, quick).apply("Search.").gather();

      assertThat(responses(out))
          .extracting(FunctionResponse::id, r -> r.response().get("result"))
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("call_1", "Running in background."),
              org.assertj.core.groups.Tuple.tuple("call_2", "Running in background."),
              org.assertj.core.groups.Tuple.tuple("call_2", "quick result"),
              org.assertj.core.groups.Tuple.tuple("call_1", "slow result"));
      assertThat(text(out))
          .isEqualTo("Both searches are running.The quick one is back.The slow one is back too.");
      assertThat(h.requestCount()).isEqualTo(4);
      List<String> quickIds = new ArrayList<>();
      assertThat(String.join("\n", lastResults(h.request(2), quickIds))).contains("quick result");
      assertThat(quickIds).containsExactly("call_2");
      List<String> slowIds = new ArrayList<>();
      assertThat(String.join("\n", lastResults(h.request(3), slowIds))).contains("slow result");
      assertThat(slowIds).containsExactly("call_1");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void aToolThatThrowsMidStream_endsItsCallWithAnErrorResponse_andTheModelAnswers(
      Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      h.replyCalls(List.of(new FunctionCall("call_1", "build", Map.of())));
      h.replyText("The build broke.");
      Tool build =
          Tool.streaming(
              "build",
              "Builds the project, step by step.",
              NoArguments.class,
              (args, results) -> {
                results.accept("step 1 compiled");
                throw new IllegalStateException("disk full");
              });

      ProcessorContent out = FunctionCalling.of(h.model(), build).apply("Build it.").gather();

      List<FunctionResponse> responses = responses(out);
      assertThat(responses).hasSize(2);
      assertThat(responses.get(0).response()).isEqualTo(Map.of("result", "step 1 compiled"));
      assertThat(responses.get(1).response())
          .isEqualTo(Map.of("error", "Failed to invoke function build({}): disk full"));
      assertThat(responses.get(1).willContinue()).isFalse();
      assertThat(text(out)).isEqualTo("The build broke.");
      List<String> ids = new ArrayList<>();
      assertThat(String.join("\n", lastResults(h.request(1), ids))).contains("disk full");
    }
  }
}
