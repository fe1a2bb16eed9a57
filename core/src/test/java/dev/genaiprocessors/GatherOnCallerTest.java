package dev.genaiprocessors;

import static dev.genaiprocessors.StreamFixtures.noThreadsBeyond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code gather()}, {@code text()} and {@code drain()} on a stream not read yet run the processor
 * on the calling thread; the scope adopts that thread, so cancelling works as for a forked run.
 */
class GatherOnCallerTest {

  @Test
  void gather_runsOnTheCallingThread_andAOnePartStageStartsNoThread() {
    int baseline = Scope.liveThreads();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    AtomicInteger threadsDuringTheCall = new AtomicInteger(-1);
    PartProcessor call =
        PartProcessor.named(
            "call",
            (part, out) -> {
              ranOn.set(Thread.currentThread());
              threadsDuringTheCall.set(Scope.liveThreads());
              out.emit(part.text() + "!");
            });

    assertThat(call.apply("a").text()).isEqualTo("a!");
    assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    assertThat(threadsDuringTheCall.get()).isEqualTo(baseline);
  }

  @Test
  void gather_keepsEveryPartEmittedFromSeveralThreadsAtOnce() {
    int perStream = 5_000;
    List<PartStream> streams = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      List<ProcessorPart> parts = new ArrayList<>();
      for (int i = 0; i < perStream; i++) {
        parts.add(ProcessorPart.text(s + ":" + i));
      }
      streams.add(Streams.fromIterable(parts));
    }

    ProcessorContent merged = Streams.merge(streams, false).gather();

    assertThat(merged.size()).isEqualTo(4 * perStream);
    for (int s = 0; s < 4; s++) {
      String prefix = s + ":";
      List<String> ofStream =
          merged.stream().map(ProcessorPart::text).filter(t -> t.startsWith(prefix)).toList();
      assertThat(ofStream).hasSize(perStream);
      for (int i = 0; i < perStream; i++) {
        assertThat(ofStream.get(i)).isEqualTo(prefix + i);
      }
    }
  }

  @Test
  void close_fromAnotherThread_cancelsAGatherInProgress_andLeavesTheCallerUninterrupted()
      throws Exception {
    int baseline = Scope.liveThreads();
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean sawInterrupt = new AtomicBoolean();
    Processor waits =
        Processor.named(
            "waits",
            (in, out) -> {
              out.emit("first");
              started.countDown();
              try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
              } catch (InterruptedException e) {
                sawInterrupt.set(true);
                throw e;
              }
            });
    ProcessorStream stream = waits.apply("x");
    Thread closer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    started.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  stream.close();
                });

    assertThatThrownBy(stream::gather)
        .isInstanceOf(CancellationException.class)
        .hasMessageContaining("closed");
    closer.join();

    assertThat(sawInterrupt).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    noThreadsBeyond(baseline);
  }

  @Test
  void aStreamClosedBeforeGather_refusesIt_andNeverRunsTheProcessor() {
    AtomicBoolean ran = new AtomicBoolean();
    ProcessorStream stream = Processor.named("never", (in, out) -> ran.set(true)).apply("x");
    stream.close();

    assertThatThrownBy(stream::gather).isInstanceOf(IllegalStateException.class);
    assertThat(ran).isFalse();
  }

  @Test
  void aFailingPartStage_interruptsItsInlineWorker_andTheCallerIsNotLeftInterrupted()
      throws Exception {
    int baseline = Scope.liveThreads();
    // Two workers at most. The stage's own thread (the caller's here) takes "first", which starts
    // a second worker and waits until that one took "failing"; then it takes "third" and waits
    // there. "failing" fails once "third" waits; "first" is done, so "failing" is the head and the
    // stage is cancelled, which interrupts the caller's thread inside "third".
    CountDownLatch failingTaken = new CountDownLatch(1);
    CountDownLatch thirdWaits = new CountDownLatch(1);
    AtomicReference<Thread> thirdRanOn = new AtomicReference<>();
    AtomicBoolean thirdInterrupted = new AtomicBoolean();
    Processor stage =
        PartProcessor.named(
                "parts",
                (part, out) -> {
                  switch (part.text()) {
                    case "first" -> {
                      failingTaken.await();
                      out.emit("first done");
                    }
                    case "failing" -> {
                      failingTaken.countDown();
                      thirdWaits.await();
                      throw new IllegalStateException("failing part");
                    }
                    default -> {
                      thirdRanOn.set(Thread.currentThread());
                      thirdWaits.countDown();
                      try {
                        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                      } catch (InterruptedException e) {
                        thirdInterrupted.set(true);
                        throw e;
                      }
                    }
                  }
                })
            .toProcessor(2);

    assertThatThrownBy(() -> stage.apply(List.of("first", "failing", "third")).gather())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("failing part");

    assertThat(thirdRanOn.get()).isSameAs(Thread.currentThread());
    assertThat(thirdInterrupted).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    noThreadsBeyond(baseline);
  }

  @Test
  void drain_runsOnTheCallingThread_forItsSideEffects() {
    List<Thread> threads = new ArrayList<>();
    Processor.named(
            "effects",
            (in, out) -> {
              threads.add(Thread.currentThread());
              out.emit("ignored");
            })
        .apply("x")
        .drain();

    assertThat(threads).containsExactly(Thread.currentThread());
  }
}
