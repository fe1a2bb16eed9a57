package dev.genaiprocessors.tools;

import static dev.genaiprocessors.tools.FunctionCallingTest.call;
import static dev.genaiprocessors.tools.FunctionCallingTest.emitted;
import static dev.genaiprocessors.tools.FunctionCallingTest.modelText;
import static dev.genaiprocessors.tools.FunctionCallingTest.responses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.FunctionResponse.Scheduling;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.tools.FunctionCallingTest.NoArguments;
import dev.genaiprocessors.tools.FunctionCallingTest.ScriptedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// The timeout only turns a hang (what these tests exist to catch) into a failure; no test measures
// time: they wait for latches and count what happened.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamingAndBackgroundToolsTest {

  record Query(String query) {}

  /** The response part the loop makes for a result of a streaming or background call. */
  static ProcessorPart response(String id, String name, Object value, boolean willContinue) {
    return ProcessorPart.functionResponse(
            FunctionResponse.result(name, value).withId(id).withWillContinue(willContinue))
        .withRole("user")
        .withSubstreamName(FunctionCalling.FUNCTION_CALL_SUBSTREAM);
  }

  static ProcessorPart errorResponse(String id, String name, String message) {
    return ProcessorPart.functionResponse(
            FunctionResponse.error(name, message).withId(id).withWillContinue(false))
        .withRole("user")
        .withSubstreamName(FunctionCalling.FUNCTION_CALL_SUBSTREAM);
  }

  static ProcessorPart acknowledgement(String id, String name) {
    return ProcessorPart.functionResponse(
            new FunctionResponse(
                id,
                name,
                Map.of("result", "Running in background.", "function_call_id", id),
                List.of(),
                true,
                Scheduling.SILENT))
        .withRole("user")
        .withSubstreamName(FunctionCalling.FUNCTION_CALL_SUBSTREAM);
  }

  /** A tool that runs until it is interrupted, counting its interruptions and its ends. */
  static final class BlockingTool {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    final CountDownLatch stopped = new CountDownLatch(1);
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final Tool tool;

    BlockingTool(String name) {
      tool =
          Tool.of(
                  name,
                  "Runs until cancelled.",
                  NoArguments.class,
                  x -> {
                    threads.add(Thread.currentThread());
                    try {
                      started.countDown();
                      new CountDownLatch(1).await();
                      return "unreachable";
                    } catch (InterruptedException e) {
                      interrupted.countDown();
                      throw e;
                    } finally {
                      stopped.countDown();
                    }
                  })
              .inBackground();
    }

    void assertNoThreadLeft() throws InterruptedException {
      for (Thread thread : threads) {
        thread.join();
        assertThat(thread.isAlive()).isFalse();
      }
    }
  }

  private static int turn(ScriptedModel model) {
    return model.prompts.size();
  }

  // ---- streaming tools

  @Test
  void aToolReturningAStream_sendsOneResponsePerElement_markedAsContinuing_thenAClosingOne() {
    Tool count =
        Tool.of("count", "Counts.", NoArguments.class, x -> Stream.of("one", "two", "three"));
    ProcessorPart countCall = call("c1", "count", Map.of());
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (responses(prompt).isEmpty()) {
                output.emit(countCall);
              } else {
                output.emit("counted");
              }
            });

    ProcessorContent out = FunctionCalling.of(model, count).apply("count").gather();

    List<ProcessorPart> expected =
        List.of(
            emitted(countCall),
            response("c1", "count", "one", true),
            response("c1", "count", "two", true),
            response("c1", "count", "three", true),
            response("c1", "count", "", false));
    List<ProcessorPart> all = new ArrayList<>(expected);
    all.add(modelText("counted"));
    assertThat(out.parts()).containsExactlyElementsOf(all);
    List<ProcessorPart> fedBack = new ArrayList<>(List.of(ProcessorPart.text("count")));
    fedBack.addAll(expected);
    assertThat(model.conversations().get(1)).containsExactlyElementsOf(fedBack);
  }

  @Test
  void aStreamingToolsResults_reachTheCaller_asTheyCome_beforeTheToolEnds() throws Exception {
    CountDownLatch firstSeen = new CountDownLatch(1);
    Tool progress =
        Tool.streaming(
            "build",
            "Builds, step by step.",
            NoArguments.class,
            (x, results) -> {
              results.accept("compiled");
              firstSeen.await(); // the caller has the first result before there is a second
              results.accept(Map.of("tests", 3));
            });
    ProcessorPart buildCall = call("b1", "build", Map.of());
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) ->
                output.emit(responses(prompt).isEmpty() ? buildCall : modelText("built")));

    try (ProcessorStream out = FunctionCalling.of(model, progress).apply("build it")) {
      assertThat(out.read()).isEqualTo(emitted(buildCall));
      assertThat(out.read()).isEqualTo(response("b1", "build", "compiled", true));
      firstSeen.countDown();
      assertThat(out.read()).isEqualTo(response("b1", "build", Map.of("tests", 3), true));
      assertThat(out.read()).isEqualTo(response("b1", "build", "", false));
      assertThat(out.read()).isEqualTo(modelText("built"));
      assertThat(out.read()).isNull();
    }
  }

  @Test
  void aStreamingToolThatThrowsMidStream_endsItsCallWithAnErrorResponse_andTheLoopGoesOn() {
    Tool flaky =
        Tool.of(
            "flaky",
            "Fails after one result.",
            NoArguments.class,
            x ->
                new Iterator<String>() {
                  int given;

                  @Override
                  public boolean hasNext() {
                    if (given == 1) {
                      throw new IllegalStateException("the feed broke");
                    }
                    return true;
                  }

                  @Override
                  public String next() {
                    if (!hasNext()) {
                      throw new NoSuchElementException();
                    }
                    given++;
                    return "first";
                  }
                });
    ProcessorPart flakyCall = call("f1", "flaky", Map.of());
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) ->
                output.emit(responses(prompt).isEmpty() ? flakyCall : modelText("ok")));

    ProcessorContent out = FunctionCalling.of(model, flaky).apply("go").gather();

    assertThat(out.parts())
        .containsExactly(
            emitted(flakyCall),
            response("f1", "flaky", "first", true),
            errorResponse("f1", "flaky", "Failed to invoke function flaky({}): the feed broke"),
            modelText("ok"));
  }

  @Test
  void streamingResponses_ofSeveralCalls_stayInCallOrder() {
    Tool letters = Tool.of("letters", "", NoArguments.class, x -> List.of("a", "b").iterator());
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (responses(prompt).isEmpty()) {
                output.emit(call("1", "letters", Map.of()));
                output.emit(call("2", "letters", Map.of()));
              } else {
                output.emit("done");
              }
            });

    ProcessorContent out = FunctionCalling.of(model, letters).apply("go").gather();

    assertThat(out.parts().stream().filter(ProcessorPart::isFunctionResponse))
        .containsExactly(
            response("1", "letters", "a", true),
            response("1", "letters", "b", true),
            response("1", "letters", "", false),
            response("2", "letters", "a", true),
            response("2", "letters", "b", true),
            response("2", "letters", "", false));
  }

  // ---- background tools

  @Test
  void twoBackgroundCalls_finishingInReverseOrder_eachStartAModelTurn() {
    CountDownLatch releaseA = new CountDownLatch(1);
    CountDownLatch releaseB = new CountDownLatch(1);
    Tool slowA =
        Tool.of(
                "slow_a",
                "",
                NoArguments.class,
                x -> {
                  releaseA.await();
                  return "A";
                })
            .inBackground();
    Tool slowB =
        Tool.of(
                "slow_b",
                "",
                NoArguments.class,
                x -> {
                  releaseB.await();
                  return "B";
                })
            .inBackground();
    ProcessorPart callA = call("a", "slow_a", Map.of());
    ProcessorPart callB = call("b", "slow_b", Map.of());
    ScriptedModel[] holder = new ScriptedModel[1];
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              switch (turn(holder[0])) {
                case 1 -> {
                  output.emit(callA);
                  output.emit(callB);
                }
                case 2 -> {
                  output.emit("working on it");
                  releaseB.countDown();
                }
                case 3 -> {
                  output.emit("B is in");
                  releaseA.countDown();
                }
                default -> output.emit("all done");
              }
            });
    holder[0] = model;

    ProcessorContent out = FunctionCalling.of(model, slowA, slowB).apply("go").gather();

    assertThat(out.parts())
        .containsExactly(
            emitted(callA),
            emitted(callB),
            acknowledgement("a", "slow_a"),
            acknowledgement("b", "slow_b"),
            modelText("working on it"),
            response("b", "slow_b", "B", false),
            modelText("B is in"),
            response("a", "slow_a", "A", false),
            modelText("all done"));
    assertThat(model.prompts).hasSize(4);
    assertThat(model.conversations().get(3)).endsWith(response("a", "slow_a", "A", false));
  }

  @Test
  void aBackgroundCallWithoutAnId_getsOne_andItsAcknowledgementCarriesIt() {
    CountDownLatch release = new CountDownLatch(1);
    Tool slow =
        Tool.of(
                "slow",
                "",
                NoArguments.class,
                x -> {
                  release.await();
                  return "ok";
                })
            .inBackground();
    ScriptedModel[] holder = new ScriptedModel[1];
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              switch (turn(holder[0])) {
                case 1 -> output.emit(ProcessorPart.functionCall("slow", Map.of()));
                case 2 -> {
                  output.emit("waiting");
                  release.countDown();
                }
                default -> output.emit("done");
              }
            });
    holder[0] = model;

    ProcessorContent out = FunctionCalling.of(model, slow).apply("go").gather();

    assertThat(out.parts())
        .containsExactly(
            emitted(call("slow_0", "slow", Map.of())),
            acknowledgement("slow_0", "slow"),
            modelText("waiting"),
            response("slow_0", "slow", "ok", false),
            modelText("done"));
  }

  @Test
  void aBackgroundToolThatThrows_sendsAnErrorResponse_thatStartsATurn() {
    // The tool fails only after the model's second turn has spoken: were it to fail sooner, its
    // error would (rightly) ride in that turn's prompt and start no turn of its own.
    CountDownLatch release = new CountDownLatch(1);
    Tool broken =
        Tool.of(
                "broken",
                "",
                NoArguments.class,
                x -> {
                  release.await();
                  throw new IllegalStateException("disk full");
                })
            .inBackground();
    ScriptedModel[] holder = new ScriptedModel[1];
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              switch (turn(holder[0])) {
                case 1 -> output.emit(call("x", "broken", Map.of()));
                case 2 -> {
                  output.emit("started it");
                  release.countDown();
                }
                default -> output.emit("it failed");
              }
            });
    holder[0] = model;

    ProcessorContent out = FunctionCalling.of(model, broken).apply("go").gather();

    assertThat(out.parts())
        .containsExactly(
            emitted(call("x", "broken", Map.of())),
            acknowledgement("x", "broken"),
            modelText("started it"),
            errorResponse("x", "broken", "Failed to invoke function broken({}): disk full"),
            modelText("it failed"));
  }

  @Test
  void aBackgroundToolThatNeverEnds_isCancelledAfterTheTimeout_withAnErrorResponse()
      throws Exception {
    BlockingTool never = new BlockingTool("never");
    ScriptedModel[] holder = new ScriptedModel[1];
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (turn(holder[0]) == 1) {
                output.emit(call("n", "never", Map.of()));
              } else if (responses(prompt).stream().anyMatch(r -> r.functionResponse().isError())) {
                output.emit("gave up");
              } else {
                output.emit("waiting");
              }
            });
    holder[0] = model;

    ProcessorContent out =
        FunctionCalling.of(model, never.tool)
            .withBackgroundTimeout(Duration.ofMillis(20))
            .apply("go")
            .gather();

    // When the timeout strikes (before or after the model's second turn) is up to the scheduler.
    assertThat(out.parts())
        .startsWith(emitted(call("n", "never", Map.of())), acknowledgement("n", "never"))
        .containsOnlyOnce(
            errorResponse(
                "n",
                "never",
                "Function call n (never) did not finish within PT0.02S and was cancelled."))
        .endsWith(modelText("gave up"));
    assertThat(never.interrupted.getCount()).isZero();
    never.assertNoThreadLeft();
  }

  @Test
  void closingTheOutput_cancelsTheRunningBackgroundTools_andLeavesNoThread() throws Exception {
    BlockingTool first = new BlockingTool("first");
    BlockingTool second = new BlockingTool("second");
    ScriptedModel[] holder = new ScriptedModel[1];
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              if (turn(holder[0]) == 1) {
                output.emit(call("1", "first", Map.of()));
                output.emit(call("2", "second", Map.of()));
              } else {
                output.emit("I'll wait");
              }
            });
    holder[0] = model;

    ProcessorStream out = FunctionCalling.of(model, first.tool, second.tool).apply("go");
    ProcessorPart part;
    do {
      part = out.read();
    } while (part != null && !part.equals(modelText("I'll wait")));
    first.started.await();
    second.started.await();
    out.close();

    assertThat(first.stopped.getCount()).isZero();
    assertThat(second.stopped.getCount()).isZero();
    assertThat(first.interrupted.getCount()).isZero();
    assertThat(second.interrupted.getCount()).isZero();
    first.assertNoThreadLeft();
    second.assertNoThreadLeft();
  }

  @Test
  void theCallLimit_countsBackgroundCalls_andCancelsThemWhenTheLoopEnds() throws Exception {
    BlockingTool worker = new BlockingTool("work");
    ScriptedModel[] holder = new ScriptedModel[1];
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> output.emit(call("w" + turn(holder[0]), "work", Map.of())));
    holder[0] = model;

    ProcessorContent out =
        FunctionCalling.of(model, worker.tool).withMaxFunctionCalls(2).apply("go").gather();

    assertThat(out.parts())
        .containsExactly(
            emitted(call("w1", "work", Map.of())),
            acknowledgement("w1", "work"),
            emitted(call("w2", "work", Map.of())),
            acknowledgement("w2", "work"),
            errorResponse(
                "w1",
                "work",
                "Function call w1 (work) was cancelled: the limit of 2 function calls was reached."),
            errorResponse(
                "w2",
                "work",
                "Function call w2 (work) was cancelled: the limit of 2 function calls was reached."));
    assertThat(model.prompts).hasSize(3);
    worker.assertNoThreadLeft();
  }

  // ---- list_fc and cancel_fc

  @Test
  void theModel_listsTheRunningCalls_thenCancelsOne_whoseThreadIsInterrupted() throws Exception {
    BlockingTool search = new BlockingTool("search");
    List<ProcessorPart> listed = new CopyOnWriteArrayList<>();
    ScriptedModel[] holder = new ScriptedModel[1];
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              switch (turn(holder[0])) {
                case 1 -> output.emit(call("s", "search", Map.of()));
                case 2 -> {
                  search.started.await();
                  output.emit(call("l", FunctionCalling.LIST_CALLS_TOOL, Map.of()));
                }
                case 3 -> {
                  listed.add(prompt.get(prompt.size() - 1));
                  output.emit(
                      call(
                          "c",
                          FunctionCalling.CANCEL_CALLS_TOOL,
                          Map.of("function_ids", List.of("s"))));
                }
                default -> output.emit("cancelled it");
              }
            });
    holder[0] = model;

    ProcessorContent out = FunctionCalling.of(model, search.tool).apply("go").gather();

    FunctionResponse list = listed.get(0).functionResponse();
    assertThat(list.id()).isEqualTo("l");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> calls = (List<Map<String, Object>>) list.response().get("result");
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0))
        .containsEntry("id", "s")
        .containsEntry("name", "search")
        .containsEntry("args", Map.of())
        .containsKey("running_for_ms");
    assertThat(out.parts())
        .containsSequence(
            emitted(
                call("c", FunctionCalling.CANCEL_CALLS_TOOL, Map.of("function_ids", List.of("s")))),
            FunctionCallingTest.result("c", FunctionCalling.CANCEL_CALLS_TOOL, "OK, cancelled."),
            errorResponse("s", "search", "Function call s (search) was cancelled."),
            modelText("cancelled it"));
    assertThat(out.parts()).last().isEqualTo(modelText("cancelled it"));
    assertThat(search.interrupted.getCount()).isZero();
    search.assertNoThreadLeft();
  }

  @Test
  void cancellingAnUnknownId_givesAClearErrorResponse_namingItAndTheRunningCalls()
      throws Exception {
    BlockingTool search = new BlockingTool("search");
    ScriptedModel[] holder = new ScriptedModel[1];
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              switch (turn(holder[0])) {
                case 1 -> output.emit(call("s", "search", Map.of()));
                case 2 ->
                    output.emit(
                        call(
                            "c",
                            FunctionCalling.CANCEL_CALLS_TOOL,
                            Map.of("function_ids", List.of("nope"))));
                case 3 ->
                    output.emit(
                        call(
                            "c2",
                            FunctionCalling.CANCEL_CALLS_TOOL,
                            Map.of("function_ids", List.of("s", "nope"))));
                default -> output.emit("done");
              }
            });
    holder[0] = model;

    ProcessorContent out = FunctionCalling.of(model, search.tool).apply("go").gather();

    assertThat(out.parts())
        .contains(
            FunctionCallingTest.error(
                "c",
                FunctionCalling.CANCEL_CALLS_TOOL,
                "Could not find any of the following function calls: [\"nope\"]. The calls"
                    + " running now are: [\"s\"]."),
            FunctionCallingTest.error(
                "c2",
                FunctionCalling.CANCEL_CALLS_TOOL,
                "Cancelled the following function calls: [\"s\"]. The following function calls"
                    + " were not found: [\"nope\"]."),
            errorResponse("s", "search", "Function call s (search) was cancelled."));
    assertThat(out.parts()).last().isEqualTo(modelText("done"));
    search.assertNoThreadLeft();
  }

  @Test
  void aToolCancellationFromTheModel_cancelsTheCall() throws Exception {
    BlockingTool search = new BlockingTool("search");
    ScriptedModel[] holder = new ScriptedModel[1];
    ScriptedModel model =
        new ScriptedModel(
            (prompt, output) -> {
              switch (turn(holder[0])) {
                case 1 -> output.emit(call("s", "search", Map.of()));
                case 2 -> {
                  search.started.await();
                  output.emit(ProcessorPart.toolCancellation("s"));
                }
                default -> output.emit("unexpected turn");
              }
            });
    holder[0] = model;

    ProcessorContent out = FunctionCalling.of(model, search.tool).apply("go").gather();

    assertThat(out.parts())
        .endsWith(
            ProcessorPart.toolCancellation("s"),
            errorResponse(
                "s", "search", "Function call s (search) was cancelled at the model's request."));
    assertThat(search.interrupted.getCount()).isZero();
    search.assertNoThreadLeft();
  }

  @Test
  void theCallManagementTools_areDeclared_whenATool_runsInTheBackground_unlessTurnedOff() {
    BlockingTool search = new BlockingTool("search");
    Tool plain = Tool.of("plain", "", NoArguments.class, x -> "x");
    ScriptedModel model = new ScriptedModel((prompt, output) -> output.emit("hi"));

    FunctionCalling.of(model, plain, search.tool).apply("go").gather();
    FunctionCalling.of(model, plain).apply("go").gather();
    FunctionCalling.of(model, plain, search.tool).withCallManagement(false).apply("go").gather();

    assertThat(model.prompts.stream().map(StreamingAndBackgroundToolsTest::declaredNames))
        .containsExactly(
            List.of("plain", "search", "list_fc", "cancel_fc"),
            List.of("plain"),
            List.of("plain", "search"));
    assertThat(FunctionCalling.of(model, plain, search.tool).callManagement()).isTrue();
    assertThat(FunctionCalling.of(model, plain).callManagement()).isFalse();
  }

  private static List<String> declaredNames(List<ProcessorPart> prompt) {
    return prompt.stream()
        .filter(p -> p.mimeType().equals(MimeTypes.FUNCTION_DECLARATION))
        .map(p -> FunctionDeclaration.fromPart(p).name())
        .toList();
  }

  @Test
  void aToolNamedLikeACallManagementTool_isRejected_whenTheyAreOffered() {
    Tool clash = Tool.of("list_fc", "", NoArguments.class, x -> "x");
    BlockingTool search = new BlockingTool("search");
    ScriptedModel model = new ScriptedModel((prompt, output) -> output.emit("hi"));

    assertThatThrownBy(() -> FunctionCalling.of(model, clash, search.tool))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'list_fc'");
    assertThat(FunctionCalling.of(model, clash).callManagement()).isFalse();
  }

  @Test
  void aTimeoutThatIsNotPositive_isRejected_namingIt() {
    ScriptedModel model = new ScriptedModel((prompt, output) -> output.emit("hi"));

    assertThatThrownBy(() -> FunctionCalling.of(model).withBackgroundTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive but was PT0S");
    assertThat(FunctionCalling.of(model).backgroundTimeout()).isEmpty();
    assertThat(
            FunctionCalling.of(model)
                .withBackgroundTimeout(Duration.ofMinutes(5))
                .backgroundTimeout())
        .contains(Duration.ofMinutes(5));
  }

  @Test
  void inBackground_marksATool_keepingItsDeclarationAndCode() throws Exception {
    Tool plain = Tool.of("plain", "Plain.", Query.class, q -> "got " + q.query());

    Tool background = plain.inBackground();

    assertThat(plain.runsInBackground()).isFalse();
    assertThat(background.runsInBackground()).isTrue();
    assertThat(background.inBackground()).isSameAs(background);
    assertThat(background.declaration()).isEqualTo(plain.declaration());
    assertThat(background.invoke(Map.of("query", "q"))).isEqualTo("got q");
  }

  @Test
  void aStreamingTool_declaresItsArgumentsLikeAnyOther_andChecksThem() {
    Tool streaming = Tool.streaming("find", "Finds.", Query.class, (q, results) -> {});

    assertThat(streaming.declaration())
        .isEqualTo(FunctionDeclaration.of("find", "Finds.", Query.class));
    assertThatThrownBy(() -> streaming.invoke(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'query'");
  }
}
