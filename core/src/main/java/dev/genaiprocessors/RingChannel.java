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
 * part into it; the single consumer reads the slots in order. It is the multi-producer,
 * single-consumer array queue of JCTools and of Reactor's hops, with blocking added for both ends.
 *
 * <p><b>Batches.</b> When the consumer has read all it knew of, it takes every part claimed so far
 * as its next batch and moves the head to the batch's end: those parts no longer count against the
 * capacity, as in {@link LockedChannel}, so producers refill the buffer while the consumer works
 * through the batch, and the head (which producers read) is written once per batch, not per part.
 * The ring holds the batch and a full buffer: twice the capacity, rounded up to a power of two. It
 * is allocated at the first emit, so that idle pipelines hold no buffers.
 *
 * <p><b>Blocking.</b> A consumer that finds the ring empty spins briefly (a virtual thread) or
 * polls on a timer (a platform thread, see {@link Channel}), then names itself in {@code waiter}
 * and parks; a producer that has claimed a slot reads {@code waiter} and unparks it. Both sides
 * write their own field before reading the other's (volatile, so sequentially consistent), so a
 * wake-up cannot be lost. Producers that find the buffer full wait on a condition under a lock,
 * counted in {@code spaceWaiters}; the consumer signals them when it takes a batch, after moving
 * the head, the same way round. The lock is only taken on that slow path.
 */
final class RingChannel extends Channel {
  private static final VarHandle TAIL;
  private static final VarHandle LIMIT;
  private static final VarHandle RING;
  private static final VarHandle WAITER;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(ProcessorPart[].class);

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(RingChannel.class, "tail", long.class);
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
  // Producers wake a polling platform consumer once this many parts wait; the consumer wakes
  // producers waiting for room once every this many parts.
  private final int wakeAt;
  private volatile @Nullable ProcessorPart @Nullable [] ring;
  // The next slot a producer claims; only ever compare-and-set.
  private volatile long tail;
  // The end of the consumer's last batch: parts before it no longer count against the capacity.
  // Written by the consumer alone.
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

  // Consumer-only state: the next slot to read (the batch being read ends at the head).
  private long consumed;
  private int spinBudget = MIN_SPINS;
  private long pollNanos;

  RingChannel(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("buffer capacity must be at least 1 but was " + capacity);
    }
    if (capacity > 1 << 29) {
      throw new IllegalArgumentException(
          "buffer capacity must be at most 2^29 but was " + capacity);
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
    @Nullable ProcessorPart[] slots = slots();
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

  private @Nullable ProcessorPart[] slots() {
    @Nullable ProcessorPart[] slots = ring;
    if (slots == null) {
      @Nullable ProcessorPart[] fresh = new ProcessorPart[ringLength(capacity)];
      slots = RING.compareAndSet(this, null, fresh) ? fresh : ring;
    }
    return Objects.requireNonNull(slots);
  }

  /**
   * Room for the consumer's batch (at most {@code capacity} parts it has grabbed but not yet read)
   * and for {@code capacity} parts the producers add meanwhile: twice the capacity, rounded up to a
   * power of two.
   */
  private static int ringLength(int capacity) {
    int length = Integer.highestOneBit(capacity);
    return (length == capacity ? length : length << 1) << 1;
  }

  /** Waits until the consumer has moved past slot {@code t - capacity}, or has gone. */
  // spaceWaiters changes only under the lock; it is volatile for the lock-free producer that reads
  // it.
  @SuppressWarnings("NonAtomicVolatileUpdate")
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
    if (h < head || grab(h)) {
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
      spinBudget =
          spin < spins ? Math.min(SPINS, spinBudget << 1) : Math.max(MIN_SPINS, spinBudget >> 1);
    } else if (pollNanos > 0) {
      poll(h);
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("the run was cancelled");
    }
    while (!grab(h)) {
      if (ended) {
        if (grab(h)) { // a producer that claimed a slot before the end still publishes it
          break;
        }
        if (failed) {
          throw new CancellationException("the upstream processor failed");
        }
        return null;
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

  /**
   * Takes every part claimed so far as the consumer's batch, when there is any: the head moves to
   * the batch's end, so its parts no longer count against the capacity, and producers waiting for
   * room are signalled. The head is a volatile write and the count of waiters a volatile read,
   * which a producer registering as a waiter does the other way round: one of the two sees the
   * other.
   */
  private boolean grab(long h) {
    long t = tail;
    if (t == h) {
      return false;
    }
    head = t;
    if (spaceWaiters > 0) {
      signalRoom();
    }
    return true;
  }

  /** Takes the part in slot {@code h}, which a producer has claimed, once it is published. */
  // Thread.yield is the back-off of a short spin for a part that a producer is writing right now.
  @SuppressWarnings("ThreadPriorityCheck")
  private ProcessorPart take(long h) {
    @Nullable ProcessorPart[] slots = Objects.requireNonNull(ring);
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
    slots[index] = null; // a producer reuses it only after a later grab, a volatile write, is seen
    consumed = h + 1;
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
    @Nullable ProcessorPart[] slots = ring;
    if (slots
        != null) { // buffered parts are dropped (from where the consumer was, if it is another
      long from = consumed; // thread: at worst a few stay, or a read in flight is cancelled)
      long to = Math.min(tail, from + slots.length);
      for (long i = from; i < to; i++) {
        slots[(int) i & (slots.length - 1)] = null;
      }
    }
  }
}
