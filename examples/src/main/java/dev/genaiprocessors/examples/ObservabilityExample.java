package dev.genaiprocessors.examples;

import com.sun.net.httpserver.HttpServer;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.RunConfig;
import dev.genaiprocessors.observability.Observability;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.resilience.RetryConfig;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiReply;
import dev.genaiprocessors.testing.OpenAiServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Observability of a small pipeline, offline: a clean-up stage, then a model (OpenAI's SDK against
 * the {@code testing} module's local server, which first answers 429) retried by the resilience
 * layer. One line turns tracing, metrics and MDC ids on for every run; the example then prints the
 * trace tree the OpenTelemetry SDK recorded and the Prometheus scrape of the metrics, fetched over
 * HTTP as Prometheus would.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=ObservabilityExample}
 */
public final class ObservabilityExample {
  private ObservabilityExample() {}

  public static void main(String[] args) throws Exception {
    // What the application sets up: the OpenTelemetry SDK (here keeping spans in a list) and a
    // Prometheus registry.
    List<SpanData> spans = new CopyOnWriteArrayList<>();
    SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new ListExporter(spans)))
            .build();
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    Observability observability =
        Observability.builder()
            .openTelemetry(OpenTelemetrySdk.builder().setTracerProvider(tracing).build())
            .meterRegistry(prometheus)
            .build();
    RunConfig before = observability.installAsDefault(); // the one line: every run is observed

    try (OpenAiServer server = OpenAiServer.start();
        OpenAiModel model =
            OpenAiModel.builder()
                .model("gpt-4o-mini")
                .apiKey("sk-local-example")
                .baseUrl(server.baseUrl())
                .maxRetries(0)
                .build()) {
      server.enqueue(OpenAiReply.error(429, "Rate limit reached").retryAfter(Duration.ZERO));
      server.enqueue(ChatReply.create().text("Bonjour", " tout", " le monde").usage(14, 3));
      Processor retried =
          Resilience.builder("openai")
              .retry(RetryConfig.builder().maxAttempts(3).build())
              .build()
              .decorate(model);
      PartProcessor clean =
          PartProcessor.named("clean", (part, out) -> out.emit(part.text().strip()));
      Processor pipeline = Processor.chain(clean, retried);

      String answer = pipeline.apply(List.of("  Say hello in French.  ")).text();
      System.out.println("answer: " + answer);
    } finally {
      RunConfig.setDefaults(before);
    }

    System.out.println();
    System.out.println("== trace ==");
    spans.stream()
        .filter(s -> s.getParentSpanId().equals(SpanId.getInvalid()))
        .forEach(root -> print(root, spans, 0));

    System.out.println();
    System.out.println("== Prometheus scrape (our meters) ==");
    scrape(prometheus)
        .lines()
        .filter(line -> !line.startsWith("#") && !line.contains("_bucket{") && line.contains("gen"))
        .forEach(System.out::println);
    tracing.close();
    prometheus.close();
  }

  private static void print(SpanData span, List<SpanData> spans, int depth) {
    long micros = (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1_000;
    StringBuilder line =
        new StringBuilder("  ".repeat(depth))
            .append(span.getName())
            .append(" (")
            .append(span.getKind())
            .append(", ")
            .append(micros)
            .append(" µs)");
    span.getAttributes()
        .forEach(
            (key, value) -> {
              if (key.getKey().startsWith("gen_ai.")) {
                line.append("\n")
                    .append("  ".repeat(depth + 2))
                    .append(key)
                    .append('=')
                    .append(value);
              }
            });
    for (EventData event : span.getEvents()) {
      line.append("\n")
          .append("  ".repeat(depth + 2))
          .append("event ")
          .append(event.getName())
          .append(' ')
          .append(event.getAttributes().asMap());
    }
    System.out.println(line);
    spans.stream()
        .filter(s -> s.getParentSpanId().equals(span.getSpanId()))
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
        .forEach(child -> print(child, spans, depth + 1));
  }

  /** Serves the registry on loopback with the JDK's HTTP server and fetches it once. */
  private static String scrape(PrometheusMeterRegistry registry) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try (InputStream in =
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics")
            .toURL()
            .openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      server.stop(0);
    }
  }

  /** Keeps every finished span in a list (an application would export them). */
  private record ListExporter(List<SpanData> spans) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
