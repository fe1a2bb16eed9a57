package dev.genaiprocessors.model;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The end of one logical model call, its SDK's retries and their waits included: for model
 * integrations, whose SDKs apply a request timeout to each attempt alone.
 *
 * <p>A model processor starts one around the SDK call, on the thread that makes it; the pieces it
 * hands the SDK (an HTTP layer that every attempt passes through, the sleeper of its retry loop)
 * find it with {@link #current()}, give each attempt no more than {@link #remaining()}, start no
 * attempt and no wait that would end after it, and throw {@link Exceeded} once it has passed, which
 * the SDKs do not retry. Users of the library never need this class.
 *
 * <pre>{@code
 * try (CallDeadline deadline = CallDeadline.start(timeout)) {
 *   sdk.call(...);                       // the SDK's HTTP layer reads CallDeadline.current()
 * } catch (CallDeadline.Exceeded e) {
 *   throw timeoutError(e.timeout(), e.getCause());
 * }
 * }</pre>
 *
 * <p>It measures with {@link System#nanoTime()}, which a wall-clock change does not move. Not
 * shared between threads: each call has its own.
 */
public final class CallDeadline implements AutoCloseable {
  private static final ThreadLocal<CallDeadline> CURRENT = new ThreadLocal<>();

  private final Duration timeout;
  private final long end;
  private final @Nullable CallDeadline outer;

  private CallDeadline(Duration timeout, @Nullable CallDeadline outer) {
    this.timeout = timeout;
    this.end = System.nanoTime() + timeout.toNanos();
    this.outer = outer;
  }

  /**
   * Starts the deadline of a call that may take {@code timeout} from now, as the current one of
   * this thread until {@link #close()}.
   *
   * @throws IllegalArgumentException when {@code timeout} is not positive
   */
  public static CallDeadline start(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive but was " + timeout);
    }
    CallDeadline deadline = new CallDeadline(timeout, CURRENT.get());
    CURRENT.set(deadline);
    return deadline;
  }

  /** The deadline of the call this thread is making, or null when it has none. */
  public static @Nullable CallDeadline current() {
    return CURRENT.get();
  }

  /** The whole call's timeout, as given to {@link #start}. */
  public Duration timeout() {
    return timeout;
  }

  /** What is left of the timeout; zero once it has passed. */
  public Duration remaining() {
    long left = end - System.nanoTime();
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  /** Whether the timeout has passed. */
  public boolean passed() {
    return end - System.nanoTime() <= 0;
  }

  /**
   * The timeout one attempt of the call may have: {@code configured} (the SDK's own per-attempt
   * timeout, null when it has none) but never more than what is left.
   *
   * @throws Exceeded when nothing is left, so no attempt starts after the deadline
   */
  public Duration attemptTimeout(@Nullable Duration configured) {
    Duration left = remaining();
    if (left.isZero()) {
      throw exceeded(null);
    }
    return configured == null || configured.compareTo(left) > 0 ? left : configured;
  }

  /**
   * For an attempt that failed with {@code failure}: {@code failure} itself, for the caller to
   * rethrow ({@code throw deadline.attemptFailed(e);}), while the deadline has not passed.
   *
   * @throws Exceeded with {@code failure} as its cause once the deadline has passed, which ends the
   *     SDK's retry loop
   */
  public <E extends Exception> E attemptFailed(E failure) {
    if (passed()) {
      throw exceeded(failure);
    }
    return failure;
  }

  /**
   * Called by an SDK's retry sleeper before it waits {@code wait}: refuses a wait after which the
   * next attempt could not start in time, so the call ends now rather than after the wait. Does
   * nothing when this thread makes no call with a deadline.
   *
   * @throws Exceeded when the wait would reach the deadline of the call on this thread
   */
  public static void beforeRetryWait(Duration wait) {
    CallDeadline deadline = current();
    if (deadline != null && deadline.remaining().compareTo(wait) <= 0) {
      throw deadline.exceeded(null);
    }
  }

  /** An {@link Exceeded} naming this deadline's timeout, with {@code cause} (may be null). */
  public Exceeded exceeded(@Nullable Throwable cause) {
    return new Exceeded(timeout, cause);
  }

  /** Ends this deadline: the thread's current one is the one before it again (usually none). */
  @Override
  public void close() {
    if (outer == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(outer);
    }
  }

  /**
   * The call's timeout passed: thrown by the SDK's HTTP layer or sleeper, unchecked and of no type
   * an SDK retries, so that it ends the SDK's retry loop; the model turns it into its vendor's
   * timeout error.
   */
  public static final class Exceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    private Exceeded(Duration timeout, @Nullable Throwable cause) {
      super(
          "the call did not complete within its timeout of "
              + shown(timeout)
              + " (the SDK's retries and their waits included)",
          cause);
      this.timeout = timeout;
    }

    /** The timeout that passed. */
    public Duration timeout() {
      return timeout;
    }

    /** {@code 3s}, {@code 1500ms}: as a user wrote it, not {@code PT3S}. */
    private static String shown(Duration d) {
      long millis = d.toMillis();
      return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
  }
}
