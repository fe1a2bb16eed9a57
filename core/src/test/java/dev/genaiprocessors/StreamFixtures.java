package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/** Streams whose pace and fate the tests of {@link Streams} and {@link Source} control. */
final class StreamFixtures {
  private StreamFixtures() {}

  /** Tells a {@link GatedStream} to end its reader by cancellation at that point. */
  static final Object CANCEL = new Object();

  /**
   * A stream that hands out each item only once the test {@link #release}s it: a string becomes a
   * text part, a {@link RuntimeException} is thrown, {@link #CANCEL} throws a cancellation. Its end
   * needs no release.
   */
  static final class GatedStream implements PartStream {
    private final Semaphore permits = new Semaphore(0);
    private final Iterator<Object> items;

    GatedStream(Object... items) {
      this.items = List.of(items).iterator();
    }

    void release() {
      permits.release();
    }

    @Override
    public @Nullable ProcessorPart read() {
      if (!items.hasNext()) {
        return null;
      }
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while waiting for a release");
      }
      Object item = items.next();
      if (item == CANCEL) {
        throw new CancellationException("cancelled by the test");
      }
      if (item instanceof RuntimeException error) {
        throw error;
      }
      return ProcessorPart.text((String) item);
    }
  }

  /**
   * A stream of {@code texts} that ends only once {@code latch} is open: for tests where another
   * input must have begun before this one ends.
   */
  static PartStream endingAfter(CountDownLatch latch, String... texts) {
    Iterator<String> items = List.of(texts).iterator();
    return () -> {
      if (items.hasNext()) {
        return ProcessorPart.text(items.next());
      }
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while waiting to end");
      }
      return null;
    };
  }

  /** An endless stream of "0", "1", ... that counts how many parts were read from it. */
  static final class CountingStream implements PartStream {
    final AtomicInteger produced = new AtomicInteger();

    @Override
    public ProcessorPart read() {
      return ProcessorPart.text(String.valueOf(produced.getAndIncrement()));
    }
  }

  /**
   * A stream that blocks until its reader is interrupted, recording that it was; it signals {@link
   * #reading} once a read has begun.
   */
  static final class BlockedStream implements PartStream {
    final CountDownLatch reading = new CountDownLatch(1);
    final AtomicBoolean interrupted = new AtomicBoolean();

    @Override
    public @Nullable ProcessorPart read() {
      reading.countDown();
      try {
        new CountDownLatch(1).await();
        throw new AssertionError("unreachable");
      } catch (InterruptedException e) {
        interrupted.set(true);
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted");
      }
    }
  }

  /**
   * Waits until {@code condition} holds, polling for up to ten seconds; only a guard against a
   * hang, never a measure of speed.
   */
  static void eventually(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  /** Waits until no more runtime threads are alive than {@code baseline}. */
  static void noThreadsBeyond(int baseline) throws InterruptedException {
    IntSupplier live = Scope::liveThreads;
    eventually(
        "runtime threads back at the baseline of " + baseline, () -> live.getAsInt() <= baseline);
  }

  static List<String> textsOf(Iterable<ProcessorPart> parts) {
    List<String> texts = new java.util.ArrayList<>();
    for (ProcessorPart part : parts) {
      texts.add(part.text());
    }
    return texts;
  }
}
