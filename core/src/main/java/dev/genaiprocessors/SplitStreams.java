package dev.genaiprocessors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The copies behind {@link Streams#split}: one reader thread copies the source into a backlog per
 * copy, and each copy reads its own backlog.
 *
 * <p>The reader reads the source on a thread of its own, not on a consumer's thread, so that one
 * consumer being cancelled (its thread interrupted mid-read) cannot cancel the source for the
 * others. It reads on demand: only while the copy furthest ahead holds fewer than {@code readAhead}
 * unread parts and every copy holds fewer than {@code maxBacklog}. A closed copy holds nothing and
 * never holds the reader back.
 *
 * <p>Lifetime: the reader starts at the first read of any copy and stops at the end of the source,
 * or when every copy is closed (then it is cancelled and waited for). It closes the source, if
 * {@link AutoCloseable}, when it stops; if no copy was ever read, closing the last copy closes it.
 */
final class SplitStreams {
  static final String NAME = "split";

  private final PartStream source;
  private final int readAhead;
  private final int maxBacklog;
  private final List<Copy> copies;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Condition room = lock.newCondition();
  private final Scope scope = new Scope();
  private boolean started;
  private boolean ended;
  private boolean sourceCancelled;
  private @Nullable Throwable failure;
  private int open;

  private SplitStreams(PartStream source, int n, int readAhead, int maxBacklog) {
    this.source = source;
    this.readAhead = readAhead;
    this.maxBacklog = maxBacklog;
    List<Copy> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(new Copy());
    }
    this.copies = List.copyOf(all);
    this.open = n;
  }

  static List<PartStream> of(PartStream source, int n, int readAhead, int maxBacklog) {
    return List.copyOf(new SplitStreams(source, n, readAhead, maxBacklog).copies);
  }

  /** The reader thread's work. */
  private void pump() {
    Throwable error = null;
    boolean cancelled = false;
    try {
      while (awaitRoom()) {
        ProcessorPart part = source.read();
        if (part == null) {
          break;
        }
        deliver(part);
      }
    } catch (CancellationException e) {
      cancelled = true;
    } catch (Throwable e) {
      error = e;
    }
    try {
      Streams.closeAll(NAME, List.of(source), error);
    } catch (RuntimeException e) {
      error = e;
    }
    end(error, cancelled);
  }

  private boolean awaitRoom() {
    Channel.lock(lock);
    try {
      while (open > 0 && !hasRoom()) {
        Channel.await(room);
      }
      return open > 0;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the reader may read one more part; call with the lock held. */
  private boolean hasRoom() {
    int least = Integer.MAX_VALUE;
    int most = 0;
    for (Copy copy : copies) {
      if (!copy.closed) {
        least = Math.min(least, copy.backlog.size());
        most = Math.max(most, copy.backlog.size());
      }
    }
    return least < readAhead && most < maxBacklog;
  }

  private void deliver(ProcessorPart part) {
    Channel.lock(lock);
    try {
      for (Copy copy : copies) {
        if (!copy.closed) {
          copy.backlog.addLast(part);
        }
      }
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void end(@Nullable Throwable error, boolean cancelled) {
    lock.lock();
    try {
      ended = true;
      failure = error;
      sourceCancelled = cancelled && error == null;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The failure as each copy throws it: an unchecked one (or an {@code Error}) as itself, the same
   * instance for every copy, as Java's own streams rethrow; a checked one in a fresh {@link
   * ProcessorException} per copy naming the failing processor, so that no two readers share it.
   */
  private static RuntimeException failureOfCopy(Throwable error) {
    if (error instanceof ProcessorException named && named.getCause() != null) {
      return new ProcessorException(named.processorName(), named.getCause());
    }
    return Stages.failure(NAME, error);
  }

  /** One copy: its backlog is guarded by the split's lock. */
  private final class Copy implements PartStream, AutoCloseable {
    final ArrayDeque<ProcessorPart> backlog = new ArrayDeque<>();
    boolean closed;

    @Override
    public @Nullable ProcessorPart read() {
      Channel.lock(lock);
      try {
        if (closed) {
          throw new CancellationException("this copy of a split stream was closed");
        }
        if (!started) {
          started = true;
          scope.fork(NAME, SplitStreams.this::pump);
        }
        while (backlog.isEmpty() && !ended) {
          Channel.await(arrived);
        }
        ProcessorPart part = backlog.pollFirst();
        if (part != null) {
          room.signal();
          return part;
        }
        if (failure != null) {
          throw failureOfCopy(failure);
        }
        if (sourceCancelled) {
          throw new CancellationException("the stream given to split was cancelled");
        }
        return null;
      } finally {
        lock.unlock();
      }
    }

    /**
     * Drops this copy's backlog and stops holding the others back; closing the last copy stops the
     * reader (waiting for it) or, if it never started, closes the source. Idempotent.
     */
    @Override
    public void close() {
      boolean last;
      boolean readerStarted;
      lock.lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        backlog.clear();
        open--;
        last = open == 0;
        readerStarted = started;
        if (last) {
          started = true;
        }
        room.signal();
      } finally {
        lock.unlock();
      }
      if (!last) {
        return;
      }
      if (readerStarted) {
        scope.close();
      } else {
        Streams.closeAll(NAME, List.of(source), null);
      }
    }
  }
}
