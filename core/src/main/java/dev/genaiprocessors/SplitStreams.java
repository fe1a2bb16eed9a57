package dev.genaiprocessors;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>A user holds a {@link Handle} on each copy, never the copy itself, and the reader holds the
 * copies, never a handle: a handle dropped unclosed becomes unreachable, and the shared cleaner
 * then closes its copy (with a warning), so that it stops holding parts and holding the others
 * back, and the last one dropped stops the reader. The cleaner's thread never waits: it cancels the
 * reader, or closes a never-read source on a thread of its own.
 */
final class SplitStreams {
  static final String NAME = "split";
  private static final Logger LOG = LoggerFactory.getLogger(Streams.class);

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
    SplitStreams split = new SplitStreams(source, n, readAhead, maxBacklog);
    List<PartStream> handles = new ArrayList<>(n);
    for (Copy copy : split.copies) {
      handles.add(new Handle(copy));
    }
    return List.copyOf(handles);
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

    @Override
    public void close() {
      close(true);
    }

    /**
     * The cleaner's action once this copy's handle is unreachable: nothing if the copy was closed
     * or the reader has ended (no thread to stop); else a warning, and the copy is closed without
     * waiting.
     */
    void dropped() {
      lock.lock();
      try {
        if (closed || ended) {
          return;
        }
      } finally {
        lock.unlock();
      }
      LOG.warn(
          "a copy of a split stream was not closed; it was closed when it was collected. Close"
              + " every copy you may abandon, or use try-with-resources");
      close(false);
    }

    /**
     * Drops this copy's backlog and stops holding the others back; closing the last copy stops the
     * reader (waiting for it when {@code wait}, else only cancelling it) or, if it never started,
     * closes the source (on a thread of its own when not {@code wait}). Idempotent.
     */
    private void close(boolean wait) {
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
        if (wait) {
          scope.close();
        } else {
          scope.cancel();
        }
      } else if (wait) {
        Streams.closeAll(NAME, List.of(source), null);
      } else {
        Thread.ofVirtual()
            .name("split-close")
            .start(
                () -> {
                  try {
                    Streams.closeAll(NAME, List.of(source), null);
                  } catch (RuntimeException e) {
                    LOG.warn("closing the source of dropped split copies failed", e);
                  }
                });
      }
    }
  }

  /**
   * What a user holds of one copy. The cleaner's action refers to the copy alone, so the handle can
   * become unreachable while the reader still holds the copy.
   */
  private static final class Handle implements PartStream, AutoCloseable {
    private final Copy copy;
    private final Cleaner.Cleanable cleanable;

    Handle(Copy copy) {
      this.copy = copy;
      this.cleanable = ProcessorStream.CLEANER.register(this, copy::dropped);
    }

    @Override
    public @Nullable ProcessorPart read() {
      try {
        return copy.read();
      } finally {
        // A thread blocked reading holds the handle: it must not be collected meanwhile.
        Reference.reachabilityFence(this);
      }
    }

    /** Closes the copy; the cleaner then forgets this handle. */
    @Override
    public void close() {
      copy.close();
      cleanable.clean();
    }
  }
}
