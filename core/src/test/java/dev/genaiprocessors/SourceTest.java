package dev.genaiprocessors;

import static dev.genaiprocessors.StreamFixtures.noThreadsBeyond;
import static dev.genaiprocessors.StreamFixtures.textsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.StreamFixtures.GatedStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Source}: alone as a stream, and next to an input as a processor. */
// A generous limit turns a deadlock into a failure; no test measures speed.
@Timeout(60)
class SourceTest {

  private static final Source HELLO_WORLD =
      output -> {
        output.emit("Hello");
        output.emit(" ");
        output.emit("World");
      };

  /** A source that emits nothing and waits until it is cancelled, recording that it was. */
  private static Source waitingUntilCancelled(AtomicBoolean cancelled) {
    return waitingUntilCancelled(new CountDownLatch(1), cancelled);
  }

  /** As {@link #waitingUntilCancelled(AtomicBoolean)}, opening {@code started} once it runs. */
  private static Source waitingUntilCancelled(CountDownLatch started, AtomicBoolean cancelled) {
    return Source.named(
        "waiting",
        output -> {
          started.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            cancelled.set(true);
            throw e;
          }
        });
  }

  @Test
  void stream_yieldsTheSourcesParts() {
    assertThat(HELLO_WORLD.stream().text()).isEqualTo("Hello World");
  }

  @Test
  void stream_gathersThePartsInOrder() {
    Source ab =
        output -> {
          output.emit("A");
          output.emit(ProcessorPart.text("B"));
        };

    assertThat(ab.stream().gather()).isEqualTo(ProcessorContent.of("A", "B"));
  }

  @Test
  void stream_runsTheSourceAnew_eachTime() {
    AtomicInteger runs = new AtomicInteger();
    Source counted = output -> output.emit("run " + runs.incrementAndGet());

    assertThat(counted.stream().text()).isEqualTo("run 1");
    assertThat(counted.stream().text()).isEqualTo("run 2");
  }

  @Test
  void stream_closedEarly_cancelsTheSource_andLeavesNoThread() throws Exception {
    int baseline = Scope.liveThreads();
    Source endless =
        output -> {
          for (int i = 0; ; i++) {
            output.emit("tick " + i);
          }
        };

    try (ProcessorStream ticks = endless.stream()) {
      assertThat(textsOf(ticks.stream().limit(3).toList()))
          .containsExactly("tick 0", "tick 1", "tick 2");
    }

    noThreadsBeyond(baseline);
  }

  @Test
  void name_isLambdaByDefault_andCanBeGiven() {
    assertThat(HELLO_WORLD.name()).isEqualTo("lambda");
    assertThat(Source.named("hello", HELLO_WORLD).name()).isEqualTo("hello");
    assertThat(Source.named("hello", HELLO_WORLD).toProcessor(true).name()).isEqualTo("hello");
  }

  @Test
  void failingSource_failsTheRun_namingTheSource_withTheOriginalError() {
    IllegalStateException error = new IllegalStateException("microphone unplugged");
    Source broken =
        Source.named(
            "microphone",
            output -> {
              output.emit("hello");
              throw error;
            });

    ProcessorStream alone = broken.stream();
    assertThat(alone.read().text()).isEqualTo("hello");
    assertThatThrownBy(alone::read)
        .isSameAs(error)
        .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains("microphone"));

    assertThatThrownBy(() -> broken.toProcessor(false).apply(Streams.endless()).gather())
        .isSameAs(error)
        .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains("microphone"));
  }

  @Test
  void toProcessor_withoutStopOnFirst_endsWhenBothSidesHaveEnded() {
    Source xy =
        output -> {
          output.emit("x");
          output.emit("y");
        };

    List<String> out = textsOf(xy.toProcessor(false).apply(List.of("a", "b")).gather());

    assertThat(out).containsExactlyInAnyOrder("a", "b", "x", "y");
    assertThat(out.indexOf("a")).isLessThan(out.indexOf("b"));
    assertThat(out.indexOf("x")).isLessThan(out.indexOf("y"));
  }

  @Test
  void toProcessor_interleavesInputAndSourceByArrival() throws Exception {
    GatedStream input = new GatedStream("i1", "i2");
    Semaphore sourceTurn = new Semaphore(0);
    Source source =
        output -> {
          for (String text : List.of("s1", "s2")) {
            sourceTurn.acquire();
            output.emit(text);
          }
        };

    try (ProcessorStream out = source.toProcessor(false).apply(input)) {
      sourceTurn.release();
      assertThat(out.read().text()).isEqualTo("s1");
      input.release();
      assertThat(out.read().text()).isEqualTo("i1");
      input.release();
      assertThat(out.read().text()).isEqualTo("i2");
      sourceTurn.release();
      assertThat(out.read().text()).isEqualTo("s2");
      assertThat(out.read()).isNull();
    }
  }

  @Test
  void toProcessor_withStopOnFirst_endsWhenTheInputEnds_cancellingTheSource() {
    AtomicBoolean cancelled = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Processor live = waitingUntilCancelled(started, cancelled).toProcessor(true);

    List<String> out = textsOf(live.apply(StreamFixtures.endingAfter(started, "a", "b")).gather());

    assertThat(out).containsExactly("a", "b");
    assertThat(cancelled).isTrue();
  }

  @Test
  void toProcessor_withStopOnFirst_endsWhenTheSourceEnds_cancellingTheInput() {
    assertThat(HELLO_WORLD.toProcessor(true).apply(Streams.endless()).text())
        .isEqualTo("Hello World");
  }

  @Test
  void toProcessor_closedEarly_cancelsSourceAndInput_andLeavesNoThread() throws Exception {
    int baseline = Scope.liveThreads();
    AtomicBoolean cancelled = new AtomicBoolean();
    Source slow =
        Source.named(
            "slow",
            output -> {
              output.emit("first");
              new CountDownLatch(1).await();
            });
    CountDownLatch started = new CountDownLatch(1);
    Source waiting = waitingUntilCancelled(started, cancelled);

    try (ProcessorStream out =
        Processor.chain(slow.toProcessor(false), waiting.toProcessor(false))
            .apply(Streams.endless())) {
      assertThat(out.read().text()).isEqualTo("first");
      started.await();
    }

    noThreadsBeyond(baseline);
    assertThat(cancelled).isTrue();
  }

  @Test
  void toProcessor_inAChain_feedsTheSourcesPartsToTheNextStage() {
    PartProcessor upper = PartProcessor.map(p -> p.text().toUpperCase());

    String out = HELLO_WORLD.toProcessor(false).then(upper).apply(List.of(" and you")).text();

    assertThat(out.length()).isEqualTo("HELLO WORLD AND YOU".length());
    assertThat(out).contains("HELLO", "WORLD", " AND YOU");
  }
}
