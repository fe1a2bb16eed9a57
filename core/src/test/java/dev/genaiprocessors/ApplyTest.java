package dev.genaiprocessors;

import static dev.genaiprocessors.TestProcessors.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The consumer side: what {@code apply} accepts and what {@link ProcessorStream} offers. */
class ApplyTest {
  private static final Processor ECHO = Processor.identity();

  @Test
  void apply_acceptsEveryInputShape() {
    assertThat(ECHO.apply("a").text()).isEqualTo("a");
    assertThat(ECHO.apply(ProcessorPart.text("b")).text()).isEqualTo("b");
    assertThat(ECHO.apply(ProcessorContent.of("c", "d")).text()).isEqualTo("cd");
    assertThat(ECHO.apply(List.of("e", ProcessorPart.text("f"))).text()).isEqualTo("ef");
    assertThat(ECHO.apply(List.of("g", "h").iterator()).text()).isEqualTo("gh");
    assertThat(ECHO.apply(Stream.of("i", "j")).text()).isEqualTo("ij");
    assertThat(ECHO.apply(new Object[] {"k", ProcessorPart.text("l")}).text()).isEqualTo("kl");
    assertThat(ECHO.apply(ECHO.apply("m")).text()).isEqualTo("m");
  }

  @Test
  void aString_isOnePart_neverSplit() {
    assertThat(ECHO.apply("foo").gather().size()).isEqualTo(1);
  }

  @Test
  void apply_rejectsWhatCannotBeAStream_namingTheType() {
    assertThatThrownBy(() -> ECHO.apply(42))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Integer");
  }

  @Test
  void anItemThatCannotBeAPart_failsTheRun_namingItsType() {
    assertThatThrownBy(() -> ECHO.apply(List.of("ok", 3.5)).gather())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "Can't construct ProcessorPart from java.lang.Double produced by the input");
  }

  @Test
  void apply_isLazy_untilTheStreamIsRead() {
    AtomicInteger calls = new AtomicInteger();
    Processor counting =
        (in, out) -> {
          calls.incrementAndGet();
          in.gather();
        };
    ProcessorStream stream = counting.apply("x");
    assertThat(calls).hasValue(0);
    stream.drain();
    assertThat(calls).hasValue(1);
    ProcessorStream neverRead = counting.apply("y");
    neverRead.close();
    assertThat(calls).hasValue(1);
  }

  @Test
  void aStream_isSingleUse_andReadingItAgainFails_asInPython() {
    ProcessorStream stream = ECHO.apply(List.of("a", "b"));
    assertThat(texts(stream)).containsExactly("a", "b");
    assertThat(stream.read()).isNull(); // a PartStream keeps answering its end
    assertThatThrownBy(stream::gather)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'" + ECHO.name() + "'")
        .hasMessageContaining("read to the end before gather()");
    assertThatThrownBy(stream::iterator).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void text_twice_fails_ratherThanGivingAnEmptyText() {
    ProcessorStream stream = ECHO.apply(List.of("a", "b"));
    assertThat(stream.text()).isEqualTo("ab");
    assertThatThrownBy(stream::text)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before text()");
  }

  @Test
  void aClosedStream_refusesToBeGathered() {
    ProcessorStream stream = ECHO.apply(List.of("a", "b"));
    stream.close();
    assertThatThrownBy(stream::gather)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed before gather()");
    assertThatThrownBy(stream::drain).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @SuppressWarnings("try") // closes the publisher early on purpose, inside its own try
  void publisherInput_isReadWithBoundedDemand() throws Exception {
    List<String> out = new ArrayList<>();
    try (SubmissionPublisher<String> publisher = new SubmissionPublisher<>()) {
      Thread feeder =
          Thread.ofVirtual()
              .start(
                  () -> {
                    // A SubmissionPublisher drops items submitted before anyone subscribes.
                    while (publisher.getNumberOfSubscribers() == 0) {
                      Thread.onSpinWait();
                    }
                    for (int i = 0; i < 500; i++) {
                      publisher.submit(String.valueOf(i));
                    }
                    publisher.close();
                  });
      for (ProcessorPart p : ECHO.apply(publisher)) {
        out.add(p.text());
      }
      feeder.join();
    }
    assertThat(out).hasSize(500).startsWith("0", "1").endsWith("499");
  }

  @Test
  void publisherInput_thatFails_failsTheRun_withItsError() {
    SubmissionPublisher<String> publisher = new SubmissionPublisher<>();
    Thread.ofVirtual()
        .start(
            () -> {
              publisher.submit("a");
              publisher.closeExceptionally(new IllegalStateException("feed broke"));
            });
    assertThatThrownBy(() -> ECHO.apply(publisher).gather())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("feed broke")
        .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains("input publisher"));
  }

  @Test
  void publisherOutput_honoursDemand_andCompletes() throws Exception {
    Processor numbers =
        (in, out) -> {
          for (int i = 0; i < 10; i++) {
            out.emit(String.valueOf(i));
          }
        };
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch twoReceived = new CountDownLatch(2);
    CountDownLatch completed = new CountDownLatch(1);
    AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    numbers
        .apply(List.of())
        .toPublisher()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                subscription.set(s);
                s.request(2);
              }

              @Override
              public void onNext(ProcessorPart item) {
                received.add(item.text());
                twoReceived.countDown();
              }

              @Override
              public void onError(Throwable throwable) {}

              @Override
              public void onComplete() {
                completed.countDown();
              }
            });
    assertThat(twoReceived.await(30, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50);
    assertThat(received).containsExactly("0", "1");
    subscription.get().request(Long.MAX_VALUE);
    assertThat(completed.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(received).hasSize(10);
  }

  @Test
  void processorOf_appliesAFunctionToTheWholeInput() {
    Processor count =
        Processor.of("count", content -> content.size() + " parts: " + content.text());
    assertThat(count.apply(List.of("a", "b")).text()).isEqualTo("2 parts: ab");
    assertThat(count.name()).isEqualTo("count");
    Processor nothing = Processor.of("nothing", content -> null);
    assertThat(nothing.apply("x").gather().isEmpty()).isTrue();
    assertThat(PartProcessor.of("upper", p -> p.text().toUpperCase()).apply("x").text())
        .isEqualTo("X");
  }

  @Test
  void names_areReadable() {
    assertThat(Processor.named("mine", ECHO).name()).isEqualTo("mine");
    assertThat(((Processor) (in, out) -> {}).name()).isEqualTo("lambda");
    assertThat(
            Processor.chain(Processor.named("a", ECHO), PartProcessor.named("b", (p, o) -> {}))
                .name())
        .isEqualTo("chain(a,b)");
    assertThat(
            PartProcessor.parallel(
                    PartProcessor.named("x", (p, o) -> {}), PartProcessor.PASSTHROUGH_ALWAYS)
                .name())
        .isEqualTo("parallel(x,PASSTHROUGH_ALWAYS)");
  }

  @Test
  void runConfig_rejectsNonsense_namingTheValue() {
    assertThatThrownBy(() -> RunConfig.defaults().withBufferSize(0))
        .hasMessageContaining("bufferSize must be at least 1 but was 0");
    assertThatThrownBy(() -> RunConfig.defaults().withMaxConcurrency(-2))
        .hasMessageContaining("-2");
    assertThatThrownBy(() -> RunConfig.defaults().withReservedSubstreams(java.util.Set.of("")))
        .hasMessageContaining("default substream");
    assertThatThrownBy(() -> PartProcessor.map(p -> p).toProcessor(0)).hasMessageContaining("0");
  }
}
