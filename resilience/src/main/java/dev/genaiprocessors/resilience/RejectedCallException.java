package dev.genaiprocessors.resilience;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Resilience} refused a call, or gave up on it without trying again, for a reason that
 * waiting a little would not fix. It reaches the caller as itself, the decorated processor named in
 * it ({@link dev.genaiprocessors.ProcessorException#stageOf}).
 */
public final class RejectedCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the call was refused. */
  public enum Reason {
    /** The circuit is open: the endpoint failed too often lately. */
    CIRCUIT_OPEN,
    /** The bulkhead is full: too many calls are in flight. */
    BULKHEAD_FULL,
    /** The rate limit or token budget would make the call wait longer than allowed. */
    RATE_LIMITED,
    /**
     * The server's quota is spent for longer than the retry is allowed to wait (a daily quota, an
     * {@code insufficient_quota}, a {@code Retry-After} beyond {@link RetryConfig#maxWait()}).
     */
    QUOTA_EXHAUSTED
  }

  private final Reason reason;

  /** A refusal for {@code reason}, explained by {@code message}, caused by {@code cause} if any. */
  public RejectedCallException(Reason reason, String message, @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the call was refused. */
  public Reason reason() {
    return reason;
  }
}
