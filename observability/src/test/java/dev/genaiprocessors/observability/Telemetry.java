package dev.genaiprocessors.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The real OpenTelemetry SDK with its in-memory exporter and a Micrometer registry, with an {@link
 * Observability} over both: what every test here observes runs with.
 */
final class Telemetry implements AutoCloseable {
  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  final OpenTelemetrySdk openTelemetry =
      OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
  final MeterRegistry registry;
  final Observability observability;

  Telemetry() {
    this(new SimpleMeterRegistry(), false);
  }

  Telemetry(MeterRegistry registry, boolean captureContent) {
    this.registry = registry;
    this.observability =
        Observability.builder()
            .openTelemetry(openTelemetry)
            .meterRegistry(registry)
            .captureContent(captureContent)
            .build();
  }

  List<SpanData> spans() {
    return exporter.getFinishedSpanItems();
  }

  SpanData span(String name) {
    List<SpanData> named = spans().stream().filter(s -> s.getName().equals(name)).toList();
    if (named.size() != 1) {
      throw new AssertionError(
          "expected one span named '" + name + "' but found " + named.size() + ": " + tree());
    }
    return named.get(0);
  }

  Optional<SpanData> parentOf(SpanData span) {
    return spans().stream().filter(s -> s.getSpanId().equals(span.getParentSpanId())).findFirst();
  }

  /**
   * The finished spans as an indented tree, children sorted by name, one line each: {@code name}
   * and, for a failed span, {@code [ERROR]}. Spans whose parent is not among them are roots.
   */
  String tree() {
    List<SpanData> all = spans();
    Map<String, List<SpanData>> children =
        all.stream().collect(Collectors.groupingBy(SpanData::getParentSpanId));
    StringBuilder out = new StringBuilder();
    all.stream()
        .filter(
            s ->
                s.getParentSpanId().equals(SpanId.getInvalid())
                    || all.stream().noneMatch(p -> p.getSpanId().equals(s.getParentSpanId())))
        .sorted(Comparator.comparing(SpanData::getName))
        .forEach(root -> print(root, children, 0, out));
    return out.toString();
  }

  private static void print(
      SpanData span, Map<String, List<SpanData>> children, int depth, StringBuilder out) {
    out.append("  ".repeat(depth)).append(span.getName());
    if (span.getStatus().getStatusCode() == io.opentelemetry.api.trace.StatusCode.ERROR) {
      out.append(" [ERROR]");
    }
    out.append('\n');
    children.getOrDefault(span.getSpanId(), List.of()).stream()
        .sorted(Comparator.comparing(SpanData::getName))
        .forEach(child -> print(child, children, depth + 1, out));
  }

  @Override
  public void close() {
    tracerProvider.close();
    registry.close();
  }
}
