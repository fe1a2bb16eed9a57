package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream dropped without being closed is cancelled when it is collected: its threads end and a
 * warning names the processor. Each test drops its streams inside a helper method, so that no local
 * variable of the test's own frame keeps one reachable.
 */
class DroppedStreamTest {
  /** Generous: a collection is asked for every few milliseconds until then. */
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureLog() {
    // slf4j-simple, the tests' binding, writes to whatever System.err is when it logs.
    originalErr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    System.setErr(originalErr);
  }

  /** An endless input: a run over it ends only by cancellation. */
  private static java.util.Iterator<String> endless() {
    return Stream.iterate(0, i -> i + 1).map(String::valueOf).iterator();
  }

  /** A pass-through stage that counts the bodies started and ended. */
  private static Processor counted(String name, AtomicInteger started, AtomicInteger ended) {
    return Processor.named(
        name,
        (in, out) -> {
          started.incrementAndGet();
          try {
            for (ProcessorPart part : in) {
              out.emit(part);
            }
          } finally {
            ended.incrementAndGet();
          }
        });
  }

  private static void breakOutOfLoops(Processor processor, int loops) {
    for (int i = 0; i < loops; i++) {
      for (ProcessorPart part : processor.apply(endless())) {
        if (part != null) {
          break;
        }
      }
    }
  }

  /** Asks for collections until {@code done} holds or the deadline passes; true if it held. */
  private static boolean collectUntil(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      System.gc();
      Thread.sleep(20);
    }
    return true;
  }

  private long warningsNaming(String name) {
    String text = log.toString(StandardCharsets.UTF_8);
    return text.lines()
        .filter(
            line ->
                line.contains("WARN")
                    && line.contains("a ProcessorStream of '" + name + "' was not closed"))
        .count();
  }

  @Test
  void aThousandLoopsThatBreakWithoutClosing_overFiveStages_leaveNoThreadOnceCollected()
      throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    Processor fiveStages =
        Processor.named(
            "five-stages",
            Processor.chain(
                counted("s1", started, ended),
                counted("s2", started, ended),
                counted("s3", started, ended),
                counted("s4", started, ended),
                counted("s5", started, ended)));
    int baseline = Scope.liveThreads();

    breakOutOfLoops(fiveStages, 1_000);

    assertThat(started).hasValue(5_000);
    boolean allEnded = collectUntil(() -> ended.get() == 5_000 && Scope.liveThreads() <= baseline);
    assertThat(allEnded)
        .as(
            "every stage ended (%d of 5000 did, %d threads left)",
            ended.get(), Scope.liveThreads() - baseline)
        .isTrue();
    assertThat(collectUntil(() -> warningsNaming("five-stages") == 1_000)).isTrue();
  }

  @Test
  void aDroppedStream_isWarnedAboutOnce_namingItsProcessor_andClosedOrFinishedOnesNever()
      throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    breakOutOfLoops(counted("dropped-stage", started, ended), 3);
    Processor tidy =
        Processor.named(
            "tidy-stage",
            (in, out) -> {
              for (ProcessorPart part : in) {
                out.emit(part);
              }
            });
    for (int i = 0; i < 3; i++) {
      try (ProcessorStream out = tidy.apply(endless())) {
        assertThat(out.read()).isNotNull();
      }
      ProcessorStream finished = tidy.apply(List.of("a"));
      while (finished.read() != null) {
        // Read to the end without closing: nothing is left to cancel, so nothing to warn about.
      }
    }

    assertThat(collectUntil(() -> ended.get() == 3 && warningsNaming("dropped-stage") >= 3))
        .isTrue();
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(warningsNaming("dropped-stage")).isEqualTo(3);
    assertThat(warningsNaming("tidy-stage")).isZero();
  }

  /**
   * Subscribes, takes {@code parts} parts (none: the run never starts), then forgets the
   * subscription without cancelling it.
   */
  private static void subscribeAndForget(Processor processor, int parts, CountDownLatch first) {
    processor
        .apply(endless())
        .toPublisher()
        .subscribe(
            new Flow.Subscriber<ProcessorPart>() {
              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                if (parts > 0) {
                  subscription.request(parts);
                }
              }

              @Override
              public void onNext(ProcessorPart item) {
                first.countDown();
              }

              @Override
              public void onError(Throwable throwable) {}

              @Override
              public void onComplete() {}
            });
  }

  @Test
  void aSubscriptionDroppedWithNoDemand_isCollected_andItsRunAndPublisherThreadEnd()
      throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    int baseline = Scope.liveThreads();
    CountDownLatch first = new CountDownLatch(10);
    for (int i = 0; i < 10; i++) {
      subscribeAndForget(counted("published", started, ended), 1, first);
      subscribeAndForget(counted("never-requested", started, ended), 0, first);
    }
    assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();

    assertThat(collectUntil(() -> ended.get() == 10 && Scope.liveThreads() <= baseline)).isTrue();
    assertThat(started).hasValue(10);
    assertThat(collectUntil(() -> warningsNaming("published") == 10)).isTrue();
    assertThat(collectUntil(() -> warningsNaming("never-requested") == 10)).isTrue();
  }

  @Test
  void aSubscriberThatOnlyThePublisherHolds_receivesEveryPart_despiteCollections()
      throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    CountDownLatch completed = new CountDownLatch(1);
    Processor slow =
        Processor.named(
            "slow",
            (in, out) -> {
              for (int i = 0; i < 50; i++) {
                Thread.sleep(2);
                out.emit(String.valueOf(i));
              }
            });
    slow.apply(List.of())
        .toPublisher()
        .subscribe(
            new Flow.Subscriber<ProcessorPart>() {
              private Flow.Subscription subscription;

              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                subscription.request(1);
              }

              @Override
              public void onNext(ProcessorPart item) {
                received.add(item.text());
                subscription.request(1);
              }

              @Override
              public void onError(Throwable throwable) {}

              @Override
              public void onComplete() {
                completed.countDown();
              }
            });
    assertThat(collectUntil(() -> completed.getCount() == 0)).isTrue();
    assertThat(received).hasSize(50);
    assertThat(warningsNaming("slow")).isZero();
  }

  private long splitWarnings() {
    return log.toString(StandardCharsets.UTF_8)
        .lines()
        .filter(line -> line.contains("WARN") && line.contains("a copy of a split stream"))
        .count();
  }

  /** Splits an endless run in two, reads a part of each copy, and drops both unclosed. */
  private static void splitAndDrop(Processor processor) {
    List<PartStream> copies = Streams.split(processor.apply(endless()), 2, 4);
    assertThat(copies.get(0).read()).isNotNull();
    assertThat(copies.get(1).read()).isNotNull();
  }

  @Test
  void splitCopiesDroppedUnclosed_areClosedWhenCollected_stoppingTheReaderAndTheSourceRun()
      throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    int baseline = Scope.liveThreads();

    for (int i = 0; i < 20; i++) {
      splitAndDrop(counted("split-source", started, ended));
    }

    assertThat(started).hasValue(20);
    assertThat(collectUntil(() -> ended.get() == 20 && Scope.liveThreads() <= baseline))
        .as("every source run ended (%d of 20), %d threads left", ended.get(), Scope.liveThreads())
        .isTrue();
    assertThat(collectUntil(() -> splitWarnings() == 40)).isTrue();
    // The reader closed each source run itself: no source stream was left to warn about.
    assertThat(warningsNaming("split-source")).isZero();
  }

  /** Splits {@code source} in two with a backlog of 2 and drops the second copy unread. */
  private static PartStream firstOfTwoDroppingTheOther(PartStream source) {
    return Streams.split(source, 2, 2).get(0);
  }

  @Test
  void aSplitCopyDroppedUnread_stopsHoldingTheOthersBack_onceCollected() throws Exception {
    PartStream kept =
        firstOfTwoDroppingTheOther(
            Streams.fromIterable(
                Stream.iterate(0, i -> i + 1).limit(1_000).map(String::valueOf).toList()));
    AtomicInteger read = new AtomicInteger();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (kept.read() != null) {
                    read.incrementAndGet();
                  }
                });

    // Without the collection, the reader would wait for good once the dropped copy held 2 parts.
    assertThat(collectUntil(() -> read.get() == 1_000)).as("read %d of 1000", read.get()).isTrue();
    reader.join(DEADLINE.toMillis());
    assertThat(reader.isAlive()).isFalse();
    assertThat(collectUntil(() -> splitWarnings() == 1)).isTrue();
    ((AutoCloseable) kept).close();
  }
}
