package dev.genaiprocessors.observability;

import dev.genaiprocessors.model.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one {@link Observability}: per stage name, per model call, per reported event. Tags
 * are of bounded cardinality: processor names (fixed by the pipelines' code), model and provider
 * names, exception class names, event kinds; never ids, never content.
 */
final class Meters {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, StageMeters> stages = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> circuits = new ConcurrentHashMap<>();

  Meters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The meters every stage of this name shares, made on first use. */
  StageMeters forStage(String name) {
    StageMeters meters = stages.get(name);
    return meters != null ? meters : stages.computeIfAbsent(name, this::newStageMeters);
  }

  private StageMeters newStageMeters(String name) {
    Tags tags = Tags.of(GenAi.PROCESSOR_TAG, name);
    AtomicInteger inFlight = new AtomicInteger();
    Gauge.builder(GenAi.IN_FLIGHT, inFlight, AtomicInteger::get)
        .description("Stages of this processor running now")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    return new StageMeters(
        Counter.builder(GenAi.PARTS_IN)
            .description("Parts the processor read")
            .tags(tags)
            .register(registry),
        Counter.builder(GenAi.PARTS_OUT)
            .description("Parts the processor emitted")
            .tags(tags)
            .register(registry),
        inFlight);
  }

  /** A stage of {@code name} ended: {@code outcome} success, error or cancelled. */
  void stageEnded(String name, long nanos, String outcome, String errorType) {
    Timer.builder(GenAi.STAGE_DURATION)
        .description("How long one run of the processor took")
        .tags(GenAi.PROCESSOR_TAG, name, GenAi.OUTCOME_TAG, outcome, "error.type", errorType)
        .serviceLevelObjectives(GenAi.DURATION_BUCKETS)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    if (outcome.equals("error")) {
      Counter.builder(GenAi.STAGE_ERRORS)
          .description("Runs of the processor that failed, by error type")
          .tags(GenAi.PROCESSOR_TAG, name, "error.type", errorType)
          .register(registry)
          .increment();
    }
  }

  /** A model call ended, after {@code nanos}, its first chunk after {@code firstChunkNanos}. */
  void modelCall(
      ModelCall call,
      String responseModel,
      @Nullable TokenUsage usage,
      long nanos,
      long firstChunkNanos,
      String errorType) {
    Tags tags =
        Tags.of(
            GenAi.OPERATION_NAME.getKey(), call.operation(),
            GenAi.PROVIDER_NAME.getKey(), call.provider(),
            GenAi.REQUEST_MODEL.getKey(), call.requestModel(),
            GenAi.RESPONSE_MODEL.getKey(), responseModel);
    Timer.builder(GenAi.OPERATION_DURATION)
        .description("GenAI operation duration")
        .tags(tags.and(GenAi.ERROR_TYPE.getKey(), errorType))
        .serviceLevelObjectives(GenAi.DURATION_BUCKETS)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    if (firstChunkNanos >= 0) {
      Timer.builder(GenAi.TIME_TO_FIRST_CHUNK_METRIC)
          .description("Time to receive the first chunk of a streamed answer")
          .tags(tags)
          .serviceLevelObjectives(GenAi.DURATION_BUCKETS)
          .register(registry)
          .record(firstChunkNanos, TimeUnit.NANOSECONDS);
    }
    if (usage != null) {
      tokens(tags, "input", usage.promptTokens());
      tokens(tags, "output", usage.completionTokens());
    }
  }

  private void tokens(Tags tags, String type, long count) {
    DistributionSummary.builder(GenAi.TOKEN_USAGE)
        .description("Number of input and output tokens used")
        .baseUnit("tokens")
        .tags(tags.and(GenAi.TOKEN_TYPE, type))
        .serviceLevelObjectives(GenAi.TOKEN_BUCKETS)
        .register(registry)
        .record((double) count);
  }

  /** An event reported with {@code RunEvents} by {@code processor}. */
  void event(String processor, String kind, Map<String, ?> attributes) {
    Counter.builder(GenAi.EVENTS)
        .description("Events reported by processors: retries, waits, timeouts, rejections")
        .tags(GenAi.PROCESSOR_TAG, processor, "kind", kind)
        .register(registry)
        .increment();
    switch (kind) {
      case "retry" ->
          Counter.builder(GenAi.RETRIES)
              .description("Attempts retried")
              .tags(GenAi.PROCESSOR_TAG, processor)
              .register(registry)
              .increment();
      case "wait" -> {
        Counter.builder(GenAi.RATE_LIMIT_WAITS)
            .description("Calls that waited for a rate limit or a token budget")
            .tags(GenAi.PROCESSOR_TAG, processor)
            .register(registry)
            .increment();
        if (attributes.get("delay_ms") instanceof Number delay) {
          Timer.builder(GenAi.RATE_LIMIT_WAIT_TIME)
              .description("Time waited for a rate limit or a token budget")
              .tags(GenAi.PROCESSOR_TAG, processor)
              .register(registry)
              .record(delay.longValue(), TimeUnit.MILLISECONDS);
        }
      }
      case "circuit_closed" -> circuit(attributes, 0);
      case "circuit_half_opened" -> circuit(attributes, 1);
      case "circuit_opened" -> circuit(attributes, 2);
      default -> {
        // Counted above by kind only.
      }
    }
  }

  private void circuit(Map<String, ?> attributes, int state) {
    String name =
        attributes.get("resilience") instanceof String resilience ? resilience : GenAi.OTHER;
    circuits
        .computeIfAbsent(
            name,
            n -> {
              AtomicInteger value = new AtomicInteger();
              Gauge.builder(GenAi.CIRCUIT_STATE, value, AtomicInteger::get)
                  .description("State of the circuit: 0 closed, 1 half-open, 2 open")
                  .tags("resilience", n)
                  .strongReference(true)
                  .register(registry);
              return value;
            })
        .set(state);
  }

  /** The meters of one processor name, touched for every part. */
  record StageMeters(Counter partsIn, Counter partsOut, AtomicInteger inFlight) {}
}
