package dev.genaiprocessors.observability;

import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.ProcessorInterceptor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunConfig;
import dev.genaiprocessors.model.ModelOutput;
import dev.genaiprocessors.model.TokenUsage;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Traces, metrics and logging ids for every run it observes: an interceptor (see {@link
 * ProcessorInterceptor}) that the runtime calls for every stage, so no processor is wrapped by
 * hand.
 *
 * <p><b>Turning it on.</b> Build one per application and add it to a run, or to every run:
 *
 * <pre>{@code
 * Observability observability = Observability.builder()
 *     .openTelemetry(openTelemetry)          // the SDK or agent the application set up
 *     .meterRegistry(meterRegistry)          // any Micrometer registry: Prometheus, OTLP, ...
 *     .build();
 * pipeline.apply(observability.runConfig(), "Hello");   // one run
 * observability.installAsDefault();                     // or every run started without settings
 * }</pre>
 *
 * <p><b>Traces</b> (the OpenTelemetry API; the application brings the SDK): a run started outside
 * any stage is a span {@code invoke_workflow <processor>}, the child of whatever span is current on
 * the thread that starts it (the first reader of its stream); every stage is a child span of the
 * stage it runs in, named after its processor, so the spans nest as the pipeline does. A run
 * started inside a stage (a tool loop calling its model) nests under that stage. The stage's span
 * is current on every thread working for it, so spans a processor makes itself nest too. A model
 * call (a stage named as the library's model processors are, {@code OpenAiModel(gpt-4o)}, also
 * under a resilience decorator, which keeps the name) is a {@code CLIENT} span named {@code chat
 * <model>} with the GenAI semantic conventions' attributes: {@code gen_ai.operation.name}, {@code
 * gen_ai.provider.name} and {@code gen_ai.request.model} from the start; {@code
 * gen_ai.response.model}, {@code gen_ai.response.id}, {@code gen_ai.response.finish_reasons}, the
 * {@code gen_ai.usage.*} token counts and {@code gen_ai.response.time_to_first_chunk} from the
 * model's final part ({@link ModelOutput}). One span covers a call and all its retries; each retry,
 * wait or circuit change reported through {@code RunEvents} is an event on it. A stage that reads a
 * function call and emits its response (the tool runner of a function-calling loop) gets an {@code
 * execute_tool <function>} span per call. A failed stage's span has status {@code ERROR} and {@code
 * error.type} (the exception's class); a cancelled one, attribute {@code
 * genai_processors.cancelled}.
 *
 * <p><b>Metrics</b> (Micrometer): {@code gen_ai.client.operation.duration}, {@code
 * gen_ai.client.token.usage} and {@code gen_ai.client.operation.time_to_first_chunk} with the
 * conventions' tags and buckets; per processor (tag {@code processor}): {@code
 * genai.processor.parts.in}, {@code genai.processor.parts.out}, {@code genai.processor.duration}
 * (tags {@code outcome} success, error or cancelled, and {@code error.type}), {@code
 * genai.processor.errors} by {@code error.type}, the gauge {@code genai.processor.in_flight}; from
 * reported events: {@code genai.processor.retries}, {@code genai.processor.rate_limit.waits} and
 * {@code genai.processor.rate_limit.wait}, {@code genai.processor.events} by kind, and the gauge
 * {@code genai.circuit.state} per circuit (0 closed, 1 half-open, 2 open). Every tag has few
 * values. A tag with no value is {@code none} ({@code error.type} of a success) or {@code _OTHER}.
 *
 * <p><b>Logging</b>: while a processor runs, SLF4J's MDC holds {@value #MDC_RUN_ID}, {@value
 * #MDC_STAGE} and {@value #MDC_STAGE_ID}, on every thread working for the stage.
 *
 * <p><b>Content and secrets.</b> No prompt, answer, argument or exception message is recorded
 * unless {@link Builder#captureContent(boolean)} is on; then a model span carries {@code
 * gen_ai.input.messages} and {@code gen_ai.output.messages} (text only, up to 16,384 characters
 * each), and a failed span the exception. API keys are never recorded: nothing here sees them.
 *
 * <p>Thread-safe; one instance may observe any number of runs at once. Parts of a stage that is not
 * a model call are counted by the runtime and reach the counters in batches ({@link
 * ProcessorInterceptor#onCounts}), so observing a cheap stage costs an increment per part; a model
 * stage's parts are looked at one by one (see the benchmarks).
 */
public final class Observability implements ProcessorInterceptor {
  /** The MDC key of the run's number. */
  public static final String MDC_RUN_ID = "genai.run_id";

  /** The MDC key of the running processor's name. */
  public static final String MDC_STAGE = "genai.stage";

  /** The MDC key of the running stage's number. */
  public static final String MDC_STAGE_ID = "genai.stage_id";

  /** The instrumentation scope of the spans. */
  static final String INSTRUMENTATION_NAME = "dev.genaiprocessors.observability";

  // Event attributes that are safe to record whatever their value: names, not content.
  private static final Set<String> NAME_ATTRIBUTES =
      Set.of("resilience", "processor", "resilience_event", "state", "kind");

  private final @Nullable Tracer tracer;
  private final @Nullable Meters meters;
  private final boolean mdc;
  private final boolean captureContent;
  private final ConcurrentHashMap<Long, StageRecord> stages = new ConcurrentHashMap<>();

  private Observability(Builder builder) {
    OpenTelemetry openTelemetry = builder.openTelemetry;
    this.tracer = openTelemetry == null ? null : openTelemetry.getTracer(INSTRUMENTATION_NAME);
    MeterRegistry registry = builder.meterRegistry;
    this.meters = registry == null ? null : new Meters(registry);
    this.mdc = builder.mdc;
    this.captureContent = builder.captureContent;
  }

  /** A builder with nothing on: give it a tracer, a registry or both. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default settings with this observability added (once: the defaults themselves when it is
   * installed already): {@code pipeline.apply(observability.runConfig(), input)}.
   */
  public RunConfig runConfig() {
    RunConfig defaults = RunConfig.defaults();
    return defaults.interceptors().contains(this) ? defaults : defaults.withInterceptor(this);
  }

  /**
   * Observes every run started from now on without settings of its own, in the whole JVM (see
   * {@link RunConfig#setDefaults}).
   *
   * @return the defaults replaced, to restore them with {@link RunConfig#setDefaults}
   */
  public RunConfig installAsDefault() {
    return RunConfig.setDefaults(runConfig());
  }

  @Override
  public void onStart(Stage stage) {
    if (stages.containsKey(stage.id())) {
      return; // added to the run twice: the first registration observes the stage
    }
    Stage parentStage = stage.parent();
    StageRecord parent = parentStage == null ? null : stages.get(parentStage.id());
    ModelCall model = ModelCall.fromStageName(stage.name()).orElse(null);
    Meters.StageMeters stageMeters = meters == null ? null : meters.forStage(stage.name());
    Span span = null;
    Context context = parent != null ? parent.context : Context.current();
    if (tracer != null) {
      span = startSpan(tracer, stage, model, parentStage == null, context);
      context = context.with(span);
    }
    StageRecord record =
        new StageRecord(stage, model, System.nanoTime(), stageMeters, span, context);
    stages.put(stage.id(), record);
    if (stageMeters != null) {
      stageMeters.inFlight().incrementAndGet();
    }
  }

  private static Span startSpan(
      Tracer tracer, Stage stage, @Nullable ModelCall model, boolean outermost, Context parent) {
    SpanBuilder builder;
    if (model != null) {
      builder =
          tracer
              .spanBuilder(model.spanName())
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute(GenAi.OPERATION_NAME, model.operation())
              .setAttribute(GenAi.PROVIDER_NAME, model.provider())
              .setAttribute(GenAi.REQUEST_MODEL, model.requestModel());
    } else if (stage.root() && outermost) {
      builder =
          tracer
              .spanBuilder(GenAi.INVOKE_WORKFLOW + " " + stage.name())
              .setSpanKind(SpanKind.INTERNAL)
              .setAttribute(GenAi.OPERATION_NAME, GenAi.INVOKE_WORKFLOW)
              .setAttribute(GenAi.WORKFLOW_NAME, stage.name());
    } else {
      builder = tracer.spanBuilder(stage.name()).setSpanKind(SpanKind.INTERNAL);
    }
    return builder
        .setParent(parent)
        .setAttribute(GenAi.PROCESSOR, stage.name())
        .setAttribute(GenAi.RUN_ID, stage.runId())
        .setAttribute(GenAi.STAGE_ID, stage.id())
        .startSpan();
  }

  @Override
  // The tracing scope is closed by the returned binding, on this thread, as the SPI guarantees.
  @SuppressWarnings("MustBeClosedChecker")
  public Binding bind(Stage stage) {
    StageRecord record = stages.get(stage.id());
    if (record == null) {
      return Binding.NONE;
    }
    io.opentelemetry.context.Scope scope = tracer == null ? null : record.context.makeCurrent();
    String runBefore = null;
    String stageBefore = null;
    String idBefore = null;
    if (mdc) {
      runBefore = MDC.get(MDC_RUN_ID);
      stageBefore = MDC.get(MDC_STAGE);
      idBefore = MDC.get(MDC_STAGE_ID);
      MDC.put(MDC_RUN_ID, Long.toString(stage.runId()));
      MDC.put(MDC_STAGE, stage.name());
      MDC.put(MDC_STAGE_ID, Long.toString(stage.id()));
    }
    String run = runBefore;
    String name = stageBefore;
    String id = idBefore;
    return () -> {
      if (mdc) {
        restore(MDC_RUN_ID, run);
        restore(MDC_STAGE, name);
        restore(MDC_STAGE_ID, id);
      }
      if (scope != null) {
        scope.close();
      }
    };
  }

  private static void restore(String key, @Nullable String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /**
   * A model's stage tells every part (tokens, time to first chunk, captured content); another
   * traced stage tells only function calls and responses (for its tool spans); every other part is
   * only counted, which is what keeps observing a chain of cheap stages cheap.
   */
  @Override
  public Predicate<ProcessorPart> partsToReport(Stage stage) {
    StageRecord record = stages.get(stage.id());
    if (record == null) {
      return NO_PART;
    }
    if (record.model != null) {
      return EVERY_PART;
    }
    if (record.span != null) {
      return Observability::isToolPart;
    }
    return NO_PART;
  }

  private static boolean isToolPart(ProcessorPart part) {
    return part.isFunctionCall() || part.isFunctionResponse();
  }

  @Override
  public void onCounts(Stage stage, long inputs, long outputs) {
    StageRecord record = stages.get(stage.id());
    if (record == null || record.meters == null) {
      return;
    }
    if (inputs > 0) {
      record.meters.partsIn().increment((double) inputs);
    }
    if (outputs > 0) {
      record.meters.partsOut().increment((double) outputs);
    }
  }

  @Override
  public void onInput(Stage stage, ProcessorPart part) {
    StageRecord record = stages.get(stage.id());
    if (record == null) {
      return;
    }
    if (record.meters != null) {
      record.meters.partsIn().increment();
    }
    if (record.span != null && part.isFunctionCall()) {
      record.callRead(part.functionCall(), epochNanos());
    }
    if (captureContent && record.model != null) {
      record.capture(part, true);
    }
  }

  @Override
  public void onPart(Stage stage, ProcessorPart part) {
    StageRecord record = stages.get(stage.id());
    if (record == null) {
      return;
    }
    if (record.meters != null) {
      record.meters.partsOut().increment();
    }
    if (record.model != null && !RunConfig.current().isReserved(part.substreamName())) {
      record.modelPart(part, System.nanoTime());
      if (captureContent) {
        record.capture(part, false);
      }
    }
    if (record.span != null && part.isFunctionResponse()) {
      toolSpan(record, part.functionResponse());
    }
  }

  /** An {@code execute_tool} span for a call the stage read and has now answered. */
  private void toolSpan(StageRecord record, FunctionResponse response) {
    StageRecord.PendingCall call = record.answered(response.id());
    if (call == null || tracer == null) {
      return;
    }
    Span span =
        tracer
            .spanBuilder(GenAi.EXECUTE_TOOL + " " + call.name())
            .setParent(record.context)
            .setSpanKind(SpanKind.INTERNAL)
            .setStartTimestamp(call.epochNanos(), TimeUnit.NANOSECONDS)
            .setAttribute(GenAi.OPERATION_NAME, GenAi.EXECUTE_TOOL)
            .setAttribute(GenAi.TOOL_NAME, call.name())
            .setAttribute(GenAi.TOOL_TYPE, "function")
            .setAttribute(GenAi.TOOL_CALL_ID, Objects.requireNonNull(response.id()))
            .startSpan();
    if (response.isError()) {
      span.setStatus(StatusCode.ERROR, "the function failed");
      span.setAttribute(GenAi.ERROR_TYPE, "tool_error");
    }
    span.end();
  }

  @Override
  public void onEnd(Stage stage) {
    finish(stage, null, false);
  }

  @Override
  public void onError(Stage stage, Throwable error) {
    finish(stage, error, false);
  }

  @Override
  public void onCancel(Stage stage) {
    finish(stage, null, true);
  }

  private void finish(Stage stage, @Nullable Throwable error, boolean cancelled) {
    StageRecord record = stages.remove(stage.id());
    if (record == null) {
      return;
    }
    long nanos = System.nanoTime() - record.startNanos;
    String errorType =
        error != null ? error.getClass().getName() : cancelled ? "cancelled" : GenAi.NO_ERROR;
    ModelCall model = record.model;
    ProcessorPart last = model == null ? null : record.finalPart();
    TokenUsage usage = last == null ? null : TokenUsage.of(last).orElse(null);
    String responseModel =
        last != null && last.metadata(ModelOutput.MODEL) instanceof String m ? m : null;
    Span span = record.span;
    if (span != null) {
      if (model != null) {
        describeModelCall(span, record, last, usage, responseModel);
      }
      if (error != null) {
        span.setStatus(StatusCode.ERROR, errorType);
        span.setAttribute(GenAi.ERROR_TYPE, errorType);
        if (captureContent) {
          span.recordException(error);
        }
      } else if (cancelled) {
        span.setAttribute(GenAi.CANCELLED, true);
      }
      span.end();
    }
    Meters.StageMeters stageMeters = record.meters;
    if (meters != null && stageMeters != null) {
      stageMeters.inFlight().decrementAndGet();
      String outcome = error != null ? "error" : cancelled ? "cancelled" : "success";
      meters.stageEnded(stage.name(), nanos, outcome, errorType);
      if (model != null) {
        meters.modelCall(
            model,
            responseModel != null ? responseModel : model.requestModel(),
            usage,
            nanos,
            record.firstChunkNanos(),
            errorType);
      }
    }
  }

  private void describeModelCall(
      Span span,
      StageRecord record,
      @Nullable ProcessorPart last,
      @Nullable TokenUsage usage,
      @Nullable String responseModel) {
    long firstChunk = record.firstChunkNanos();
    if (firstChunk >= 0) {
      span.setAttribute(GenAi.TIME_TO_FIRST_CHUNK, firstChunk / 1e9);
    }
    if (responseModel != null) {
      span.setAttribute(GenAi.RESPONSE_MODEL, responseModel);
    }
    String finishReason = null;
    if (last != null) {
      if (last.metadata(ModelOutput.RESPONSE_ID) instanceof String id) {
        span.setAttribute(GenAi.RESPONSE_ID, id);
      }
      if (last.metadata(ModelOutput.FINISH_REASON) instanceof String reason) {
        finishReason = reason;
        span.setAttribute(GenAi.FINISH_REASONS, List.of(reason));
      }
    }
    if (usage != null) {
      span.setAttribute(GenAi.INPUT_TOKENS, usage.promptTokens());
      span.setAttribute(GenAi.OUTPUT_TOKENS, usage.completionTokens());
      if (usage.cachedTokens() > 0) {
        span.setAttribute(GenAi.CACHE_READ_TOKENS, usage.cachedTokens());
      }
      if (usage.cacheCreationTokens() > 0) {
        span.setAttribute(GenAi.CACHE_CREATION_TOKENS, usage.cacheCreationTokens());
      }
      if (usage.reasoningTokens() > 0) {
        span.setAttribute(GenAi.REASONING_TOKENS, usage.reasoningTokens());
      }
    }
    if (captureContent) {
      String input = record.captured(true);
      if (input != null) {
        span.setAttribute(GenAi.INPUT_MESSAGES, Messages.json("user", input, null));
      }
      String output = record.captured(false);
      if (output != null) {
        span.setAttribute(GenAi.OUTPUT_MESSAGES, Messages.json("assistant", output, finishReason));
      }
    }
  }

  @Override
  public void onEvent(Stage stage, String kind, Map<String, ?> attributes) {
    Stage at = stage.id() != 0 ? stage : stage.parent();
    StageRecord record = at == null ? null : stages.get(at.id());
    if (record != null && record.span != null) {
      record.span.addEvent(kind, eventAttributes(stage, attributes));
    }
    if (meters != null) {
      meters.event(stage.name(), kind, attributes);
    }
  }

  /** Numbers and booleans as they are; strings only when they are names, or content is on. */
  private Attributes eventAttributes(Stage stage, Map<String, ?> attributes) {
    AttributesBuilder builder = Attributes.builder();
    if (stage.id() == 0) {
      // Reported by a processor inside the stage under a name of its own.
      builder.put(GenAi.PROCESSOR, stage.name());
    }
    attributes.forEach(
        (key, value) -> {
          if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            builder.put(key, ((Number) value).longValue());
          } else if (value instanceof Number number) {
            builder.put(key, number.doubleValue());
          } else if (value instanceof Boolean flag) {
            builder.put(key, flag);
          } else if (value instanceof String text
              && (captureContent || NAME_ATTRIBUTES.contains(key))) {
            builder.put(key, text);
          }
        });
    return builder.build();
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }

  /** Settings of an {@link Observability}; every one optional. */
  public static final class Builder {
    private @Nullable OpenTelemetry openTelemetry;
    private @Nullable MeterRegistry meterRegistry;
    private boolean mdc = true;
    private boolean captureContent;

    private Builder() {}

    /** Traces through this OpenTelemetry (the SDK or agent the application set up). */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /** Records metrics in this registry. */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /** Whether the run and stage ids go into SLF4J's MDC inside processors (default on). */
    public Builder mdc(boolean mdc) {
      this.mdc = mdc;
      return this;
    }

    /**
     * Whether model spans carry the prompt and the answer, and failed spans their exception
     * (default off: content may hold personal data).
     */
    public Builder captureContent(boolean captureContent) {
      this.captureContent = captureContent;
      return this;
    }

    /**
     * The observability.
     *
     * @throws IllegalStateException when it would observe nothing: no tracing, no metrics and no
     *     MDC
     */
    public Observability build() {
      if (openTelemetry == null && meterRegistry == null && !mdc) {
        throw new IllegalStateException(
            "an Observability needs openTelemetry, meterRegistry or mdc, but none was given");
      }
      return new Observability(this);
    }
  }
}
