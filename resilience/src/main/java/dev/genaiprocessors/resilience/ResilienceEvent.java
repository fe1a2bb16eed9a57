package dev.genaiprocessors.resilience;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something a {@link Resilience} did: a retry, a wait, a timeout, a rejection or a change of its
 * circuit. Given to {@link ResilienceListener}s and, when {@link Resilience.Builder#statusParts} is
 * on, emitted as a status part (see {@link Resilience}).
 *
 * @param resilience the name of the {@link Resilience} that acted
 * @param processor the name of the decorated processor whose call it concerns
 * @param kind what happened
 * @param attempt the number of the attempt it concerns, from 1 (0 for circuit changes)
 * @param delay how long the call waits because of it ({@link Duration#ZERO} when it does not)
 * @param cause the failure behind it, if any
 * @param message a sentence for people, never containing secrets
 */
public record ResilienceEvent(
    String resilience,
    String processor,
    Kind kind,
    int attempt,
    Duration delay,
    @Nullable Throwable cause,
    String message) {

  /** What happened. */
  public enum Kind {
    /** A failed attempt will be retried after {@link ResilienceEvent#delay()}. */
    RETRY,
    /** The call waits {@link ResilienceEvent#delay()} for the rate limit or the token budget. */
    WAIT,
    /** An attempt produced no part in time. */
    TIMEOUT,
    /** The call was refused (circuit open, bulkhead full, rate limit or quota). */
    REJECTED,
    /** The circuit opened: calls are refused until it half-opens. */
    CIRCUIT_OPENED,
    /** The circuit half-opened: a few probe calls may pass. */
    CIRCUIT_HALF_OPENED,
    /** The circuit closed: calls pass again. */
    CIRCUIT_CLOSED
  }

  /** The metadata key naming the {@link Kind} (lower case) on a status part. */
  public static final String EVENT_KEY = "resilience_event";

  /**
   * @throws NullPointerException if a non-nullable component is null
   */
  public ResilienceEvent {
    Objects.requireNonNull(resilience, "resilience");
    Objects.requireNonNull(processor, "processor");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(message, "message");
  }

  /**
   * The event as status-part metadata: {@value #EVENT_KEY}, {@code resilience}, {@code processor},
   * {@code attempt}, {@code delay_ms}.
   */
  public Map<String, Object> metadata() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put(EVENT_KEY, kind.name().toLowerCase(java.util.Locale.ROOT));
    metadata.put("resilience", resilience);
    metadata.put("processor", processor);
    metadata.put("attempt", attempt);
    metadata.put("delay_ms", delay.toMillis());
    return metadata;
  }
}
