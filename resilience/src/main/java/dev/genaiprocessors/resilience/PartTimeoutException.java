package dev.genaiprocessors.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * An attempt produced no part within its {@link TimeoutConfig}: none within {@link
 * TimeoutConfig#firstPart()} of its start, or none within {@link TimeoutConfig#betweenParts()} of
 * the previous part (or the end of the call). The attempt is interrupted; it is retried like a
 * network error while none of its parts has reached the caller.
 */
public final class PartTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  /** A timeout of {@code timeout}, explained by {@code message}. */
  public PartTimeoutException(String message, Duration timeout) {
    super(Objects.requireNonNull(message, "message"));
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The limit that was exceeded. */
  public Duration timeout() {
    return timeout;
  }
}
