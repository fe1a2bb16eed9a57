package dev.genaiprocessors;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A structured-concurrency scope: the one place where the runtime starts threads.
 *
 * <p>Every thread is virtual, is started by {@link #fork}, and belongs to exactly one scope, which
 * {@link #join}s it before the code that opened the scope returns. The first failure of any thread
 * cancels (interrupts) all the others; {@link #join} then reports it. Cancellation endings ({@link
 * CancellationException}, or an {@link InterruptedException} after the scope was cancelled) are not
 * failures. {@link #close()} cancels whatever still runs and waits for it, so no thread outlives
 * its scope.
 *
 * <p>(Java 21's {@code StructuredTaskScope} is a preview API; this is the small part of it the
 * runtime needs.)
 */
final class Scope implements AutoCloseable {
  private static final AtomicInteger LIVE = new AtomicInteger();

  /**
   * The most later failures kept as suppressed in the first. The first is the processor's own
   * exception, which may be one instance shared by many runs (a constant): each run adding to it
   * without a bound would grow it for the life of the JVM.
   */
  static final int MAX_SUPPRESSED = 16;

  private static final @Nullable Thread[] NO_THREADS = new Thread[0];

  private final boolean cancelOnFailure;
  // Guarded by lock; created on first use, since most scopes hold a handful of threads.
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition allDone = lock.newCondition();
  private @Nullable Thread[] threads = NO_THREADS;
  private int threadCount;
  private @Nullable Set<Thread> cancelledThreads;
  private int running;
  // The thread working for this scope inline (see adopt), and whether cancel interrupted it.
  private @Nullable Thread adopted;
  private boolean adoptedInterrupted;
  private volatile @Nullable Throwable failure;
  private volatile boolean cancelled;

  /** A scope whose first failure cancels every other thread. */
  Scope() {
    this(true);
  }

  private Scope(boolean cancelOnFailure) {
    this.cancelOnFailure = cancelOnFailure;
  }

  /**
   * A scope that records failures without cancelling anything, for owners that cancel selectively
   * (a chain cancels the stages upstream of a failure and lets those downstream drain).
   */
  static Scope cancellingSelectively() {
    return new Scope(false);
  }

  /** Work a scope runs on a thread of its own. */
  @FunctionalInterface
  interface Task {
    void run() throws Exception;
  }

  /** How many threads started by the runtime, in any scope, are still running their task. */
  static int liveThreads() {
    return LIVE.get();
  }

  /**
   * Runs {@code task} on a new virtual thread named {@code name} (the stage's name, as thread dumps
   * show it) and returns the thread, or {@code null} when the scope was already cancelled (the task
   * then never runs).
   */
  @Nullable Thread fork(String name, Task task) {
    return start(name, new Worker(RunContext.current(), task));
  }

  /**
   * Runs {@code job} on a new virtual thread; for the hottest path (chain stages), where the job
   * does the thread's bookkeeping itself with {@link #enter} and {@link #exit}, so an idle thread's
   * stack holds one frame of ours less.
   */
  @Nullable Thread forkJob(String name, Runnable job) {
    return start(name, job);
  }

  private @Nullable Thread start(String name, Runnable body) {
    // The stage's own name, not a new string per thread: idle pipelines stay small.
    Thread thread = Thread.ofVirtual().name(name).unstarted(body);
    lock.lock();
    try {
      if (cancelled) {
        return null;
      }
      running++;
      if (threadCount == threads.length) {
        threads = java.util.Arrays.copyOf(threads, Math.max(4, threadCount * 2));
      }
      threads[threadCount++] = thread;
    } finally {
      lock.unlock();
    }
    LIVE.incrementAndGet();
    thread.start();
    return thread;
  }

  /**
   * Counts the calling thread as one of this scope's threads while it does the scope's work itself
   * instead of forking a thread for it (the first worker of a part stage, a run gathered on its
   * caller's thread): {@link #cancel()} interrupts it and {@link #join()} waits for it, until
   * {@link #disown()}. One thread at a time.
   *
   * @return false when the scope was already cancelled (the work must not start)
   */
  boolean adopt() {
    lock.lock();
    try {
      if (cancelled) {
        return false;
      }
      if (adopted != null) {
        throw new IllegalStateException("a scope adopts one thread at a time");
      }
      adopted = Thread.currentThread();
      adoptedInterrupted = false;
      running++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends {@link #adopt()}. An interrupt this scope sent the thread while it was adopted was the
   * scope's own signal to stop, so the thread's interrupt status is cleared: the thread goes on
   * working for whoever called it (its caller's interrupts are not touched, and this scope sends
   * none after this returns, since it interrupts an adopted thread only while holding its lock).
   *
   * @return whether this scope interrupted the thread while it was adopted
   */
  boolean disown() {
    boolean interrupted;
    lock.lock();
    try {
      adopted = null;
      interrupted = adoptedInterrupted;
      adoptedInterrupted = false;
      if (--running == 0) {
        allDone.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (interrupted) {
      Thread.interrupted();
    }
    return interrupted;
  }

  /** First call of a forked thread: makes {@code context} current; false if already cancelled. */
  boolean enter(RunContext context) {
    RunContext.enter(context);
    return !cancelled;
  }

  /** Last call of a forked thread, whatever happened: the thread is no longer counted. */
  void exit() {
    LIVE.decrementAndGet();
    Thread self = Thread.currentThread();
    lock.lock();
    try {
      removeThread(self);
      if (cancelledThreads != null) {
        cancelledThreads.remove(self);
      }
      if (--running == 0) {
        allDone.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  // Guarded by lock. Scopes hold few threads (a part stage at most its window), so a small array
  // beats a hash set in memory, and a linear search is cheap.
  private void removeThread(Thread thread) {
    for (int i = 0; i < threadCount; i++) {
      if (threads[i] == thread) {
        threads[i] = threads[--threadCount];
        threads[threadCount] = null;
        return;
      }
    }
  }

  private boolean hasThread(Thread thread) {
    for (int i = 0; i < threadCount; i++) {
      if (threads[i] == thread) {
        return true;
      }
    }
    return false;
  }

  /** The body of a forked thread running a {@link Task}. */
  private final class Worker implements Runnable {
    private final RunContext context;
    private final Task task;

    Worker(RunContext context, Task task) {
      this.context = context;
      this.task = task;
    }

    @Override
    public void run() {
      try {
        if (enter(context)) {
          ProcessorInterceptor.Stage stage = context.stage;
          if (context.intercepted && stage != null) {
            // A thread working for a stage (a part worker, a branch): the interceptors carry
            // their context onto it, so the stage is current in the code it runs.
            ProcessorInterceptor.Binding binding =
                Stages.bind(context.config.interceptors(), stage);
            try {
              task.run();
            } finally {
              binding.close();
            }
          } else {
            task.run();
          }
        }
      } catch (Throwable e) {
        fail(e);
      } finally {
        exit();
      }
    }
  }

  /**
   * Records {@code error} as this scope's failure (unless it is a cancellation) and cancels; a
   * later failure is added to the first as suppressed while it holds fewer than {@link
   * #MAX_SUPPRESSED}.
   */
  void fail(Throwable error) {
    if (isCancellation(error)) {
      return;
    }
    boolean first;
    lock.lock();
    try {
      Throwable earlier = failure;
      first = earlier == null;
      if (earlier == null) {
        failure = error;
      } else if (earlier != error && earlier.getSuppressed().length < MAX_SUPPRESSED) {
        earlier.addSuppressed(error);
      }
    } finally {
      lock.unlock();
    }
    if (first && cancelOnFailure) {
      cancel();
    }
  }

  boolean isCancellation(Throwable error) {
    if (error instanceof CancellationException) {
      return true;
    }
    if (!(error instanceof InterruptedException)) {
      return false;
    }
    if (cancelled) {
      return true;
    }
    lock.lock();
    try {
      Thread self = Thread.currentThread();
      return (self == adopted && adoptedInterrupted)
          || (cancelledThreads != null && cancelledThreads.contains(self));
    } finally {
      lock.unlock();
    }
  }

  /** Interrupts one thread of this scope, whose ending by interruption is then no failure. */
  void cancel(@Nullable Thread thread) {
    if (thread == null) {
      return;
    }
    lock.lock();
    try {
      if (thread == adopted) {
        adoptedInterrupted = true;
        thread.interrupt();
        return;
      }
      if (!hasThread(thread)) {
        return;
      }
      if (cancelledThreads == null) {
        cancelledThreads = new HashSet<>(4);
      }
      cancelledThreads.add(thread);
    } finally {
      lock.unlock();
    }
    thread.interrupt();
  }

  /** Interrupts every thread of this scope; later forks never run. */
  void cancel() {
    Thread[] toInterrupt;
    lock.lock();
    try {
      cancelled = true;
      toInterrupt = java.util.Arrays.copyOf(threads, threadCount);
      Thread inline = adopted;
      if (inline != null) {
        // Under the lock, so that none arrives after disown() has cleared the thread's status.
        adoptedInterrupted = true;
        inline.interrupt();
      }
    } finally {
      lock.unlock();
    }
    for (Thread thread : toInterrupt) {
      thread.interrupt();
    }
  }

  boolean isCancelled() {
    return cancelled;
  }

  /** Whether a thread of this scope is still running its task. */
  boolean isRunning() {
    lock.lock();
    try {
      return running > 0;
    } finally {
      lock.unlock();
    }
  }

  /** The first failure, or {@code null}. */
  @Nullable Throwable failure() {
    return failure;
  }

  /**
   * Waits until every thread has finished.
   *
   * @throws InterruptedException if the waiting thread is interrupted; the threads keep running
   *     (call {@link #close()} to stop them)
   */
  void join() throws InterruptedException {
    lock.lock();
    try {
      while (running > 0) {
        allDone.await();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for every thread, then throws the first failure, if any, as {@link Stages#failure} makes
   * it leave {@code name}: unchecked ones as themselves, checked ones wrapped.
   */
  void joinAndRethrow(String name) throws InterruptedException {
    join();
    Throwable error = failure;
    if (error != null) {
      throw Stages.failure(name, error);
    }
  }

  /** Cancels what still runs and waits for it, however long interrupts keep arriving. */
  @Override
  public void close() {
    boolean interrupted = false;
    lock.lock();
    try {
      if (running > 0) {
        cancel();
      }
      while (running > 0) {
        try {
          allDone.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      lock.unlock();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closes the scope when the current thread is interrupted while joining, then rethrows. */
  static CancellationException cancelledWhileJoining(Scope scope, InterruptedException e) {
    scope.close();
    return Channel.cancelled(e);
  }
}
