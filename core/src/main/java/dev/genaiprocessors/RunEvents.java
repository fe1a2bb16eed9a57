package dev.genaiprocessors;

import java.util.Map;
import java.util.Objects;

/**
 * Reports events from inside a running processor to the run's {@link ProcessorInterceptor}s, so
 * decorators and integrations (retries, rate-limit waits, circuit changes) are observed in the same
 * place as the stages themselves.
 *
 * <pre>{@code
 * RunEvents.report(name(), "retry", Map.of("attempt", 2, "delay_ms", 400));
 * }</pre>
 *
 * <p>Cheap when nobody listens: a run without interceptors returns at once. Call it from the thread
 * the processor runs on (the run is found through it).
 */
public final class RunEvents {
  private RunEvents() {}

  /**
   * Tells the current run's interceptors that {@code kind} happened in the processor {@code
   * source}; does nothing outside a run or in a run without interceptors.
   */
  public static void report(String source, String kind, Map<String, ?> attributes) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(attributes, "attributes");
    RunContext context = RunContext.current();
    if (!context.intercepted) {
      return;
    }
    ProcessorInterceptor.Stage current = context.stage;
    ProcessorInterceptor.Stage stage =
        current != null && current.name().equals(source)
            ? current
            : new ProcessorInterceptor.Stage(context.runId, 0, source, false, current);
    for (ProcessorInterceptor interceptor : context.config.interceptors()) {
      interceptor.onEvent(stage, kind, attributes);
    }
  }
}
