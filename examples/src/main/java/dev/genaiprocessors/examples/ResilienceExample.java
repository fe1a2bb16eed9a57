package dev.genaiprocessors.examples;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.resilience.CircuitBreakerConfig;
import dev.genaiprocessors.resilience.HttpStatusException;
import dev.genaiprocessors.resilience.RateLimitConfig;
import dev.genaiprocessors.resilience.RejectedCallException;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.resilience.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resilience as a layer. A flaky "model" answers 503 on every third call and 429 with {@code
 * Retry-After: 0.2} on every fifth; decorated with retry, a rate limit and a circuit breaker it
 * answers every question, and the retries show up as status parts. Then the model goes down for
 * good, the circuit opens, and calls are refused at once instead of piling up.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=dev.genaiprocessors.examples.ResilienceExample}
 */
public final class ResilienceExample {
  private ResilienceExample() {}

  public static void main(String[] args) {
    AtomicInteger calls = new AtomicInteger();
    boolean[] down = {false};
    PartProcessor model =
        PartProcessor.named(
            "flaky-model",
            (part, output) -> {
              int call = calls.incrementAndGet();
              if (down[0] || call % 3 == 0) {
                throw new HttpStatusException(
                    503, "https://model.example/v1", Map.of(), "overloaded", null);
              }
              if (call % 5 == 0) {
                throw new HttpStatusException(
                    429,
                    "https://model.example/v1",
                    Map.of("Retry-After", List.of("0.2")),
                    "slow down",
                    null);
              }
              output.emit(ProcessorPart.text("answer to '" + part.text() + "'").withRole("model"));
            });

    Resilience resilience =
        Resilience.builder("model-endpoint")
            .retry(
                RetryConfig.builder().initialBackoff(Duration.ofMillis(50)).maxAttempts(4).build())
            .rateLimit(RateLimitConfig.of(20, Duration.ofSeconds(1)))
            .circuitBreaker(
                CircuitBreakerConfig.builder()
                    .slidingWindowSize(10)
                    .minimumCalls(10)
                    .failureRateThreshold(60)
                    .waitInOpenState(Duration.ofSeconds(10))
                    .build())
            .statusParts(true)
            .build();
    PartProcessor resilient = resilience.decorate(model);

    System.out.println("== a flaky model, retried ==");
    for (ProcessorPart part :
        resilient.toProcessor(1).apply(List.of("one", "two", "three", "four", "five", "six"))) {
      String channel = part.substreamName().isEmpty() ? "data  " : part.substreamName() + "";
      System.out.println(channel + " | " + part.text());
    }
    System.out.println(calls.get() + " calls for 6 answers");

    System.out.println("== the model goes down: the circuit opens ==");
    down[0] = true;
    for (int i = 1; i <= 3; i++) {
      try {
        resilient.apply("question " + i).gather();
      } catch (HttpStatusException | RejectedCallException e) { // as the decorator threw them
        System.out.println("failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    System.out.println("circuit is " + resilience.circuitState());
  }
}
