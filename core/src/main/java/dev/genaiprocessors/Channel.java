package dev.genaiprocessors;

import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The buffer between two stages: any number of producers {@link #emit}, one consumer {@link
 * #read}s.
 *
 * <p>Producers block while it is full; the consumer blocks while it is empty. The producing side
 * ends it with {@link #close()} (normal end) or {@link #fail()} (the producer failed: the consumer
 * is cancelled instead of seeing a clean end). The consuming side gives up with {@link
 * #closeConsumer()}, after which producers get a {@link StreamClosedException}. All blocking waits
 * are interruptible and turn an interrupt into a {@link CancellationException}, keeping the
 * thread's interrupt status so the processor's next blocking call stops too.
 *
 * <p>No Java monitor is used anywhere, since one would pin virtual threads on Java 21. A consumer
 * on a platform thread (a caller reading a run's output) is woken from the kernel, which costs far
 * more than a part: while parts keep coming it polls on a timer and takes them in batches, leaving
 * its core to the producers, who wake it early only when parts pile up.
 */
abstract sealed class Channel implements PartSink, PartStream permits RingChannel, LockedChannel {

  /** A channel that holds at most {@code capacity} parts before its producers wait. */
  static Channel bounded(int capacity) {
    return new RingChannel(capacity);
  }

  /** A channel that never makes its producers wait (for buffers that must not deadlock). */
  static Channel unbounded() {
    return new LockedChannel(Integer.MAX_VALUE);
  }

  @Override
  public abstract void emit(ProcessorPart part);

  @Override
  public abstract @Nullable ProcessorPart read();

  /** The producers are done: the consumer reads what is buffered, then the end. */
  abstract void close();

  /** A producer failed: the consumer reads what is buffered, then is cancelled. */
  abstract void fail();

  /** The consumer is gone: buffered parts are dropped and producers are told to stop. */
  abstract void closeConsumer();

  /** Locks {@code lock}, turning an interrupt into a {@link CancellationException}. */
  static void lock(ReentrantLock lock) {
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      throw cancelled(e);
    }
  }

  /** Awaits {@code condition}, turning an interrupt into a {@link CancellationException}. */
  // One wait; every caller loops on its own condition around it.
  @SuppressWarnings("WaitNotInLoop")
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
