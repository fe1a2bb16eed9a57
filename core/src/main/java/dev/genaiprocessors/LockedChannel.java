package dev.genaiprocessors;

import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Channel} that keeps its parts in an {@code ArrayDeque} under a {@link ReentrantLock}:
 * the unbounded one ({@link Channel#unbounded()}), which grows as parts arrive.
 *
 * <p>The consumer takes every buffered part in one acquisition of the lock and then reads them from
 * a private batch, so a busy hop costs one lock round per batch rather than per part; parts in the
 * batch are the consumer's and no longer count against the capacity.
 */
final class LockedChannel extends Channel {
  private final java.util.ArrayDeque<ProcessorPart> items;
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private boolean closed;
  private boolean failed;
  private boolean consumerClosed;
  // items.size() as last written under the lock, for the consumer's lock-free spin.
  private volatile int pending;
  private static final int SPINS = 50;
  // Consumer-only, like the batch: how many rounds the next read spins before taking the lock.
  private int spinBudget = MIN_SPINS;
  private static final int MIN_SPINS = 16;
  // A platform consumer that has just read parts polls on a timer instead of asking producers to
  // wake it: the first wait is this long, doubling while nothing comes, and past the maximum it
  // parks until a producer signals, as a virtual thread does.
  private static final long MIN_POLL_NANOS = 20_000;
  private static final long MAX_POLL_NANOS = 1_000_000;
  // Consumer-only: the next poll's wait, or 0 when not polling.
  private long pollNanos;
  // The platform consumer while it is parked on a poll timer, for producers that need it sooner.
  private volatile @Nullable Thread pollingConsumer;
  // Set with closed or failed, for the polling consumer, which reads it without the lock.
  private volatile boolean ended;
  // Producers wake a polling consumer once this many parts wait, so they rarely find it full.
  private final int wakeAt;
  // The consumer's private batch: only the (single) consumer thread touches these.
  private @Nullable ProcessorPart @Nullable [] batch;
  private int batchPosition;
  private int batchLength;

  LockedChannel(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("buffer capacity must be at least 1 but was " + capacity);
    }
    this.capacity = capacity;
    this.wakeAt = Math.max(1, Math.min(capacity / 2, 32));
    this.items = new java.util.ArrayDeque<>(Math.min(capacity, 16));
  }

  @Override
  public void emit(ProcessorPart part) {
    lockHere();
    try {
      while (items.size() >= capacity && !consumerClosed) {
        wakePollingConsumer();
        await(notFull);
      }
      if (consumerClosed) {
        throw new StreamClosedException();
      }
      if (closed || failed) {
        throw new IllegalStateException("emit after the stream ended: " + part);
      }
      items.addLast(java.util.Objects.requireNonNull(part, "part"));
      int size = items.size();
      pending = size;
      if (size >= wakeAt) {
        wakePollingConsumer();
      }
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public @Nullable ProcessorPart read() {
    @Nullable ProcessorPart[] taken = batch;
    if (taken != null && batchPosition < batchLength) {
      ProcessorPart part = taken[batchPosition];
      taken[batchPosition++] = null;
      return part;
    }
    // A producer that is busy right now usually delivers within microseconds: a short spin saves
    // parking and unparking a virtual consumer for every part. The spin adapts: it grows while it
    // catches parts and halves each time the consumer had to park anyway.
    boolean virtual = Thread.currentThread().isVirtual();
    if (virtual) {
      int spins = spinBudget;
      for (int spin = 0; spin < spins && pending == 0; spin++) {
        Thread.onSpinWait();
      }
    } else if (pollNanos > 0) {
      // A platform thread (a caller reading a run's output) is woken from the kernel, which costs
      // far more than the part: while parts keep coming it polls on a timer and takes them in
      // batches, leaving its core to the producers; producers wake it early only when parts pile
      // up.
      poll();
    }
    lockHere();
    try {
      if (virtual) {
        if (items.isEmpty() && !closed && !failed) {
          spinBudget = Math.max(MIN_SPINS, spinBudget >> 1);
        } else {
          spinBudget = Math.min(SPINS, Math.max(MIN_SPINS, spinBudget << 1));
        }
      }
      while (items.isEmpty() && !closed && !failed) {
        try {
          notEmpty.await(); // not through await(): one frame less on every idle stage's stack
        } catch (InterruptedException e) {
          throw cancelled(e);
        }
      }
      int available = items.size();
      if (!virtual) {
        pollNanos = MIN_POLL_NANOS;
      }
      pending = 0;
      if (available == 1) {
        ProcessorPart part = items.pollFirst();
        notFull.signal();
        return part;
      }
      if (available > 1) {
        if (taken == null) {
          taken = batch = new ProcessorPart[Math.min(capacity, 64)];
        }
        int count = Math.min(available, taken.length);
        for (int i = 0; i < count; i++) {
          taken[i] = items.pollFirst();
        }
        batchPosition = 1;
        batchLength = count;
        pending = items.size();
        notFull.signalAll();
        ProcessorPart part = taken[0];
        taken[0] = null;
        return part;
      }
      if (failed) {
        throw new CancellationException("the upstream processor failed");
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Parks the (platform) consumer on a timer until parts or the end arrive, doubling the wait each
   * time it finds nothing; returns with polling given up ({@code pollNanos == 0}) once the wait
   * would pass {@link #MAX_POLL_NANOS}, so that an idle stream parks until signalled.
   */
  private void poll() {
    Thread self = Thread.currentThread();
    while (pending == 0 && !ended) {
      pollingConsumer = self;
      if (pending == 0 && !ended) {
        java.util.concurrent.locks.LockSupport.parkNanos(this, pollNanos);
      }
      pollingConsumer = null;
      if (self.isInterrupted()) {
        return; // the lock below turns the interrupt into a cancellation
      }
      if (pending == 0 && !ended) {
        pollNanos <<= 1;
        if (pollNanos > MAX_POLL_NANOS) {
          pollNanos = 0;
          return;
        }
      }
    }
  }

  private void wakePollingConsumer() {
    Thread consumer = pollingConsumer;
    if (consumer != null) {
      java.util.concurrent.locks.LockSupport.unpark(consumer);
    }
  }

  @Override
  void close() {
    end(false);
  }

  @Override
  void fail() {
    end(true);
  }

  private void end(boolean failure) {
    lock.lock();
    try {
      if (failure) {
        failed = true;
      } else {
        closed = true;
      }
      ended = true;
      notEmpty.signalAll();
      wakePollingConsumer();
    } finally {
      lock.unlock();
    }
  }

  @Override
  void closeConsumer() {
    lock.lock();
    try {
      consumerClosed = true;
      items.clear();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Locks this channel's lock, first turning a pending interrupt into a {@link
   * CancellationException}. The lock guards a few field updates and is never held across a wait, so
   * {@code lock()} cannot hang a cancelled thread; reading the interrupt flag costs less than the
   * clearing read {@code lockInterruptibly} makes on every part.
   */
  private void lockHere() {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("the run was cancelled");
    }
    lock.lock();
  }
}
