package dev.genaiprocessors.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * When the circuit of a {@link Resilience} opens, and how it comes back. Over the last {@code
 * slidingWindowSize} attempts (once at least {@code minimumCalls} were made), when the share of
 * failures reaches {@code failureRateThreshold} percent, or the share of attempts slower than
 * {@code slowCallDuration} reaches {@code slowCallRateThreshold} percent, the circuit opens: calls
 * are refused at once with {@link RejectedCallException.Reason#CIRCUIT_OPEN}. After {@code
 * waitInOpenState} it half-opens: {@code halfOpenCalls} probe attempts pass, and their outcome
 * closes it again or opens it anew.
 *
 * <p>What counts as a failure: by default every failure except a client error ({@link
 * HttpStatusException} with a 4xx other than 408 and 429), which says nothing about the endpoint's
 * health, and the decorators' own refusals. Change it with {@link Builder#recordFailure}. A
 * cancelled call counts as nothing.
 *
 * @param failureRateThreshold the failure share, in percent (0, 100], that opens the circuit
 * @param slowCallRateThreshold the slow-call share, in percent (0, 100], that opens the circuit
 * @param slowCallDuration how long an attempt may take before it counts as slow
 * @param slidingWindowSize how many recent attempts the rates are computed over
 * @param minimumCalls how many attempts must be seen before the rates count
 * @param waitInOpenState how long the circuit stays open before it half-opens
 * @param halfOpenCalls how many probe attempts a half-open circuit lets through
 * @param recordFailure which failures count against the endpoint
 */
public record CircuitBreakerConfig(
    float failureRateThreshold,
    float slowCallRateThreshold,
    Duration slowCallDuration,
    int slidingWindowSize,
    int minimumCalls,
    Duration waitInOpenState,
    int halfOpenCalls,
    Predicate<Throwable> recordFailure) {

  private static final CircuitBreakerConfig DEFAULTS = builder().build();

  /**
   * @throws IllegalArgumentException naming the setting and its value when one is out of range
   */
  public CircuitBreakerConfig {
    Checks.percent("failureRateThreshold", failureRateThreshold);
    Checks.percent("slowCallRateThreshold", slowCallRateThreshold);
    Checks.positive("slowCallDuration", slowCallDuration);
    Checks.atLeast("slidingWindowSize", slidingWindowSize, 1);
    Checks.atLeast("minimumCalls", minimumCalls, 1);
    Checks.positive("waitInOpenState", waitInOpenState);
    Checks.atLeast("halfOpenCalls", halfOpenCalls, 1);
    Objects.requireNonNull(recordFailure, "recordFailure");
  }

  /**
   * The defaults: opens at 50 % failures or 100 % calls slower than 60 s over the last 20 attempts
   * (10 at least), stays open 30 s, then lets 3 probes through.
   */
  public static CircuitBreakerConfig defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code error} says something about the endpoint's health: the default rule. */
  static boolean isEndpointFailure(Throwable error) {
    if (error instanceof RejectedCallException) {
      return false;
    }
    if (error instanceof HttpStatusException http) {
      int status = http.status();
      return status >= 500 || status == 408 || status == 429 || status < 400;
    }
    return true;
  }

  /** Builds a {@link CircuitBreakerConfig}; each setting is checked by {@link #build()}. */
  public static final class Builder {
    private float failureRateThreshold = 50;
    private float slowCallRateThreshold = 100;
    private Duration slowCallDuration = Duration.ofSeconds(60);
    private int slidingWindowSize = 20;
    private int minimumCalls = 10;
    private Duration waitInOpenState = Duration.ofSeconds(30);
    private int halfOpenCalls = 3;
    private Predicate<Throwable> recordFailure = CircuitBreakerConfig::isEndpointFailure;

    private Builder() {}

    /** The failure share, in percent, that opens the circuit. */
    public Builder failureRateThreshold(float percent) {
      this.failureRateThreshold = percent;
      return this;
    }

    /** The slow-call share, in percent, that opens the circuit. */
    public Builder slowCallRateThreshold(float percent) {
      this.slowCallRateThreshold = percent;
      return this;
    }

    /** How long an attempt may take before it counts as slow. */
    public Builder slowCallDuration(Duration slowCallDuration) {
      this.slowCallDuration = slowCallDuration;
      return this;
    }

    /** How many recent attempts the rates are computed over. */
    public Builder slidingWindowSize(int slidingWindowSize) {
      this.slidingWindowSize = slidingWindowSize;
      return this;
    }

    /** How many attempts must be seen before the rates count. */
    public Builder minimumCalls(int minimumCalls) {
      this.minimumCalls = minimumCalls;
      return this;
    }

    /** How long the circuit stays open before it half-opens. */
    public Builder waitInOpenState(Duration waitInOpenState) {
      this.waitInOpenState = waitInOpenState;
      return this;
    }

    /** How many probe attempts a half-open circuit lets through. */
    public Builder halfOpenCalls(int halfOpenCalls) {
      this.halfOpenCalls = halfOpenCalls;
      return this;
    }

    /** Which failures count against the endpoint. */
    public Builder recordFailure(Predicate<Throwable> recordFailure) {
      this.recordFailure = Objects.requireNonNull(recordFailure, "recordFailure");
      return this;
    }

    /**
     * The config.
     *
     * @throws IllegalArgumentException naming the setting and its value when one is out of range
     */
    public CircuitBreakerConfig build() {
      return new CircuitBreakerConfig(
          failureRateThreshold,
          slowCallRateThreshold,
          slowCallDuration,
          slidingWindowSize,
          minimumCalls,
          waitInOpenState,
          halfOpenCalls,
          recordFailure);
    }
  }
}
