package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine behind {@link Cached}: for one wrapped processor, looks a call's key up, runs the
 * computation on a miss while streaming its parts, and stores the result; identical calls that
 * overlap share one computation.
 *
 * <p>Per key, at most one call at a time (the leader) looks up and computes; an overlapping call
 * waits on the leader's future and emits what the leader emitted. A leader that fails (it threw, or
 * its run was cancelled) shares nothing: each waiter starts over, so one of them becomes the next
 * leader and computes afresh. The leader stores the result before it steps down, so a call that
 * starts after it has stepped down finds the result in the cache.
 */
final class CachedCalls {
  /** The wrapped processor's work for one call, writing to {@code output}. */
  @FunctionalInterface
  interface Computation {
    void run(PartSink output) throws Exception;
  }

  private final ProcessorCache cache;
  private final String keyPrefix;
  private final ProcessorCache.KeyFunction keyFunction;
  // The leader's future completes with what it emitted, or empty when it failed; never
  // exceptionally.
  private final ConcurrentHashMap<String, CompletableFuture<Optional<ProcessorContent>>> leaders =
      new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();

  CachedCalls(ProcessorCache cache, String keyPrefix, ProcessorCache.KeyFunction keyFunction) {
    this.cache = cache;
    this.keyPrefix = keyPrefix;
    this.keyFunction = keyFunction;
  }

  String keyPrefix() {
    return keyPrefix;
  }

  /** How many calls are waiting for an identical call to finish; for tests. */
  int waiting() {
    return waiting.get();
  }

  /** Emits the cached result for {@code input}, or the computed one, storing it when it may be. */
  void call(ProcessorContent input, PartSink output, Computation computation) throws Exception {
    String hash = keyFunction.keyOf(input);
    if (hash == null) {
      computation.run(output);
      return;
    }
    String key = keyPrefix + hash;
    while (true) {
      CompletableFuture<Optional<ProcessorContent>> mine = new CompletableFuture<>();
      CompletableFuture<Optional<ProcessorContent>> leader = leaders.putIfAbsent(key, mine);
      if (leader == null) {
        lead(key, mine, output, computation);
        return;
      }
      Optional<ProcessorContent> shared = await(leader);
      if (shared.isPresent()) {
        output.emitAll(shared.get());
        return;
      }
    }
  }

  private void lead(
      String key,
      CompletableFuture<Optional<ProcessorContent>> mine,
      PartSink output,
      Computation computation)
      throws Exception {
    Optional<ProcessorContent> outcome = Optional.empty();
    Optional<ProcessorContent> hit = Optional.empty();
    try {
      hit = cache.lookupOrReserve(key);
      if (hit.isPresent()) {
        outcome = hit;
      } else {
        outcome = Optional.of(computeAndStore(key, output, computation));
      }
    } finally {
      // Step down before waking the waiters, so that one whose leader failed finds the key free.
      leaders.remove(key, mine);
      mine.complete(outcome);
    }
    if (hit.isPresent()) {
      // Emitted after stepping down: a slow consumer of this call must not hold up the waiters.
      output.emitAll(hit.get());
    }
  }

  /**
   * Runs the computation after a miss and stores its result when it may be; otherwise releases the
   * key that the miss may have reserved, so that a caller waiting for it (in another process, with
   * a shared cache) computes it itself.
   */
  private ProcessorContent computeAndStore(String key, PartSink output, Computation computation)
      throws Exception {
    ProcessorContent result;
    try {
      CollectingSink sink = new CollectingSink(output);
      computation.run(sink);
      result = sink.content();
    } catch (Throwable e) {
      try {
        cache.release(key);
      } catch (Throwable releaseFailure) {
        e.addSuppressed(releaseFailure);
      }
      throw e;
    }
    if (isCacheable(result)) {
      cache.put(key, result);
    } else {
      cache.release(key);
    }
    return result;
  }

  /** Results with no part, or with an exception part, are never stored (as in Python). */
  static boolean isCacheable(ProcessorContent result) {
    if (result.isEmpty()) {
      return false;
    }
    for (ProcessorPart part : result) {
      if (part.isException()) {
        return false;
      }
    }
    return true;
  }

  private Optional<ProcessorContent> await(CompletableFuture<Optional<ProcessorContent>> leader)
      throws InterruptedException {
    waiting.incrementAndGet();
    try {
      return leader.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a leader's future never completes exceptionally", e);
    } finally {
      waiting.decrementAndGet();
    }
  }

  /**
   * Passes parts on to the call's output and keeps them, in the order they went out, for the
   * wrapped processor may emit from several threads.
   */
  private static final class CollectingSink implements PartSink {
    private final PartSink output;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<ProcessorPart> parts = new ArrayList<>();

    CollectingSink(PartSink output) {
      this.output = output;
    }

    @Override
    public void emit(ProcessorPart part) {
      Objects.requireNonNull(part, "part");
      try {
        lock.lockInterruptibly();
      } catch (InterruptedException e) {
        throw Channel.cancelled(e);
      }
      try {
        output.emit(part);
        parts.add(part);
      } finally {
        lock.unlock();
      }
    }

    ProcessorContent content() {
      lock.lock();
      try {
        return ProcessorContent.ofParts(parts);
      } finally {
        lock.unlock();
      }
    }
  }
}
