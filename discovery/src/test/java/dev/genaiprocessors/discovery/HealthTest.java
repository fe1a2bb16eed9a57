package dev.genaiprocessors.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.discovery.TestSupport.MovableClock;
import dev.genaiprocessors.testing.ScriptedHttpServer;
import dev.genaiprocessors.testing.ScriptedResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Outlier ejection and gradual return timed by a clock the test moves; the HTTP probe. */
@org.junit.jupiter.api.Timeout(60)
class HealthTest {
  private final MovableClock clock = new MovableClock();
  private final Map<String, Integer> served = new ConcurrentHashMap<>();
  private final AtomicBoolean bDown = new AtomicBoolean();

  /** In-process stand-ins for two replicas: only the balancer's bookkeeping is under test here. */
  private Processor replica(ServiceInstance instance) {
    return Processor.named(
        instance.id(),
        (input, output) -> {
          input.gather();
          if (instance.id().equals("b") && bDown.get()) {
            throw new IOException("connection refused by b");
          }
          served.merge(instance.id(), 1, Integer::sum);
          output.emit("from " + instance.id());
        });
  }

  @Test
  void anEjectedInstance_returnsAfterItsEjection_andRampsUpToItsFullShare() {
    ServiceRegistry registry =
        ServiceRegistry.of("r", ServiceInstance.of("a", "a"), ServiceInstance.of("b", "b"));
    try (BalancedProcessor balancer =
        BalancedProcessor.builder(registry, this::replica)
            .clock(clock)
            .outlierDetection(
                OutlierDetection.defaults()
                    .withConsecutiveFailures(2)
                    .withEjection(Duration.ofSeconds(10))
                    .withRampUp(Duration.ofSeconds(100)))
            .build()) {
      bDown.set(true);
      for (int i = 0; i < 4; i++) {
        assertThat(balancer.apply("hi").gather().text()).isEqualTo("from a");
      }
      assertThat(balancer.health().get(1).state()).isEqualTo(InstanceHealth.State.EJECTED);
      assertThat(balancer.health().get(1).failures()).isEqualTo(2);

      bDown.set(false);
      served.clear();
      clock.advance(Duration.ofSeconds(9));
      for (int i = 0; i < 100; i++) {
        balancer.apply("hi").gather();
      }
      assertThat(served).doesNotContainKey("b");

      clock.advance(Duration.ofSeconds(1)); // the ejection is over: a tenth of b's share
      served.clear();
      for (int i = 0; i < 400; i++) {
        balancer.apply("hi").gather();
      }
      assertThat(balancer.health().get(1).state()).isEqualTo(InstanceHealth.State.RAMPING_UP);
      // Round robin would give b 200 of 400; at a share of 0.1 it gets about 20.
      assertThat(served.get("b")).isBetween(5, 45);

      clock.advance(Duration.ofSeconds(100)); // ramped up: its full share again
      served.clear();
      for (int i = 0; i < 400; i++) {
        balancer.apply("hi").gather();
      }
      assertThat(balancer.health().get(1).state()).isEqualTo(InstanceHealth.State.HEALTHY);
      assertThat(served.get("b")).isBetween(190, 210);
    }
  }

  @Test
  void aFailureWhileRampingUp_ejectsAgainAtOnce() {
    ServiceRegistry registry =
        ServiceRegistry.of("r", ServiceInstance.of("a", "a"), ServiceInstance.of("b", "b"));
    try (BalancedProcessor balancer =
        BalancedProcessor.builder(registry, this::replica)
            .clock(clock)
            .outlierDetection(
                OutlierDetection.defaults()
                    .withConsecutiveFailures(2)
                    .withEjection(Duration.ofSeconds(10))
                    .withRampUp(Duration.ofSeconds(100)))
            .build()) {
      bDown.set(true);
      for (int i = 0; i < 4; i++) {
        balancer.apply("hi").gather();
      }
      clock.advance(Duration.ofSeconds(60));
      for (int i = 0;
          i < 200 && balancer.health().get(1).state() != InstanceHealth.State.EJECTED;
          i++) {
        assertThat(balancer.apply("hi").gather().text()).isEqualTo("from a");
      }
      assertThat(balancer.health().get(1).state()).isEqualTo(InstanceHealth.State.EJECTED);
      assertThat(balancer.health().get(1).failures()).isEqualTo(3);
    }
  }

  @Test
  void theFailureRate_ejectsAnInstanceThatFailsOften_butNotInARow() {
    ServiceRegistry registry = ServiceRegistry.of("r", ServiceInstance.of("flaky", "f"));
    int[] call = {0};
    try (BalancedProcessor balancer =
        BalancedProcessor.builder(
                registry,
                instance ->
                    Processor.named(
                        "flaky",
                        (input, output) -> {
                          if (call[0]++ % 2 == 0) {
                            throw new IOException("every other call fails");
                          }
                          output.emit("ok");
                        }))
            .clock(clock)
            .outlierDetection(OutlierDetection.defaults().withFailureRate(0.5, 10))
            .build()) {
      // Never 5 failures in a row; the 11th call makes 5 failures in the last 10.
      for (int i = 0; i < 11; i++) {
        try {
          balancer.apply("hi").gather();
        } catch (RuntimeException e) {
          assertThat(e).hasRootCauseMessage("every other call fails");
        }
      }
      assertThat(balancer.health().get(0).state()).isEqualTo(InstanceHealth.State.EJECTED);
      assertThatThrownBy(() -> balancer.apply("hi").gather())
          .isInstanceOf(NoInstanceAvailableException.class)
          .hasMessageContaining(
              "'flaky' ejected for 30000 ms more after 5 failures in its last 10");
    }
  }

  @Test
  void theHttpProbe_passesOn2xx_andFailsNamingTheStatus() throws Exception {
    try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
      server.enqueue(ScriptedResponse.ok(), ScriptedResponse.status(503));
      ServiceInstance instance = ServiceInstance.of("h", server.uri().toString());
      HealthProbe probe = HealthProbe.http(HttpClient.newHttpClient(), "/health");
      Processor none = Processor.named("none", (input, output) -> {});

      probe.check(instance, none);
      assertThatThrownBy(() -> probe.check(instance, none))
          .hasMessageEndingWith("/health answered 503");
      assertThat(server.requests()).extracting(r -> r.path()).containsOnly("/health");
    }
  }
}
