package dev.genaiprocessors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Part processors in sequence, pipelined: each output of member {@code k} is given to member {@code
 * k+1} as soon as it is emitted, while member {@code k} goes on, and each member's outputs keep the
 * order of its inputs. A part a member does not match skips it; a reserved-substream part emitted
 * by any member goes straight to the output, ahead of whatever is still being worked on.
 *
 * <p>How a member's output reaches the next member depends on what the next member has been
 * measured to cost (per fused processor, a sample of its calls):
 *
 * <ul>
 *   <li><b>Cheap</b> (its own time, without what it passes on, under {@value #CHEAP_NANOS} ns a
 *       call, from one call in {@value #SAMPLE_EVERY}): called inline, on the emitting thread,
 *       inside {@code emit}. No thread, no buffer, and no allocation on a worker thread that calls
 *       the chain part after part (its sinks are reused): a plain loop plus a call per member.
 *   <li><b>Not yet measured, or slow</b>: handed to a new virtual thread of this call (up to the
 *       run's {@link RunConfig#maxConcurrency()} at once; beyond that it runs inline), so the
 *       emitting member continues at once. Its outputs take their place in an ordered tree of
 *       bounded buffers ({@link Order}); whatever is first in order writes straight through.
 * </ul>
 *
 * <p>A {@link ParallelPartProcessor} member given a sink of this class opens one ordered place per
 * branch ({@link StepSink#open}), so each branch's outputs flow on into the following members at
 * once rather than waiting behind the branches before it.
 */
final class FusedPartProcessor implements PartProcessor {
  /** A member call (with what it passes on inline) under this is run inline. */
  static final long CHEAP_NANOS = 20_000;

  /** One inline call in this many is timed, to notice a member that became slow. */
  private static final int SAMPLE_EVERY = 32;

  /** What an unmeasured member is taken to cost: slow, so that its first parts are pipelined. */
  private static final long UNMEASURED = Long.MAX_VALUE / 2;

  private final PartProcessor[] members;
  private final String name;
  // Per member: a rough moving average of a delivery's time, and a sampling counter. Races between
  // threads only blur them.
  private final long[] typicalNanos;
  private final int[] calls;

  /** The output of a call that has ended: nothing may be written to it any more. */
  private static final PartSink ENDED =
      part -> {
        throw new IllegalStateException("a fused part processor's call has returned");
      };

  // A worker thread calls this processor part after part: its Call and sinks are reused.
  private final ThreadLocal<@Nullable Call> idleCalls = new ThreadLocal<>();

  private FusedPartProcessor(List<PartProcessor> members) {
    this.members = members.toArray(PartProcessor[]::new);
    this.name = Names.join("chain", List.of(this.members));
    this.typicalNanos = new long[this.members.length];
    this.calls = new int[this.members.length];
    java.util.Arrays.fill(typicalNanos, UNMEASURED);
  }

  static PartProcessor of(PartProcessor first, PartProcessor second) {
    List<PartProcessor> all = new ArrayList<>();
    for (PartProcessor p : List.of(first, second)) {
      if (p instanceof FusedPartProcessor fused) {
        all.addAll(List.of(fused.members));
      } else {
        all.add(p);
      }
    }
    return new FusedPartProcessor(all);
  }

  List<PartProcessor> members() {
    return List.of(members);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean match(ProcessorPart part) {
    for (PartProcessor member : members) {
      if (member.match(part)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void call(ProcessorPart part, PartSink output) throws Exception {
    Call call = idleCalls.get();
    if (call == null || call.inUse) {
      boolean cache = call == null;
      call = new Call();
      if (cache) {
        idleCalls.set(call);
      }
    }
    call.start(output, RunContext.current().config);
    try {
      try {
        call.deliver(0, part, call, false);
      } catch (Throwable e) {
        call.failed(e);
      }
      call.finish();
    } finally {
      call.end();
    }
  }

  /** The first member from {@code from} on that matches {@code part}, or the number of members. */
  private int firstMatch(int from, ProcessorPart part) {
    int k = from;
    while (k < members.length && !members[k].match(part)) {
      k++;
    }
    return k;
  }

  /** Whether member {@code k} is cheap enough to run inline on the emitting thread. */
  private boolean cheap(int k) {
    return typicalNanos[k] < CHEAP_NANOS;
  }

  // A rough moving average; a lost update between threads only blurs it.
  private void record(int k, long nanos) {
    long typical = typicalNanos[k];
    typicalNanos[k] = typical == UNMEASURED ? nanos : typical + (nanos - typical) / 4;
  }

  /** One call of the fused processor on one part: its forks, its order, its failure. */
  private final class Call implements PartSink {
    PartSink output = ENDED;
    RunConfig config = RunConfig.defaults();
    // Created at the first fork or branch; until then everything runs inline, straight out.
    @Nullable Order order;
    @Nullable Scope scope;
    final AtomicInteger forks = new AtomicInteger();
    boolean inUse;
    @Nullable Thread owner;
    // The owner thread's sinks, one per member index, reused from part to part.
    private final @Nullable StepSink[] sinks = new StepSink[members.length + 1];

    void start(PartSink output, RunConfig config) {
      this.output = output;
      this.config = config;
      this.order = null;
      this.scope = null;
      this.inUse = true;
      this.owner = Thread.currentThread();
    }

    void end() {
      if (order != null) {
        // The sinks may point into this call's order: let it go with the call.
        for (StepSink sink : sinks) {
          if (sink != null) {
            sink.target = this;
          }
        }
      }
      output = ENDED;
      order = null;
      scope = null;
      owner = null;
      inUse = false;
    }

    /** A sink for member {@code next - 1} writing to {@code target}: the owner's own when free. */
    StepSink sink(int next, PartSink target, boolean timing) {
      StepSink sink;
      if (Thread.currentThread() == owner) {
        sink = sinks[next];
        if (sink == null) {
          sink = sinks[next] = new StepSink(this, next);
        } else if (sink.busy) {
          sink = new StepSink(this, next);
        }
      } else {
        sink = new StepSink(this, next);
      }
      sink.take(target, timing);
      return sink;
    }

    FusedPartProcessor fused() {
      return FusedPartProcessor.this;
    }

    /** The call's own place: straight out until the first ordered place is opened. */
    @Override
    public void emit(ProcessorPart part) {
      Order o = order;
      if (o == null) {
        output.emit(part);
      } else {
        o.root.emit(part);
      }
    }

    /**
     * Members {@code from} on of {@code part}, their outputs to {@code target}; {@code timed}: the
     * first matching member's own time (without what it passes on) is recorded.
     */
    void deliver(int from, ProcessorPart part, PartSink target, boolean timed) throws Exception {
      deliverTo(firstMatch(from, part), part, target, timed);
    }

    /** {@link #deliver} where {@code k} is the first member that matches. */
    void deliverTo(int k, ProcessorPart part, PartSink target, boolean timed) throws Exception {
      if (k == members.length) {
        target.emit(part);
        return;
      }
      PartProcessor member = members[k];
      StepSink sink = sink(k + 1, target, timed);
      long started = timed ? System.nanoTime() : 0;
      try {
        member.call(part, sink);
      } catch (Rethrown e) {
        throw (Exception) e.getCause();
      } catch (Throwable e) {
        throw Stages.named(member.name(), e);
      } finally {
        sink.busy = false;
      }
      if (timed) {
        record(k, System.nanoTime() - started - sink.downstreamNanos);
      }
    }

    Order order() {
      Order o = order;
      if (o == null) {
        o = order = new Order(output, config.bufferSize(), this::cancelForks);
      }
      return o;
    }

    /**
     * Members {@code from} on of {@code part} on a thread of their own when one is free, else here;
     * their outputs to {@code place}, which is then closed.
     */
    void fork(int from, ProcessorPart part, Order.Node place) throws Exception {
      int window = config.maxConcurrency();
      if (forks.incrementAndGet() > window) {
        forks.decrementAndGet();
        runInPlace(from, part, place, false);
        return;
      }
      Scope s = scope;
      if (s == null) {
        // A failure cancels the other forks only once every output before it has left.
        s = scope = Scope.cancellingSelectively();
      }
      Thread started =
          s.fork(
              members[from].name(),
              () -> {
                try {
                  runInPlace(from, part, place, true);
                } finally {
                  forks.decrementAndGet();
                }
              });
      if (started == null) {
        forks.decrementAndGet();
        place.close(true);
        throw new CancellationException("the run was cancelled");
      }
    }

    /** Members {@code from} on into {@code place}, then closes it (failed, if they fail). */
    void runInPlace(int from, ProcessorPart part, Order.Node place, boolean timed)
        throws Exception {
      try {
        deliverTo(from, part, place, timed);
      } catch (Throwable e) {
        place.close(true);
        throw e;
      }
      place.close(false);
    }

    /** The order broke at a failed place: the forks still running are of no use. */
    private void cancelForks() {
      Scope s = scope;
      if (s != null) {
        s.cancel();
      }
    }

    /** A reserved part: out at once, ahead of anything still in progress. */
    void bypass(ProcessorPart part) {
      output.emit(part);
    }

    /**
     * The first member (or what it ran inline) failed with {@code e}: stops the forks, lets out
     * what came before the failure, and throws: a fork's failure when {@code e} only reports the
     * cancellation it caused.
     */
    void failed(Throwable e) throws Exception {
      Scope s = scope;
      if (s != null) {
        closeKeepingInterrupt(s);
      }
      Order o = order;
      if (o != null) {
        o.root.close(true);
      }
      Throwable first = s == null ? null : s.failure();
      throw rethrowable(first != null && e instanceof CancellationException ? first : e);
    }

    /** After the first member returned: waits until every output has left, in order. */
    void finish() throws Exception {
      Order o = order;
      if (o == null) {
        return;
      }
      Scope s = scope;
      try {
        o.root.close(false);
        o.awaitFinished();
      } catch (CancellationException e) {
        failed(e);
      }
      if (s != null) {
        try {
          s.join();
        } catch (InterruptedException e) {
          throw Scope.cancelledWhileJoining(s, e);
        }
        Throwable first = s.failure();
        if (first != null) {
          throw rethrowable(first);
        }
      }
    }
  }

  private static void closeKeepingInterrupt(Scope scope) {
    boolean interrupted = Thread.interrupted();
    scope.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static Exception rethrowable(Throwable t) {
    if (t instanceof Error error) {
      throw error;
    }
    return (Exception) t;
  }

  /**
   * Where member {@code next - 1} writes, for one call of it: reserved parts out at once; the rest
   * into member {@code next} inline while that is cheap and nothing it passed on is still in
   * progress, otherwise each into a new ordered place of {@code target}, on a thread of its own.
   */
  static final class StepSink implements PartSink {
    private final Call call;
    private final int next;
    private PartSink target;
    // Whether an earlier output took an ordered place: later ones must then take places too.
    private boolean placed;
    // Whether a member is writing here now (the sink is then not reused).
    boolean busy;
    // When the member's call is timed: the time spent passing its outputs on, not its own.
    private boolean timing;
    long downstreamNanos;

    StepSink(Call call, int next) {
      this.call = call;
      this.next = next;
      this.target = call;
    }

    void take(PartSink target, boolean timing) {
      this.target = target;
      this.placed = false;
      this.busy = true;
      this.timing = timing;
      this.downstreamNanos = 0;
    }

    @Override
    public void emit(ProcessorPart part) {
      if (timing) {
        long started = System.nanoTime();
        try {
          pass(part);
        } finally {
          downstreamNanos += System.nanoTime() - started;
        }
      } else {
        pass(part);
      }
    }

    private void pass(ProcessorPart part) {
      Call c = call;
      if (c.config.isReserved(part.substreamName())) {
        c.bypass(part);
        return;
      }
      FusedPartProcessor fused = c.fused();
      int k = fused.firstMatch(next, part);
      boolean inline = k == fused.members.length || fused.cheap(k);
      try {
        if (!placed && inline) {
          c.deliverTo(
              k, part, target, k < fused.members.length && ++fused.calls[k] % SAMPLE_EVERY == 0);
          return;
        }
        Order.Node place = c.order().open(target);
        placed = true;
        if (inline) {
          c.runInPlace(k, part, place, false);
        } else {
          c.fork(k, part, place);
        }
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new Rethrown(e);
      }
    }

    /**
     * A new ordered place after everything written here so far, for a branch of a parallel member
     * running on its own thread: what the branch emits goes on into the following members at once,
     * and its results come after those of the places opened before it.
     */
    Branch open() {
      placed = true;
      Order.Node place = call.order().open(target);
      StepSink sink = new StepSink(call, next);
      sink.take(place, false);
      return new Branch(sink, place);
    }
  }

  /** A branch's sink and the place it fills; {@link #close} when the branch is done. */
  record Branch(PartSink sink, Order.Node place) {
    void close(boolean failed) {
      place.close(failed);
    }
  }

  /** Carries a checked exception of a later member through an earlier member's {@code emit}. */
  private static final class Rethrown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rethrown(Exception cause) {
      super(cause);
    }
  }

  /**
   * The order of one call's outputs while some are still being worked on: a tree of places, each
   * holding parts and the places opened in it, in the order they were written or opened. The cursor
   * walks the tree in that order, writing the parts it passes to the output; the place it stands on
   * and has emptied is the frontier, whose owner writes straight to the output with no lock. Every
   * other place buffers, up to {@code limit} parts and places for the whole call; a writer beyond
   * that waits for the cursor (so a slow consumer holds back every member). A place closed as
   * failed stops the cursor: what came before it has left, nothing after it will.
   *
   * <p>Each place has one owner thread, which alone writes to it, opens places in it and closes it;
   * the cursor moves under the lock, by the thread that closed the frontier place.
   */
  static final class Order {
    private final PartSink output;
    private final int limit;
    private final Runnable onBroken;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    final Node root = new Node(null);
    // Guarded by lock.
    private Node cursor = root;
    private int held;
    private int waiting;
    private boolean broken;
    private boolean finished;

    Order(PartSink output, int limit, Runnable onBroken) {
      this.output = output;
      this.limit = Math.max(1, limit);
      this.onBroken = onBroken;
      root.frontier = true;
    }

    /** A new place in {@code parent} (the root when it is not a place), after what it holds. */
    Node open(PartSink parent) {
      Node in = parent instanceof Node node ? node : root;
      Node place = new Node(in);
      Channel.lock(lock);
      try {
        while (true) {
          if (in.frontier) {
            // The cursor stands on an empty place: it moves into the new one at once.
            in.frontier = false;
            cursor = place;
            place.frontier = true;
            return place;
          }
          if (broken) {
            throw new CancellationException("an earlier part of the same input failed");
          }
          if (held < limit) {
            in.items().addLast(place);
            held++;
            return place;
          }
          awaitAdvance();
        }
      } finally {
        lock.unlock();
      }
    }

    /** Waits until the cursor is done with the root: every output has left. */
    void awaitFinished() {
      Channel.lock(lock);
      try {
        while (!finished) {
          if (broken) {
            throw new CancellationException("an earlier part of the same input failed");
          }
          awaitAdvance();
        }
      } finally {
        lock.unlock();
      }
    }

    private void awaitAdvance() {
      waiting++;
      try {
        Channel.await(advanced);
      } finally {
        waiting--;
      }
    }

    /**
     * Moves the cursor on from {@code from}, which it stands on and which is no longer the
     * frontier: writes out the parts it passes, enters places, leaves closed ones, and stops at the
     * first place still open (its new frontier), at a failed one, or at the end. Called with the
     * lock held; releases it while writing.
     */
    private void advance(Node from) {
      Node at = from;
      try {
        while (true) {
          ArrayDeque<Object> items = at.items;
          Object first = items == null ? null : items.pollFirst();
          if (first instanceof ProcessorPart part) {
            held--;
            lock.unlock();
            try {
              output.emit(part);
            } finally {
              lock.lock();
            }
            continue;
          }
          if (first instanceof Node place) {
            held--;
            at = place;
            cursor = place;
            continue;
          }
          if (!at.closed) {
            at.frontier = true;
            break;
          }
          if (at.failed) {
            broken = true;
            onBroken.run();
            break;
          }
          Node parent = at.parent;
          if (parent == null) {
            finished = true;
            break;
          }
          at = parent;
          cursor = parent;
        }
      } catch (RuntimeException | Error e) {
        broken = true;
        onBroken.run();
        throw e;
      } finally {
        if (waiting > 0) {
          advanced.signalAll();
        }
      }
    }

    /** A place in the order: see {@link Order}. */
    final class Node implements PartSink {
      final @Nullable Node parent;
      // Guarded by lock; created at the first part or place it buffers.
      @Nullable ArrayDeque<Object> items;
      boolean closed;
      boolean failed;
      // Set by the cursor (under the lock); cleared only by the owner, when it opens a place.
      volatile boolean frontier;

      Node(@Nullable Node parent) {
        this.parent = parent;
      }

      ArrayDeque<Object> items() {
        ArrayDeque<Object> q = items;
        if (q == null) {
          q = items = new ArrayDeque<>(4);
        }
        return q;
      }

      @Override
      public void emit(ProcessorPart part) {
        if (frontier) {
          output.emit(part); // the common case takes no lock
          return;
        }
        Channel.lock(lock);
        try {
          while (!frontier) {
            if (broken) {
              throw new CancellationException("an earlier part of the same input failed");
            }
            if (held < limit) {
              items().addLast(part);
              held++;
              return;
            }
            awaitAdvance();
          }
        } finally {
          lock.unlock();
        }
        output.emit(part);
      }

      /**
       * The owner is done with this place ({@code failed}: it failed). Moves the cursor on when it
       * stands here; a failure while closing a failed place is dropped, as the failure is thrown.
       */
      void close(boolean failed) {
        lock.lock();
        try {
          if (closed) {
            return;
          }
          closed = true;
          this.failed = failed;
          if (cursor == this && frontier) {
            frontier = false;
            advance(this);
          }
        } catch (RuntimeException e) {
          if (!failed) {
            throw e;
          }
        } finally {
          lock.unlock();
        }
      }
    }
  }
}
