package dev.genaiprocessors.resilience;

import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunEvents;
import dev.genaiprocessors.model.RetryAdvice;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The engine behind every decorated processor: runs one call as a series of attempts under the
 * circuit breaker, rate limit, token budget, bulkhead, timeouts and retry policy of one {@link
 * Resilience}. One call of a {@code PartProcessor} is one part; one call of a {@code Processor} is
 * one run over its input.
 *
 * <p>Order per attempt, outermost first (as Resilience4j recommends): circuit breaker, rate limit
 * and token budget, bulkhead, timeouts, the attempt. The retry loop wraps them all.
 */
final class Guard {

  /**
   * One attempt of a call: writes to {@code sink}, pausing {@code watchdog} while it waits on
   * input.
   */
  @FunctionalInterface
  interface Attempt {
    void run(PartSink sink, Watchdog watchdog) throws Exception;
  }

  private final String name;
  private final @Nullable RetryConfig retry;
  private final @Nullable RateLimiter requests;
  private final @Nullable TokenBudget tokens;
  private final @Nullable ToLongFunction<ProcessorPart> tokenCounter;
  private final Duration rateLimitMaxWait;
  private final @Nullable CircuitBreaker breaker;
  private final @Nullable Bulkhead bulkhead;
  private final @Nullable TimeoutConfig timeouts;
  private final boolean statusParts;
  private final List<ResilienceListener> listeners;
  private final Clock clock;
  private final Sleeper sleeper;
  private final @Nullable Random jitterRandom;

  /**
   * The circuit state last reported. Changes are found by comparing, not by subscribing to
   * Resilience4j's events: with a subscriber it builds an event (and reads the wall clock) for
   * every call, which costs more than the rest of the guard.
   */
  private final java.util.concurrent.atomic.AtomicReference<CircuitBreaker.State> reported =
      new java.util.concurrent.atomic.AtomicReference<>(CircuitBreaker.State.CLOSED);

  Guard(
      String name,
      @Nullable RetryConfig retry,
      @Nullable RateLimitConfig rateLimit,
      @Nullable CircuitBreakerConfig circuitBreaker,
      @Nullable BulkheadConfig bulkheadConfig,
      @Nullable TimeoutConfig timeouts,
      boolean statusParts,
      List<ResilienceListener> listeners,
      Clock clock,
      Sleeper sleeper) {
    this.name = name;
    this.retry = retry;
    this.timeouts = timeouts;
    this.statusParts = statusParts;
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
    this.sleeper = sleeper;
    Long seed = retry == null ? null : retry.jitterSeed();
    this.jitterRandom = seed == null ? null : new Random(seed);
    if (rateLimit != null && rateLimit.requests() > 0) {
      this.requests =
          RateLimiter.of(
              name,
              io.github.resilience4j.ratelimiter.RateLimiterConfig.custom()
                  .limitForPeriod(rateLimit.requests())
                  .limitRefreshPeriod(rateLimit.per())
                  .timeoutDuration(rateLimit.maxWait())
                  .build());
    } else {
      this.requests = null;
    }
    this.tokens =
        rateLimit != null && rateLimit.tokensPerMinute() > 0
            ? new TokenBudget(rateLimit.tokensPerMinute(), clock)
            : null;
    this.tokenCounter = tokens == null || rateLimit == null ? null : rateLimit.tokenCounter();
    this.rateLimitMaxWait = rateLimit == null ? Duration.ZERO : rateLimit.maxWait();
    this.breaker = circuitBreaker == null ? null : circuitBreaker(name, circuitBreaker, clock);
    this.bulkhead =
        bulkheadConfig == null
            ? null
            : Bulkhead.of(
                name,
                io.github.resilience4j.bulkhead.BulkheadConfig.custom()
                    .maxConcurrentCalls(bulkheadConfig.maxConcurrentCalls())
                    .maxWaitDuration(bulkheadConfig.maxWait())
                    .build());
  }

  private static CircuitBreaker circuitBreaker(String name, CircuitBreakerConfig c, Clock clock) {
    return CircuitBreaker.of(
        name,
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
            .failureRateThreshold(c.failureRateThreshold())
            .slowCallRateThreshold(c.slowCallRateThreshold())
            .slowCallDurationThreshold(c.slowCallDuration())
            .slidingWindowSize(c.slidingWindowSize())
            // Every attempt records its outcome here: lock-free keeps many parts in flight moving.
            .slidingWindowSynchronizationStrategy(
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig
                    .SlidingWindowSynchronizationStrategy.LOCK_FREE)
            .minimumNumberOfCalls(c.minimumCalls())
            .waitDurationInOpenState(c.waitInOpenState())
            .permittedNumberOfCallsInHalfOpenState(c.halfOpenCalls())
            .recordException(c.recordFailure())
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .writableStackTraceEnabled(false)
            .clock(clock)
            .build());
  }

  String name() {
    return name;
  }

  boolean retries() {
    return retry != null && retry.maxAttempts() > 1;
  }

  /** The most attempts of one call, the first included (1 without retry). */
  int maxAttempts() {
    return retry == null ? 1 : retry.maxAttempts();
  }

  @Nullable CircuitBreaker breaker() {
    return breaker;
  }

  /**
   * Runs one call of {@code processor} to the end: attempts it, retries it while the rules allow
   * and none of its parts has reached {@code output}, and throws the failure it ends with.
   */
  void execute(String processor, Attempt attempt, PartSink output) throws Exception {
    int maxAttempts = retry == null ? 1 : retry.maxAttempts();
    Duration waited = Duration.ZERO;
    List<Throwable> earlier = List.of();
    for (int n = 1; ; n++) {
      Throwable failure;
      boolean delivered;
      try {
        AttemptSink sink = new AttemptSink(output, tokenCounter);
        failure = guarded(processor, n, attempt, sink, output);
        if (failure == null) {
          return;
        }
        delivered = sink.delivered;
      } catch (RejectedCallException rejected) {
        throw withEarlier(rejected, earlier);
      }
      if (failure instanceof Error fatal) {
        throw fatal;
      }
      if (delivered || n >= maxAttempts || retry == null) {
        throw withEarlier(failure, earlier);
      }
      boolean retryable = RetryHints.retryable(failure) || retry.retryOn().test(failure);
      if (!retryable) {
        throw withEarlier(failure, earlier);
      }
      Duration wait;
      try {
        wait = nextWait(processor, n, failure, output);
      } catch (RejectedCallException rejected) {
        throw withEarlier(rejected, earlier);
      }
      if (waited.plus(wait).compareTo(retry.maxTotalWait()) > 0) {
        throw withEarlier(failure, earlier);
      }
      report(
          new ResilienceEvent(
              name,
              processor,
              ResilienceEvent.Kind.RETRY,
              n,
              wait,
              failure,
              "retrying '"
                  + processor
                  + "' (attempt "
                  + (n + 1)
                  + " of "
                  + maxAttempts
                  + ") in "
                  + human(wait)
                  + " after "
                  + brief(failure)),
          output);
      if (earlier.isEmpty()) {
        earlier = new ArrayList<>();
      }
      earlier.add(failure);
      sleeper.sleep(wait);
      waited = waited.plus(wait);
    }
  }

  /**
   * One attempt under the circuit breaker, the limits, the bulkhead and the timeouts: null when it
   * succeeded, else its failure (a timeout replacing what the interrupted attempt threw).
   *
   * @throws RejectedCallException when the circuit, the limits or the bulkhead refuse it
   * @throws Exception cancellation, and failures of whoever reads the output, as they are
   */
  private @Nullable Throwable guarded(
      String processor, int n, Attempt attempt, AttemptSink sink, PartSink output)
      throws Exception {
    boolean permitted = acquireCircuit(processor, n, output);
    boolean settled = !permitted;
    try {
      awaitRateLimit(processor, n, output);
      acquireBulkhead(processor, n, output);
      Throwable failure = null;
      long start = System.nanoTime();
      try {
        Watchdog watchdog = Watchdog.watch(timeouts, processor);
        sink.watchdog = watchdog;
        try {
          attempt.run(sink, watchdog);
        } catch (Throwable e) {
          failure = e;
        } finally {
          watchdog.close();
        }
        PartTimeoutException timeout = watchdog.fired();
        if (timeout != null && failure != null && sink.downstream == null) {
          timeout.addSuppressed(failure);
          failure = timeout;
          report(
              new ResilienceEvent(
                  name,
                  processor,
                  ResilienceEvent.Kind.TIMEOUT,
                  n,
                  Duration.ZERO,
                  timeout,
                  "attempt " + n + " of '" + processor + "' timed out: " + timeout.getMessage()),
              output);
        }
      } finally {
        if (bulkhead != null) {
          bulkhead.onComplete();
        }
      }
      long elapsed = System.nanoTime() - start;
      if (tokens != null) {
        tokens.spend(sink.tokens.get());
      }
      if (failure == null) {
        settled = true;
        if (breaker != null) {
          breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
          drain(processor, output);
        }
        return null;
      }
      if (sink.downstream != null || isCancellation(failure)) {
        // Not this endpoint's doing: neither a success nor a failure of the circuit.
        throw failure instanceof Exception e ? e : new CancellationException(failure.toString());
      }
      settled = true;
      if (breaker != null) {
        breaker.onError(elapsed, TimeUnit.NANOSECONDS, failure);
        drain(processor, output);
      }
      return failure;
    } finally {
      if (!settled && breaker != null) {
        breaker.releasePermission();
      }
    }
  }

  private static boolean isCancellation(Throwable failure) {
    return failure instanceof CancellationException
        || failure instanceof InterruptedException
        || Thread.currentThread().isInterrupted();
  }

  /** Whether the circuit lets the attempt through; throws when it refuses. */
  private boolean acquireCircuit(String processor, int n, PartSink output) {
    if (breaker == null) {
      return false;
    }
    boolean permitted = breaker.tryAcquirePermission();
    drain(processor, output);
    if (!permitted) {
      throw reject(
          processor,
          n,
          output,
          RejectedCallException.Reason.CIRCUIT_OPEN,
          "circuit '"
              + name
              + "' is open: calls to '"
              + processor
              + "' are refused until it half-opens",
          null);
    }
    return true;
  }

  private void awaitRateLimit(String processor, int n, PartSink output)
      throws InterruptedException {
    if (requests != null) {
      long nanos = requests.reservePermission();
      if (nanos < 0) {
        throw reject(
            processor,
            n,
            output,
            RejectedCallException.Reason.RATE_LIMITED,
            "rate limit '"
                + name
                + "' would make '"
                + processor
                + "' wait more than "
                + human(rateLimitMaxWait),
            null);
      }
      if (nanos > 0) {
        await(processor, n, Duration.ofNanos(nanos), "the rate limit", output);
      }
    }
    if (tokens != null) {
      Duration total = Duration.ZERO;
      for (Duration wait = tokens.waitNeeded(); !wait.isZero(); wait = tokens.waitNeeded()) {
        total = total.plus(wait);
        if (total.compareTo(rateLimitMaxWait) > 0) {
          throw reject(
              processor,
              n,
              output,
              RejectedCallException.Reason.RATE_LIMITED,
              "token budget '"
                  + name
                  + "' would make '"
                  + processor
                  + "' wait more than "
                  + human(rateLimitMaxWait),
              null);
        }
        await(processor, n, wait, "the token budget", output);
      }
    }
  }

  private void await(String processor, int n, Duration wait, String what, PartSink output)
      throws InterruptedException {
    report(
        new ResilienceEvent(
            name,
            processor,
            ResilienceEvent.Kind.WAIT,
            n,
            wait,
            null,
            "'" + processor + "' waits " + human(wait) + " for " + what + " of '" + name + "'"),
        output);
    sleeper.sleep(wait);
  }

  private void acquireBulkhead(String processor, int n, PartSink output) {
    if (bulkhead == null) {
      return;
    }
    if (!bulkhead.tryAcquirePermission()) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("cancelled while waiting for bulkhead '" + name + "'");
      }
      throw reject(
          processor,
          n,
          output,
          RejectedCallException.Reason.BULKHEAD_FULL,
          "bulkhead '"
              + name
              + "' is full: "
              + bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
              + " calls in flight",
          null);
    }
  }

  private RejectedCallException reject(
      String processor,
      int n,
      PartSink output,
      RejectedCallException.Reason reason,
      String message,
      @Nullable Throwable cause) {
    RejectedCallException rejected = new RejectedCallException(reason, message, cause);
    report(
        new ResilienceEvent(
            name, processor, ResilienceEvent.Kind.REJECTED, n, Duration.ZERO, rejected, message),
        output);
    return rejected;
  }

  /**
   * The wait before retrying after attempt {@code n} failed with {@code failure}: the server's
   * hint, else the backoff.
   *
   * @throws RejectedCallException when the server's quota will not come back within {@code maxWait}
   */
  private Duration nextWait(String processor, int n, Throwable failure, PartSink output) {
    RetryConfig config = Objects.requireNonNull(retry, "nextWait without a retry policy");
    RetryAdvice advice = failure instanceof HttpStatusException ? null : RetryAdvice.of(failure);
    if (advice != null && advice.retryAfter() != null) {
      Duration hint = advice.retryAfter();
      if (hint.compareTo(config.maxWait()) > 0) {
        throw reject(
            processor,
            n,
            output,
            RejectedCallException.Reason.QUOTA_EXHAUSTED,
            "not retrying '"
                + processor
                + "': the server asks to wait "
                + human(hint)
                + ", more than maxWait "
                + human(config.maxWait()),
            failure);
      }
      return hint;
    }
    if (failure instanceof HttpStatusException http) {
      String exhausted = RetryHints.exhaustedQuota(http);
      if (exhausted != null) {
        throw reject(
            processor,
            n,
            output,
            RejectedCallException.Reason.QUOTA_EXHAUSTED,
            "not retrying '" + processor + "': " + exhausted,
            http);
      }
      Duration hint = RetryHints.serverWait(http, clock);
      if (hint != null) {
        if (hint.compareTo(config.maxWait()) > 0) {
          throw reject(
              processor,
              n,
              output,
              RejectedCallException.Reason.QUOTA_EXHAUSTED,
              "not retrying '"
                  + processor
                  + "': the server asks to wait "
                  + human(hint)
                  + ", more than maxWait "
                  + human(config.maxWait()),
              http);
        }
        return hint;
      }
    }
    double backoff = config.initialBackoff().toNanos() * Math.pow(config.multiplier(), n - 1);
    double capped = Math.min(backoff, (double) config.maxWait().toNanos());
    double random =
        jitterRandom != null ? jitterRandom.nextDouble() : ThreadLocalRandom.current().nextDouble();
    return Duration.ofNanos((long) (capped * (1 - config.jitter() * random)));
  }

  /** Reports a change of the circuit since the last report, once, on the thread that sees it. */
  private void drain(String processor, PartSink output) {
    CircuitBreaker circuit = breaker;
    if (circuit == null) {
      return;
    }
    CircuitBreaker.State now = circuit.getState();
    CircuitBreaker.State before = reported.get();
    if (now == before || !reported.compareAndSet(before, now)) {
      return;
    }
    ResilienceEvent.Kind kind;
    String state;
    switch (now) {
      case OPEN, FORCED_OPEN -> {
        kind = ResilienceEvent.Kind.CIRCUIT_OPENED;
        state = "opened";
      }
      case HALF_OPEN -> {
        kind = ResilienceEvent.Kind.CIRCUIT_HALF_OPENED;
        state = "half-opened";
      }
      case CLOSED -> {
        kind = ResilienceEvent.Kind.CIRCUIT_CLOSED;
        state = "closed";
      }
      default -> {
        return;
      }
    }
    report(
        new ResilienceEvent(
            name, processor, kind, 0, Duration.ZERO, null, "circuit '" + name + "' " + state),
        output);
  }

  private void report(ResilienceEvent event, PartSink output) {
    for (ResilienceListener listener : listeners) {
      listener.onEvent(event);
    }
    RunEvents.report(
        event.processor(),
        event.kind().name().toLowerCase(java.util.Locale.ROOT),
        event.metadata());
    if (statusParts) {
      output.emit(
          Processor.status(ProcessorPart.text(event.message()).withMetadata(event.metadata())));
    }
  }

  /**
   * {@code failure}, to be thrown, with the failures of earlier attempts attached as suppressed.
   */
  private static Exception withEarlier(Throwable failure, List<Throwable> earlier) {
    for (Throwable e : earlier) {
      if (e != failure) {
        failure.addSuppressed(e);
      }
    }
    if (failure instanceof Error fatal) {
      throw fatal;
    }
    return (Exception) failure;
  }

  static String brief(Throwable failure) {
    String message = failure.getMessage();
    String text = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return text.length() > 160 ? text.substring(0, 160) + "..." : text;
  }

  static String human(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 120_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return duration.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /**
   * The caller's output, remembering whether a part reached it and what tokens the parts report.
   */
  static final class AttemptSink implements PartSink {
    private final PartSink output;
    private final @Nullable ToLongFunction<ProcessorPart> tokenCounter;
    final AtomicLong tokens = new AtomicLong();
    Watchdog watchdog = Watchdog.NONE;
    volatile boolean delivered;
    volatile @Nullable RuntimeException downstream;

    AttemptSink(PartSink output, @Nullable ToLongFunction<ProcessorPart> tokenCounter) {
      this.output = output;
      this.tokenCounter = tokenCounter;
    }

    @Override
    public void emit(ProcessorPart part) {
      if (tokenCounter != null) {
        long used = tokenCounter.applyAsLong(part);
        if (used > 0) {
          tokens.accumulateAndGet(used, Math::max);
        }
      }
      delivered = true;
      watchdog.pause();
      try {
        output.emit(part);
      } catch (RuntimeException e) {
        downstream = e;
        throw e;
      } finally {
        watchdog.resume(true);
      }
    }
  }
}
