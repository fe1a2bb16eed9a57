package dev.genaiprocessors.examples;

import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.discovery.BalancedProcessor;
import dev.genaiprocessors.discovery.InstanceHealth;
import dev.genaiprocessors.discovery.LoadBalancing;
import dev.genaiprocessors.discovery.OutlierDetection;
import dev.genaiprocessors.discovery.ServiceInstance;
import dev.genaiprocessors.discovery.ServiceRegistry;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.OpenAiReply;
import dev.genaiprocessors.testing.OpenAiServer;
import java.time.Duration;

/**
 * Load balancing with failover over three OpenAI-compatible replicas (the {@code testing} module's
 * local servers, as three vLLM or Ollama replicas would be), one of which answers 503 on every
 * call. Every question is answered: a call that lands on the failing replica fails over to another
 * before any token reached the caller, the failing replica is ejected after three failures, and the
 * status parts show each choice, failover and ejection. Then the health view of each replica.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=LoadBalancingExample}
 */
public final class LoadBalancingExample {
  private LoadBalancingExample() {}

  public static void main(String[] args) {
    try (OpenAiServer a = OpenAiServer.start();
        OpenAiServer b = OpenAiServer.start();
        OpenAiServer broken = OpenAiServer.start()) {
      a.replyAlways(OpenAiReply.text("Paris", " (from a)"));
      b.replyAlways(OpenAiReply.text("Paris", " (from b)"));
      broken.replyAlways(OpenAiReply.error(503, "The replica is overloaded"));

      ServiceRegistry replicas =
          ServiceRegistry.of(
              "llama",
              ServiceInstance.of("a", a.baseUrl()),
              ServiceInstance.of("b", b.baseUrl()),
              ServiceInstance.of("broken", broken.baseUrl()));
      try (BalancedProcessor model =
          BalancedProcessor.builder(
                  replicas,
                  instance ->
                      OpenAiModel.builder()
                          .baseUrl(instance.address())
                          .model("llama-3.1-8b")
                          .apiKey("none")
                          .maxRetries(0) // the balancer fails over; the SDK need not retry
                          .build())
              .strategy(LoadBalancing.roundRobin())
              .outlierDetection(
                  OutlierDetection.defaults()
                      .withConsecutiveFailures(3)
                      .withEjection(Duration.ofSeconds(30)))
              .statusParts(true)
              .build()) {
        for (int i = 1; i <= 9; i++) {
          StringBuilder answer = new StringBuilder();
          try (ProcessorStream parts = model.apply("What is the capital of France?")) {
            for (ProcessorPart part : parts) {
              if (part.substreamName().isEmpty()) {
                answer.append(part.text());
              } else {
                System.out.println("  status | " + part.text());
              }
            }
          }
          System.out.println("answer " + i + ": " + answer);
        }
        System.out.println("== health ==");
        for (InstanceHealth health : model.health()) {
          System.out.println(
              health.instance().id()
                  + ": "
                  + health.state()
                  + ", "
                  + health.calls()
                  + " calls, "
                  + health.failures()
                  + " failed");
        }
      }
    }
  }
}
