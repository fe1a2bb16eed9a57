package dev.genaiprocessors.config.types;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.config.Default;
import dev.genaiprocessors.config.Max;
import dev.genaiprocessors.config.Min;
import dev.genaiprocessors.config.ProcessorType;
import dev.genaiprocessors.resilience.BulkheadConfig;
import dev.genaiprocessors.resilience.CircuitBreakerConfig;
import dev.genaiprocessors.resilience.RateLimitConfig;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.resilience.RetryConfig;
import dev.genaiprocessors.resilience.TimeoutConfig;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code resilience}: the {@code processor} it wraps under a {@code Resilience} (retry, rate limit,
 * circuit breaker, bulkhead, timeouts), per part for a part processor, per run otherwise.
 */
public final class ResilienceType implements ProcessorType<ResilienceType.Settings> {
  /**
   * Retries.
   *
   * @param maxAttempts attempts in all, the first included
   * @param initialBackoff the wait before the first retry
   * @param multiplier how much each wait grows
   * @param maxWait the longest single wait
   */
  public record Retry(
      @Min(1) @Default("5") int maxAttempts,
      @Nullable Duration initialBackoff,
      @Min(1) @Nullable Double multiplier,
      @Nullable Duration maxWait) {}

  /**
   * A rate limit.
   *
   * @param requests how many calls
   * @param per in how long
   */
  public record RateLimit(@Min(1) int requests, @Default("1s") Duration per) {}

  /**
   * Timeouts.
   *
   * @param firstPart the most the first part may take
   * @param betweenParts the most between two parts
   */
  public record Timeout(@Nullable Duration firstPart, @Nullable Duration betweenParts) {}

  /**
   * A circuit breaker.
   *
   * @param failureRateThreshold the failure percentage that opens it
   * @param slidingWindowSize how many calls it looks at
   * @param minimumCalls calls needed before it may open
   * @param waitInOpenState how long it stays open
   */
  public record CircuitBreaker(
      @Min(1) @Max(100) @Nullable Float failureRateThreshold,
      @Min(1) @Nullable Integer slidingWindowSize,
      @Min(1) @Nullable Integer minimumCalls,
      @Nullable Duration waitInOpenState) {}

  /**
   * The settings of a resilience decorator; each part is off unless given.
   *
   * @param name its name, in events and messages
   * @param retry retries
   * @param rateLimit a rate limit
   * @param timeout timeouts
   * @param circuitBreaker a circuit breaker
   * @param maxConcurrentCalls a bulkhead: the most calls at once
   * @param statusParts whether its events are also emitted as status parts
   */
  public record Settings(
      @Default("resilience") String name,
      @Nullable Retry retry,
      @Nullable RateLimit rateLimit,
      @Nullable Timeout timeout,
      @Nullable CircuitBreaker circuitBreaker,
      @Min(1) @Nullable Integer maxConcurrentCalls,
      @Default("false") boolean statusParts) {}

  /**
   * The type; found by {@link java.util.ServiceLoader}.
   *
   * @throws IllegalStateException when the {@code resilience} module is missing
   */
  public ResilienceType() {
    Modules.require("dev.genaiprocessors.resilience.Resilience", "dev.genaiprocessors.resilience");
  }

  @Override
  public String name() {
    return "resilience";
  }

  @Override
  public Class<Settings> settingsType() {
    return Settings.class;
  }

  @Override
  public boolean wrapsProcessor() {
    return true;
  }

  @Override
  public String description() {
    return "Retry, rate limit, circuit breaker, bulkhead and timeouts around the processor it wraps.";
  }

  @Override
  public Object create(Settings s, @Nullable Object wrapped) {
    Objects.requireNonNull(wrapped, "wrapped");
    Resilience.Builder builder = Resilience.builder(s.name()).statusParts(s.statusParts());
    Retry retry = s.retry();
    if (retry != null) {
      RetryConfig.Builder r = RetryConfig.builder().maxAttempts(retry.maxAttempts());
      Duration initialBackoff = retry.initialBackoff();
      if (initialBackoff != null) {
        r.initialBackoff(initialBackoff);
      }
      Double multiplier = retry.multiplier();
      if (multiplier != null) {
        r.multiplier(multiplier);
      }
      Duration maxWait = retry.maxWait();
      if (maxWait != null) {
        r.maxWait(maxWait);
      }
      builder.retry(r.build());
    }
    RateLimit limit = s.rateLimit();
    if (limit != null) {
      builder.rateLimit(RateLimitConfig.of(limit.requests(), limit.per()));
    }
    Timeout timeout = s.timeout();
    if (timeout != null) {
      builder.timeout(new TimeoutConfig(timeout.firstPart(), timeout.betweenParts()));
    }
    CircuitBreaker circuit = s.circuitBreaker();
    if (circuit != null) {
      CircuitBreakerConfig.Builder c = CircuitBreakerConfig.builder();
      Float failureRateThreshold = circuit.failureRateThreshold();
      if (failureRateThreshold != null) {
        c.failureRateThreshold(failureRateThreshold);
      }
      Integer slidingWindowSize = circuit.slidingWindowSize();
      if (slidingWindowSize != null) {
        c.slidingWindowSize(slidingWindowSize);
      }
      Integer minimumCalls = circuit.minimumCalls();
      if (minimumCalls != null) {
        c.minimumCalls(minimumCalls);
      }
      Duration waitInOpenState = circuit.waitInOpenState();
      if (waitInOpenState != null) {
        c.waitInOpenState(waitInOpenState);
      }
      builder.circuitBreaker(c.build());
    }
    Integer maxConcurrentCalls = s.maxConcurrentCalls();
    if (maxConcurrentCalls != null) {
      builder.bulkhead(BulkheadConfig.of(maxConcurrentCalls));
    }
    Resilience resilience = builder.build();
    return wrapped instanceof PartProcessor part
        ? resilience.decorate(part)
        : resilience.decorate((Processor) wrapped);
  }
}
