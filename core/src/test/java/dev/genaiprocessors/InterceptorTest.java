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
}
