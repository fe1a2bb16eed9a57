package dev.genaiprocessors.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Building and turning on an {@link Observability}, and the mistakes a user may make. */
class ObservabilityTest {
  private final Telemetry telemetry = new Telemetry();

  @AfterEach
  void close() {
    telemetry.close();
  }

  private static Processor echo(String name) {
    return Processor.named(name, (in, out) -> out.emitAll(in.gather()));
  }

  @Test
  void anObservabilityThatWouldObserveNothing_isRefused() {
    assertThatThrownBy(() -> Observability.builder().mdc(false).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("openTelemetry, meterRegistry or mdc");
    assertThatThrownBy(() -> Observability.builder().openTelemetry(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("openTelemetry");
  }

  @Test
  void mdcAlone_namesTheRunAndTheStage_insideTheProcessor() {
    Observability mdcOnly = Observability.builder().build();
    List<String> seen = new CopyOnWriteArrayList<>();
    Processor logging =
        Processor.named(
            "logging",
            (in, out) -> {
              seen.add(MDC.get(Observability.MDC_STAGE) + " " + MDC.get(Observability.MDC_RUN_ID));
              for (ProcessorPart part : in) {
                out.emit(part);
              }
            });

    assertThat(logging.apply(mdcOnly.runConfig(), "x").text()).isEqualTo("x");

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).matches("logging \\d+");
  }

  @Test
  void installedTwice_orAlsoGivenToARun_observesEachStageOnce() {
    RunConfig previous = telemetry.observability.installAsDefault();
    try {
      telemetry.observability.installAsDefault();
      assertThat(RunConfig.defaults().interceptors()).containsOnlyOnce(telemetry.observability);
      assertThat(telemetry.observability.runConfig()).isSameAs(RunConfig.defaults());
      RunConfig twice = RunConfig.defaults().withInterceptor(telemetry.observability);

      assertThat(echo("echo").apply(twice, "a").text()).isEqualTo("a");
    } finally {
      RunConfig.setDefaults(previous);
    }

    assertThat(telemetry.tree()).isEqualTo("invoke_workflow echo\n");
    assertThat(
            telemetry
                .registry
                .get("genai.processor.parts.out")
                .tag("processor", "echo")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            telemetry
                .registry
                .get("genai.processor.in_flight")
                .tag("processor", "echo")
                .gauge()
                .value())
        .isZero();
  }

  @Test
  void partsEmittedFromAThreadTheProcessorStartedItself_areCountedToo() {
    Processor ownThread =
        Processor.named(
            "own-thread",
            (in, out) -> {
              List<ProcessorPart> parts = in.gather().parts();
              Thread thread = Thread.ofPlatform().start(() -> parts.forEach(out::emit));
              thread.join();
            });

    assertThat(ownThread.apply(telemetry.observability.runConfig(), List.of("a", "b")).text())
        .isEqualTo("ab");

    assertThat(
            telemetry
                .registry
                .get("genai.processor.parts.out")
                .tag("processor", "own-thread")
                .counter()
                .count())
        .isEqualTo(2);
  }
}
