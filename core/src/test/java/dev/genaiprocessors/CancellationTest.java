package dev.genaiprocessors;

import static dev.genaiprocessors.TestProcessors.insert;
import static dev.genaiprocessors.TestProcessors.twice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Closing early cancels the whole run, and no thread outlives it. */
class CancellationTest {

  /** An endless input: a run over it ends only by cancellation. */
  private static java.util.Iterator<String> endless() {
    return Stream.iterate(0, i -> i + 1).map(String::valueOf).iterator();
  }

  @Test
  void tenThousandRuns_cancelledAtRandomPoints_leaveNoThreadBehind() {
    Random random = new Random(20261125);
    PartProcessor sleepy =
        (part, out) -> {
          if (random.nextInt(64) == 0) {
            Thread.sleep(1);
          }
          out.emit(part);
        };
    List<Processor> pipelines =
        List.of(
            Processor.chain(twice(), insert("a"), Processor.identity(), sleepy),
            Processor.chain(
                insert("a"),
                PartProcessor.parallel(insert("b"), sleepy, PartProcessor.PASSTHROUGH_ALWAYS),
                twice()),
            Processor.parallel(twice(), Processor.chain(sleepy, insert("c"))),
            Processor.chain(
                sleepy.then(insert("d")),
                Processor.parallel(Processor.identity(), twice()),
                insert("e")));
    int baseline = Scope.liveThreads();
    for (int run = 0; run < 10_000; run++) {
      Processor pipeline = pipelines.get(run % pipelines.size());
      int readBeforeClosing = random.nextInt(40);
      int read = 0;
      try (ProcessorStream out = pipeline.apply(endless())) {
        java.util.Iterator<ProcessorPart> it = out.iterator();
        while (read < readBeforeClosing && it.hasNext()) {
          it.next();
          read++;
        }
      }
      // close() returns only when every thread of the run has finished its work.
      assertThat(Scope.liveThreads()).as("threads alive after run %d", run).isEqualTo(baseline);
    }
  }

  @Test
  void closingTheStream_interruptsBlockedProcessors() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Processor stuck =
        (in, out) -> {
          out.emit("started");
          blocked.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            interrupted.set(true);
            throw e;
          }
        };
    ProcessorStream out = Processor.chain(Processor.identity(), stuck, twice()).apply("x");
    assertThat(out.read().text()).isEqualTo("started");
    assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
    out.close();
    assertThat(interrupted).isTrue();
    assertThat(Scope.liveThreads()).isZero();
    assertThatThrownBy(out::read).isInstanceOf(CancellationException.class);
  }

  @Test
  void aConsumerThatStopsEarly_stopsAnEndlessProducer() {
    Processor firstThree =
        (in, out) -> {
          int n = 0;
          for (ProcessorPart p : in) {
            out.emit(p);
            if (++n == 3) {
              return;
            }
          }
        };
    AtomicInteger produced = new AtomicInteger();
    Processor producer =
        (in, out) -> {
          for (int i = 0; ; i++) {
            produced.incrementAndGet();
            out.emit(String.valueOf(i));
          }
        };
    assertThat(producer.then(firstThree).apply(List.of()).text()).isEqualTo("012");
    assertThat(Scope.liveThreads()).isZero();
  }

  @Test
  void aStageThatStopsReading_cancelsStagesBlockedOnTheirInput() {
    Processor firstOnly = (in, out) -> out.emit(in.read());
    // identity blocks on the endless iterator's next part only via emit; give it a blocking input.
    java.util.concurrent.BlockingQueue<String> never =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.Iterator<String> blockingInput =
        new java.util.Iterator<>() {
          private int served;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public String next() {
            if (served++ == 0) {
              return "first";
            }
            try {
              return never.take();
            } catch (InterruptedException e) {
              throw new CancellationException("interrupted");
            }
          }
        };
    assertThat(Processor.identity().then(firstOnly).apply(blockingInput).text()).isEqualTo("first");
    assertThat(Scope.liveThreads()).isZero();
  }

  @Test
  void streamView_cancelsTheRun_whenClosed() {
    AtomicInteger produced = new AtomicInteger();
    Processor producer =
        (in, out) -> {
          for (int i = 0; ; i++) {
            produced.incrementAndGet();
            out.emit(String.valueOf(i));
          }
        };
    List<String> firstFive;
    try (Stream<ProcessorPart> parts = producer.apply(List.of()).stream()) {
      firstFive = parts.limit(5).map(ProcessorPart::text).toList();
    }
    assertThat(firstFive).containsExactly("0", "1", "2", "3", "4");
    assertThat(Scope.liveThreads()).isZero();
  }

  @Test
  void aSlowConsumer_holdsBackTheProducer_withinTheBuffers() throws Exception {
    AtomicInteger produced = new AtomicInteger();
    Processor producer =
        (in, out) -> {
          for (int i = 0; i < 100_000; i++) {
            out.emit(String.valueOf(i));
            produced.incrementAndGet();
          }
        };
    RunConfig config = RunConfig.defaults().withBufferSize(8);
    Processor pipeline = Processor.chain(producer, Processor.identity(), Processor.identity());
    try (ProcessorStream out = pipeline.apply(config, List.of())) {
      for (int consumed = 1; consumed <= 50; consumed++) {
        out.read();
        // Give the producer every chance to run ahead, then check it could not.
        Thread.sleep(1);
        // 3 hops, each holding at most 8 buffered parts plus a batch of 8 its consumer took, plus
        // one part held by each of the 3 stages and the one being emitted.
        assertThat(produced.get() - consumed).isLessThanOrEqualTo(3 * (8 + 8) + 4);
      }
    }
  }

  @Test
  void interruptingTheConsumer_cancelsTheRun() throws Exception {
    Processor slow =
        (in, out) -> {
          for (ProcessorPart p : in) {
            Thread.sleep(60_000);
            out.emit(p);
          }
        };
    AtomicBoolean cancelled = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Thread consumer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (ProcessorStream out = slow.apply("x")) {
                    started.countDown();
                    out.read();
                  } catch (CancellationException e) {
                    cancelled.set(true);
                  }
                });
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50);
    consumer.interrupt();
    consumer.join();
    assertThat(cancelled).isTrue();
    assertThat(Scope.liveThreads()).isZero();
  }

  @Test
  void manyConcurrentRuns_shareNothing() {
    Processor pipeline = Processor.chain(twice(), insert("x"));
    List<String> results =
        new ArrayList<>(
            IntStream.range(0, 200)
                .parallel()
                .mapToObj(i -> pipeline.apply(String.valueOf(i)).text())
                .toList());
    for (int i = 0; i < 200; i++) {
      assertThat(results.get(i)).isEqualTo("x" + i + "x" + i);
    }
  }
}
