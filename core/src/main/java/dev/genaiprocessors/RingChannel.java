package dev.genaiprocessors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A bounded {@link Channel} on a ring of slots that producers and the consumer pass parts through
 * without a lock: producers claim a slot with one compare-and-set on the tail index and publish the
 * part into it; the single consumer reads slots in order and moves the head index on. It is the
 * multi-producer, single-consumer array queue of JCTools and of Reactor's hops, with blocking added
 * for both ends.
 *
 * <p><b>Blocking.</b> A consumer that finds the ring empty spins briefly (a virtual thread) or
 * polls on a timer (a platform thread, see {@link Channel}), then names itself in {@code
 * waiter} and parks; a producer that has claimed a slot reads {@code waiter} and unparks it. Both
 * sides write their own field before reading the other's (volatile, so sequentially consistent),
 * so a wake-up cannot be lost. Producers that find the ring full wait on a condition under a lock,
 * counted in {@code spaceWaiters}; the consumer reads that count after moving the head, and again
 * behind a full fence before it parks, and signals them. The lock is only taken on that slow path.
 *
 * <p><b>The ring</b> is allocated at the first emit, so that idle pipelines hold no buffers. Its
 * length is the capacity rounded up to a power of two; at most {@code capacity} parts are in it.
 * The consumer moves the head after every part, so a part it has read no longer counts.
 */
final class RingChannel extends Channel {
  private static final VarHandle TAIL;
  private static final VarHandle HEAD;
  private static final VarHandle LIMIT;
  private static final VarHandle RING;
  private static final VarHandle WAITER;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(ProcessorPart[].class);

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(RingChannel.class, "tail", long.class);
      HEAD = lookup.findVarHandle(RingChannel.class, "head", long.class);
      LIMIT = lookup.findVarHandle(RingChannel.class, "producerLimit", long.class);
      RING = lookup.findVarHandle(RingChannel.class, "ring", ProcessorPart[].class);
      WAITER = lookup.findVarHandle(RingChannel.class, "waiter", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int SPINS = 50;
  private static final int MIN_SPINS = 16;
  private static final long MIN_POLL_NANOS = 20_000;
  private static final long MAX_POLL_NANOS = 1_000_000;

  private final int capacity;
  // Producers wake a polling platform consumer once this many parts wait.
  private final int wakeAt;
  private volatile ProcessorPart @Nullable [] ring;
  // The next slot a producer claims; only ever compare-and-set.
  private volatile long tail;
  // The next slot the consumer reads: written by the consumer alone.
  private volatile long head;
  // A tail below which producers need not read the head: head + capacity, as last read.
  private volatile long producerLimit;
  // The consumer, while it is parked until a producer signals.
  private volatile @Nullable Thread waiter;
  // The platform consumer, while it is parked on a poll timer.
  private volatile @Nullable Thread poller;
  private volatile boolean ended;
  private volatile boolean failed;
  private volatile boolean consumerClosed;
  // How many producers wait for room; written under the lock.
  private volatile int spaceWaiters;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();

  // Consumer-only state.
  private long consumed;
  private long knownTail;
  private int spinBudget = MIN_SPINS;
  private long pollNanos;

  RingChannel(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("buffer capacity must be at least 1 but was " + capacity);
    }
    if (capacity > 1 << 30) {
      throw new IllegalArgumentException("buffer capacity must be at most 2^30 but was " + capacity);
    }
    this.capacity = capacity;
    this.wakeAt = Math.max(1, Math.min(capacity / 2, 32));
    this.producerLimit = capacity;
  }

  @Override
  public void emit(ProcessorPart part) {
    Objects.requireNonNull(part, "part");
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("the run was cancelled");
    }
    ProcessorPart[] slots = slots();
    long t;
    while (true) {
      if (consumerClosed) {
        throw new StreamClosedException();
      }
      if (ended) {
        throw new IllegalStateException("emit after the stream ended: " + part);
      }
      t = tail;
      long limit = producerLimit;
      if (t >= limit) {
        limit = head + capacity;
        if (t >= limit) {
          awaitRoom(t);
          continue;
        }
        LIMIT.setOpaque(this, limit);
      }
      if (TAIL.compareAndSet(this, t, t + 1)) {
        break;
      }
    }
    SLOT.setRelease(slots, (int) t & (slots.length - 1), part);
    // The tail's compare-and-set came before this read: a consumer that named itself as waiter
    // before it is seen here, and one that names itself after sees the new tail.
    Thread parked = waiter;
    if (parked != null && WAITER.compareAndSet(this, parked, null)) {
      LockSupport.unpark(parked);
      return;
    }
    Thread polling = poller;
    if (polling != null && t + 1 - head >= wakeAt) {
      LockSupport.unpark(polling);
    }
  }

  private ProcessorPart[] slots() {
    ProcessorPart[] slots = ring;
    if (slots == null) {
      ProcessorPart[] fresh = new ProcessorPart[ringLength(capacity)];
      slots = RING.compareAndSet(this, null, fresh) ? fresh : ring;
    }
    return Objects.requireNonNull(slots);
  }

  private static int ringLength(int capacity) {
    int length = Integer.highestOneBit(capacity);
    return length == capacity ? length : length << 1;
  }

  /** Waits until the consumer has moved past slot {@code t - capacity}, or has gone. */
  private void awaitRoom(long t) {
    lock(lock);
    try {
      spaceWaiters++;
      try {
        while (t - head >= capacity && !consumerClosed && !ended) {
          await(notFull);
        }
      } finally {
        spaceWaiters--;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public @Nullable ProcessorPart read() {
    long h = consumed;
    if (h < knownTail) {
      return take(h);
    }
    knownTail = tail;
    if (h < knownTail) {
      return take(h);
    }
    boolean virtual = Thread.currentThread().isVirtual();
    if (virtual) {
      int spins = spinBudget;
      int spin = 0;
      while (spin < spins && tail == h && !ended) {
        Thread.onSpinWait();
        spin++;
      }
      spinBudget = spin < spins ? Math.min(SPINS, spinBudget << 1)
          : Math.max(MIN_SPINS, spinBudget >> 1);
    } else if (pollNanos > 0) {
      poll(h);
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("the run was cancelled");
    }
    while ((knownTail = tail) == h) {
      if (ended) {
        knownTail = tail; // a producer that claimed a slot before the end still publishes it
        if (knownTail != h) {
          break;
        }
        if (failed) {
          throw new CancellationException("the upstream processor failed");
        }
        return null;
      }
      VarHandle.fullFence(); // the head this consumer last wrote, before it reads who waits
      if (spaceWaiters > 0) {
        signalRoom();
      }
      Thread self = Thread.currentThread();
      waiter = self;
      if (tail == h && !ended) {
        LockSupport.park(this);
      }
      WAITER.compareAndSet(this, self, null);
      if (self.isInterrupted()) {
        throw new CancellationException("the run was cancelled");
      }
    }
    if (!virtual) {
      pollNanos = MIN_POLL_NANOS;
    }
    return take(h);
  }

  /** Takes the part in slot {@code h}, which a producer has claimed, once it is published. */
  private ProcessorPart take(long h) {
    ProcessorPart[] slots = Objects.requireNonNull(ring);
    int index = (int) h & (slots.length - 1);
    ProcessorPart part = (ProcessorPart) SLOT.getAcquire(slots, index);
    int spins = 0;
    while (part == null) { // claimed, not yet written: the producer is between two instructions
      if (consumerClosed) {
        throw new CancellationException("the stream was closed while it was read");
      }
      if (++spins > 100) {
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
      part = (ProcessorPart) SLOT.getAcquire(slots, index);
    }
    SLOT.setOpaque(slots, index, null);
    consumed = h + 1;
    HEAD.setRelease(this, h + 1);
    if (spaceWaiters > 0) {
      signalRoom();
    }
    return part;
  }

  private void signalRoom() {
    lock.lock();
    try {
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Parks the (platform) consumer on a timer until parts or the end arrive, doubling the wait each
   * time it finds nothing, and gives polling up once the wait would pass {@link #MAX_POLL_NANOS}.
   */
  private void poll(long h) {
    Thread self = Thread.currentThread();
    while (tail == h && !ended) {
      poller = self;
      if (tail == h && !ended) {
        LockSupport.parkNanos(this, pollNanos);
      }
      poller = null;
      if (self.isInterrupted()) {
        return;
      }
      if (tail == h && !ended) {
        pollNanos <<= 1;
        if (pollNanos > MAX_POLL_NANOS) {
          pollNanos = 0;
          return;
        }
      }
    }
  }

  @Override
  void close() {
    ended = true;
    wakeConsumer();
  }

  @Override
  void fail() {
    failed = true;
    ended = true;
    wakeConsumer();
  }

  private void wakeConsumer() {
    Thread parked = waiter;
    if (parked != null) {
      LockSupport.unpark(parked);
    }
    Thread polling = poller;
    if (polling != null) {
      LockSupport.unpark(polling);
    }
    if (spaceWaiters > 0) {
      signalRoom(); // a producer waiting for room learns the stream ended
    }
  }

  @Override
  void closeConsumer() {
    consumerClosed = true;
    signalRoom();
    ProcessorPart[] slots = ring;
    if (slots != null) {
      java.util.Arrays.fill(slots, null); // buffered parts are dropped
    }
  }
}
