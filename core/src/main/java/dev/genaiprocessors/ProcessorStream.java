package dev.genaiprocessors;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The output of one run of a processor, as the caller reads it: iterate it, {@link #gather()} it,
 * read its {@link #text()}, or view it as a {@link Stream} or a {@link Flow.Publisher}.
 *
 * <pre>{@code
 * try (ProcessorStream out = pipeline.apply(prompt)) {
 *   for (ProcessorPart part : out) {
 *     System.out.print(part.text());
 *   }
 * }
 * }</pre>
 *
 * <p>The run starts when the stream is first read and belongs to it: reading to the end joins every
 * thread of the run; {@link #close()} before the end cancels the run and waits until every thread
 * has stopped. A failure is thrown as a {@link ProcessorException} (naming the failing processor,
 * the original exception as its cause) after every part emitted before it has been read.
 *
 * <p>A stream is read once, by one consumer at a time. It is not thread-safe except for {@link
 * #close()}, which may be called from any thread.
 */
public final class ProcessorStream implements Iterable<ProcessorPart>, PartStream, AutoCloseable {
  private final Processor processor;
  private final RunConfig config;
  private final PartStream input;
  private final Scope scope = new Scope();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private @Nullable Channel output;
  private boolean finished;

  ProcessorStream(Processor processor, RunConfig config, PartStream input) {
    this.processor = Objects.requireNonNull(processor, "processor");
    this.config = Objects.requireNonNull(config, "config");
    this.input = input;
  }

  /** The processor this stream runs. */
  public Processor processor() {
    return processor;
  }

  private Channel start() {
    Channel out = output;
    if (out != null) {
      return out;
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("this ProcessorStream was closed before it was read");
    }
    Channel channel = Channel.bounded(config.bufferSize());
    output = channel;
    RunContext previous = RunContext.current();
    // A run started with the defaults from inside another run (a tool loop calling its model)
    // belongs to that run: same settings, same interceptors, same run id.
    RunContext.set(config == RunConfig.defaults() ? previous : RunContext.forRun(config));
    try {
      scope.fork(
          processor.name(),
          () -> {
            try {
              Stages.run(processor, input, channel, true);
              channel.close();
            } catch (Throwable e) {
              channel.fail();
              throw Stages.named(processor.name(), e);
            } finally {
              if (input instanceof AutoCloseable closeable) {
                closeable.close();
              }
            }
          });
    } finally {
      RunContext.set(previous);
    }
    return channel;
  }

  /**
   * The next part, waiting for it if need be, or {@code null} at the end of the run.
   *
   * @throws ProcessorException when the run failed (after all parts emitted before the failure)
   * @throws CancellationException when the stream was closed, or the reading thread interrupted
   */
  @Override
  public @Nullable ProcessorPart read() {
    if (finished) {
      return null;
    }
    if (closed.get()) {
      throw new CancellationException("this ProcessorStream was closed");
    }
    Channel out = start();
    ProcessorPart part;
    try {
      part = out.read();
    } catch (CancellationException e) {
      if (closed.get() || Thread.currentThread().isInterrupted()) {
        close();
        throw e;
      }
      part = null;
    }
    if (part == null) {
      finish();
    }
    return part;
  }

  private void finish() {
    finished = true;
    try {
      scope.join();
    } catch (InterruptedException e) {
      throw Scope.cancelledWhileJoining(scope, e);
    }
    Throwable failure = scope.failure();
    if (failure != null) {
      throw ProcessorException.wrap(processor.name(), failure);
    }
  }

  /** Reads every part (runs the processor to the end) into a content. */
  @Override
  public ProcessorContent gather() {
    try (this) {
      return PartStream.super.gather();
    }
  }

  /** Runs the processor to the end and returns the text of its text parts, concatenated. */
  public String text() {
    return gather().text();
  }

  /** Runs the processor to the end, discarding its output (for its side effects). */
  public void drain() {
    try (this) {
      while (read() != null) {
        // Only the side effects matter.
      }
    }
  }

  /** An iterator over the parts; the stream is single-use, so every iterator shares the position. */
  @Override
  public Iterator<ProcessorPart> iterator() {
    return PartStream.super.iterator();
  }

  /**
   * The parts as a sequential {@link Stream}. Closing the stream (for example with
   * try-with-resources) cancels the run if it has not ended.
   */
  @Override
  public Stream<ProcessorPart> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(this::close);
  }

  /**
   * The parts as a {@link Flow.Publisher} for one subscriber, honouring its demand: parts are read
   * from the run only as the subscriber requests them, on a virtual thread that belongs to this
   * stream. Cancelling the subscription closes the stream. A failure is signalled with {@code
   * onError} (a {@link ProcessorException}).
   */
  public Flow.Publisher<ProcessorPart> toPublisher() {
    AtomicBoolean subscribed = new AtomicBoolean();
    return subscriber -> {
      Objects.requireNonNull(subscriber, "subscriber");
      if (!subscribed.compareAndSet(false, true)) {
        subscriber.onSubscribe(NoSubscription.INSTANCE);
        subscriber.onError(new IllegalStateException("a ProcessorStream has one subscriber only"));
        return;
      }
      new Publication(subscriber).start();
    };
  }

  /**
   * Cancels the run if it has not ended and waits until every one of its threads has stopped.
   * Idempotent; may be called from any thread.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (started.compareAndSet(false, true) && input instanceof AutoCloseable closeable) {
      // Never started: nobody else will close what it was given.
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the input of " + processor.name() + " failed", e);
      }
    }
    Channel out = output;
    if (out != null) {
      out.closeConsumer();
    }
    scope.close();
  }

  private enum NoSubscription implements Flow.Subscription {
    INSTANCE;

    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }

  /** Delivers the parts to one subscriber as it requests them. */
  private final class Publication implements Flow.Subscription {
    private final Flow.Subscriber<? super ProcessorPart> subscriber;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition demanded = lock.newCondition();
    private long demand;
    private boolean cancelled;
    private final Scope publisherScope = new Scope();

    Publication(Flow.Subscriber<? super ProcessorPart> subscriber) {
      this.subscriber = subscriber;
    }

    void start() {
      subscriber.onSubscribe(this);
      publisherScope.fork(processor.name() + "-publisher", this::deliver);
    }

    private void deliver() {
      try {
        while (awaitDemand()) {
          ProcessorPart part = read();
          if (part == null) {
            subscriber.onComplete();
            return;
          }
          subscriber.onNext(part);
        }
      } catch (CancellationException e) {
        if (!isCancelled()) {
          subscriber.onError(e);
        }
      } catch (RuntimeException e) {
        subscriber.onError(e);
      } finally {
        ProcessorStream.this.close();
      }
    }

    private boolean awaitDemand() {
      lock.lock();
      try {
        while (demand == 0 && !cancelled) {
          demanded.await();
        }
        if (cancelled) {
          return false;
        }
        demand--;
        return true;
      } catch (InterruptedException e) {
        throw Channel.cancelled(e);
      } finally {
        lock.unlock();
      }
    }

    private boolean isCancelled() {
      lock.lock();
      try {
        return cancelled;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void request(long n) {
      lock.lock();
      try {
        if (n <= 0) {
          cancelled = true;
          demanded.signalAll();
          subscriber.onError(
              new IllegalArgumentException("Flow.Subscription.request(n) needs n > 0 but n was " + n));
          return;
        }
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        demanded.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void cancel() {
      lock.lock();
      try {
        cancelled = true;
        demanded.signalAll();
      } finally {
        lock.unlock();
      }
      ProcessorStream.this.close();
    }
  }
}
