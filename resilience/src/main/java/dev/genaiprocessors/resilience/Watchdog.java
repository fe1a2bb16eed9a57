package dev.genaiprocessors.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Watches one attempt for its {@link TimeoutConfig} and interrupts the attempt's thread when a
 * limit passes. Paused while the attempt waits on others (its consumer, its input).
 *
 * <p>Threading: the one virtual thread it starts lives exactly as long as the attempt; {@link
 * #close()} stops and joins it, and clears the interrupt it may have sent, so nothing of it
 * outlives the attempt.
 */
class Watchdog implements AutoCloseable {
  /** The watchdog of attempts without time limits: does nothing, starts nothing. */
  static final Watchdog NONE = new Watchdog();

  private static final long NO_DEADLINE = Long.MAX_VALUE;

  private final @Nullable Thread target;
  private final @Nullable Duration firstPart;
  private final @Nullable Duration betweenParts;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private @Nullable Thread watcher;
  private long deadline;
  private long remainingAtPause;
  private int paused;
  private boolean sawPart;
  private boolean closed;
  private volatile @Nullable PartTimeoutException fired;

  private Watchdog() {
    this.target = null;
    this.firstPart = null;
    this.betweenParts = null;
  }

  private Watchdog(Thread target, TimeoutConfig config) {
    this.target = target;
    this.firstPart = config.firstPart();
    this.betweenParts = config.betweenParts();
    this.deadline = firstPart == null ? NO_DEADLINE : System.nanoTime() + firstPart.toNanos();
  }

  /** A started watchdog over the current thread, or {@link #NONE} without a config. */
  static Watchdog watch(@Nullable TimeoutConfig config, String what) {
    if (config == null) {
      return NONE;
    }
    Watchdog watchdog = new Watchdog(Thread.currentThread(), config);
    watchdog.watcher = Thread.ofVirtual().name("timeout of " + what).start(watchdog::run);
    return watchdog;
  }

  private void run() {
    lock.lock();
    try {
      while (!closed) {
        if (paused > 0 || deadline == NO_DEADLINE) {
          changed.await();
          continue;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fired = timeout();
          Thread attempt = target;
          if (attempt != null) {
            attempt.interrupt();
          }
          return;
        }
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      // Only close() interrupts the watcher, when the attempt is over.
    } finally {
      lock.unlock();
    }
  }

  private PartTimeoutException timeout() {
    boolean first = !sawPart;
    Duration limit =
        Objects.requireNonNull(first ? firstPart : betweenParts, "a deadline without a limit");
    String message =
        first
            ? "no part within " + limit + " of the attempt's start"
            : "no part within " + limit + " of the previous part";
    return new PartTimeoutException(message, limit);
  }

  /** The attempt starts waiting on someone else: its consumer or its input. */
  void pause() {
    if (target == null) {
      return;
    }
    lock.lock();
    try {
      if (paused++ == 0) {
        remainingAtPause = deadline == NO_DEADLINE ? NO_DEADLINE : deadline - System.nanoTime();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The attempt is back at work; {@code emitted} when it has just emitted a part. */
  void resume(boolean emitted) {
    if (target == null) {
      return;
    }
    lock.lock();
    try {
      if (emitted) {
        sawPart = true;
      }
      if (--paused == 0) {
        long now = System.nanoTime();
        if (sawPart) {
          deadline = betweenParts == null ? NO_DEADLINE : now + betweenParts.toNanos();
        } else {
          deadline = remainingAtPause == NO_DEADLINE ? NO_DEADLINE : now + remainingAtPause;
        }
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The timeout that interrupted the attempt, or null when none did. Call after {@link #close}. */
  @Nullable PartTimeoutException fired() {
    return fired;
  }

  /** Stops watching; clears the interrupt this watchdog sent, if it sent one. */
  @Override
  public void close() {
    Thread w = watcher;
    if (w == null) {
      return;
    }
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (fired != null) {
      Thread.interrupted();
    }
    boolean interrupted = false;
    while (true) {
      try {
        w.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
