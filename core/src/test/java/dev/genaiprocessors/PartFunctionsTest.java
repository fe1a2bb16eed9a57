package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PartFunctionsTest {

  static List<String> texts(ProcessorStream stream) {
    return stream.gather().stream().map(ProcessorPart::text).toList();
  }

  static CountDownLatch[] latches(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> new CountDownLatch(1))
        .toArray(CountDownLatch[]::new);
  }

  static PartProcessor wrapping(String label) {
    return PartProcessor.named(
        label, (part, output) -> output.emit(label + "(" + part.text() + ")"));
  }

  static Predicate<ProcessorPart> textIs(String text) {
    return part -> part.text().equals(text);
  }

  // ------------------------------------------------------------------------------------------ map

  @Test
  void map_emitsInInputOrder_whenPartsFinishInReverseOrder() {
    // The Python test sleeps 2 - n seconds; here part n waits until part n + 1 is done.
    CountDownLatch[] done = latches(3);
    ConcurrentLinkedQueue<Integer> executed = new ConcurrentLinkedQueue<>();
    PartProcessor reverseEcho =
        (part, output) -> {
          int n = Integer.parseInt(part.text());
          if (n < 2) {
            done[n + 1].await();
          }
          executed.add(n);
          output.emit(part);
          done[n].countDown();
        };

    assertThat(texts(PartFunctions.map(reverseEcho, part -> true).apply(List.of("0", "1", "2"))))
        .containsExactly("0", "1", "2");
    assertThat(executed).containsExactly(2, 1, 0);
  }

  @Test
  void map_streamsEachPartsOutputsInOrder_whileLaterPartsRunConcurrently() {
    CountDownLatch[] started = latches(3);
    CountDownLatch[] finished = latches(3);
    ConcurrentLinkedQueue<Integer> record = new ConcurrentLinkedQueue<>();
    PartProcessor twoStep =
        (part, output) -> {
          int n = Integer.parseInt(part.text());
          if (n > 0) {
            started[n - 1].await();
          }
          record.add(n);
          started[n].countDown();
          output.emit(part);
          started[2].await();
          if (n < 2) {
            finished[n + 1].await();
          }
          record.add(n);
          finished[n].countDown();
          output.emit(part);
        };

    assertThat(texts(PartFunctions.map(twoStep).apply(List.of("0", "1", "2"))))
        .containsExactly("0", "0", "1", "1", "2", "2");
    assertThat(record).containsExactly(0, 1, 2, 2, 1, 0);
  }

  @Test
  void map_neverCallsTheFunction_whenMatchRejectsEveryPart() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor counting =
        (part, output) -> {
          calls.incrementAndGet();
          output.emit(part);
        };
    List<String> input = IntStream.range(0, 40).mapToObj(String::valueOf).toList();

    assertThat(texts(PartFunctions.map(counting, part -> false).apply(input))).isEqualTo(input);
    assertThat(calls).hasValue(0);
  }

  @Test
  void map_passesReservedPartsStraightThrough() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor counting =
        (part, output) -> {
          calls.incrementAndGet();
          output.emit(part);
        };
    ProcessorPart progress = Processor.status("progress");

    assertThat(PartFunctions.map(counting, part -> true).apply(progress).gather())
        .containsExactly(progress);
    assertThat(calls).hasValue(0);
  }

  // ---------------------------------------------------------------------------------------- chain

  @Test
  void chain_feedsEachOutputToTheNextFunction() {
    PartProcessor notOne = PartProcessor.filter(part -> !part.text().equals("1"));
    PartProcessor twoToFour = PartProcessor.map(part -> part.text().equals("2") ? "4" : part);

    assertThat(texts(PartFunctions.chain(List.of(notOne, twoToFour)).apply(List.of("0", "1", "2"))))
        .containsExactly("0", "4");
  }

  @Test
  void chain_skipsAFunction_forPartsItsMatchRejects() {
    PartProcessor chained =
        PartFunctions.chain(
            List.of(wrapping("f"), wrapping("g")), List.of(textIs("0"), textIs("1")));

    assertThat(texts(PartFunctions.map(chained).apply(List.of("0", "1", "2", "3"))))
        .containsExactly("f(0)", "g(1)", "2", "3");
  }

  @Test
  void chain_rejectsMatchFunctions_ofAnotherLength() {
    assertThatThrownBy(
            () -> PartFunctions.chain(List.of(wrapping("f"), wrapping("g")), List.of(textIs("0"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fns and match_fns must be the same length. Got 2 != 1.");
  }

  @Test
  void chain_rejectsAnEmptyListOfFunctions() {
    assertThatThrownBy(() -> PartFunctions.chain(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fns");
  }

  // ------------------------------------------------------------------------------------- parallel

  static final PartProcessor PLUS_ONE =
      PartProcessor.named(
          "plusOne",
          (part, output) -> {
            output.emit(part.text() + "a");
            output.emit(part.text() + "b");
          });

  static final PartProcessor PLUS_TWO =
      PartProcessor.named(
          "plusTwo",
          (part, output) -> {
            output.emit(part.text() + "1");
            output.emit(part.text() + "2");
            output.emit(part.text() + "3");
          });

  @Test
  void parallel_concatenatesTheOutputsInFunctionOrder() {
    PartProcessor both = PartFunctions.parallel(List.of(PLUS_ONE, PLUS_TWO), false, false);

    assertThat(texts(PartFunctions.map(both).apply(List.of("1", "2"))))
        .containsExactly("1a", "1b", "11", "12", "13", "2a", "2b", "21", "22", "23");
  }

  @Test
  void parallel_emitsThePart_whenNoFunctionProducedAnything_withDefaultOutput() {
    PartProcessor onlyOneA =
        (part, output) -> {
          if (part.text().equals("1")) {
            output.emit(part.text() + "a");
          }
        };
    PartProcessor onlyOneB =
        (part, output) -> {
          if (part.text().equals("1")) {
            output.emit(part.text() + "1");
          }
        };
    PartProcessor both = PartFunctions.parallel(List.of(onlyOneA, onlyOneB), true, false);

    assertThat(texts(PartFunctions.map(both).apply(List.of("1", "2"))))
        .containsExactly("1a", "11", "2");
  }

  @Test
  void parallel_emitsThePartAfterTheOutputs_withAlwaysOutput() {
    PartProcessor alwaysOut = PartFunctions.parallel(List.of(PLUS_ONE), false, true);
    PartProcessor bothFlags = PartFunctions.parallel(List.of(PLUS_ONE), true, true);

    assertThat(texts(alwaysOut.apply("1"))).containsExactly("1a", "1b", "1");
    assertThat(texts(bothFlags.apply("1"))).containsExactly("1a", "1b", "1");
  }

  @Test
  void parallel_runsFunctionsConcurrently_acrossFunctionsAndParts() {
    // The Python test's slow function sleeps a second; here it waits for the fast one on all parts.
    CountDownLatch fastDone = new CountDownLatch(3);
    ConcurrentLinkedQueue<String> executed = new ConcurrentLinkedQueue<>();
    PartProcessor slow =
        (part, output) -> {
          fastDone.await();
          executed.add("slow");
          output.emit("slow(" + part.text() + ")");
        };
    PartProcessor fast =
        (part, output) -> {
          executed.add("fast");
          output.emit("fast(" + part.text() + ")");
          fastDone.countDown();
        };
    PartProcessor both = PartFunctions.parallel(List.of(slow, fast), false, false);

    assertThat(texts(PartFunctions.map(both).apply(List.of("0", "1", "2"))))
        .containsExactly("slow(0)", "fast(0)", "slow(1)", "fast(1)", "slow(2)", "fast(2)");
    assertThat(executed).containsExactly("fast", "fast", "fast", "slow", "slow", "slow");
  }

  @Test
  void parallel_dropsPartsNoFunctionMatches_unlessAFlagKeepsThem() {
    List<PartProcessor> fns = List.of(wrapping("f"), wrapping("g"));
    List<Predicate<ProcessorPart>> matchFns = List.of(textIs("0"), textIs("1"));
    List<String> input = List.of("0", "1", "2", "3");

    assertThat(
            texts(
                PartFunctions.map(PartFunctions.parallel(fns, matchFns, false, false))
                    .apply(input)))
        .containsExactly("f(0)", "g(1)");
    assertThat(
            texts(
                PartFunctions.map(PartFunctions.parallel(fns, matchFns, true, false)).apply(input)))
        .containsExactly("f(0)", "g(1)", "2", "3");
  }

  @Test
  void parallel_rejectsMatchFunctions_ofAnotherLength() {
    assertThatThrownBy(
            () ->
                PartFunctions.parallel(
                    List.of(PLUS_ONE), List.of(textIs("0"), textIs("1")), false, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fns and match_fns must be the same length. Got 1 != 2.");
  }

  @Test
  void chain_ofParallels_givesTheSameOutputAsTheEquivalentPartProcessorComposition() {
    PartProcessor ported =
        PartFunctions.chain(
            List.of(
                PartFunctions.parallel(List.of(PLUS_ONE, PLUS_TWO), false, false),
                PartFunctions.parallel(List.of(wrapping("f")), false, true)));
    PartProcessor idiomatic =
        PartProcessor.parallel(PLUS_ONE, PLUS_TWO)
            .then(PartProcessor.parallel(wrapping("f"), PartProcessor.PASSTHROUGH_ALWAYS));

    List<String> expected =
        List.of("f(1a)", "1a", "f(1b)", "1b", "f(11)", "11", "f(12)", "12", "f(13)", "13");
    assertThat(texts(PartFunctions.map(ported).apply("1"))).isEqualTo(expected);
    assertThat(texts(idiomatic.apply("1"))).isEqualTo(expected);
  }
}
