package dev.genaiprocessors.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.RunConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Spans of runs, checked with the real SDK and its in-memory exporter. */
class TracingTest {
  private final Telemetry telemetry = new Telemetry();

  @AfterEach
  void close() {
    telemetry.close();
  }

  private static Processor upper(String name) {
    return Processor.named(
        name,
        (in, out) -> {
          for (ProcessorPart part : in) {
            out.emit(part.text().toUpperCase());
          }
        });
  }

  private static Processor exclaim(String name) {
    return Processor.named(
        name,
        (in, out) -> {
          for (ProcessorPart part : in) {
            out.emit(part.text() + "!");
          }
        });
  }

  @Test
  void aChain_isAWorkflowSpan_withAChildSpanPerStage() {
    Processor pipeline = Processor.chain(upper("upper"), exclaim("exclaim"));

    String text = pipeline.apply(telemetry.observability.runConfig(), "hi").text();

    assertThat(text).isEqualTo("HI!");
    assertThat(telemetry.tree())
        .isEqualTo(
            """
            invoke_workflow chain(upper,exclaim)
              exclaim
              upper
            """);
    SpanData root = telemetry.span("invoke_workflow chain(upper,exclaim)");
    assertThat(root.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(root.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
        .isEqualTo("invoke_workflow");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("gen_ai.workflow.name")))
        .isEqualTo("chain(upper,exclaim)");
    SpanData upper = telemetry.span("upper");
    assertThat(upper.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(upper.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(upper.getAttributes().get(AttributeKey.stringKey("genai_processors.processor.name")))
        .isEqualTo("upper");
    assertThat(upper.getAttributes().get(AttributeKey.longKey("genai_processors.run.id")))
        .isEqualTo(root.getAttributes().get(AttributeKey.longKey("genai_processors.run.id")));
  }

  @Test
  void aParallel_hasASpanPerBranch_underItsOwn() {
    Processor pipeline =
        Processor.chain(upper("first"), Processor.parallel(exclaim("left"), exclaim("right")));

    String text = pipeline.apply(telemetry.observability.runConfig(), "a").text();

    assertThat(text).isEqualTo("A!A!");
    String parallel = Processor.parallel(exclaim("left"), exclaim("right")).name();
    assertThat(telemetry.tree())
        .isEqualTo(
            "invoke_workflow chain(first,"
                + parallel
                + ")\n  "
                + "first\n  "
                + parallel
                + "\n    left\n    right\n");
  }

  @Test
  void aFailingStage_marksItsSpanAndItsEnclosingOnes_withTheErrorType_butNotItsMessage() {
    Processor failing =
        Processor.named(
            "failing",
            (in, out) -> {
              for (ProcessorPart part : in) {
                throw new IllegalStateException("boom on " + part.text());
              }
            });
    Processor pipeline = Processor.chain(upper("upper"), failing);

    assertThatThrownBy(
            () -> pipeline.apply(telemetry.observability.runConfig(), "secret input").gather())
        .isInstanceOf(IllegalStateException.class);

    assertThat(telemetry.tree())
        .isEqualTo(
            """
            invoke_workflow chain(upper,failing) [ERROR]
              failing [ERROR]
              upper
            """);
    SpanData span = telemetry.span("failing");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(span.getStatus().getDescription()).isEqualTo("java.lang.IllegalStateException");
    assertThat(span.getEvents()).isEmpty();
    assertThat(telemetry.spans().toString()).doesNotContain("boom", "SECRET INPUT", "secret input");
  }

  @Test
  void aCancelledRun_endsEverySpan_markingTheCancelledStages() {
    Processor endless =
        Processor.named(
            "endless",
            (in, out) -> {
              for (int i = 0; ; i++) {
                out.emit(String.valueOf(i));
              }
            });
    Processor pipeline = Processor.chain(endless, exclaim("exclaim"));

    try (ProcessorStream out = pipeline.apply(telemetry.observability.runConfig(), List.of())) {
      assertThat(out.read()).isNotNull();
    }

    assertThat(telemetry.tree())
        .isEqualTo(
            """
            invoke_workflow chain(endless,exclaim)
              endless
              exclaim
            """);
    SpanData endlessSpan = telemetry.span("endless");
    assertThat(endlessSpan.hasEnded()).isTrue();
    assertThat(
            endlessSpan.getAttributes().get(AttributeKey.booleanKey("genai_processors.cancelled")))
        .isTrue();
    assertThat(endlessSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void aRun_nestsUnderTheCallersSpan_andSpansMadeInsideAProcessor_nestUnderItsStage() {
    Tracer tracer = telemetry.openTelemetry.getTracer("test");
    List<String> logged = new CopyOnWriteArrayList<>();
    PartProcessor own =
        PartProcessor.named(
            "own",
            (part, out) -> {
              // On a worker thread of the part stage: the stage's span and MDC are current.
              Span mine = tracer.spanBuilder("mine " + part.text()).startSpan();
              mine.end();
              logged.add(
                  MDC.get(Observability.MDC_STAGE) + "/" + MDC.get(Observability.MDC_RUN_ID));
              out.emit(part);
            });
    Processor pipeline = Processor.chain(upper("upper"), own.toProcessor(4));

    Span request = tracer.spanBuilder("request").startSpan();
    Scope scope = request.makeCurrent();
    try {
      assertThat(pipeline.apply(telemetry.observability.runConfig(), List.of("a", "b")).text())
          .isEqualTo("AB");
    } finally {
      scope.close();
      request.end();
    }

    assertThat(telemetry.tree())
        .isEqualTo(
            """
            request
              invoke_workflow chain(upper,own)
                own
                  mine A
                  mine B
                upper
            """);
    long runId =
        telemetry.span("own").getAttributes().get(AttributeKey.longKey("genai_processors.run.id"));
    assertThat(logged).containsOnly("own/" + runId);
    assertThat(MDC.get(Observability.MDC_STAGE)).isNull();
  }

  @Test
  void aRunStartedInsideAStage_nestsUnderThatStage() {
    Processor inner = exclaim("inner");
    Processor outer =
        Processor.named("outer", (in, out) -> out.emitAll(inner.apply(in.gather()).gather()));

    assertThat(outer.apply(telemetry.observability.runConfig(), "x").text()).isEqualTo("x!");

    assertThat(telemetry.tree())
        .isEqualTo(
            """
            invoke_workflow outer
              inner
            """);
  }

  @Test
  void installedAsDefault_everyRunIsTraced_untilTheDefaultsAreRestored() {
    RunConfig previous = telemetry.observability.installAsDefault();
    try {
      assertThat(upper("upper").apply("a").text()).isEqualTo("A");
    } finally {
      RunConfig.setDefaults(previous);
    }
    assertThat(upper("again").apply("b").text()).isEqualTo("B");

    assertThat(telemetry.tree()).isEqualTo("invoke_workflow upper\n");
  }
}
