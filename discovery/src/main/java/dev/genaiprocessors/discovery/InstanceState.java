package dev.genaiprocessors.discovery;

import dev.genaiprocessors.Processor;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link BalancedProcessor} keeps of one instance: its processor, its calls in flight, and
 * the state its outlier detection and its active checks give it. The passive state changes under a
 * lock (uncontended but for bursts of failures); the fast path of a healthy instance reads volatile
 * fields only.
 */
final class InstanceState {
  final ServiceInstance instance;
  final @Nullable Processor processor;
  final @Nullable String broken;
  final AtomicInteger outstanding = new AtomicInteger();
  final AtomicLong calls = new AtomicLong();
  final AtomicLong failures = new AtomicLong();

  private final ReentrantLock lock = new ReentrantLock();
  private final boolean[] window;
  private int windowCount;
  private int windowNext;
  private int windowFailures;
  private int consecutive;
  private volatile @Nullable Instant ejectedUntil;
  private volatile @Nullable Instant returnedAt;
  private @Nullable String ejectedBecause;

  /** Written by the health checker only. */
  volatile boolean checkHealthy = true;

  volatile @Nullable String checkFailure;
  int checkPasses;
  int checkFailures;
  volatile boolean retired;
  private boolean processorClosed;

  InstanceState(
      ServiceInstance instance,
      @Nullable Processor processor,
      @Nullable String broken,
      int window) {
    this.instance = instance;
    this.processor = processor;
    this.broken = broken;
    this.window = new boolean[window];
  }

  /** Counts a call in; false when its processor is already closed (the instance left). */
  boolean enter() {
    lock.lock();
    try {
      if (processorClosed) {
        return false;
      }
      outstanding.incrementAndGet();
      calls.incrementAndGet();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks its processor closed when no call is using it; true when the caller must close it now
   * (exactly once).
   */
  boolean closeIfIdle() {
    lock.lock();
    try {
      if (processorClosed || outstanding.get() != 0) {
        return false;
      }
      processorClosed = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** What happened when the state was read: an ejection that ended, so the instance returned. */
  enum Transition {
    NONE,
    RETURNED
  }

  /** Its state at {@code now}; an ejection that is over turns into a ramp-up, once. */
  InstanceHealth.State state(Instant now, Duration rampUp, Transition[] transition) {
    if (broken != null || !checkHealthy) {
      return InstanceHealth.State.UNHEALTHY;
    }
    if (ejectedUntil == null && returnedAt == null) {
      return InstanceHealth.State.HEALTHY;
    }
    lock.lock();
    try {
      Instant until = ejectedUntil;
      if (until != null) {
        if (now.isBefore(until)) {
          return InstanceHealth.State.EJECTED;
        }
        ejectedUntil = null;
        returnedAt = until;
        transition[0] = Transition.RETURNED;
      }
      Instant back = returnedAt;
      if (back != null && now.isBefore(back.plus(rampUp))) {
        return InstanceHealth.State.RAMPING_UP;
      }
      returnedAt = null;
      return InstanceHealth.State.HEALTHY;
    } finally {
      lock.unlock();
    }
  }

  /** The share of its calls a ramping instance takes at {@code now}: from 0.1 to 1. */
  double rampShare(Instant now, Duration rampUp) {
    Instant back = returnedAt;
    if (back == null || rampUp.isZero()) {
      return 1.0;
    }
    double done = Duration.between(back, now).toNanos() / (double) rampUp.toNanos();
    return Math.max(0.1, Math.min(1.0, done));
  }

  void succeeded() {
    if (window.length == 0) {
      return;
    }
    lock.lock();
    try {
      consecutive = 0;
      record(false);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Counts a failure at {@code now}; when it ejects the instance, returns why, else null.
   *
   * @param outliers null when outlier detection is off
   */
  @Nullable String failed(Instant now, @Nullable OutlierDetection outliers) {
    failures.incrementAndGet();
    lock.lock();
    try {
      consecutive++;
      record(true);
      if (outliers == null || ejectedUntil != null) {
        return null;
      }
      String because;
      if (returnedAt != null) {
        because = "it failed while ramping up after an ejection";
      } else if (consecutive >= outliers.consecutiveFailures()) {
        because = consecutive + " consecutive failures";
      } else if (windowCount >= outliers.window()
          && windowFailures >= outliers.failureRate() * outliers.window()) {
        because = windowFailures + " failures in its last " + windowCount + " calls";
      } else {
        return null;
      }
      ejectedUntil = now.plus(outliers.ejection());
      returnedAt = null;
      ejectedBecause = because;
      consecutive = 0;
      windowCount = 0;
      windowNext = 0;
      windowFailures = 0;
      return because;
    } finally {
      lock.unlock();
    }
  }

  private void record(boolean failure) {
    if (window.length == 0) {
      return;
    }
    if (windowCount == window.length) {
      if (window[windowNext]) {
        windowFailures--;
      }
    } else {
      windowCount++;
    }
    window[windowNext] = failure;
    if (failure) {
      windowFailures++;
    }
    windowNext = (windowNext + 1) % window.length;
  }

  /** Why it takes no calls at {@code now}, for error messages. */
  String whyUnavailable(Instant now) {
    if (broken != null) {
      return "its processor could not be made: " + broken;
    }
    if (!checkHealthy) {
      return "failing its health checks (" + checkFailure + ")";
    }
    Instant until = ejectedUntil;
    if (until != null) {
      return "ejected for "
          + Math.max(0, Duration.between(now, until).toMillis())
          + " ms more after "
          + ejectedBecause;
    }
    return "available";
  }
}
