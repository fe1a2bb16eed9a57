package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SwitchTest {

  /** Emits {@code label(<text>)} for every part it reads. */
  static Processor wrapping(String label) {
    return Processor.named(
        label,
        (input, output) -> {
          for (ProcessorPart part : input) {
            output.emit(label + "(" + part.text() + ")");
          }
        });
  }

  /**
   * Runs {@code inner} once {@code start} is open and opens {@code done} when it has finished: the
   * Python tests order the cases' outputs by sleeping, these by latches.
   */
  static Processor gated(CountDownLatch start, CountDownLatch done, Processor inner) {
    return Processor.named(
        inner.name(),
        (input, output) -> {
          start.await();
          inner.call(input, output);
          done.countDown();
        });
  }

  static List<String> texts(ProcessorStream stream) {
    return stream.gather().stream().map(ProcessorPart::text).toList();
  }

  static final CountDownLatch OPEN = new CountDownLatch(0);

  @Test
  void switch_routesEachValueToItsCase_andMergesOutputsByArrival() {
    CountDownLatch qDone = new CountDownLatch(1);
    CountDownLatch defaultDone = new CountDownLatch(1);
    CountDownLatch pDone = new CountDownLatch(1);
    Switch<String> router =
        Switch.on(ProcessorPart::text)
            .whenEquals("a", gated(defaultDone, pDone, wrapping("p")))
            .whenEquals("b", gated(OPEN, qDone, wrapping("q")))
            .otherwise(gated(qDone, defaultDone, Processor.identity()));

    assertThat(router.apply(List.of("a", "b", "c")).text()).isEqualTo("q(b)cp(a)");
  }

  @Test
  void switch_acceptsPredicateCases_andKeepsOrderWithinACase() {
    CountDownLatch qDone = new CountDownLatch(1);
    CountDownLatch defaultDone = new CountDownLatch(1);
    CountDownLatch pDone = new CountDownLatch(1);
    Switch<String> router =
        Switch.on(ProcessorPart::text)
            .when(text -> text.startsWith("a"), gated(defaultDone, pDone, wrapping("p")))
            .whenEquals("b", gated(OPEN, qDone, wrapping("q")))
            .otherwise(gated(qDone, defaultDone, Processor.identity()));

    assertThat(router.apply(List.of("a1", "b", "c", "a2")).text()).isEqualTo("q(b)cp(a1)p(a2)");
  }

  @Test
  void switch_routesBySubstream_withAPartProcessorDefault() {
    List<ProcessorPart> input = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      input.add(ProcessorPart.text("a").withSubstreamName("a"));
    }
    input.add(ProcessorPart.text("b").withSubstreamName("b"));
    input.add(ProcessorPart.text("c").withSubstreamName("c"));
    CountDownLatch defaultDone = new CountDownLatch(1);
    CountDownLatch pDone = new CountDownLatch(1);
    PartProcessor passthrough = PartProcessor.map(part -> part);

    Switch<String> router =
        Switch.on(ProcessorPart::substreamName)
            .whenEquals("a", gated(defaultDone, pDone, wrapping("p")))
            .otherwise(gated(OPEN, defaultDone, passthrough.toProcessor()));

    assertThat(router.apply(input).text()).isEqualTo("bcp(a)p(a)p(a)");
  }

  @Test
  void switch_dropsUnmatchedParts_whenNoDefault() {
    List<ProcessorPart> input =
        List.of(
            ProcessorPart.text("a").withSubstreamName("a"),
            ProcessorPart.text("b").withSubstreamName("b"),
            ProcessorPart.text("c").withSubstreamName("c"));

    Switch<String> router = Switch.on(ProcessorPart::substreamName).whenEquals("b", wrapping("q"));

    assertThat(router.apply(input).text()).isEqualTo("q(b)");
  }

  @Test
  void switch_givesEachPartToTheFirstMatchingCaseOnly() {
    Switch<String> router =
        Switch.on(ProcessorPart::text)
            .when(text -> text.startsWith("a"), wrapping("p"))
            .when(text -> text.endsWith("1"), wrapping("q"));

    assertThat(texts(router.apply(List.of("a1", "b1", "a2", "c2"))))
        .containsExactlyInAnyOrder("p(a1)", "q(b1)", "p(a2)");
  }

  @Test
  void switch_keepsOrderWithinEachCase_andLosesNoPart_underBackpressure() {
    List<String> input =
        IntStream.range(0, 300).mapToObj(i -> "abc".charAt(i % 3) + String.valueOf(i)).toList();
    Switch<Character> router =
        Switch.on(part -> part.text().charAt(0))
            .whenEquals('a', wrapping("p"))
            .whenEquals('b', PartProcessor.map(part -> "q(" + part.text() + ")"))
            .otherwise(Processor.identity());

    List<String> out = texts(router.apply(RunConfig.defaults().withBufferSize(2), input));

    List<String> expected =
        input.stream()
            .map(
                s ->
                    switch (s.charAt(0)) {
                      case 'a' -> "p(" + s + ")";
                      case 'b' -> "q(" + s + ")";
                      default -> s;
                    })
            .toList();
    assertThat(out).containsExactlyInAnyOrderElementsOf(expected);
    for (String prefix : List.of("p(", "q(", "c")) {
      assertThat(out.stream().filter(s -> s.startsWith(prefix)).toList())
          .as("outputs of case %s", prefix)
          .containsExactlyElementsOf(expected.stream().filter(s -> s.startsWith(prefix)).toList());
    }
  }

  @Test
  void switch_runsEachCaseProcessorOncePerRun_evenWhenNoPartReachesIt() {
    AtomicInteger aCalls = new AtomicInteger();
    AtomicInteger zCalls = new AtomicInteger();
    Processor countingA =
        (input, output) -> {
          aCalls.incrementAndGet();
          Processor.identity().call(input, output);
        };
    Processor countingZ =
        (input, output) -> {
          zCalls.incrementAndGet();
          Processor.identity().call(input, output);
        };
    Switch<String> router =
        Switch.on(ProcessorPart::text).whenEquals("a", countingA).whenEquals("z", countingZ);

    assertThat(texts(router.apply(List.of("a", "a", "b", "a")))).containsExactly("a", "a", "a");
    assertThat(aCalls).hasValue(1);
    assertThat(zCalls).hasValue(1);
  }

  @Test
  void switch_keepsRoutingOtherCases_whenOneCaseStopsReadingEarly() {
    Processor firstOnly = (input, output) -> output.emit("first " + input.read().text());
    List<String> input =
        IntStream.range(0, 100).mapToObj(i -> (i % 2 == 0 ? "a" : "b") + i).toList();
    Switch<Character> router =
        Switch.on(part -> part.text().charAt(0))
            .whenEquals('a', firstOnly)
            .otherwise(Processor.identity());

    List<String> out = texts(router.apply(RunConfig.defaults().withBufferSize(1), input));

    assertThat(out).contains("first a0");
    assertThat(out.stream().filter(s -> s.startsWith("b")).toList())
        .containsExactlyElementsOf(input.stream().filter(s -> s.startsWith("b")).toList());
    assertThat(out).hasSize(51);
  }

  @Test
  void switch_failsTheRun_namingTheCaseProcessor_whenACaseFails() {
    Processor failing =
        Processor.named(
            "boom",
            (input, output) -> {
              for (ProcessorPart part : input) {
                throw new IllegalStateException("cannot route " + part.text());
              }
            });
    Switch<String> router =
        Switch.on(ProcessorPart::text).whenEquals("x", failing).otherwise(Processor.identity());

    assertThatThrownBy(() -> router.apply(List.of("a", "x", "b")).gather())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot route x")
        .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains("boom"));
  }

  @Test
  void switch_failsTheRun_whenTheKeyFunctionFails() {
    Switch<String> router = Switch.on(ProcessorPart::text).otherwise(Processor.identity());

    assertThatThrownBy(
            () -> router.apply(List.of(ProcessorPart.bytes(new byte[] {1}, "image/png"))).gather())
        .isInstanceOf(IllegalStateException.class)
        .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains("switch(identity)"));
  }

  @Test
  void switch_failsTheRun_whenTheKeyIsNull() {
    Switch<Object> router = Switch.<Object>on(part -> null).otherwise(Processor.identity());

    assertThatThrownBy(() -> router.apply("a").gather())
        .isInstanceOf(NullPointerException.class)
        .hasMessageStartingWith("the switch key function returned null for ProcessorPart[");
  }

  @Test
  void switch_withPartAsKey_testsWholeParts() {
    Switch<ProcessorPart> router =
        Switch.create()
            .whenEquals(ProcessorPart.text("a"), wrapping("p"))
            .when(part -> part.text().equals("b"), wrapping("q"));

    assertThat(texts(router.apply(List.of("a", "b", "c"))))
        .containsExactlyInAnyOrder("p(a)", "q(b)");
  }

  @Test
  void switch_builderReturnsNewSwitches_leavingTheOriginalUnchanged() {
    Switch<String> onlyA = Switch.on(ProcessorPart::text).whenEquals("a", wrapping("p"));
    Switch<String> aAndB = onlyA.whenEquals("b", wrapping("q"));

    assertThat(onlyA.apply(List.of("a", "b")).text()).isEqualTo("p(a)");
    assertThat(texts(aAndB.apply(List.of("a", "b")))).containsExactlyInAnyOrder("p(a)", "q(b)");
  }

  @Test
  void switch_rejectsACase_afterTheDefault() {
    Switch<String> withDefault = Switch.on(ProcessorPart::text).otherwise(Processor.identity());

    assertThatThrownBy(() -> withDefault.whenEquals("a", wrapping("p")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("This case is added after the default processor is set: a");
    assertThatThrownBy(() -> withDefault.when(text -> true, wrapping("p")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("This case is added after the default processor is set: ");
  }

  @Test
  void switch_rejectsASecondDefault() {
    Switch<String> withDefault = Switch.on(ProcessorPart::text).otherwise(Processor.identity());

    assertThatThrownBy(() -> withDefault.otherwise(PartProcessor.map(part -> part)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The default processor is already set.");
  }

  @Test
  void switch_dropsEveryPart_whenItHasNoCase() {
    assertThat(Switch.on(ProcessorPart::text).apply(List.of("a", "b")).gather()).isEmpty();
  }

  @Test
  void switch_stopsEveryThread_whenTheConsumerClosesEarly() {
    Iterator<String> endless =
        new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public String next() {
            return (next % 2 == 0 ? "a" : "b") + next++;
          }
        };
    Switch<Character> router =
        Switch.on(part -> part.text().charAt(0))
            .whenEquals('a', wrapping("p"))
            .otherwise(Processor.identity());

    try (ProcessorStream out = router.apply(endless)) {
      assertThat(out.read()).isNotNull();
    }

    assertThat(Scope.liveThreads()).isZero();
  }

  @Test
  void switch_worksAsAStageOfAChain() {
    Processor pipeline =
        Processor.chain(
            Switch.on(ProcessorPart::text)
                .whenEquals("a", wrapping("p"))
                .otherwise(Processor.identity()),
            wrapping("r"));

    assertThat(texts(pipeline.apply(List.of("a", "b"))))
        .containsExactlyInAnyOrder("r(p(a))", "r(b)");
  }

  @Test
  void switch_isNamedAfterItsCases() {
    Switch<String> router =
        Switch.on(ProcessorPart::text)
            .whenEquals("a", wrapping("p"))
            .otherwise(Processor.identity());

    assertThat(router.name()).isEqualTo("switch(p,identity)");
  }
}
