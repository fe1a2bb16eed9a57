package dev.genaiprocessors.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A budget of tokens per minute, spent after the fact: calls wait while the current minute's budget
 * is spent, and what a call overspends is carried into the next minutes as debt.
 *
 * <p>The seam for a limit shared across JVMs: a store-backed budget would implement the same two
 * operations.
 */
final class TokenBudget {
  private static final Duration WINDOW = Duration.ofMinutes(1);

  private final long perMinute;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private Instant windowStart;
  private long used;

  TokenBudget(long perMinute, Clock clock) {
    this.perMinute = perMinute;
    this.clock = clock;
    this.windowStart = clock.instant();
  }

  /** How long a call must wait before the budget has room: zero when it has some now. */
  Duration waitNeeded() {
    lock.lock();
    try {
      Instant now = clock.instant();
      roll(now);
      if (used < perMinute) {
        return Duration.ZERO;
      }
      long windowsOfDebt = (used - perMinute) / perMinute;
      return Duration.between(now, windowStart.plus(WINDOW.multipliedBy(windowsOfDebt + 1)));
    } finally {
      lock.unlock();
    }
  }

  /** Spends {@code tokens} a call used. */
  void spend(long tokens) {
    if (tokens <= 0) {
      return;
    }
    lock.lock();
    try {
      roll(clock.instant());
      used = used > Long.MAX_VALUE - tokens ? Long.MAX_VALUE : used + tokens;
    } finally {
      lock.unlock();
    }
  }

  private void roll(Instant now) {
    if (now.isBefore(windowStart.plus(WINDOW))) {
      return;
    }
    long windows = Duration.between(windowStart, now).dividedBy(WINDOW);
    used = windows > used / perMinute ? 0 : used - windows * perMinute;
    windowStart = windowStart.plus(WINDOW.multipliedBy(windows));
  }
}
