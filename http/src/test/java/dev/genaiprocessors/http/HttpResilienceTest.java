package dev.genaiprocessors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.resilience.CircuitBreakerConfig;
import dev.genaiprocessors.resilience.HttpStatusException;
import dev.genaiprocessors.resilience.RateLimitConfig;
import dev.genaiprocessors.resilience.RejectedCallException;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.resilience.ResilienceEvent;
import dev.genaiprocessors.resilience.RetryConfig;
import dev.genaiprocessors.testing.ScriptedHttpServer;
import dev.genaiprocessors.testing.ScriptedResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP processor under the resilience decorators, against a real server on loopback. */
@org.junit.jupiter.api.Timeout(60)
class HttpResilienceTest {
  private final ScriptedHttpServer server = ScriptedHttpServer.start();
  private final FakeTime time = new FakeTime();
  private final List<ResilienceEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopServer() {
    server.close();
  }

  private Resilience.Builder resilience() {
    return Resilience.builder("test-api").clock(time).sleeper(time).listener(events::add);
  }

  private HttpProcessor processor(Resilience resilience) {
    return HttpProcessor.builder(server.uri("/v1/items").toString()).resilience(resilience).build();
  }

  private static RetryConfig retry() {
    return RetryConfig.builder().jitter(0).maxWait(Duration.ofMinutes(1)).build();
  }

  static Stream<Arguments> retryHints() {
    return Stream.of(
        Arguments.of(
            "Retry-After in seconds",
            ScriptedResponse.status(429).withHeader("Retry-After", "7"),
            Duration.ofSeconds(7)),
        Arguments.of(
            "Retry-After in fractional seconds",
            ScriptedResponse.status(429).withHeader("Retry-After", "2.5"),
            Duration.ofMillis(2500)),
        Arguments.of(
            "Retry-After as an HTTP-date",
            ScriptedResponse.status(429).withHeader("Retry-After", inSeconds(12)),
            Duration.ofSeconds(12)),
        Arguments.of(
            "retry-after-ms",
            ScriptedResponse.status(429)
                .withHeader("retry-after-ms", "750")
                .withHeader("Retry-After", "1"),
            Duration.ofMillis(750)),
        Arguments.of(
            "Gemini RetryInfo.retryDelay",
            ScriptedResponse.status(429)
                .withHeader("Content-Type", "application/json")
                .withBody(
                    """
            {"error":{"code":429,"message":"You exceeded your current quota","status":"RESOURCE_EXHAUSTED","details":[
              {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]},
              {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"34s"}]}}"""),
            Duration.ofSeconds(34)));
  }

  /** An HTTP-date {@code seconds} after the fake clock's start. */
  private static String inSeconds(int seconds) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        new FakeTime().instant().plusSeconds(seconds).atZone(ZoneOffset.UTC));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("retryHints")
  void tooManyRequests_isRetried_afterTheWaitTheServerAsks(
      String hint, ScriptedResponse tooMany, Duration asked) {
    server.enqueue(tooMany, ScriptedResponse.json("{\"ok\":true}"));

    try (HttpProcessor api = processor(resilience().retry(retry()).build())) {
      assertThat(api.apply("hi").text()).isEqualTo("{\"ok\":true}");
    }

    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(time.sleeps())
        .singleElement()
        .satisfies(
            wait ->
                assertThat((double) wait.toMillis())
                    .isCloseTo(asked.toMillis(), Percentage.withPercentage(10)));
  }

  @Test
  void serverErrors_areRetried_thenGivenUp_withTheLastErrorAsCause() {
    server.otherwise(ScriptedResponse.status(503).withBody("overloaded, try later"));
    RetryConfig config = RetryConfig.builder().maxAttempts(3).jitter(0).build();

    try (HttpProcessor api = processor(resilience().retry(config).build())) {
      assertThatThrownBy(() -> api.apply("hi").gather())
          .isInstanceOfSatisfying(
              HttpStatusException.class,
              e -> {
                assertThat(ProcessorException.stageOf(e)).contains(api.name());
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.getMessage()).contains("/v1/items").contains("overloaded");
                assertThat(e.getSuppressed())
                    .filteredOn(HttpStatusException.class::isInstance)
                    .hasSize(2);
              });
    }
    assertThat(server.requestCount()).isEqualTo(3);
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  @Test
  void connectionCutBeforeAnyPart_isRetried() {
    server.enqueue(
        ScriptedResponse.ok().withHeader("Content-Type", "application/json").cutAfterChunks(),
        ScriptedResponse.json("{\"ok\":true}"));

    try (HttpProcessor api = processor(resilience().retry(retry()).build())) {
      assertThat(api.apply("hi").text()).isEqualTo("{\"ok\":true}");
    }
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void streamCutAfterThreeParts_isNotRetried_andDeliversThemBeforeTheError() {
    server.enqueue(
        ScriptedResponse.ok()
            .withHeader("Content-Type", "application/x-ndjson")
            .withChunks(
                List.of("{\"token\":\"a\"}\n", "{\"token\":\"b\"}\n", "{\"token\":\"c\"}\n"))
            .cutAfterChunks());
    server.otherwise(ScriptedResponse.status(500));
    List<ProcessorPart> received = new ArrayList<>();

    try (HttpProcessor api = processor(resilience().retry(retry()).build());
        ProcessorStream out = api.apply("hi")) {
      assertThatThrownBy(() -> out.forEach(received::add))
          .isInstanceOf(ProcessorException.class)
          .hasMessageContaining(api.name())
          .cause()
          .isInstanceOf(IOException.class);
    }

    assertThat(received)
        .extracting(p -> p.json().path("token").asText())
        .containsExactly("a", "b", "c");
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(events).extracting(ResilienceEvent::kind).doesNotContain(ResilienceEvent.Kind.RETRY);
  }

  @Test
  void circuit_opens_rejects_halfOpens_andCloses() {
    server.enqueue(ScriptedResponse.status(500), ScriptedResponse.status(500));
    server.otherwise(ScriptedResponse.json("{\"ok\":true}"));
    CircuitBreakerConfig breaker =
        CircuitBreakerConfig.builder()
            .slidingWindowSize(2)
            .minimumCalls(2)
            .failureRateThreshold(50)
            .waitInOpenState(Duration.ofSeconds(30))
            .halfOpenCalls(1)
            .build();
    Resilience resilience = resilience().circuitBreaker(breaker).build();

    try (HttpProcessor api = processor(resilience)) {
      assertThatThrownBy(() -> api.apply("1").gather()).isInstanceOf(HttpStatusException.class);
      assertThat(resilience.circuitState()).isEqualTo(Resilience.CircuitState.CLOSED);
      assertThatThrownBy(() -> api.apply("2").gather()).isInstanceOf(HttpStatusException.class);
      assertThat(resilience.circuitState()).isEqualTo(Resilience.CircuitState.OPEN);

      assertThatThrownBy(() -> api.apply("3").gather())
          .isInstanceOfSatisfying(
              RejectedCallException.class,
              e -> assertThat(e.reason()).isEqualTo(RejectedCallException.Reason.CIRCUIT_OPEN));
      assertThat(server.requestCount()).as("an open circuit sends nothing").isEqualTo(2);

      time.advance(Duration.ofSeconds(31));
      assertThat(api.apply("4").text()).isEqualTo("{\"ok\":true}");
      assertThat(resilience.circuitState()).isEqualTo(Resilience.CircuitState.CLOSED);
      assertThat(api.apply("5").text()).isEqualTo("{\"ok\":true}");
    }

    assertThat(events)
        .extracting(ResilienceEvent::kind)
        .containsExactly(
            ResilienceEvent.Kind.CIRCUIT_OPENED,
            ResilienceEvent.Kind.REJECTED,
            ResilienceEvent.Kind.CIRCUIT_HALF_OPENED,
            ResilienceEvent.Kind.CIRCUIT_CLOSED);
    assertThat(server.requestCount()).isEqualTo(4);
  }

  @Test
  void concurrentCallers_shareOneRateLimit_andNothingIsLost() throws Exception {
    server.otherwise(request -> ScriptedResponse.json("{\"echo\":\"" + request.bodyText() + "\"}"));
    Resilience shared =
        Resilience.builder("shared")
            .rateLimit(RateLimitConfig.of(5, Duration.ofMillis(50)))
            .listener(events::add)
            .build();
    int callers = 4;
    int partsEach = 10;
    List<String> sent = Collections.synchronizedList(new ArrayList<>());
    List<String> received = Collections.synchronizedList(new ArrayList<>());

    try (HttpProcessor api =
        HttpProcessor.builder(server.uri("/echo").toString())
            .jsonPointer("/echo")
            .resilience(shared)
            .build()) {
      List<Thread> threads =
          IntStream.range(0, callers)
              .mapToObj(
                  c ->
                      Thread.ofVirtual()
                          .start(
                              () -> {
                                List<String> inputs =
                                    IntStream.range(0, partsEach)
                                        .mapToObj(i -> c + "-" + i)
                                        .toList();
                                sent.addAll(inputs);
                                api.apply(inputs).forEach(part -> received.add(part.text()));
                              }))
              .toList();
      for (Thread thread : threads) {
        thread.join();
      }
    }

    assertThat(received).hasSize(callers * partsEach).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(server.requestCount()).isEqualTo(callers * partsEach);
    assertThat(events)
        .extracting(ResilienceEvent::kind)
        .contains(ResilienceEvent.Kind.WAIT)
        .doesNotContain(ResilienceEvent.Kind.REJECTED);
  }

  @Test
  void defaultProcessor_isWrappedInRetry() {
    server.enqueue(
        ScriptedResponse.status(503).withHeader("Retry-After", "0"),
        ScriptedResponse.json("{\"ok\":1}"));

    try (HttpProcessor api = HttpProcessor.builder(server.uri("/v1").toString()).build()) {
      assertThat(api.apply("hi").text()).isEqualTo("{\"ok\":1}");
      assertThat(api.toString()).contains("retry").contains("rate limit");
    }
    assertThat(server.requestCount()).isEqualTo(2);
  }
}
