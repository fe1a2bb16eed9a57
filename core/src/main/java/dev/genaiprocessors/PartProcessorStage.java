package dev.genaiprocessors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PartProcessor} over a stream: the Python library's {@code to_processor()}.
 *
 * <p>Worker threads pull parts from the input one at a time, in turn, and process them; the first
 * worker is the stage's own thread, which would otherwise only wait for the others. A worker that
 * takes a part when every other worker is busy adds one more at once if parts typically take 20
 * microseconds or longer here (I/O) and the input may hold more (a list known to be at its end gets
 * none); for cheap parts that would only add contention. As a safety net for a cheap stage whose
 * parts sometimes block, a watcher thread, started once parts turn out cheap, adds a worker
 * whenever every worker is busy and no part has been read for a short while (50 microseconds,
 * backing off to a millisecond while parts are read), up to {@code window}; a worker that waits
 * more than 2 milliseconds for its turn to read the input retires. So a run of one part, gathered
 * by its caller, starts no thread at all; a stage of cheap functions runs on one thread with no
 * hand-off per part; and a stage that waits on I/O grows within milliseconds to {@code window}
 * parts at once. The watcher sleeps while no part is in progress. Parts that do not match, and
 * reserved-substream parts, are handed on by the worker that read them. There is no emitter thread:
 * the oldest part in flight (the head) writes its outputs straight to the output, while later parts
 * buffer theirs (a few each; a part whose buffer is full waits). When the head finishes, the thread
 * that finished it flushes the parts behind it that are done, and the first one still running
 * becomes the new head. So outputs leave in input order, each as soon as every earlier part is
 * done, with no hand-off per part beyond the output itself.
 *
 * <p>A failure does not cancel at once: the parts before the failed one are still emitted, then the
 * failed part's outputs produced before it failed, then the stage is cancelled and fails.
 */
final class PartProcessorStage implements Processor {
  private final PartProcessor processor;
  private final int maxConcurrency;

  /** {@code maxConcurrency} 0 means the run's setting. */
  PartProcessorStage(PartProcessor processor, int maxConcurrency) {
    this.processor = processor;
    this.maxConcurrency = maxConcurrency;
  }

  @Override
  public String name() {
    return processor.name();
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    RunConfig config = RunContext.current().config;
    int window = maxConcurrency > 0 ? maxConcurrency : config.maxConcurrency();
    String name = processor.name();
    try (Scope scope = Scope.cancellingSelectively()) {
      Flow flow = new Flow(output, config, window, Math.min(config.bufferSize(), 16), scope);
      new Workers(input, flow, scope, window).workInline();
      try {
        scope.joinAndRethrow(name);
      } catch (InterruptedException e) {
        throw Scope.cancelledWhileJoining(scope, e);
      }
    }
  }

  /** The threads of one stage run, pulling parts from the input in turn. */
  private final class Workers {
    private static final long FIRST_PAUSE_NANOS = 50_000;
    private static final long LONGEST_PAUSE_NANOS = 1_000_000;
    private static final long RETIRE_AFTER_NANOS = 2_000_000;
    private static final long SLOW_PART_NANOS = 20_000;

    private final PartStream input;
    private final Flow flow;
    private final Scope scope;
    private final int window;
    private final String name = processor.name();
    // Held while reading the input and queueing the part's slot, so slots keep input order.
    private final ReentrantLock inputLock = new ReentrantLock();
    private final AtomicInteger workers = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong reads = new AtomicLong();
    private volatile boolean inputDone;
    // How long a part typically takes; starts "slow", so the first parts get workers at once.
    private volatile long typicalNanos = SLOW_PART_NANOS;
    // The watcher waits here while no part is in progress.
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition wake = idleLock.newCondition();
    private volatile boolean watcherIdle;
    // The watcher, once it runs: the end of the input unparks it from its pause.
    private volatile @Nullable Thread watcher;
    // Guarded by inputLock.
    private boolean watcherStarted;

    Workers(PartStream input, Flow flow, Scope scope, int window) {
      this.input = input;
      this.flow = flow;
      this.scope = scope;
      this.window = window;
    }

    /**
     * The first worker, on the stage's own thread, which would otherwise only wait for the others:
     * a run of one part, or of cheap parts, then starts no thread at all. The scope adopts the
     * thread, so that cancelling the stage (a failed part, a consumer gone) interrupts it like the
     * forked workers; an interrupt from outside (the run cancelled) ends the stage with a
     * cancellation once the other workers have stopped.
     */
    void workInline() {
      if (!scope.adopt()) {
        return;
      }
      workers.incrementAndGet();
      Throwable thrown = null;
      try {
        work();
      } catch (Throwable e) {
        thrown = e;
      }
      boolean stoppedByScope = scope.disown();
      if (thrown == null) {
        return;
      }
      if (!stoppedByScope
          && (thrown instanceof InterruptedException || Thread.currentThread().isInterrupted())) {
        scope.close();
        throw thrown instanceof InterruptedException interrupted
            ? Channel.cancelled(interrupted)
            : new CancellationException("the run was cancelled");
      }
      scope.fail(thrown);
    }

    /**
     * Starts the watcher, once, when parts turn out cheap: only then can every worker be busy with
     * no spare one reading the input (while parts are slow, each worker that takes one adds a
     * worker at once), so slow stages and runs of one part never start it.
     */
    private void startWatcher() {
      if (window > 1 && !watcherStarted) {
        watcherStarted = true; // only the input lock's holder gets here
        scope.fork(name + "-watcher", this::watch);
      }
    }

    // typicalNanos is a rough moving average: a lost update between workers only blurs it.
    @SuppressWarnings("NonAtomicVolatileUpdate")
    private void work() throws Exception {
      boolean locked = false;
      try {
        inputLock.lockInterruptibly();
        locked = true;
        while (!inputDone) {
          ProcessorPart part;
          try {
            part = input.read();
          } catch (Throwable e) {
            // The input failed (or was cancelled upstream): what was read so far still goes out.
            endOfInput();
            throw Stages.named(name, e);
          }
          reads.lazySet(reads.get() + 1); // only the lock holder writes
          if (part == null) {
            endOfInput();
          } else if (flow.config.isReserved(part.substreamName())) {
            flow.direct(part);
          } else if (!processor.match(part)) {
            flow.add(new Slot(part));
            flow.drain();
          } else {
            Slot slot = new Slot(null);
            flow.add(slot);
            int nowBusy = busy.incrementAndGet();
            if (nowBusy == 1 && watcherIdle) {
              wakeWatcher();
            }
            int running = workers.get();
            if (typicalNanos >= SLOW_PART_NANOS) {
              if (nowBusy >= running
                  && running < window
                  && !(input instanceof Inputs.OfParts parts && !parts.hasMore())) {
                // Parts take long here and nobody is left to read the next one: add a worker now.
                workers.incrementAndGet();
                scope.fork(name, this::work);
              }
            } else {
              startWatcher();
            }
            inputLock.unlock();
            locked = false;
            long started = System.nanoTime();
            try {
              process(part, slot);
            } finally {
              busy.decrementAndGet();
              // A rough moving average; races between workers only blur it.
              typicalNanos += (System.nanoTime() - started - typicalNanos) / 8;
            }
            if (typicalNanos < SLOW_PART_NANOS && inputLock.hasQueuedThreads()) {
              // Parts are cheap here and another worker is waiting to read: one thread does cheap
              // work best, without a hand-off of the input per part, so this one retires. (The
              // waiting worker gets the input; the watcher adds workers again if parts block.)
              workers.decrementAndGet();
              return;
            }
            if (!inputLock.tryLock(RETIRE_AFTER_NANOS, TimeUnit.NANOSECONDS)) {
              // Another worker has been reading for a while: input is the bottleneck, and this
              // worker is not needed.
              workers.decrementAndGet();
              return;
            }
            locked = true;
          }
        }
      } finally {
        if (locked) {
          inputLock.unlock();
        }
      }
    }

    private void process(ProcessorPart part, Slot slot) throws Exception {
      try {
        processor.call(part, new SlotSink(slot, flow));
      } catch (Throwable e) {
        try {
          flow.finish(slot, true);
        } catch (CancellationException stopped) {
          // Another worker, flushing the parts before this one, found it failed and cancelled the
          // stage, interrupting this thread before it could flush: the cancellation is this very
          // failure's doing, and the failure, not it, is what the stage must end with.
        }
        throw Stages.named(name, e);
      }
      flow.finish(slot, false);
    }

    private void endOfInput() {
      inputDone = true;
      wakeWatcher();
      // A watcher in its pause (up to a millisecond) would hold the stage's end back that long.
      Thread pausing = watcher;
      if (pausing != null) {
        LockSupport.unpark(pausing);
      }
    }

    /**
     * Adds a worker when every worker is busy and no part was read during a pause: the parts in
     * progress are waiting on something, and the next part should not wait for them. While parts
     * are read, the pause grows, so cheap work costs the watcher little.
     */
    private void watch() throws InterruptedException {
      watcher = Thread.currentThread();
      long pause = FIRST_PAUSE_NANOS;
      while (!inputDone) {
        if (busy.get() == 0) {
          awaitWork();
          pause = FIRST_PAUSE_NANOS;
          continue;
        }
        long before = reads.get();
        LockSupport.parkNanos(pause);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        int running = workers.get();
        if (reads.get() != before) {
          pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
        } else if (busy.get() >= running && running < window && !inputDone) {
          workers.incrementAndGet();
          scope.fork(name, this::work);
          pause = FIRST_PAUSE_NANOS;
        } else {
          pause = FIRST_PAUSE_NANOS;
        }
      }
    }

    private void awaitWork() throws InterruptedException {
      idleLock.lockInterruptibly();
      try {
        watcherIdle = true;
        while (busy.get() == 0 && !inputDone) {
          wake.await();
        }
      } finally {
        watcherIdle = false;
        idleLock.unlock();
      }
    }

    private void wakeWatcher() {
      idleLock.lock();
      try {
        wake.signal();
      } finally {
        idleLock.unlock();
      }
    }
  }

  /** The outputs of one input part, in order. Guarded by the flow's lock. */
  private static final class Slot {
    @Nullable List<ProcessorPart> buffer;
    boolean done;
    boolean failed;

    /** The head, flushed: its own thread writes straight to the output. Only ever becomes true. */
    volatile boolean direct;

    /** A slot that is done from the start, holding {@code passThrough}; or a running one. */
    Slot(@Nullable ProcessorPart passThrough) {
      if (passThrough != null) {
        buffer = new ArrayList<>(1);
        buffer.add(passThrough);
        done = true;
      }
    }
  }

  /** The in-flight parts of one stage run and the order they leave in. */
  private static final class Flow {
    final PartSink output;
    final RunConfig config;
    private final int window;
    private final int slotCapacity;
    private final Scope scope;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final Condition advanced = lock.newCondition();
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private boolean draining;

    Flow(PartSink output, RunConfig config, int window, int slotCapacity, Scope scope) {
      this.output = output;
      this.config = config;
      this.window = window;
      this.slotCapacity = slotCapacity;
      this.scope = scope;
    }

    /** A reserved part: out at once, whatever the order. */
    void direct(ProcessorPart part) {
      try {
        output.emit(part);
      } catch (CancellationException e) {
        scope.cancel();
        throw e;
      }
    }

    /** Appends a slot, waiting while {@code window} are in flight. */
    void add(Slot slot) throws InterruptedException {
      lock.lockInterruptibly();
      try {
        while (slots.size() >= window) {
          room.await();
        }
        if (slots.isEmpty() && !slot.done) {
          slot.direct = true;
        }
        slots.addLast(slot);
      } finally {
        lock.unlock();
      }
    }

    /** An output of {@code slot}: straight out if it is the head, else into its buffer. */
    void emit(Slot slot, ProcessorPart part) {
      if (slot.direct) {
        direct(part); // the common case needs no lock: direct never goes back to false
        return;
      }
      Channel.lock(lock);
      try {
        while (!slot.direct) {
          List<ProcessorPart> buffer = slot.buffer;
          if (buffer == null) {
            buffer = slot.buffer = new ArrayList<>(4);
          }
          if (buffer.size() < slotCapacity) {
            buffer.add(part);
            return;
          }
          Channel.await(advanced);
        }
      } finally {
        lock.unlock();
      }
      direct(part);
    }

    /** {@code slot}'s processor returned (or failed); flush what can leave now. */
    void finish(Slot slot, boolean failed) {
      lock.lock();
      try {
        slot.done = true;
        slot.failed = failed;
      } finally {
        lock.unlock();
      }
      drain();
    }

    /**
     * Writes out every finished slot at the head and its buffered outputs, then hands the head role
     * to the first slot still running. One thread drains at a time; another that finishes a slot
     * meanwhile leaves it to the draining one, which looks again before it stops.
     */
    void drain() {
      Channel.lock(lock);
      try {
        if (draining) {
          return;
        }
        draining = true;
        while (true) {
          Slot head = slots.peekFirst();
          if (head == null) {
            break;
          }
          List<ProcessorPart> buffered = head.buffer;
          if (buffered != null && !buffered.isEmpty()) {
            head.buffer = null;
            lock.unlock();
            try {
              for (ProcessorPart part : buffered) {
                direct(part);
              }
            } finally {
              lock.lock();
            }
            continue;
          }
          if (head.failed) {
            // Everything before the failure is out: now stop the stage.
            scope.cancel();
            break;
          }
          if (!head.done) {
            head.direct = true;
            advanced.signalAll();
            break;
          }
          slots.removeFirst();
          room.signal();
        }
        draining = false;
      } finally {
        lock.unlock();
      }
    }
  }

  /** Where a part's processor writes: reserved parts out at once, the rest through the flow. */
  private record SlotSink(Slot slot, Flow flow) implements PartSink {
    @Override
    public void emit(ProcessorPart part) {
      if (flow.config.isReserved(part.substreamName())) {
        flow.direct(part);
      } else {
        flow.emit(slot, part);
      }
    }
  }
}
