package dev.genaiprocessors.discovery;

import static dev.genaiprocessors.discovery.TestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.RunConfig;
import dev.genaiprocessors.Substreams;
import dev.genaiprocessors.discovery.TestSupport.Events;
import dev.genaiprocessors.discovery.TestSupport.MovableClock;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.OpenAiDialect;
import dev.genaiprocessors.testing.OpenAiReply;
import dev.genaiprocessors.testing.OpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The balancer over three real OpenAI-compatible servers on loopback, each instance served by the
 * real {@code openai} processor on the official SDK.
 */
@org.junit.jupiter.api.Timeout(120)
class BalancedProcessorTest {
  private static final String ANSWER = "Hello, balanced world";

  private final List<OpenAiServer> servers = new ArrayList<>();
  private final MovableClock clock = new MovableClock();

  @BeforeEach
  void startServers() {
    for (int i = 0; i < 3; i++) {
      servers.add(answering(OpenAiServer.start()));
    }
  }

  @AfterEach
  void stopServers() {
    servers.forEach(OpenAiServer::close);
  }

  private static OpenAiServer answering(OpenAiServer server) {
    return server.replyAlways(OpenAiReply.text("Hello, ", "balanced ", "world").usage(5, 3));
  }

  private ServiceInstance instance(int i) {
    return ServiceInstance.of("s" + i, servers.get(i).baseUrl());
  }

  private ServiceRegistry registry() {
    return ServiceRegistry.of("models", instance(0), instance(1), instance(2));
  }

  private BalancedProcessor.Builder balancer(ServiceRegistry registry) {
    return BalancedProcessor.builder(registry, TestSupport::model).clock(clock);
  }

  private int requests(int i) {
    return servers.get(i).requestCount();
  }

  @Test
  void roundRobin_sendsEachServerTheSameNumberOfCalls() {
    try (BalancedProcessor model = balancer(registry()).build()) {
      for (int i = 0; i < 30; i++) {
        assertThat(model.apply("hi").gather().text()).isEqualTo(ANSWER);
      }
    }
    assertThat(List.of(requests(0), requests(1), requests(2))).containsExactly(10, 10, 10);
  }

  @Test
  void weighted_sharesCallsByWeight_withinATolerance() {
    ServiceRegistry weighted =
        ServiceRegistry.of(
            "models", instance(0), instance(1).withWeight(2), instance(2).withWeight(5));
    try (BalancedProcessor model = balancer(weighted).strategy(LoadBalancing.weighted(7)).build()) {
      for (int i = 0; i < 240; i++) {
        model.apply("hi").gather();
      }
    }
    // Expected 30, 60 and 150 of 240.
    assertThat(requests(0)).isBetween(15, 45);
    assertThat(requests(1)).isBetween(40, 80);
    assertThat(requests(2)).isBetween(125, 175);
    assertThat(requests(0) + requests(1) + requests(2)).isEqualTo(240);
  }

  @Test
  void oneDead_oneSlow_oneAnswering503_everyCallSucceeds_noTokenTwice_andTrafficMovesAway()
      throws Exception {
    OpenAiServer dead = servers.get(0);
    servers
        .get(1)
        .replyAlways(
            OpenAiReply.text("Hello, ", "balanced ", "world")
                .firstByteDelay(Duration.ofMillis(200)));
    servers.get(2).replyAlways(OpenAiReply.error(503, "The server is overloaded"));
    Events events = new Events();
    RunConfig config = RunConfig.defaults().withInterceptor(events);
    ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger done = new AtomicInteger();
    int[] atKill = new int[2];

    try (BalancedProcessor model =
        balancer(registry())
            .strategy(LoadBalancing.leastOutstanding())
            .outlierDetection(
                OutlierDetection.defaults()
                    .withConsecutiveFailures(3)
                    .withEjection(Duration.ofSeconds(30))
                    .withRampUp(Duration.ZERO))
            .build()) {
      List<Thread> callers = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        callers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int i = 0; i < 25; i++) {
                        try (ProcessorStream answer = model.apply(config, "hi")) {
                          StringBuilder text = new StringBuilder();
                          for (ProcessorPart part : answer) {
                            text.append(part.text());
                          }
                          received.add(text.toString());
                        } catch (Throwable e) {
                          failures.add(e);
                        }
                        if (done.incrementAndGet() == 40) {
                          // Killed mid-run, with calls in flight that wait for its first byte
                          // (a call that already has tokens cannot fail over without repeating
                          // them: aFailureAfterTheFirstToken_isNotFailedOver covers that).
                          int before = dead.requestCount();
                          dead.replyAlways(
                              OpenAiReply.text("never sent").firstByteDelay(Duration.ofMinutes(1)));
                          eventually("a call waits on s0", () -> dead.requestCount() > before);
                          atKill[0] = dead.requestCount();
                          atKill[1] = requests(1);
                          dead.close();
                        }
                      }
                    }));
      }
      for (Thread caller : callers) {
        caller.join();
      }

      assertThat(failures).isEmpty();
      assertThat(received).hasSize(100).allSatisfy(text -> assertThat(text).isEqualTo(ANSWER));
      // The 503 server was ejected after 3 failures and got no call while ejected.
      assertThat(requests(2)).isBetween(3, 6); // 3, plus calls already in flight
      assertThat(events.of("instance_ejected"))
          .extracting(e -> String.valueOf(e.attributes().get("instance")))
          .contains("s2", "s0");
      assertThat(events.of("failover")).isNotEmpty();
      // Least outstanding keeps the slow server to a small share.
      assertThat(atKill[1]).isLessThan(atKill[0]);
      assertThat(model.health())
          .extracting(InstanceHealth::state)
          .containsExactly(
              InstanceHealth.State.EJECTED,
              InstanceHealth.State.HEALTHY,
              InstanceHealth.State.EJECTED);

      // Recovery: the dead one comes back on its port, the overloaded one answers again.
      servers.set(0, answering(OpenAiServer.start(OpenAiDialect.OPENAI, dead.port())));
      answering(servers.get(2));
      clock.advance(Duration.ofSeconds(31));
      for (int i = 0; i < 30; i++) {
        assertThat(model.apply(config, "hi").gather().text()).isEqualTo(ANSWER);
      }
      assertThat(events.of("instance_returned"))
          .extracting(e -> String.valueOf(e.attributes().get("instance")))
          .contains("s0", "s2");
      assertThat(requests(0)).isPositive();
      assertThat(requests(2)).isGreaterThan(6);
    }
  }

  @Test
  void aFailureAfterTheFirstToken_isNotFailedOver_andNoTokenIsRepeated() {
    servers.get(0).enqueue(OpenAiReply.text("Hello, ", "balanced ", "world").cutAfterEvents(2));
    try (BalancedProcessor model =
        balancer(ServiceRegistry.of("models", instance(0), instance(1))).build()) {
      List<String> received = new ArrayList<>();
      assertThatThrownBy(
              () -> {
                try (ProcessorStream answer = model.apply("hi")) {
                  for (ProcessorPart part : answer) {
                    received.add(part.text());
                  }
                }
              })
          .isInstanceOf(RuntimeException.class);
      assertThat(String.join("", received)).isEqualTo("Hello, ");
      assertThat(requests(1)).isZero();
      // The next call goes on as usual.
      assertThat(model.apply("hi").gather().text()).isEqualTo(ANSWER);
    }
  }

  @Test
  void aBadRequest_isNotFailedOver_andDoesNotCountAgainstTheInstance() {
    servers.get(0).enqueue(OpenAiReply.error(400, "'messages' must not be empty"));
    try (BalancedProcessor model =
        balancer(ServiceRegistry.of("models", instance(0), instance(1))).build()) {
      assertThatThrownBy(() -> model.apply("hi").gather())
          .hasMessageContaining("'messages' must not be empty");
      assertThat(requests(1)).isZero();
      assertThat(model.health().get(0).failures()).isZero();
    }
  }

  @Test
  void everyInstanceFailing_fallsBackToAnotherVendor_thenReportsTheLastFailure() {
    for (OpenAiServer server : servers) {
      server.replyAlways(OpenAiReply.error(503, "overloaded"));
    }
    try (OpenAiServer otherVendor = answering(OpenAiServer.start());
        OpenAiModel fallback = TestSupport.model(ServiceInstance.of("x", otherVendor.baseUrl()));
        BalancedProcessor model =
            balancer(registry()).fallback(fallback).statusParts(true).build()) {
      ProcessorContent answer = model.apply("hi").gather();

      assertThat(
              answer.parts().stream()
                  .filter(p -> !Substreams.STATUS.equals(p.substreamName()))
                  .map(ProcessorPart::text)
                  .reduce("", String::concat))
          .isEqualTo(ANSWER);
      assertThat(List.of(requests(0), requests(1), requests(2))).containsExactly(1, 1, 1);
      List<ProcessorPart> status =
          answer.parts().stream().filter(p -> Substreams.STATUS.equals(p.substreamName())).toList();
      assertThat(status)
          .extracting(p -> p.metadata().get(BalancedProcessor.EVENT_KEY))
          .containsSubsequence("instance_chosen", "failover", "failover", "fallback");
    }
  }

  @Test
  void withoutStatusParts_theOutputHoldsTheAnswerOnly() {
    try (BalancedProcessor model = balancer(registry()).build()) {
      assertThat(model.apply("hi").gather().parts())
          .noneMatch(p -> Substreams.STATUS.equals(p.substreamName()));
    }
  }

  @Test
  void everyInstanceEjected_isAClearError_namingEachAndWhy() {
    for (OpenAiServer server : servers) {
      server.replyAlways(OpenAiReply.error(503, "overloaded"));
    }
    try (BalancedProcessor model =
        balancer(registry())
            .outlierDetection(OutlierDetection.defaults().withConsecutiveFailures(1))
            .build()) {
      assertThatThrownBy(() -> model.apply("hi").gather()).hasMessageContaining("overloaded");
      assertThatThrownBy(() -> model.apply("hi").gather())
          .isInstanceOf(NoInstanceAvailableException.class)
          .hasMessageContaining("no instance of 'models' can take a call")
          .hasMessageContaining("'s0' ejected")
          .hasMessageContaining("'s2' ejected")
          .hasMessageContaining("1 consecutive failures");
    }
  }

  @Test
  void anEmptyRegistry_isAClearError() {
    try (BalancedProcessor model = balancer(ServiceRegistry.of("nobody", List.of())).build()) {
      assertThatThrownBy(() -> model.apply("hi").gather())
          .isInstanceOf(NoInstanceAvailableException.class)
          .hasMessage(
              "registry 'nobody' lists no instance and balancer 'balanced(nobody)' has no"
                  + " fallback");
    }
  }

  @Test
  void anInstanceWhoseProcessorCannotBeMade_staysOut_andTheOthersServe() {
    ServiceRegistry registry =
        ServiceRegistry.of("models", ServiceInstance.of("broken", "not a url"), instance(1));
    try (BalancedProcessor model =
        BalancedProcessor.builder(
                registry,
                instance -> {
                  if (instance.id().equals("broken")) {
                    throw new IllegalArgumentException("base URL 'not a url' is not absolute");
                  }
                  return TestSupport.model(instance);
                })
            .build()) {
      for (int i = 0; i < 4; i++) {
        assertThat(model.apply("hi").gather().text()).isEqualTo(ANSWER);
      }
      assertThat(model.health().get(0).state()).isEqualTo(InstanceHealth.State.UNHEALTHY);
      assertThat(requests(1)).isEqualTo(4);
    }
  }

  @Test
  void activeHealthChecks_takeADeadServerOut_andBringItBack() throws Exception {
    Events events = new Events();
    RunConfig config = RunConfig.defaults().withInterceptor(events);
    try (BalancedProcessor model =
        balancer(registry())
            .healthCheck(
                HealthCheck.of(HealthProbe.processor("ping"))
                    .withInterval(Duration.ofMillis(50))
                    .withThresholds(1, 1))
            .build()) {
      int port = servers.get(1).port();
      servers.get(1).close();
      eventually(
          "s1 unhealthy", () -> model.health().get(1).state() == InstanceHealth.State.UNHEALTHY);
      int before0 = requests(0);
      int before2 = requests(2);
      for (int i = 0; i < 10; i++) {
        assertThat(model.apply(config, "hi").gather().text()).isEqualTo(ANSWER);
      }
      // Probes reach the servers too: only the calls' share is counted here.
      assertThat(requests(0) - before0 + requests(2) - before2).isGreaterThanOrEqualTo(10);

      servers.set(1, answering(OpenAiServer.start(OpenAiDialect.OPENAI, port)));
      eventually(
          "s1 healthy again", () -> model.health().get(1).state() == InstanceHealth.State.HEALTHY);
      model.apply(config, "hi").gather();
      assertThat(events.of("instance_unhealthy")).isNotEmpty();
      assertThat(events.of("instance_healthy")).isNotEmpty();
    }
  }

  @Test
  void theBuilder_rejectsBadSettings_namingThem() {
    assertThatThrownBy(() -> balancer(registry()).maxAttempts(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be at least 1 but was 0");
    assertThatThrownBy(() -> OutlierDetection.defaults().withFailureRate(1.5, 10))
        .hasMessage("failureRate must be in (0, 1] but was 1.5");
    assertThatThrownBy(() -> HealthCheck.of((i, p) -> {}).withInterval(Duration.ZERO))
        .hasMessage("interval must be positive but was PT0S");
    assertThatThrownBy(() -> ServiceInstance.of("a", "http://x").withWeight(0))
        .hasMessage("weight of instance 'a' must be at least 1 but was 0");
    assertThatThrownBy(
            () -> ServiceRegistry.of("m", instance(0), ServiceInstance.of("s0", "http://other")))
        .hasMessage("registry 'm' lists instance id 's0' twice");
  }
}
