package dev.genaiprocessors;

import static dev.genaiprocessors.TestProcessors.insert;
import static dev.genaiprocessors.TestProcessors.twice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The interceptor SPI sees every stage's start, first part, parts, end, error and cancellation. */
class InterceptorTest {

  /** Records events as "event:stage". */
  static final class Recorder implements ProcessorInterceptor {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Long> runIds = new CopyOnWriteArrayList<>();

    @Override
    public void onStart(Stage stage) {
      events.add("start:" + stage.name() + (stage.root() ? ":root" : ""));
      runIds.add(stage.runId());
    }

    @Override
    public void onFirstPart(Stage stage, ProcessorPart part) {
      events.add("first:" + stage.name());
    }

    @Override
    public void onPart(Stage stage, ProcessorPart part) {
      events.add("part:" + stage.name() + ":" + part.text());
    }

    @Override
    public void onEnd(Stage stage) {
      events.add("end:" + stage.name());
    }

    @Override
    public void onError(Stage stage, Throwable error) {
      events.add("error:" + stage.name() + ":" + error.getMessage());
    }

    @Override
    public void onCancel(Stage stage) {
      events.add("cancel:" + stage.name());
    }

    @Override
    public void onEvent(Stage stage, String kind, java.util.Map<String, ?> attributes) {
      events.add("event:" + stage.name() + ":" + kind + ":" + attributes);
    }
  }

  @Test
  void interceptor_seesEveryStageAndPart_ofAChain() {
    Recorder recorder = new Recorder();
    Processor upper =
        Processor.named(
            "upper",
            (in, out) -> {
              for (ProcessorPart p : in) {
                out.emit(p.text().toUpperCase());
              }
            });
    Processor pipeline = Processor.chain(twice(), upper);

    String text = pipeline.apply(RunConfig.defaults().withInterceptor(recorder), "a").text();

    assertThat(text).isEqualTo("AA");
    assertThat(recorder.events)
        .containsSubsequence("start:chain(twice,upper):root", "end:chain(twice,upper)");
    assertThat(recorder.events)
        .containsSubsequence(
            "start:twice", "first:twice", "part:twice:a", "part:twice:a", "end:twice");
    assertThat(recorder.events)
        .containsSubsequence(
            "start:upper", "first:upper", "part:upper:A", "part:upper:A", "end:upper");
    assertThat(recorder.events.stream().filter(e -> e.startsWith("first:upper"))).hasSize(1);
    assertThat(recorder.runIds).containsOnly(recorder.runIds.get(0));
  }

  @Test
  void interceptor_seesTheFailingStage_withTheOriginalError() {
    Recorder recorder = new Recorder();
    Processor failing =
        Processor.named(
            "failing",
            (in, out) -> {
              for (ProcessorPart p : in) {
                throw new IllegalStateException("boom on " + p.text());
              }
            });
    assertThatThrownBy(
            () ->
                Processor.chain(twice(), failing)
                    .apply(RunConfig.defaults().withInterceptor(recorder), "x")
                    .gather())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom on x");
    assertThat(recorder.events).contains("error:failing:boom on x");
    assertThat(recorder.events)
        .anyMatch(e -> e.startsWith("error:chain(twice,failing)") || e.startsWith("cancel:chain"));
  }

  @Test
  void interceptor_seesCancellation_whenTheConsumerCloses() {
    Recorder recorder = new Recorder();
    Processor endless =
        Processor.named(
            "endless",
            (in, out) -> {
              for (int i = 0; ; i++) {
                out.emit(String.valueOf(i));
              }
            });
    try (ProcessorStream out =
        endless
            .then(insert("i"))
            .apply(RunConfig.defaults().withInterceptor(recorder), List.of())) {
      out.read();
    }
    assertThat(recorder.events).contains("cancel:endless");
  }

  @Test
  void aRunStartedInsideARun_belongsToIt() {
    Recorder recorder = new Recorder();
    Processor inner =
        Processor.named(
            "inner",
            (in, out) -> {
              for (ProcessorPart p : in) {
                out.emit(p.text() + "!");
              }
            });
    Processor outer =
        Processor.named("outer", (in, out) -> out.emitAll(inner.apply(in.gather()).gather()));

    assertThat(outer.apply(RunConfig.defaults().withInterceptor(recorder), "hi").text())
        .isEqualTo("hi!");

    assertThat(recorder.events).contains("start:outer:root", "start:inner:root", "part:inner:hi!");
    assertThat(recorder.runIds).containsOnly(recorder.runIds.get(0));
  }

  @Test
  void eventsReportedInsideAStage_reachTheRunsInterceptors() {
    Recorder recorder = new Recorder();
    Processor retrying =
        Processor.named(
            "retrying",
            (in, out) -> {
              RunEvents.report("retrying", "retry", java.util.Map.of("attempt", 2));
              out.emitAll(in.gather());
            });
    assertThat(retrying.apply(RunConfig.defaults().withInterceptor(recorder), "x").text())
        .isEqualTo("x");
    assertThat(recorder.events).contains("event:retrying:retry:{attempt=2}");

    // Outside a run, or in a run nobody observes, reporting does nothing.
    RunEvents.report("nobody", "retry", java.util.Map.of());
    assertThat(retrying.apply("y").text()).isEqualTo("y");
  }

  @Test
  void runsWithoutInterceptors_areNotObserved() {
    Recorder recorder = new Recorder();
    Processor pipeline = twice().then(insert("i"));
    pipeline.apply(RunConfig.defaults().withInterceptor(recorder), "a").gather();
    int observed = recorder.events.size();
    assertThat(observed).isPositive();

    // The same processors, run again without the interceptor: nothing of the first run's
    // settings sticks to them or to the threads that ran them.
    assertThat(pipeline.apply("b").text()).isEqualTo("ibib");
    assertThat(recorder.events).hasSize(observed);
  }

  @Test
  void loggingInterceptor_runsQuietly() {
    RunConfig config = RunConfig.defaults().withInterceptor(new LoggingInterceptor(true));
    assertThat(twice().apply(config, "a").text()).isEqualTo("aa");
  }

  /** Records each stage with its parent's name, and what the bound thread-local holds. */
  static final class Nesting implements ProcessorInterceptor {
    static final ThreadLocal<String> BOUND = new ThreadLocal<>();
    final java.util.Map<String, String> parents = new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.Map<String, String> startThreads =
        new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.Map<String, Integer> inputs = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> ended = new CopyOnWriteArrayList<>();

    @Override
    public void onStart(Stage stage) {
      parents.put(stage.name(), stage.parent() == null ? "-" : stage.parent().name());
      startThreads.put(stage.name(), Thread.currentThread().getName());
    }

    @Override
    public Binding bind(Stage stage) {
      String before = BOUND.get();
      BOUND.set(stage.name());
      return () -> BOUND.set(before);
    }

    @Override
    public void onInput(Stage stage, ProcessorPart part) {
      inputs.merge(stage.name(), 1, Integer::sum);
    }

    @Override
    public void onEnd(Stage stage) {
      ended.add(stage.name() + ":" + BOUND.get());
    }
  }

  @Test
  void stagesKnowTheirParents_andARunsRootStarts_onTheThreadThatStartsIt() throws Exception {
    Nesting nesting = new Nesting();
    Processor inner = Processor.named("inner", (in, out) -> out.emitAll(in.gather()));
    Processor outer =
        Processor.named("outer", (in, out) -> out.emitAll(inner.apply(in.gather()).gather()));
    Processor pipeline = Processor.chain(twice(), outer);
    List<String> result = new CopyOnWriteArrayList<>();
    Thread caller =
        Thread.ofVirtual()
            .name("the-caller")
            .start(
                () ->
                    result.add(
                        pipeline.apply(RunConfig.defaults().withInterceptor(nesting), "a").text()));
    caller.join();

    assertThat(result).containsExactly("aa");
    assertThat(nesting.parents)
        .containsEntry("chain(twice,outer)", "-")
        .containsEntry("twice", "chain(twice,outer)")
        .containsEntry("outer", "chain(twice,outer)")
        .containsEntry("inner", "outer");
    assertThat(nesting.startThreads).containsEntry("chain(twice,outer)", "the-caller");
    // A stage's binding is undone before its end is told, leaving what was bound before: the
    // enclosing chain's on the chain's own thread (where its last stage runs); the enclosing
    // stage's where a run is gathered inside it (gather() runs on the calling thread: inner on
    // outer's); nothing on the caller's and on a stage thread of its own.
    assertThat(nesting.ended)
        .containsExactlyInAnyOrder(
            "twice:null", "inner:outer", "outer:chain(twice,outer)", "chain(twice,outer):null");
  }

  @Test
  void bindings_holdOnEveryThreadWorkingForAStage_andInputsAreCounted() {
    Nesting nesting = new Nesting();
    List<String> seen = new CopyOnWriteArrayList<>();
    PartProcessor look =
        PartProcessor.named(
            "look",
            (part, out) -> {
              seen.add(Nesting.BOUND.get());
              out.emit(part);
            });
    Processor pipeline = Processor.chain(twice(), look.toProcessor(4));

    String text =
        pipeline.apply(RunConfig.defaults().withInterceptor(nesting), List.of("a", "b")).text();

    assertThat(text).isEqualTo("aabb");
    assertThat(seen).hasSize(4).containsOnly("look");
    assertThat(nesting.inputs).containsEntry("twice", 2).containsEntry("look", 4);
    assertThat(Nesting.BOUND.get()).isNull();
  }

  @Test
  void defaults_withAnInterceptor_observeEveryRunStartedWithoutSettings() {
    Recorder recorder = new Recorder();
    RunConfig previous = RunConfig.setDefaults(RunConfig.defaults().withInterceptor(recorder));
    try {
      assertThat(twice().apply("a").text()).isEqualTo("aa");
      assertThat(twice().apply("b").text()).isEqualTo("bb");
    } finally {
      RunConfig.setDefaults(previous);
    }
    assertThat(recorder.events).contains("start:twice:root", "part:twice:a", "part:twice:b");
    // Each run has a number of its own.
    assertThat(recorder.runIds).hasSize(2).doesNotHaveDuplicates();

    int observed = recorder.events.size();
    assertThat(twice().apply("c").text()).isEqualTo("cc");
    assertThat(recorder.events).hasSize(observed);
  }

  @Test
  void anEventReportedUnderAnotherName_namesTheStageItCameFrom() {
    List<ProcessorInterceptor.Stage> stages = new CopyOnWriteArrayList<>();
    ProcessorInterceptor events =
        new ProcessorInterceptor() {
          @Override
          public void onEvent(Stage stage, String kind, java.util.Map<String, ?> attributes) {
            stages.add(stage);
          }
        };
    Processor reporting =
        Processor.named(
            "outer",
            (in, out) -> {
              RunEvents.report("outer", "retry", java.util.Map.of());
              RunEvents.report("helper", "wait", java.util.Map.of());
              out.emitAll(in.gather());
            });
    reporting.apply(RunConfig.defaults().withInterceptor(events), "x").gather();

    assertThat(stages).hasSize(2);
    assertThat(stages.get(0).name()).isEqualTo("outer");
    assertThat(stages.get(0).id()).isPositive();
    assertThat(stages.get(1).name()).isEqualTo("helper");
    assertThat(stages.get(1).id()).isZero();
    assertThat(stages.get(1).parent()).isEqualTo(stages.get(0));
  }

  @Test
  void anInterceptorAddedTwice_observesOnce() {
    Recorder recorder = new Recorder();
    RunConfig once = RunConfig.defaults().withInterceptor(recorder);
    assertThat(once.withInterceptor(recorder)).isSameAs(once);

    twice().apply(once.withInterceptor(recorder), "a").gather();

    assertThat(recorder.events.stream().filter(e -> e.equals("start:twice:root"))).hasSize(1);
  }
}
