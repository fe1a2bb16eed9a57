package dev.genaiprocessors.cli;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Keeps the spans the observability module ends, as JSON-ready maps for the trace file: name, ids,
 * times in milliseconds from the run's start, status and attributes (which carry no content: the
 * observability module records none unless asked).
 */
final class SpanCollector implements SpanExporter {
  private final ConcurrentLinkedQueue<SpanData> spans = new ConcurrentLinkedQueue<>();

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

  /** The spans ended so far, in start order, times relative to {@code originEpochNanos}. */
  List<Map<String, Object>> spans(long originEpochNanos) {
    List<SpanData> sorted = new ArrayList<>(spans);
    sorted.sort((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos()));
    List<Map<String, Object>> out = new ArrayList<>();
    for (SpanData span : sorted) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("name", span.getName());
      map.put("kind", span.getKind().name());
      map.put("trace_id", span.getTraceId());
      map.put("span_id", span.getSpanId());
      map.put(
          "parent_span_id", span.getParentSpanContext().isValid() ? span.getParentSpanId() : null);
      map.put("start_ms", (span.getStartEpochNanos() - originEpochNanos) / 1_000_000.0);
      map.put("end_ms", (span.getEndEpochNanos() - originEpochNanos) / 1_000_000.0);
      map.put("status", span.getStatus().getStatusCode().name());
      map.put("attributes", attributes(span.getAttributes().asMap()));
      List<Map<String, Object>> events = new ArrayList<>();
      for (EventData event : span.getEvents()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", event.getName());
        e.put("t_ms", (event.getEpochNanos() - originEpochNanos) / 1_000_000.0);
        e.put("attributes", attributes(event.getAttributes().asMap()));
        events.add(e);
      }
      map.put("events", events);
      out.add(map);
    }
    return out;
  }

  private static Map<String, Object> attributes(Map<AttributeKey<?>, Object> attributes) {
    Map<String, Object> out = new LinkedHashMap<>();
    attributes.forEach((key, value) -> out.put(key.getKey(), value));
    return out;
  }
}
