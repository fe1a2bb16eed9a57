package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PartSwitchTest {

  /** The text of a text part, {@code ""} for any other (the Python {@code as_text}). */
  static String asText(ProcessorPart part) {
    return part.isText() ? part.text() : "";
  }

  static PartProcessor wrapping(String label) {
    return PartProcessor.named(
        label, (part, output) -> output.emit(label + "(" + asText(part) + ")"));
  }

  static final PartProcessor P = wrapping("p");
  static final PartProcessor Q = wrapping("q");
  static final PartProcessor PASSTHROUGH =
      PartProcessor.named("passthrough", (part, output) -> output.emit(part));

  @Test
  void partSwitch_appliesTheMatchingCase_inInputOrder() {
    PartSwitch<String> router =
        PartSwitch.on(PartSwitchTest::asText)
            .whenEquals("a", P)
            .whenEquals("b", Q)
            .otherwise(PASSTHROUGH);

    assertThat(router.apply(List.of("a", "b", "c")).text()).isEqualTo("p(a)q(b)c");
  }

  @Test
  void partSwitch_usesTheFirstMatchingCase_whenSeveralMatch() {
    PartSwitch<String> router =
        PartSwitch.on(ProcessorPart::mimeType)
            .whenEquals("text/plain", P)
            .whenEquals("text/plain", Q)
            .otherwise(PASSTHROUGH);

    assertThat(router.apply(List.of("a", "b", "c")).text()).isEqualTo("p(a)p(b)p(c)");
  }

  @Test
  void partSwitch_acceptsPredicateCases() {
    PartSwitch<String> router =
        PartSwitch.on(PartSwitchTest::asText)
            .when(text -> text.startsWith("a"), P)
            .when(text -> text.startsWith("b"), Q)
            .otherwise(PASSTHROUGH);

    assertThat(router.apply(List.of("ab", "bc", "cd")).text()).isEqualTo("p(ab)q(bc)cd");
  }

  @Test
  void partSwitch_routesNonTextPartsByMimeType() {
    PartSwitch<String> router =
        PartSwitch.on(ProcessorPart::mimeType)
            .whenEquals("text/plain", P)
            .whenEquals("audio/wav", Q)
            .otherwise(PASSTHROUGH);
    List<ProcessorPart> input =
        List.of(ProcessorPart.text("text"), ProcessorPart.bytes(new byte[] {1, 2}, "audio/wav"));

    assertThat(router.apply(input).text()).isEqualTo("p(text)q()");
  }

  @Test
  void partSwitch_dropsUnmatchedParts_whenNoDefault() {
    PartSwitch<String> router = PartSwitch.on(PartSwitchTest::asText).whenEquals("b", Q);

    assertThat(router.apply(List.of("a", "b", "c")).text()).isEqualTo("q(b)");
  }

  @Test
  void partSwitch_passesThePartThroughUnchanged_whenTheCaseProcessorDoesNotMatchIt() {
    PartProcessor onlyLong = P.withMatch(part -> part.text().length() > 1);
    PartSwitch<ProcessorPart> router = PartSwitch.create().when(part -> true, onlyLong);

    assertThat(router.apply(List.of("a", "bb")).text()).isEqualTo("ap(bb)");
  }

  @Test
  void partSwitch_treatsPassthroughMarkersAsPassingTheInputThrough() {
    PartSwitch<String> router =
        PartSwitch.on(PartSwitchTest::asText)
            .whenEquals("a", P)
            .otherwise(PartProcessor.PASSTHROUGH_ALWAYS);

    assertThat(router.apply(List.of("a", "b")).text()).isEqualTo("p(a)b");
  }

  @Test
  void partSwitch_keepsInputOrder_whenLaterPartsFinishFirst() {
    CountDownLatch bDone = new CountDownLatch(1);
    PartProcessor slowA =
        PartProcessor.named(
            "slowA",
            (part, output) -> {
              bDone.await();
              output.emit("p(" + part.text() + ")");
            });
    PartProcessor fastB =
        PartProcessor.named(
            "fastB",
            (part, output) -> {
              output.emit("q(" + part.text() + ")");
              bDone.countDown();
            });
    PartSwitch<String> router =
        PartSwitch.on(ProcessorPart::text).whenEquals("a", slowA).whenEquals("b", fastB);

    assertThat(router.apply(List.of("a", "b")).text()).isEqualTo("p(a)q(b)");
  }

  @Test
  void partSwitch_evaluatesCasesInsideThePartsCall_withoutAThreadPerCase() {
    int partCount = 10;
    int caseCount = 1000;
    AtomicInteger keyCalls = new AtomicInteger();
    AtomicInteger maxLiveThreads = new AtomicInteger();
    PartProcessor p =
        PartProcessor.named(
            "p",
            (part, output) -> {
              maxLiveThreads.accumulateAndGet(Scope.liveThreads(), Math::max);
              output.emit("p(" + part.text() + ")");
            });
    PartSwitch<String> router =
        PartSwitch.on(
            part -> {
              keyCalls.incrementAndGet();
              return part.text();
            });
    for (int i = 0; i < caseCount; i++) {
      router = router.whenEquals(i + " ", p);
    }
    router = router.otherwise(PASSTHROUGH);
    List<String> input = IntStream.range(0, partCount).mapToObj(i -> i + " ").toList();

    assertThat(router.apply(input).gather()).hasSize(partCount);
    assertThat(keyCalls).hasValue(partCount);
    // The run's own thread, the stage's dispatcher and emitter, and at most one thread per part.
    assertThat(maxLiveThreads.get()).isLessThanOrEqualTo(3 + partCount);
  }

  @Test
  void partSwitch_failsTheRun_namingTheFailingCase() {
    PartProcessor failing =
        PartProcessor.named(
            "boom",
            (part, output) -> {
              throw new IllegalStateException("cannot handle " + part.text());
            });
    PartSwitch<String> router =
        PartSwitch.on(ProcessorPart::text).whenEquals("x", failing).otherwise(PASSTHROUGH);

    assertThatThrownBy(() -> router.apply(List.of("a", "x")).gather())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot handle x")
        .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains("boom"));
  }

  @Test
  void partSwitch_builderReturnsNewSwitches_leavingTheOriginalUnchanged() {
    PartSwitch<String> onlyA = PartSwitch.on(ProcessorPart::text).whenEquals("a", P);
    PartSwitch<String> aAndB = onlyA.whenEquals("b", Q);

    assertThat(onlyA.apply(List.of("a", "b")).text()).isEqualTo("p(a)");
    assertThat(aAndB.apply(List.of("a", "b")).text()).isEqualTo("p(a)q(b)");
  }

  @Test
  void partSwitch_rejectsACase_afterTheDefault() {
    PartSwitch<String> withDefault = PartSwitch.on(ProcessorPart::text).otherwise(PASSTHROUGH);

    assertThatThrownBy(() -> withDefault.whenEquals("a", P))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("This case is added after the default processor is set: a");
  }

  @Test
  void partSwitch_rejectsASecondDefault() {
    PartSwitch<String> withDefault = PartSwitch.on(ProcessorPart::text).otherwise(PASSTHROUGH);

    assertThatThrownBy(() -> withDefault.otherwise(P))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The default processor is already set.");
  }

  @Test
  void partSwitch_fusesWithOtherPartProcessors() {
    PartProcessor pipeline =
        PartSwitch.on(ProcessorPart::text).whenEquals("a", P).otherwise(PASSTHROUGH).then(Q);

    assertThat(pipeline.apply(List.of("a", "b")).text()).isEqualTo("q(p(a))q(b)");
  }
}
