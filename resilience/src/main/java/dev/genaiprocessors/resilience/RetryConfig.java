package dev.genaiprocessors.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * When and how a {@link Resilience} tries a failed call again: exponential backoff with jitter, a
 * cap on each wait and on all waits of a call, and the server's own hints first.
 *
 * <p><b>What is retried:</b> network errors ({@link java.io.IOException}s: refused or cut
 * connections, HTTP timeouts), {@link PartTimeoutException}s, and {@link HttpStatusException}s with
 * 408, 429 or 5xx, or any status with {@code x-should-retry: true}; plus whatever {@link
 * #retryOn()} accepts. Not retried: other 4xx, {@code x-should-retry: false}, {@link
 * RejectedCallException}, and anything else.
 *
 * <p><b>How long it waits:</b> what the server asks ({@code retry-after-ms}, {@code Retry-After} in
 * seconds or as an HTTP-date, Gemini's {@code RetryInfo.retryDelay}), exactly; otherwise {@code
 * initialBackoff * multiplier^(retry - 1)}, capped at {@code maxWait}, less a random share of up to
 * {@code jitter}. When the server asks for more than {@code maxWait}, or says the quota is gone for
 * the day, the call fails at once with {@link RejectedCallException.Reason#QUOTA_EXHAUSTED}. When
 * the next wait would take the call's waits past {@code maxTotalWait}, it gives up.
 *
 * <p><b>Streaming:</b> a call is retried only while none of its parts has reached the caller. After
 * that a failure reaches the caller after the parts already delivered, never duplicating one.
 * Giving up throws the last failure itself, the earlier ones attached as suppressed.
 *
 * <pre>{@code
 * RetryConfig retry = RetryConfig.builder().maxAttempts(4).maxTotalWait(Duration.ofMinutes(1)).build();
 * }</pre>
 *
 * @param maxAttempts the most attempts of one call, the first included (1: no retry)
 * @param initialBackoff the wait before the first retry when the server gives no hint
 * @param multiplier how much each backoff grows over the previous one, at least 1
 * @param maxWait the longest single wait, and the longest server hint honoured
 * @param maxTotalWait the longest all waits of one call may add up to
 * @param jitter the largest share, in [0, 1), randomly taken off a computed backoff
 * @param retryOn further failures to retry (tested after the built-in rules reject one)
 * @param jitterSeed the seed of the jitter's random numbers, for repeatable tests; null for none
 */
public record RetryConfig(
    int maxAttempts,
    Duration initialBackoff,
    double multiplier,
    Duration maxWait,
    Duration maxTotalWait,
    double jitter,
    Predicate<Throwable> retryOn,
    @Nullable Long jitterSeed) {

  private static final RetryConfig DEFAULTS = builder().build();

  /**
   * @throws IllegalArgumentException naming the setting and its value when one is out of range
   */
  public RetryConfig {
    Checks.atLeast("maxAttempts", maxAttempts, 1);
    Checks.positive("initialBackoff", initialBackoff);
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be at least 1 but was " + multiplier);
    }
    Checks.positive("maxWait", maxWait);
    Checks.positive("maxTotalWait", maxTotalWait);
    if (!(jitter >= 0.0 && jitter < 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1) but was " + jitter);
    }
    Objects.requireNonNull(retryOn, "retryOn");
  }

  /**
   * The defaults: 5 attempts, backoff from 500 ms doubling, each wait at most 30 s, all waits at
   * most 2 min, jitter 25 %.
   */
  public static RetryConfig defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.multiplier = multiplier;
    b.maxWait = maxWait;
    b.maxTotalWait = maxTotalWait;
    b.jitter = jitter;
    b.retryOn = retryOn;
    b.jitterSeed = jitterSeed;
    return b;
  }

  /** Builds a {@link RetryConfig}; each setting is checked by {@link #build()}. */
  public static final class Builder {
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(500);
    private double multiplier = 2.0;
    private Duration maxWait = Duration.ofSeconds(30);
    private Duration maxTotalWait = Duration.ofMinutes(2);
    private double jitter = 0.25;
    private Predicate<Throwable> retryOn = error -> false;
    private @Nullable Long jitterSeed;

    private Builder() {}

    /** The most attempts of one call, the first included. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The wait before the first retry when the server gives no hint. */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    /** How much each backoff grows over the previous one. */
    public Builder multiplier(double multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    /** The longest single wait, and the longest server hint honoured. */
    public Builder maxWait(Duration maxWait) {
      this.maxWait = maxWait;
      return this;
    }

    /** The longest all waits of one call may add up to. */
    public Builder maxTotalWait(Duration maxTotalWait) {
      this.maxTotalWait = maxTotalWait;
      return this;
    }

    /** The largest share randomly taken off a computed backoff; 0 for none. */
    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    /** Further failures to retry, besides the built-in ones. */
    public Builder retryOn(Predicate<Throwable> retryOn) {
      this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
      return this;
    }

    /** A seed for the jitter, for repeatable tests. */
    public Builder jitterSeed(long jitterSeed) {
      this.jitterSeed = jitterSeed;
      return this;
    }

    /**
     * The config.
     *
     * @throws IllegalArgumentException naming the setting and its value when one is out of range
     */
    public RetryConfig build() {
      return new RetryConfig(
          maxAttempts,
          initialBackoff,
          multiplier,
          maxWait,
          maxTotalWait,
          jitter,
          retryOn,
          jitterSeed);
    }
  }
}
