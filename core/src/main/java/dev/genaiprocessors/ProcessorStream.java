package dev.genaiprocessors;

import java.lang.ref.Cleaner;
import java.util.Iterator;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>The run starts when the stream is first read (by {@link #gather()}, {@link #text()} and {@link
 * #drain()}, on the calling thread) and belongs to it: reading to the end joins every thread of the
 * run; {@link #close()} before the end cancels the run and waits until every thread has stopped. A
 * failure is thrown after every part emitted before it has been read: an unchecked exception or an
 * {@code Error} as itself, the same instance the processor threw, a checked one as the cause of a
 * {@link ProcessorException}; either way {@link ProcessorException#stageOf} names the failing
 * processor.
 *
 * <p>Close every stream you do not read to the end, with try-with-resources as above: a loop that
 * {@code break}s out of a stream otherwise leaves the run's threads waiting for a reader. As a
 * safety net, a stream dropped unclosed is cancelled once the garbage collector finds it
 * unreachable, and a warning naming the processor is logged; when that happens is up to the
 * collector, so until then the run holds its threads and connections.
 *
 * <p>A stream is read once, by one consumer at a time. It is not thread-safe except for {@link
 * #close()}, which may be called from any thread.
 */
public final class ProcessorStream implements Iterable<ProcessorPart>, PartStream, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessorStream.class);

  /**
   * Cancels the runs of streams dropped unclosed. One for the whole library, so one thread however
   * many streams there are: a platform daemon thread, since it waits on the collector's reference
   * queue for the life of the JVM and its actions never block.
   */
  static final Cleaner CLEANER =
      Cleaner.create(Thread.ofPlatform().name("genai-processors-cleaner").daemon().factory());

  private final Processor processor;
  private final RunConfig config;
  private final PartStream input;
  private final Lifetime lifetime = new Lifetime();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private @Nullable Channel output;
  private volatile Cleaner.@Nullable Cleanable cleanable;
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
    String name = processor.name();
    lifetime.output = channel;
    register(name);
    RunContext previous = RunContext.current();
    RunContext run = runContext(previous);
    RunContext.set(run);
    try {
      if (run.intercepted) {
        // The root stage starts here, on the thread that starts the run, so that interceptors can
        // pick up what this thread carries (the caller's tracing context).
        ProcessorInterceptor.Stage stage = Stages.open(run, name, true);
        Scope scope = lifetime.scope;
        if (scope.forkJob(name, new ObservedRoot(scope, run, stage, processor, input, channel))
            == null) {
          Stages.cancelOpened(run, stage);
        }
      } else {
        lifetime.scope.fork(name, root(processor, input, channel));
      }
    } finally {
      RunContext.set(previous);
    }
    return channel;
  }

  /**
   * The context of this run, started on a thread whose context is {@code previous}: a run started
   * with the defaults from inside another run (a tool loop calling its model) belongs to that run
   * (same settings, same interceptors, same run id); any other run gets a context of its own.
   */
  // The shared defaults by identity: a config built equal by hand still starts a run of its own.
  @SuppressWarnings("ReferenceEquality")
  private RunContext runContext(RunContext previous) {
    return config == RunConfig.defaults() && previous.inRun
        ? previous
        : RunContext.forRun(config, previous.stage);
  }

  /**
   * Has the cleaner cancel the run if this handle is dropped unclosed: once per run, when its first
   * thread starts, not per part. What the cleaner holds is the lifetime, never this handle.
   */
  private void register(String name) {
    if (cleanable == null) {
      lifetime.name = name;
      cleanable = CLEANER.register(this, lifetime);
    }
  }

  /**
   * The run's root task. Static, so that it captures what the run needs and not this handle: a
   * thread of the run holding the handle would keep it reachable, and a dropped stream would never
   * be collected and cancelled.
   */
  private static Scope.Task root(Processor processor, PartStream input, Channel channel) {
    return () -> {
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
    };
  }

  /**
   * The root task of an observed run, whose stage was opened on the starting thread: it does its
   * thread's bookkeeping itself ({@link Scope#forkJob}), so that a run cancelled before the thread
   * got going still tells its interceptors the stage was cancelled. Like {@link #root}, it holds
   * what the run needs and not the handle.
   */
  private record ObservedRoot(
      Scope scope,
      RunContext context,
      ProcessorInterceptor.Stage stage,
      Processor processor,
      PartStream input,
      Channel channel)
      implements Runnable {
    @Override
    public void run() {
      try {
        if (!scope.enter(context)) {
          Stages.cancelOpened(context, stage);
          return;
        }
        try {
          Stages.runOpened(context, stage, processor, input, channel);
          channel.close();
        } catch (Throwable e) {
          channel.fail();
          throw Stages.named(processor.name(), e);
        } finally {
          if (input instanceof AutoCloseable closeable) {
            closeable.close();
          }
        }
      } catch (Throwable e) {
        scope.fail(e);
      } finally {
        scope.exit();
      }
    }
  }

  /**
   * The next part, waiting for it if need be, or {@code null} at the end of the run.
   *
   * @throws RuntimeException when the run failed (after all parts emitted before the failure): the
   *     processor's own exception if unchecked (an {@code Error} is thrown as itself too), a {@link
   *     ProcessorException} carrying it if checked
   * @throws ProcessorException when the run failed with a checked exception
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
    Scope scope = lifetime.scope;
    try {
      scope.join();
    } catch (InterruptedException e) {
      throw Scope.cancelledWhileJoining(scope, e);
    } finally {
      release();
    }
    Throwable failure = scope.failure();
    if (failure != null) {
      throw Stages.failure(processor.name(), failure);
    }
  }

  /**
   * Reads every part (runs the processor to the end) into a content.
   *
   * <p>On a stream not read yet, the run happens on the calling thread: with nobody reading the
   * output meanwhile, a thread of its own would only hand each part over. So a processor that makes
   * one blocking call (a model, a cloud API) makes it on the caller's thread, as a plain method
   * call would, and stages that work concurrently still start their virtual threads. {@link
   * #close()} from another thread cancels it by interrupting the calling thread, whose interrupt
   * status is cleared again before this throws the {@link CancellationException}.
   *
   * @throws IllegalStateException when this stream was already read to the end or closed: a stream
   *     is read once, so keep what the first {@code gather()} returned
   */
  @Override
  public ProcessorContent gather() {
    requireUnread("gather()");
    if (output == null && started.compareAndSet(false, true)) {
      // Unbounded: nothing reads it until the run has ended. Like any channel, it takes emits from
      // every thread of the run and refuses them from a cancelled thread or after the end.
      Channel collected = Channel.unbounded();
      try {
        runHere(collected);
      } finally {
        collected.close();
      }
      return collected.gather();
    }
    try (this) {
      return PartStream.super.gather();
    }
  }

  /**
   * Runs the processor on the calling thread, its output going to {@code sink}: what {@link
   * #gather()} and {@link #drain()} do with a stream not read yet. Nothing reads the output while
   * the run goes on, so it needs no thread of its own and no hand-off per part: a run of one call
   * (a model, a cloud API) costs what the call costs, on the caller's thread, and the stages that
   * work concurrently still fork their virtual threads. The run's scope adopts the thread, so
   * {@link #close()} from another thread cancels it (interrupts it) and waits for it as for a
   * forked run.
   */
  private void runHere(PartSink sink) {
    Scope scope = lifetime.scope;
    String name = processor.name();
    Throwable thrown = null;
    boolean adopted = scope.adopt();
    try {
      if (!adopted || closed.get()) {
        throw new CancellationException("this ProcessorStream was closed");
      }
      RunContext previous = RunContext.current();
      RunContext run = runContext(previous);
      RunContext.set(run);
      try {
        if (run.intercepted) {
          Stages.runOpened(run, Stages.open(run, name, true), processor, input, sink);
        } else {
          Stages.run(processor, input, sink, true);
        }
      } finally {
        RunContext.set(previous);
        if (input instanceof AutoCloseable closeable) {
          closeable.close();
        }
      }
    } catch (Throwable e) {
      thrown = e;
    }
    finished = true;
    boolean closedMeanwhile = adopted && scope.disown();
    release();
    if (thrown == null) {
      return;
    }
    if (closedMeanwhile || closed.get()) {
      CancellationException c = new CancellationException("this ProcessorStream was closed");
      c.initCause(thrown);
      throw c;
    }
    if (thrown instanceof InterruptedException interrupted) {
      throw Channel.cancelled(interrupted);
    }
    if (thrown instanceof CancellationException cancelled) {
      if (Thread.currentThread().isInterrupted()) {
        throw cancelled;
      }
      // The processor cancelled itself (or a stage inside it was): the run ends quietly with what
      // it emitted, as when the run's own thread ends so and its reader sees the end.
      return;
    }
    throw Stages.failure(name, thrown);
  }

  /**
   * Runs the processor to the end and returns the text of its text parts, concatenated.
   *
   * @throws IllegalStateException when this stream was already read to the end or closed
   */
  public String text() {
    requireUnread("text()");
    return gather().text();
  }

  /**
   * Runs the processor to the end, discarding its output (for its side effects).
   *
   * @throws IllegalStateException when this stream was already read to the end or closed
   */
  public void drain() {
    requireUnread("drain()");
    if (output == null && started.compareAndSet(false, true)) {
      runHere(part -> {});
      return;
    }
    try (this) {
      while (read() != null) {
        // Only the side effects matter.
      }
    }
  }

  /**
   * An iterator over the parts; the stream is single-use, so every iterator shares the position.
   *
   * @throws IllegalStateException when this stream was already read to the end or closed
   */
  @Override
  public Iterator<ProcessorPart> iterator() {
    requireUnread("iterator()");
    return PartStream.super.iterator();
  }

  /**
   * Refuses to read a stream that has ended, as Python's library does: reading it again would
   * silently give nothing (an empty text, no parts), which hides the bug of reading a run twice.
   */
  private void requireUnread(String method) {
    if (finished || closed.get()) {
      throw new IllegalStateException(
          "this ProcessorStream of '"
              + processor.name()
              + "' was "
              + (finished ? "read to the end" : "closed")
              + " before "
              + method
              + "; a stream is read"
              + " once: keep what the first reading returned, or apply the processor again");
    }
  }

  /**
   * The parts as a sequential {@link Stream}. Closing the stream (for example with
   * try-with-resources) cancels the run if it has not ended.
   */
  @Override
  public Stream<ProcessorPart> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(this::close);
  }

  /**
   * The parts as a {@link Flow.Publisher} for one subscriber, honouring its demand: parts are read
   * from the run only as the subscriber requests them, on a virtual thread that belongs to this
   * stream. Cancelling the subscription closes the stream. A failure is signalled with {@code
   * onError}, with the exception {@link #read()} would throw.
   *
   * <p>The subscription holds the run while the subscriber has requested parts it has not received.
   * A subscription dropped with no demand outstanding, and with it the stream, is collected and its
   * run cancelled, as for any stream dropped unclosed; a subscriber that stops early should cancel
   * instead.
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
      Publication publication = new Publication(this, subscriber);
      subscriber.onSubscribe(publication);
      Scope scope = new Scope();
      lifetime.publisherScope = scope;
      String name = processor.name();
      // The publishing thread starts before the run does: a subscription dropped before its first
      // request must be cancelled too.
      register(name);
      scope.fork(name + "-publisher", new Delivery(publication.demand));
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
    lifetime.scope.close();
    release();
  }

  /** Ended or closed: the cleaner forgets this stream, so it costs nothing when it is collected. */
  private void release() {
    lifetime.released = true;
    Cleaner.Cleanable registered = cleanable;
    if (registered != null) {
      registered.clean(); // runs the lifetime's action here, which does nothing once released
    }
  }

  private enum NoSubscription implements Flow.Subscription {
    INSTANCE;

    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }

  /**
   * What cancelling a run takes, apart from its handle. The shared {@link #CLEANER} holds it as the
   * action for a handle dropped unclosed, and it holds the run's threads (through its scopes), so
   * neither it nor anything those threads hold may reference the {@link ProcessorStream}: the
   * handle would never become unreachable.
   */
  private static final class Lifetime implements Runnable {
    final Scope scope = new Scope();
    volatile @Nullable String name;
    volatile @Nullable Channel output;
    volatile @Nullable Scope publisherScope;
    volatile boolean released;

    /**
     * Run by the cleaner once the handle is unreachable, or by {@link ProcessorStream#release()}
     * after the stream was closed or read to the end (then it does nothing). It cancels without
     * waiting: the cleaner's one thread must never block on a run, whose threads end on their own.
     */
    @Override
    public void run() {
      Scope publishing = publisherScope;
      if (released || !(scope.isRunning() || (publishing != null && publishing.isRunning()))) {
        return; // a run that ended by itself has nothing left to cancel
      }
      LOG.warn(
          "a ProcessorStream of '{}' was not closed; its run was cancelled when the stream was"
              + " collected. Close it, or use try-with-resources",
          name);
      Channel out = output;
      if (out != null) {
        out.closeConsumer();
      }
      scope.cancel();
      if (publishing != null) {
        publishing.cancel();
      }
    }
  }

  /**
   * The demand of one subscription, which the delivering thread waits on. It holds the subscription
   * only while parts are owed, so that a subscription dropped with none owed (and the stream it
   * holds) can be collected while the thread waits.
   */
  private static final class Demand {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition demanded = lock.newCondition();
    private long demand;
    private boolean cancelled;
    private @Nullable Publication owed;

    /**
     * Waits for demand and takes one part of it: the subscription to deliver to, or {@code null}
     * once it was cancelled.
     *
     * @throws CancellationException when the thread is interrupted (the run was cancelled)
     */
    @Nullable Publication take() {
      lock.lock();
      try {
        while (demand == 0 && !cancelled) {
          demanded.await();
        }
        if (cancelled) {
          return null;
        }
        Publication publication = owed;
        if (--demand == 0) {
          owed = null;
        }
        return publication;
      } catch (InterruptedException e) {
        throw Channel.cancelled(e);
      } finally {
        lock.unlock();
      }
    }

    void add(Publication publication, long n) {
      lock.lock();
      try {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        owed = publication;
        demanded.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void cancel() {
      lock.lock();
      try {
        cancelled = true;
        owed = null;
        demanded.signalAll();
      } finally {
        lock.unlock();
      }
    }

    boolean isCancelled() {
      lock.lock();
      try {
        return cancelled;
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * The delivering thread's work: one part per unit of demand. Between parts it holds only the
   * demand, never the subscription, for {@link Demand}'s reason.
   */
  private record Delivery(Demand demand) implements Scope.Task {
    @Override
    public void run() {
      Publication publication;
      while ((publication = demand.take()) != null) {
        boolean more = publication.deliverOne();
        publication = null; // not held while waiting for the next demand
        if (!more) {
          return;
        }
      }
    }
  }

  /** The subscription of the one subscriber: delivers the parts as it requests them. */
  private static final class Publication implements Flow.Subscription {
    private final ProcessorStream stream;
    private final Flow.Subscriber<? super ProcessorPart> subscriber;
    final Demand demand = new Demand();

    Publication(ProcessorStream stream, Flow.Subscriber<? super ProcessorPart> subscriber) {
      this.stream = stream;
      this.subscriber = subscriber;
    }

    /** Delivers the next part, or the end; false once the subscription has ended. */
    boolean deliverOne() {
      try {
        ProcessorPart part = stream.read();
        if (part != null) {
          subscriber.onNext(part);
          return true;
        }
        subscriber.onComplete();
      } catch (CancellationException e) {
        if (!demand.isCancelled()) {
          subscriber.onError(e);
        }
      } catch (RuntimeException e) {
        subscriber.onError(e);
      }
      stream.close();
      return false;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        demand.cancel();
        subscriber.onError(
            new IllegalArgumentException(
                "Flow.Subscription.request(n) needs n > 0 but n was " + n));
        stream.close();
        return;
      }
      demand.add(this, n);
    }

    @Override
    public void cancel() {
      demand.cancel();
      stream.close();
    }
  }
}
