package dev.genaiprocessors.resilience;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.SdkRetries;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The resilience decorator: retry, rate limit, token budget, circuit breaker, bulkhead and timeouts
 * around any {@link Processor} or {@link PartProcessor}, in any combination.
 *
 * <p><b>How to get one.</b> Build one per endpoint (an API, a model, a database) and decorate every
 * processor that calls that endpoint with it: they share its rate limit, token budget, bulkhead and
 * circuit, across threads and runs.
 *
 * <pre>{@code
 * Resilience openAi = Resilience.builder("openai")
 *     .retry(RetryConfig.defaults())
 *     .rateLimit(RateLimitConfig.of(500, Duration.ofMinutes(1)).withTokensPerMinute(200_000))
 *     .circuitBreaker(CircuitBreakerConfig.defaults())
 *     .timeout(TimeoutConfig.toFirstPart(Duration.ofSeconds(30)).withBetweenParts(Duration.ofSeconds(10)))
 *     .build();
 * Processor model = openAi.decorate(chatModel);       // one call = one run over the input
 * PartProcessor lookup = openAi.decorate(httpLookup);  // one call = one part
 * }</pre>
 *
 * <p><b>What a call is.</b> For a {@link PartProcessor}, one part; parts are guarded (and retried)
 * one by one, each concurrently with the others. For a {@link Processor}, one run over its whole
 * input; a retry replays the input read so far (kept in memory while retries are possible), so
 * decorate the smallest processor that talks to the endpoint.
 *
 * <p><b>Guarantees.</b> A call is retried only while none of its parts has reached the caller: a
 * failure after the first part reaches the caller after the parts delivered, never duplicating one
 * (see {@link RetryConfig}). Nothing is dropped: calls over the rate limit wait. A failure reaches
 * the caller as the core reports any failure: the last attempt's exception itself when unchecked
 * (earlier attempts' failures suppressed in it), a {@link dev.genaiprocessors.ProcessorException}
 * carrying it when checked, the decorated processor named either way ({@link
 * dev.genaiprocessors.ProcessorException#stageOf}); the decorators' own refusals are {@link
 * RejectedCallException}s and their timeouts {@link PartTimeoutException}s. Cancellation (closing
 * the stream) interrupts waits and attempts alike, and counts as neither a success nor a failure of
 * the circuit.
 *
 * <p><b>Which layer retries.</b> The model processors' SDKs can retry by themselves ({@code
 * OpenAiModel} and {@code AnthropicModel} twice by default, {@code GeminiModel} not unless asked);
 * under a retrying resilience that would multiply the requests (5 attempts over 3 SDK tries: 15
 * requests). So {@link #decorate(Processor)} keeps one layer: decorating a model whose builder left
 * {@code maxRetries} unset turns its SDK's retries off (this resilience retries, honouring the
 * vendor's hints), and decorating one built with {@code maxRetries} above 0 is refused with an
 * {@link IllegalArgumentException}. Undecorated, a model keeps its SDK's retries. This works on the
 * model itself ({@link SdkRetries}): a model inside a chain or another wrapper is not seen, so
 * build it with {@code maxRetries(0)} when you decorate the chain.
 *
 * <p><b>Observing it.</b> Every retry, wait, timeout, rejection and circuit change is a {@link
 * ResilienceEvent} told to the {@link ResilienceListener}s and, with {@link Builder#statusParts},
 * emitted into the call's output as a part on the {@code status} substream (which the run's {@link
 * dev.genaiprocessors.ProcessorInterceptor}s see like any part).
 *
 * <p>A decorated processor keeps the name (and, for a part processor, the {@code match}) of the one
 * it decorates. Instances are immutable and thread-safe.
 */
public final class Resilience {
  private static final Resilience NONE = new Resilience("none", null, "Resilience[none]");

  private final String name;
  private final @Nullable Guard guard;
  private final String description;

  private Resilience(String name, @Nullable Guard guard, String description) {
    this.name = name;
    this.guard = guard;
    this.description = description;
  }

  /** A builder of a resilience named {@code name} (used in events and messages). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The resilience that decorates nothing: {@code decorate} returns its argument. */
  public static Resilience none() {
    return NONE;
  }

  /** Its name. */
  public String name() {
    return name;
  }

  /**
   * {@code processor} under this resilience; one call is one run over its input.
   *
   * <p>When this resilience retries and {@code processor} is a model whose SDK retries by itself
   * ({@link SdkRetries}), exactly one layer must retry: a model left at its SDK's default retries
   * is decorated as {@link SdkRetries#withoutSdkRetries() its copy with them off}, and a model
   * built with {@code maxRetries} above 0 is refused.
   *
   * @throws IllegalArgumentException when this resilience retries and {@code processor}'s SDK
   *     retries too because its builder was given {@code maxRetries} above 0; the message names
   *     both settings
   */
  public Processor decorate(Processor processor) {
    Objects.requireNonNull(processor, "processor");
    Guard g = guard;
    return g == null ? processor : new Decorated(oneLayerOfRetries(processor, g), g);
  }

  /**
   * {@code processor}, or its copy whose SDK does not retry when {@code guard} retries: the two
   * layers would multiply (5 attempts over an SDK trying 3 times send 15 requests).
   */
  private Processor oneLayerOfRetries(Processor processor, Guard g) {
    if (!g.retries() || !(processor instanceof SdkRetries sdk) || sdk.sdkMaxRetries() == 0) {
      return processor;
    }
    if (sdk.sdkMaxRetriesChosen()) {
      throw new IllegalArgumentException(
          "resilience '"
              + name
              + "' retries (RetryConfig"
              + " maxAttempts "
              + g.maxAttempts()
              + ") and "
              + processor.name()
              + " was built with"
              + " maxRetries("
              + sdk.sdkMaxRetries()
              + "), so both layers would retry and multiply"
              + " the requests: build the model with maxRetries(0), or leave maxRetries unset and"
              + " this resilience turns the SDK's retries off, or drop retry from this resilience");
    }
    return sdk.withoutSdkRetries();
  }

  /**
   * {@code processor} under this resilience; one call is one part.
   *
   * <p>Like the core's {@code then}, this pairs with {@link #decorate(Processor)}: a bare lambda
   * fits both, so give it a type ({@code PartProcessor.named("lookup", ...)}).
   */
  @SuppressWarnings("overloads")
  public PartProcessor decorate(PartProcessor processor) {
    Objects.requireNonNull(processor, "processor");
    Guard g = guard;
    return g == null ? processor : new DecoratedPart(processor, g);
  }

  /** The state of the circuit. */
  public enum CircuitState {
    /** Calls pass. */
    CLOSED,
    /** Calls are refused. */
    OPEN,
    /** A few probe calls pass. */
    HALF_OPEN
  }

  /**
   * The present state of its circuit.
   *
   * @throws IllegalStateException when it has no circuit breaker
   */
  public CircuitState circuitState() {
    CircuitBreaker breaker = guard == null ? null : guard.breaker();
    if (breaker == null) {
      throw new IllegalStateException("resilience '" + name + "' has no circuit breaker");
    }
    return switch (breaker.getState()) {
      case OPEN, FORCED_OPEN -> CircuitState.OPEN;
      case HALF_OPEN -> CircuitState.HALF_OPEN;
      default -> CircuitState.CLOSED;
    };
  }

  /** Its name and configs. */
  @Override
  public String toString() {
    return description;
  }

  /** A decorated processor: one call is one run over the input. */
  private record Decorated(Processor processor, Guard guard) implements Processor {
    @Override
    public void call(PartStream input, PartSink output) throws Exception {
      ReplayInput replay = new ReplayInput(input, guard.retries());
      String name = processor.name();
      guard.execute(
          name, (sink, watchdog) -> processor.call(replay.attempt(watchdog), sink), output);
    }

    @Override
    public String name() {
      return processor.name();
    }

    @Override
    public String toString() {
      return guard.name() + "(" + processor.name() + ")";
    }
  }

  /** A decorated part processor: one call is one part. */
  private record DecoratedPart(PartProcessor processor, Guard guard) implements PartProcessor {
    @Override
    public void call(ProcessorPart part, PartSink output) throws Exception {
      guard.execute(processor.name(), (sink, watchdog) -> processor.call(part, sink), output);
    }

    @Override
    public boolean match(ProcessorPart part) {
      return processor.match(part);
    }

    @Override
    public String name() {
      return processor.name();
    }

    @Override
    public String toString() {
      return guard.name() + "(" + processor.name() + ")";
    }
  }

  /**
   * Builds a {@link Resilience}. Every decorator is off until its config is given; the clock and
   * sleeper default to the system's.
   */
  public static final class Builder {
    private final String name;
    private @Nullable RetryConfig retry;
    private @Nullable RateLimitConfig rateLimit;
    private @Nullable CircuitBreakerConfig circuitBreaker;
    private @Nullable BulkheadConfig bulkhead;
    private @Nullable TimeoutConfig timeout;
    private boolean statusParts;
    private final List<ResilienceListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();

    private Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank but was \"" + name + "\"");
      }
      this.name = name;
    }

    /** Retries failed calls as {@code config} says. */
    public Builder retry(RetryConfig config) {
      this.retry = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Limits the rate of calls (and tokens) as {@code config} says. */
    public Builder rateLimit(RateLimitConfig config) {
      this.rateLimit = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Breaks the circuit as {@code config} says. */
    public Builder circuitBreaker(CircuitBreakerConfig config) {
      this.circuitBreaker = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Limits the calls in flight as {@code config} says. */
    public Builder bulkhead(BulkheadConfig config) {
      this.bulkhead = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Times attempts out as {@code config} says. */
    public Builder timeout(TimeoutConfig config) {
      this.timeout = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Whether every event is also emitted into the call's output as a status part (off by default).
     */
    public Builder statusParts(boolean statusParts) {
      this.statusParts = statusParts;
      return this;
    }

    /** Tells {@code listener} of every event. */
    public Builder listener(ResilienceListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The clock the retry (HTTP-dates), token budget and circuit breaker read. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How the retry and the limits wait. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The resilience, with limits and a circuit of its own, shared by everything it decorates. */
    public Resilience build() {
      Guard guard =
          new Guard(
              name,
              retry,
              rateLimit,
              circuitBreaker,
              bulkhead,
              timeout,
              statusParts,
              listeners,
              clock,
              sleeper);
      StringBuilder s = new StringBuilder("Resilience[").append(name);
      if (retry != null) {
        s.append(", retry ").append(retry.maxAttempts()).append(" attempts");
      }
      if (rateLimit != null) {
        s.append(", rate limit ")
            .append(rateLimit.requests())
            .append(" per ")
            .append(rateLimit.per());
        if (rateLimit.tokensPerMinute() > 0) {
          s.append(" and ").append(rateLimit.tokensPerMinute()).append(" tokens per minute");
        }
      }
      if (circuitBreaker != null) {
        s.append(", circuit breaker at ")
            .append(circuitBreaker.failureRateThreshold())
            .append("% failures");
      }
      if (bulkhead != null) {
        s.append(", bulkhead of ").append(bulkhead.maxConcurrentCalls());
      }
      if (timeout != null) {
        s.append(", timeouts ")
            .append(timeout.firstPart())
            .append(" / ")
            .append(timeout.betweenParts());
      }
      return new Resilience(name, guard, s.append(']').toString());
    }
  }
}
