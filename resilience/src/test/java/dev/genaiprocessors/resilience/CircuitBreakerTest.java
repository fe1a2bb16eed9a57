package dev.genaiprocessors.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Substreams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(60)
class CircuitBreakerTest {
  private final FakeTime time = new FakeTime();
  private final List<ResilienceEvent> events = new CopyOnWriteArrayList<>();

  private static HttpStatusException http(int status) {
    return new HttpStatusException(status, "https://api.test/v1", Map.of(), "", null);
  }

  /** Opens at half of the last 4 attempts failing, stays open 30 s, then lets one probe through. */
  private static CircuitBreakerConfig.Builder circuit() {
    return CircuitBreakerConfig.builder()
        .slidingWindowSize(4)
        .minimumCalls(4)
        .failureRateThreshold(50)
        .waitInOpenState(Duration.ofSeconds(30))
        .halfOpenCalls(1);
  }

  private PartProcessor guarded(CircuitBreakerConfig config, PartProcessor endpoint) {
    return Resilience.builder("api")
        .retry(RetryConfig.builder().maxAttempts(1).build())
        .circuitBreaker(config)
        .listener(events::add)
        .clock(time)
        .sleeper(time)
        .build()
        .decorate(endpoint);
  }

  /** Counts its calls; fails with {@code failure} while {@code failing} is set, else emits "ok". */
  private static PartProcessor endpoint(
      AtomicInteger calls, AtomicBoolean failing, RuntimeException failure) {
    return PartProcessor.named(
        "endpoint",
        (part, output) -> {
          calls.incrementAndGet();
          if (failing.get()) {
            throw failure;
          }
          output.emit("ok");
        });
  }

  private List<ResilienceEvent.Kind> circuitEvents() {
    return events.stream()
        .map(ResilienceEvent::kind)
        .filter(k -> k.name().startsWith("CIRCUIT"))
        .toList();
  }

  @Test
  void opensAfterEnoughFailures_thenRefusesWithoutCallingTheEndpoint() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor p =
        guarded(circuit().build(), endpoint(calls, new AtomicBoolean(true), http(503)));

    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> p.apply("hi").gather()).isInstanceOf(HttpStatusException.class);
    }
    assertThatThrownBy(() -> p.apply("hi").gather())
        .isInstanceOfSatisfying(
            RejectedCallException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectedCallException.Reason.CIRCUIT_OPEN);
              assertThat(e).hasMessageContaining("circuit 'api' is open");
              assertThat(e).hasMessageContaining("'endpoint'");
            });

    assertThat(calls).hasValue(4);
    assertThat(circuitEvents()).containsExactly(ResilienceEvent.Kind.CIRCUIT_OPENED);
  }

  @Test
  void halfOpensAfterTheWait_andASuccessfulProbeClosesIt() {
    AtomicInteger calls = new AtomicInteger();
    AtomicBoolean failing = new AtomicBoolean(true);
    PartProcessor p = guarded(circuit().build(), endpoint(calls, failing, http(500)));
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> p.apply("hi").gather()).isInstanceOf(HttpStatusException.class);
    }
    assertThatThrownBy(() -> p.apply("hi").gather()).isInstanceOf(RejectedCallException.class);

    time.advance(Duration.ofSeconds(31));
    failing.set(false);

    assertThat(p.apply("hi").text()).isEqualTo("ok");
    assertThat(calls).hasValue(5);
    assertThat(circuitEvents())
        .containsExactly(
            ResilienceEvent.Kind.CIRCUIT_OPENED,
            ResilienceEvent.Kind.CIRCUIT_HALF_OPENED,
            ResilienceEvent.Kind.CIRCUIT_CLOSED);
    assertThat(p.apply("again").text()).isEqualTo("ok");
  }

  @Test
  void aFailedProbeOpensItAgain() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor p =
        guarded(circuit().build(), endpoint(calls, new AtomicBoolean(true), http(502)));
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> p.apply("hi").gather()).isInstanceOf(HttpStatusException.class);
    }
    time.advance(Duration.ofSeconds(31));

    assertThatThrownBy(() -> p.apply("probe").gather()).isInstanceOf(HttpStatusException.class);
    assertThatThrownBy(() -> p.apply("hi").gather()).isInstanceOf(RejectedCallException.class);

    assertThat(calls).hasValue(5);
    assertThat(circuitEvents())
        .containsExactly(
            ResilienceEvent.Kind.CIRCUIT_OPENED,
            ResilienceEvent.Kind.CIRCUIT_HALF_OPENED,
            ResilienceEvent.Kind.CIRCUIT_OPENED);
  }

  @Test
  void clientErrorsSayNothingAboutTheEndpoint_andNeverOpenIt() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor p =
        guarded(circuit().build(), endpoint(calls, new AtomicBoolean(true), http(400)));

    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> p.apply("hi").gather()).isInstanceOf(HttpStatusException.class);
    }

    assertThat(calls).hasValue(10);
    assertThat(circuitEvents()).isEmpty();
  }

  @Test
  void recordFailure_decidesWhatCounts() {
    AtomicInteger calls = new AtomicInteger();
    CircuitBreakerConfig onlyTimeouts =
        circuit()
            .recordFailure(e -> e instanceof HttpStatusException h && h.status() == 408)
            .build();
    AtomicBoolean failing = new AtomicBoolean(true);
    PartProcessor p = guarded(onlyTimeouts, endpoint(calls, failing, http(503)));

    for (int i = 0; i < 6; i++) {
      assertThatThrownBy(() -> p.apply("hi").gather()).isInstanceOf(HttpStatusException.class);
    }

    assertThat(calls).hasValue(6);
    assertThat(circuitEvents()).isEmpty();
  }

  @Test
  void statusParts_tellTheCallerTheCircuitOpened() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor p =
        Resilience.builder("api")
            .retry(RetryConfig.builder().maxAttempts(1).build())
            .circuitBreaker(circuit().build())
            .statusParts(true)
            .clock(time)
            .sleeper(time)
            .build()
            .decorate(endpoint(calls, new AtomicBoolean(true), http(503)));
    List<ProcessorPart> seen = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(
              () -> {
                try (var stream = p.apply("hi")) {
                  stream.forEach(seen::add);
                }
              })
          .isInstanceOf(HttpStatusException.class);
    }

    assertThat(seen)
        .filteredOn(part -> Substreams.STATUS.equals(part.substreamName()))
        .extracting(ProcessorPart::text)
        .anySatisfy(text -> assertThat(text).contains("circuit 'api' opened"));
  }

  @Test
  void settingsOutOfRange_areRefused_namingTheSettingAndValue() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureRateThreshold(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failureRateThreshold must be in (0, 100] but was 0.0");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().slowCallRateThreshold(101).build())
        .hasMessageContaining("slowCallRateThreshold")
        .hasMessageContaining("101.0");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().slidingWindowSize(0).build())
        .hasMessageContaining("slidingWindowSize");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().halfOpenCalls(0).build())
        .hasMessageContaining("halfOpenCalls");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().waitInOpenState(Duration.ZERO).build())
        .hasMessageContaining("waitInOpenState");
  }
}
