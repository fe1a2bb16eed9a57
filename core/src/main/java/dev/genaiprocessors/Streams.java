package dev.genaiprocessors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Utilities over {@link PartStream}s: merge several into one by arrival, concatenate them, split
 * one into copies, and make streams from iterables, Java streams, publishers or nothing at all.
 *
 * <pre>{@code
 * try (ProcessorStream both = Streams.merge(model.apply(question), microphone.stream())) {
 *   for (ProcessorPart part : both) {
 *     show(part);
 *   }
 * }
 * List<PartStream> copies = Streams.split(input, 2);
 * ProcessorStream answers = Streams.merge(fast.apply(copies.get(0)), slow.apply(copies.get(1)));
 * }</pre>
 *
 * <p><b>Ownership.</b> A combinator ({@link #merge}, {@link #concat}, {@link #split}) takes over
 * its input streams: do not read them elsewhere afterwards, and expect it to close those that are
 * {@link AutoCloseable} (such as a {@link ProcessorStream}, whose run is thereby cancelled if it
 * has not ended) once it is done with them. The streams they return are {@link AutoCloseable} in
 * turn (except {@code split(stream, 1)}, which is {@code stream} itself); {@link Processor#apply}
 * closes its input when its run ends, so a combined stream given to a processor needs no care. Read
 * by hand, close it (try-with-resources) if you may stop before its end.
 *
 * <p><b>Differences from the Python library.</b> Every buffer here is bounded except where the
 * Javadoc says so, and {@link #concat} reads its inputs strictly one after another (Python drains
 * all of them at once into unbounded queues). There is no {@code toPublisher}: a {@link
 * ProcessorStream} has {@link ProcessorStream#toPublisher()}, and any other stream becomes one with
 * {@code Processor.identity().apply(stream)}.
 */
public final class Streams {
  private Streams() {}

  /** A part of a stream with its position, counted from 0; see {@link #indexed}. */
  public record IndexedPart(int index, ProcessorPart part) {
    /**
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public IndexedPart {
      if (index < 0) {
        throw new IllegalArgumentException("index must not be negative but was " + index);
      }
      Objects.requireNonNull(part, "part");
    }
  }

  /**
   * The parts of all {@code streams}, interleaved in the order they arrive; see {@link #merge(List,
   * boolean)}. Ends when every stream has ended.
   */
  public static ProcessorStream merge(PartStream... streams) {
    Objects.requireNonNull(streams, "streams");
    return merge(java.util.Arrays.asList(streams), false);
  }

  /**
   * The parts of all {@code streams}, interleaved in the order they arrive (the Python library's
   * {@code streams.merge}).
   *
   * <p><b>Order.</b> Parts of one stream keep their order; parts of different streams come in the
   * order they were produced. No streams give an empty stream.
   *
   * <p><b>End.</b> Without {@code stopOnFirst}, the merged stream ends when every stream has ended.
   * With it, the merged stream ends as soon as any one stream ends, and the others are cancelled
   * (for a live source that must stop when, say, the conversation ends). A stream that ends by
   * cancellation (its {@code read()} throws {@link java.util.concurrent.CancellationException})
   * merely ends; the others go on.
   *
   * <p><b>Threading.</b> Nothing starts until the merged stream is first read. Then each stream is
   * read on a virtual thread of its own, and the parts go through one bounded buffer (the current
   * run's {@link RunConfig#bufferSize()}, or the default outside a run): a stream producing faster
   * than the merged stream is read waits for room. These threads belong to the returned {@link
   * ProcessorStream}: reading it to its end joins them, and closing it before the end cancels them
   * (interrupting their reads, which must therefore honour interruption) and waits for them. Once
   * they have stopped, the streams that are {@link AutoCloseable} are closed.
   *
   * @param streams the streams to merge, each read by the merge alone (use {@link #split} first to
   *     read a stream twice)
   * @return the merged stream; its {@link ProcessorStream#processor()} is named {@code "merge"}
   * @throws IllegalArgumentException if one stream appears twice in {@code streams}
   * @throws RuntimeException from reading the merged stream, when reading one of the streams threw:
   *     after the parts that arrived before, the original exception if unchecked (naming the
   *     processor that failed, say that of a failed {@link ProcessorStream}, else {@code "merge"};
   *     see {@link ProcessorException#stageOf}), a {@link ProcessorException} if checked; the other
   *     streams are cancelled
   */
  public static ProcessorStream merge(List<? extends PartStream> streams, boolean stopOnFirst) {
    List<PartStream> inputs = checked("streams", streams);
    IdentityHashMap<PartStream, Integer> seen = new IdentityHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      Integer earlier = seen.putIfAbsent(inputs.get(i), i);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "streams["
                + earlier
                + "] and streams["
                + i
                + "] are the same stream, which cannot be"
                + " read twice at once; split it first with Streams.split");
      }
    }
    RunConfig current = RunContext.current().config;
    // The merge is plumbing, not a stage the user wrote: its run reports to no interceptor.
    RunConfig config =
        new RunConfig(
            current.bufferSize(),
            current.maxConcurrency(),
            current.reservedSubstreams(),
            List.of());
    return new ProcessorStream(
        new MergeProcessor(inputs, stopOnFirst), config, PartStream.of(List.of()));
  }

  /**
   * The parts of all {@code streams}: every part of the first, then every part of the second, and
   * so on. No streams, or only empty ones, give an empty stream.
   *
   * <p><b>Bounded, unlike the Python library.</b> Each stream is read only once the one before it
   * has ended; nothing is buffered and no thread is started: reading the result reads the streams,
   * on the reader's thread. Python's {@code streams.concat} instead drains every stream at once
   * into unbounded queues (its open issue #164), which costs memory without limit when a later
   * stream is long or endless. To run the producers of the streams concurrently and still emit in
   * order, use {@link Processor#parallel}.
   *
   * <p>The result is {@link AutoCloseable}: closing it closes the streams that are, and a stream is
   * also closed as soon as it has ended.
   *
   * @throws RuntimeException any exception that reading the current stream throws, unchanged
   */
  public static PartStream concat(PartStream... streams) {
    Objects.requireNonNull(streams, "streams");
    return new ConcatStream(checked("streams", java.util.Arrays.asList(streams)));
  }

  /**
   * {@code n} copies of {@code stream}, each yielding every part of it in order (the Python
   * library's {@code streams.split}), with no limit on how far one copy may fall behind another;
   * see {@link #split(PartStream, int, int)}.
   */
  public static List<PartStream> split(PartStream stream, int n) {
    return split(stream, n, Integer.MAX_VALUE);
  }

  /**
   * {@code n} copies of {@code stream}, each yielding every part of it in order. The copies are the
   * same {@link ProcessorPart} objects, which are immutable. {@code n == 1} gives {@code stream}
   * itself.
   *
   * <p><b>Reading the copies.</b> They may be read on different threads at different speeds, or one
   * after another on one thread. {@code stream} is read on a virtual thread of the split's own
   * (started at the first read of any copy), only as fast as the copy furthest ahead asks for parts
   * (it keeps at most {@link RunConfig#bufferSize()} parts ready for it, for the current run or the
   * default). A copy further behind keeps the parts it has not yet read: up to {@code maxBacklog}
   * of them. When a copy holds that many, the reader waits until that copy is read or closed.
   *
   * <p><b>Choosing {@code maxBacklog}.</b> With {@link #split(PartStream, int)} there is no limit,
   * as in Python: the copies never wait for each other and can never deadlock, even read one after
   * another, but a copy that is not read while another is holds the whole stream in memory. With a
   * limit, memory stays bounded by {@code n * maxBacklog} parts, but the copies must then be read
   * concurrently: a copy that nobody reads and nobody closes stops the others once it holds {@code
   * maxBacklog} parts, and reading the copies one after another on one thread then blocks for good
   * (until interrupted).
   *
   * <p><b>Lifetime.</b> Each copy is {@link AutoCloseable}: closing it drops its backlog and stops
   * it holding the others back; closing the last one cancels the reader thread and closes {@code
   * stream} if it is {@link AutoCloseable}. The reader also stops, closing {@code stream}, when
   * {@code stream} ends. {@link Processor#apply} closes its input at the end of its run, so copies
   * given to processors need no care; close copies you read by hand and may abandon. A copy dropped
   * unclosed is closed when the garbage collector finds it unreachable, with a warning (as a
   * dropped {@link ProcessorStream} is cancelled): until then it keeps its backlog and may hold the
   * others back.
   *
   * <p><b>Errors.</b> When reading {@code stream} throws, every copy throws, after its backlog, the
   * same exception: an unchecked one as itself, naming the failed processor when {@code stream} was
   * a failed {@link ProcessorStream}, else {@code "split"} ({@link ProcessorException#stageOf}); a
   * checked one as the cause of a fresh {@link ProcessorException} per copy. When {@code stream} is
   * cancelled, every copy throws a {@link java.util.concurrent.CancellationException}.
   *
   * @param maxBacklog the most parts one copy may hold unread, at least 1
   * @throws IllegalArgumentException if {@code n} is not positive (with the Python library's
   *     message for 0: {@code "Cannot split a stream in n=0 streams."}) or {@code maxBacklog} is
   *     below 1
   */
  public static List<PartStream> split(PartStream stream, int n, int maxBacklog) {
    Objects.requireNonNull(stream, "stream");
    if (n < 1) {
      throw new IllegalArgumentException("Cannot split a stream in n=" + n + " streams.");
    }
    if (maxBacklog < 1) {
      throw new IllegalArgumentException("maxBacklog must be at least 1 but was " + maxBacklog);
    }
    if (n == 1) {
      return List.of(stream);
    }
    return SplitStreams.of(stream, n, RunContext.current().config.bufferSize(), maxBacklog);
  }

  /**
   * Reads every remaining part of {@code stream} into a content, in order, then closes {@code
   * stream} if it is {@link AutoCloseable} (also when reading fails).
   *
   * @throws RuntimeException any exception that reading {@code stream} throws, unchanged
   */
  public static ProcessorContent gather(PartStream stream) {
    Objects.requireNonNull(stream, "stream");
    Throwable failure = null;
    try {
      return stream.gather();
    } catch (Throwable e) {
      failure = e;
      throw e;
    } finally {
      closeAll("gather", List.of(stream), failure);
    }
  }

  /**
   * The remaining parts of {@code stream} with their positions, counted from 0 (the Python
   * library's {@code aenumerate}), for a plain loop:
   *
   * <pre>{@code
   * for (Streams.IndexedPart p : Streams.indexed(input)) {
   *   output.emit(p.part().withMetadata("index", p.index()));
   * }
   * }</pre>
   *
   * <p>Single-use like the stream: every iterator continues from where the previous one stopped,
   * numbering on. Reading happens on the iterating thread, as {@link PartStream#read()} does.
   */
  public static Iterable<IndexedPart> indexed(PartStream stream) {
    Objects.requireNonNull(stream, "stream");
    return new IndexedParts(stream);
  }

  /**
   * A stream that never yields a part and never ends: its {@code read()} blocks until the reading
   * thread is interrupted, then throws {@link java.util.concurrent.CancellationException} (the
   * Python library's {@code endless_stream}). Feed it to a processor that must run until its run is
   * closed, typically a live {@link Source}: {@code
   * source.toProcessor(true).apply(Streams.endless())}.
   */
  public static PartStream endless() {
    // A new stream each time, though it holds no state: the same stream given twice to merge is
    // an error.
    return new Endless();
  }

  /**
   * The items of {@code items} as parts: parts as they are, strings as text parts, read lazily as
   * the stream is read.
   *
   * @throws IllegalArgumentException from reading, naming the type of an item that is neither
   */
  public static PartStream fromIterable(Iterable<?> items) {
    return Inputs.toStream(Objects.requireNonNull(items, "items"));
  }

  /** The remaining items of {@code items} as parts; see {@link #fromIterable}. */
  public static PartStream fromIterator(Iterator<?> items) {
    return Inputs.toStream(Objects.requireNonNull(items, "items"));
  }

  /**
   * The items of a Java {@code stream} as parts (see {@link #fromIterable}). The result is {@link
   * AutoCloseable} and closes {@code stream} when closed, as the run of a processor it is given to
   * does at its end.
   */
  public static PartStream fromStream(java.util.stream.Stream<?> items) {
    return Inputs.toStream(Objects.requireNonNull(items, "items"));
  }

  /**
   * The items {@code publisher} publishes, as parts (see {@link #fromIterable}). It is subscribed
   * to at the first read and asked for items only as the buffer between them empties ({@link
   * RunConfig#DEFAULT_BUFFER_SIZE} parts), so a fast publisher waits for its reader. An error it
   * signals is thrown by {@code read()}, after the items before it: as itself when unchecked, as
   * the cause of a {@link ProcessorException} when checked, named {@code "input publisher"}. The
   * result is {@link AutoCloseable}: closing it cancels the subscription.
   */
  public static PartStream fromPublisher(Flow.Publisher<?> publisher) {
    return Inputs.toStream(Objects.requireNonNull(publisher, "publisher"));
  }

  /**
   * The items of {@code items} as parts (see {@link #fromIterable}), each followed by a pause of
   * {@code delay}, so the end of the stream also comes {@code delay} after the last part (the
   * Python library's {@code stream_content(items, with_delay_sec=...)}, with its defaults). Meant
   * for tests and demos of live streams. The pauses are {@link Thread#sleep} on the reading thread,
   * which an interrupt ends with a {@link java.util.concurrent.CancellationException}.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public static PartStream delayed(Iterable<?> items, Duration delay) {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative but was " + delay);
    }
    Iterator<?> iterator = items.iterator();
    return new PartStream() {
      private boolean first = true;
      private boolean ended;

      @Override
      public @Nullable ProcessorPart read() {
        if (ended) {
          return null;
        }
        if (!first) {
          try {
            Thread.sleep(delay);
          } catch (InterruptedException e) {
            throw Channel.cancelled(e);
          }
        }
        first = false;
        if (!iterator.hasNext()) {
          ended = true;
          return null;
        }
        return Inputs.toPart(iterator.next(), "Streams.delayed");
      }
    };
  }

  /** Checks {@code streams} and its elements for null, naming the index of a null element. */
  private static List<PartStream> checked(
      String name, @Nullable List<? extends PartStream> streams) {
    Objects.requireNonNull(streams, name);
    List<PartStream> copy = new ArrayList<>(streams.size());
    for (int i = 0; i < streams.size(); i++) {
      copy.add(Objects.requireNonNull(streams.get(i), name + "[" + i + "]"));
    }
    return Collections.unmodifiableList(copy);
  }

  /**
   * Closes each of {@code resources} that is {@link AutoCloseable}, once even if it appears twice.
   * Failures to close are added as suppressed to {@code primary} when there is one (the failure
   * already on its way); otherwise the first is thrown once all are closed, the others suppressed
   * in it, a checked exception wrapped in a {@link ProcessorException} naming {@code owner}.
   */
  static void closeAll(String owner, List<?> resources, @Nullable Throwable primary) {
    Set<Object> done = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable failure = null;
    for (Object resource : resources) {
      if (!(resource instanceof AutoCloseable closeable) || !done.add(resource)) {
        continue;
      }
      try {
        closeable.close();
      } catch (Throwable e) {
        if (primary != null) {
          primary.addSuppressed(e);
        } else if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure instanceof RuntimeException unchecked) {
      throw unchecked;
    }
    if (failure instanceof Error fatal) {
      throw fatal;
    }
    if (failure != null) {
      throw new ProcessorException(owner, failure);
    }
  }

  /** Never yields, never ends. */
  private static final class Endless implements PartStream {
    /** Never counted down: waiting on it lasts until the waiter is interrupted. */
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    @Override
    public @Nullable ProcessorPart read() {
      try {
        NEVER.await();
      } catch (InterruptedException e) {
        throw Channel.cancelled(e);
      }
      throw new AssertionError("a latch that is never counted down was opened");
    }
  }

  /** The single-use iterable of {@link #indexed}: numbering carries over between iterators. */
  private static final class IndexedParts implements Iterable<IndexedPart> {
    private final PartStream stream;
    private int next;

    IndexedParts(PartStream stream) {
      this.stream = stream;
    }

    @Override
    public Iterator<IndexedPart> iterator() {
      return new Iterator<>() {
        private @Nullable ProcessorPart pending;
        private boolean ended;

        @Override
        public boolean hasNext() {
          if (pending == null && !ended) {
            pending = stream.read();
            ended = pending == null;
          }
          return pending != null;
        }

        @Override
        public IndexedPart next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          ProcessorPart part = Objects.requireNonNull(pending); // hasNext() found one
          pending = null;
          return new IndexedPart(next++, part);
        }
      };
    }
  }
}
