package dev.genaiprocessors.discovery;

import dev.genaiprocessors.ProcessorInterceptor;
import dev.genaiprocessors.openai.OpenAiModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** What the discovery tests share: a clock they move, a wait for conditions, recorded events. */
final class TestSupport {
  private TestSupport() {}

  /** A clock that stands still until a test moves it. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /**
   * Waits until {@code condition} holds, polling; fails naming {@code what} after a deadline far
   * beyond what the condition needs (this asserts that it happens, not how fast).
   */
  static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still not true after 30 s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what, e);
      }
    }
  }

  /** One event reported through RunEvents. */
  record Event(String kind, Map<String, ?> attributes) {}

  /** An interceptor keeping the events reported in runs it observes. */
  static final class Events implements ProcessorInterceptor {
    final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(Stage stage, String kind, Map<String, ?> attributes) {
      events.add(new Event(kind, Map.copyOf(attributes)));
    }

    List<Event> of(String kind) {
      return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }
  }

  /** A real OpenAI processor on the official SDK, for an instance at a local server. */
  static OpenAiModel model(ServiceInstance instance) {
    return OpenAiModel.builder()
        .model("llama-3.1-8b")
        .apiKey("sk-test-discovery")
        .baseUrl(instance.address())
        .maxRetries(0)
        .build();
  }
}
