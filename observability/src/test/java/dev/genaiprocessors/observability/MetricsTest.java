package dev.genaiprocessors.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunEvents;
import dev.genaiprocessors.resilience.CircuitBreakerConfig;
import dev.genaiprocessors.resilience.RateLimitConfig;
import dev.genaiprocessors.resilience.Resilience;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Metrics of runs, read back from a real {@link SimpleMeterRegistry}. */
class MetricsTest {
  private final Telemetry telemetry = new Telemetry();

  @AfterEach
  void close() {
    telemetry.close();
  }

  private double counter(String name, String processor) {
    return telemetry.registry.get(name).tag("processor", processor).counter().count();
  }

  @Test
  void everyStage_countsThePartsItReadsAndEmits_andTimesEachRun() {
    Processor twice =
        Processor.named(
            "twice",
            (in, out) -> {
              for (ProcessorPart part : in) {
                out.emit(part);
                out.emit(part);
              }
            });
    PartProcessor upper =
        PartProcessor.named("upper", (p, out) -> out.emit(p.text().toUpperCase()));
    Processor pipeline = Processor.chain(twice, upper);

    for (int run = 0; run < 3; run++) {
      assertThat(pipeline.apply(telemetry.observability.runConfig(), List.of("a", "b")).text())
          .isEqualTo("AABB");
    }

    assertThat(counter("genai.processor.parts.in", "twice")).isEqualTo(6);
    assertThat(counter("genai.processor.parts.out", "twice")).isEqualTo(12);
    assertThat(counter("genai.processor.parts.in", "upper")).isEqualTo(12);
    assertThat(counter("genai.processor.parts.out", "upper")).isEqualTo(12);
    assertThat(counter("genai.processor.parts.out", "chain(twice,upper)")).isEqualTo(12);
    Timer runs =
        telemetry
            .registry
            .get("genai.processor.duration")
            .tag("processor", "upper")
            .tag("outcome", "success")
            .tag("error.type", "none")
            .timer();
    assertThat(runs.count()).isEqualTo(3);
    assertThat(
            telemetry.registry.get("genai.processor.in_flight").tag("processor", "upper").gauge())
        .satisfies(g -> assertThat(g.value()).isZero());
  }

  @Test
  void aFailingStage_isCountedAsAnError_byItsType() {
    Processor failing =
        Processor.named(
            "failing",
            (in, out) -> {
              in.gather();
              throw new IllegalArgumentException("bad input");
            });
    for (int run = 0; run < 2; run++) {
      assertThatThrownBy(() -> failing.apply(telemetry.observability.runConfig(), "x").gather())
          .isInstanceOf(IllegalArgumentException.class);
    }

    assertThat(
            telemetry
                .registry
                .get("genai.processor.errors")
                .tag("processor", "failing")
                .tag("error.type", "java.lang.IllegalArgumentException")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            telemetry
                .registry
                .get("genai.processor.duration")
                .tag("processor", "failing")
                .tag("outcome", "error")
                .timer()
                .count())
        .isEqualTo(2);
  }

  @Test
  void theInFlightGauge_countsTheStagesRunningNow() throws Exception {
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Processor waiting =
        Processor.named(
            "waiting",
            (in, out) -> {
              inside.countDown();
              release.await();
              out.emitAll(in.gather());
            });
    Thread runner =
        Thread.ofVirtual()
            .start(() -> waiting.apply(telemetry.observability.runConfig(), "x").gather());
    inside.await();
    double during =
        telemetry
            .registry
            .get("genai.processor.in_flight")
            .tag("processor", "waiting")
            .gauge()
            .value();
    release.countDown();
    runner.join();

    assertThat(during).isEqualTo(1);
    assertThat(
            telemetry
                .registry
                .get("genai.processor.in_flight")
                .tag("processor", "waiting")
                .gauge()
                .value())
        .isZero();
  }

  @Test
  void rateLimitWaitsAndCircuitChanges_fromTheResilienceLayer_becomeMeters() {
    Resilience resilience =
        Resilience.builder("endpoint")
            .rateLimit(RateLimitConfig.of(1, Duration.ofMinutes(1)))
            .circuitBreaker(
                CircuitBreakerConfig.builder()
                    .slidingWindowSize(2)
                    .minimumCalls(2)
                    .failureRateThreshold(50)
                    .waitInOpenState(Duration.ofMinutes(1))
                    .build())
            .sleeper(wait -> {})
            .build();
    Processor flaky =
        resilience.decorate(
            Processor.named(
                "flaky",
                (in, out) -> {
                  in.gather();
                  throw new IllegalStateException("down");
                }));
    for (int run = 0; run < 3; run++) {
      try {
        flaky.apply(telemetry.observability.runConfig(), "x").gather();
      } catch (RuntimeException expected) {
        // Every call fails: the point is what the layer reports on the way.
      }
    }

    assertThat(counter("genai.processor.rate_limit.waits", "flaky")).isPositive();
    assertThat(
            telemetry
                .registry
                .get("genai.circuit.state")
                .tag("resilience", "endpoint")
                .gauge()
                .value())
        .isEqualTo(2);
    assertThat(
            telemetry
                .registry
                .get("genai.processor.events")
                .tag("processor", "flaky")
                .tag("kind", "circuit_opened")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void anyReportedEvent_isCountedByKind() {
    Processor reporting =
        Processor.named(
            "reporting",
            (in, out) -> {
              RunEvents.report("reporting", "retry", Map.of("attempt", 1, "delay_ms", 5));
              out.emitAll(in.gather());
            });
    reporting.apply(telemetry.observability.runConfig(), "x").gather();

    assertThat(counter("genai.processor.retries", "reporting")).isEqualTo(1);
    assertThat(
            telemetry
                .registry
                .get("genai.processor.events")
                .tag("processor", "reporting")
                .tag("kind", "retry")
                .counter()
                .count())
        .isEqualTo(1);
  }
}
