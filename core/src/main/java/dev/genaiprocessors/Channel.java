package dev.genaiprocessors;

import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The bounded buffer between two stages: any number of producers {@link #emit}, one consumer
 * {@link #read}s.
 *
 * <p>Producers block while it is full; the consumer blocks while it is empty. The producing side
 * ends it with {@link #close()} (normal end) or {@link #fail()} (the producer failed: the consumer
 * is cancelled instead of seeing a clean end). The consuming side gives up with {@link
 * #closeConsumer()}, after which producers get a {@link StreamClosedException}. All blocking waits
 * are interruptible and turn an interrupt into a {@link CancellationException}, keeping the
 * thread's interrupt status so the processor's next blocking call stops too.
 *
 * <p>A {@link ReentrantLock} guards the state rather than a Java monitor, which would pin
 * virtual threads on Java 21. The consumer takes every buffered part in one acquisition of the
 * lock and then reads them from a private batch, so a busy hop costs one lock round per batch
 * rather than per part; parts in the batch are the consumer's and no longer count against the
 * capacity.
 */
final class Channel implements PartSink, PartStream {
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
  private static final int SPINS = 200;
  // Consumer-only, like the batch: how many rounds the next read spins before taking the lock.
  private int spinBudget = MIN_SPINS;
  private static final int MIN_SPINS = 16;
  private static final int PLATFORM_SPINS = 1_000;
  // The consumer's private batch: only the (single) consumer thread touches these.
  private ProcessorPart @Nullable [] batch;
  private int batchPosition;
  private int batchLength;

  Channel(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("buffer capacity must be at least 1 but was " + capacity);
    }
    this.capacity = capacity;
    this.items = new java.util.ArrayDeque<>(Math.min(capacity, 16));
  }

  /** A channel that never makes its producers wait (for buffers that must not deadlock). */
  static Channel unbounded() {
    return new Channel(Integer.MAX_VALUE);
  }

  @Override
  public void emit(ProcessorPart part) {
    lock(lock);
    try {
      while (items.size() >= capacity && !consumerClosed) {
        await(notFull);
      }
      if (consumerClosed) {
        throw new StreamClosedException();
      }
      if (closed || failed) {
        throw new IllegalStateException("emit after the stream ended: " + part);
      }
      items.addLast(java.util.Objects.requireNonNull(part, "part"));
      pending = items.size();
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public @Nullable ProcessorPart read() {
    ProcessorPart[] taken = batch;
    if (batchPosition < batchLength) {
      ProcessorPart part = taken[batchPosition];
      taken[batchPosition++] = null;
      return part;
    }
    // A producer that is busy right now usually delivers within microseconds: a short spin saves
    // parking and unparking the consumer for every part. The spin adapts: it grows while it
    // catches parts and halves each time the consumer had to park anyway. A platform thread (a
    // caller reading a run's output) yields rather than spins, and may wait longer: waking it
    // from the kernel costs far more than waking a virtual thread.
    int spins = spinBudget;
    if (Thread.currentThread().isVirtual()) {
      for (int spin = 0; spin < spins && pending == 0; spin++) {
        Thread.onSpinWait();
      }
    } else {
      // A platform thread yields its core instead: on a small machine the producer needs it.
      for (int spin = 0; spin < spins && pending == 0; spin++) {
        Thread.yield();
      }
    }
    lock(lock);
    try {
      if (items.isEmpty() && !closed && !failed) {
        spinBudget = Math.max(MIN_SPINS, spinBudget >> 1);
      } else {
        int max = Thread.currentThread().isVirtual() ? SPINS : PLATFORM_SPINS;
        spinBudget = Math.min(max, Math.max(MIN_SPINS, spinBudget << 1));
      }
      while (items.isEmpty() && !closed && !failed) {
        try {
          notEmpty.await(); // not through await(): one frame less on every idle stage's stack
        } catch (InterruptedException e) {
          throw cancelled(e);
        }
      }
      int available = items.size();
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

  /** The producers are done: the consumer reads what is buffered, then the end. */
  void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** A producer failed: the consumer reads what is buffered, then is cancelled. */
  void fail() {
    lock.lock();
    try {
      failed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The consumer is gone: buffered parts are dropped and producers are told to stop. */
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

  /** Locks {@code lock}, turning an interrupt into a {@link CancellationException}. */
  static void lock(ReentrantLock lock) {
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      throw cancelled(e);
    }
  }

  /** Awaits {@code condition}, turning an interrupt into a {@link CancellationException}. */
  static void await(Condition condition) {
    try {
      condition.await();
    } catch (InterruptedException e) {
      throw cancelled(e);
    }
  }

  static CancellationException cancelled(InterruptedException e) {
    Thread.currentThread().interrupt();
    CancellationException c = new CancellationException("the run was cancelled");
    c.initCause(e);
    return c;
  }

  /** Thrown to a producer whose consumer stopped reading; ends the producer quietly. */
  static final class StreamClosedException extends CancellationException {
    private static final long serialVersionUID = 1L;

    StreamClosedException() {
      super("the output is no longer read");
    }
  }
}
