/**
 * Resilience as a layer: decorators that make any {@link dev.genaiprocessors.Processor} or {@link
 * dev.genaiprocessors.PartProcessor} survive rate limits, flaky networks and overloaded services.
 *
 * <p>{@link dev.genaiprocessors.resilience.Resilience} is the one decorator: build it once per
 * endpoint from the configs you need ({@link dev.genaiprocessors.resilience.RetryConfig}, {@link
 * dev.genaiprocessors.resilience.RateLimitConfig}, {@link
 * dev.genaiprocessors.resilience.CircuitBreakerConfig}, {@link
 * dev.genaiprocessors.resilience.BulkheadConfig}, {@link
 * dev.genaiprocessors.resilience.TimeoutConfig}) and {@code decorate} every processor that calls
 * it; they share its limits and its circuit.
 *
 * <pre>{@code
 * Resilience gemini = Resilience.builder("gemini")
 *     .retry(RetryConfig.defaults())
 *     .rateLimit(RateLimitConfig.of(60, Duration.ofMinutes(1)).withTokensPerMinute(1_000_000))
 *     .circuitBreaker(CircuitBreakerConfig.defaults())
 *     .build();
 * Processor model = gemini.decorate(rawModel);
 * }</pre>
 *
 * <p>Retries honour the server: {@code Retry-After} (seconds or HTTP-date), {@code retry-after-ms},
 * {@code x-should-retry} and Gemini's {@code RetryInfo.retryDelay}, read from an {@link
 * dev.genaiprocessors.resilience.HttpStatusException}. A streaming call is retried only while none
 * of its parts has reached the caller. Failures the decorators cause are {@link
 * dev.genaiprocessors.resilience.RejectedCallException} and {@link
 * dev.genaiprocessors.resilience.PartTimeoutException}; every retry, wait, rejection, timeout and
 * circuit change is a {@link dev.genaiprocessors.resilience.ResilienceEvent}, told to {@link
 * dev.genaiprocessors.resilience.ResilienceListener}s and, on request, emitted as a status part.
 * Time is read from an injectable {@link java.time.Clock} and waited through an injectable {@link
 * dev.genaiprocessors.resilience.Sleeper}, so all of it is testable without sleeping.
 */
@NullMarked
package dev.genaiprocessors.resilience;

import org.jspecify.annotations.NullMarked;
