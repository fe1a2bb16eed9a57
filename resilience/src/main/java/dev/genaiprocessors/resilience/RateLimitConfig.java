package dev.genaiprocessors.resilience;

import dev.genaiprocessors.ProcessorPart;
import java.time.Duration;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * How fast calls may go through a {@link Resilience}: a number of requests per interval, and for
 * model calls a budget of tokens per minute. Every attempt (retries included) takes one request;
 * the tokens a call used are learnt after it, from the usage metadata of its parts (see {@link
 * #usageTokens()}), and spent from the budget, so the next calls wait while it is overdrawn.
 *
 * <p>A call that must wait, waits: nothing is dropped. Only a wait longer than {@link #maxWait()}
 * refuses the call, with {@link RejectedCallException.Reason#RATE_LIMITED}.
 *
 * <pre>{@code
 * RateLimitConfig limit = RateLimitConfig.of(60, Duration.ofMinutes(1)).withTokensPerMinute(200_000);
 * }</pre>
 *
 * <p>The limits live in the {@link Resilience} instance, shared by every processor it decorates and
 * every thread calling them, within one JVM.
 *
 * @param requests the requests allowed per {@code per}; 0 for no request limit
 * @param per the interval the request limit refreshes in
 * @param tokensPerMinute the token budget per minute; 0 for none
 * @param maxWait the longest a call waits for the limits before it is refused
 * @param tokenCounter the tokens one output part says its call used so far (the largest figure a
 *     call's parts give is what it used)
 */
public record RateLimitConfig(
    int requests,
    Duration per,
    long tokensPerMinute,
    Duration maxWait,
    ToLongFunction<ProcessorPart> tokenCounter) {

  /** The default {@link #maxWait()}: long enough that in practice calls only ever wait. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofHours(1);

  /**
   * @throws IllegalArgumentException when a figure is negative, {@code per} or {@code maxWait} is
   *     not positive, or neither limit is set
   */
  public RateLimitConfig {
    Checks.notNegative("requests", requests);
    Checks.positive("per", per);
    Checks.notNegative("tokensPerMinute", tokensPerMinute);
    Checks.positive("maxWait", maxWait);
    Objects.requireNonNull(tokenCounter, "tokenCounter");
    if (requests == 0 && tokensPerMinute == 0) {
      throw new IllegalArgumentException(
          "a RateLimitConfig needs requests or tokensPerMinute above 0 but both were 0");
    }
  }

  /** {@code requests} per {@code per}, no token budget. */
  public static RateLimitConfig of(int requests, Duration per) {
    Checks.atLeast("requests", requests, 1);
    return new RateLimitConfig(requests, per, 0, DEFAULT_MAX_WAIT, UsageTokens.INSTANCE);
  }

  /** {@code requests} per second, no token budget. */
  public static RateLimitConfig perSecond(int requests) {
    return of(requests, Duration.ofSeconds(1));
  }

  /** A token budget per minute alone, no request limit. */
  public static RateLimitConfig tokensPerMinute(long tokensPerMinute) {
    if (tokensPerMinute < 1) {
      throw new IllegalArgumentException(
          "tokensPerMinute must be at least 1 but was " + tokensPerMinute);
    }
    return new RateLimitConfig(
        0, Duration.ofMinutes(1), tokensPerMinute, DEFAULT_MAX_WAIT, UsageTokens.INSTANCE);
  }

  /** A copy with a token budget per minute. */
  public RateLimitConfig withTokensPerMinute(long tokensPerMinute) {
    return new RateLimitConfig(requests, per, tokensPerMinute, maxWait, tokenCounter);
  }

  /** A copy with another longest wait. */
  public RateLimitConfig withMaxWait(Duration maxWait) {
    return new RateLimitConfig(requests, per, tokensPerMinute, maxWait, tokenCounter);
  }

  /** A copy that learns tokens with {@code tokenCounter}. */
  public RateLimitConfig withTokenCounter(ToLongFunction<ProcessorPart> tokenCounter) {
    return new RateLimitConfig(requests, per, tokensPerMinute, maxWait, tokenCounter);
  }

  /**
   * The default token counter: the total tokens in a part's usage metadata, read from {@code
   * usage_metadata.total_token_count} (Gemini, Python library), {@code
   * usageMetadata.totalTokenCount} (Gemini wire), {@code usage.total_tokens} (OpenAI) or {@code
   * usage.input_tokens + output_tokens} (Anthropic); 0 for a part without usage.
   */
  public static ToLongFunction<ProcessorPart> usageTokens() {
    return UsageTokens.INSTANCE;
  }
}
