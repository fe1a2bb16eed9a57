package dev.genaiprocessors;

import static dev.genaiprocessors.TestProcessors.addOne;
import static dev.genaiprocessors.TestProcessors.insert;
import static dev.genaiprocessors.TestProcessors.texts;
import static dev.genaiprocessors.TestProcessors.toZero;
import static dev.genaiprocessors.TestProcessors.twice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Sequential and parallel composition: the ordering cases of the reference, sections 3.1-3.4. */
class CompositionTest {

  static Stream<Arguments> chainOrderings() {
    return Stream.of(
        Arguments.of("twice + twice", Processor.chain(twice(), twice()), List.of("1"), "1 1 1 1"),
        Arguments.of(
            "twice + twice + tozero",
            Processor.chain(twice(), twice(), toZero()),
            List.of("1"),
            "0 0 0 0"),
        Arguments.of(
            "insert_1 + insert_2 + insert_1",
            Processor.chain(insert("1"), insert("2"), insert("1")),
            List.of("0"),
            "1 2 1 1 1 2 1 0"),
        Arguments.of(
            "insert_1 + insert_1 + insert_2",
            Processor.chain(insert("1"), insert("1"), insert("2")),
            List.of("0"),
            "2 1 2 1 2 1 2 0"),
        Arguments.of(
            "twice + (insert_1 + insert_2)",
            twice().then(insert("1").then(insert("2"))),
            List.of("0"),
            "2 1 2 0 2 1 2 0"),
        Arguments.of(
            "(insert_1 + insert_2) + twice",
            insert("1").then(insert("2")).then(twice()),
            List.of("0"),
            "2 2 1 1 2 2 0 0"),
        Arguments.of(
            "(insert_1 + insert_2) + (insert_1 + insert_2)",
            Processor.chain(insert("1").then(insert("2")), insert("1").then(insert("2"))),
            List.of("0"),
            "2 1 2 2 2 1 2 1 2 1 2 2 2 1 2 0"),
        Arguments.of("twice + insert_1", twice().then(insert("1")), List.of("0"), "1 0 1 0"),
        Arguments.of("insert_1 + twice", insert("1").then(twice()), List.of("0"), "1 1 0 0"),
        Arguments.of(
            "insert_1 // insert_2",
            PartProcessor.parallel(insert("1"), insert("2")).toProcessor(),
            List.of("0"),
            "1 0 2 0"),
        Arguments.of(
            "(insert_1 // insert_2) // insert_1",
            PartProcessor.parallel(PartProcessor.parallel(insert("1"), insert("2")), insert("1"))
                .toProcessor(),
            List.of("0"),
            "1 0 2 0 1 0"),
        Arguments.of(
            "insert_1 // insert_2 on two parts",
            PartProcessor.parallel(insert("1"), insert("2")).toProcessor(),
            List.of("0", "1"),
            "1 0 2 0 1 1 2 1"),
        Arguments.of(
            "(insert_1 + insert_2) // insert_1",
            PartProcessor.parallel(insert("1").then(insert("2")), insert("1")).toProcessor(),
            List.of("0"),
            "2 1 2 0 1 0"),
        Arguments.of(
            "insert_1 // insert_2 + insert_1 // insert_2",
            Processor.chain(
                PartProcessor.parallel(insert("1"), insert("2")),
                PartProcessor.parallel(insert("1"), insert("2"))),
            List.of("0"),
            "1 1 2 1 1 0 2 0 1 2 2 2 1 0 2 0"),
        Arguments.of(
            "parallel_concat(twice, tozero)",
            Processor.parallel(twice(), toZero()),
            List.of("1"),
            "1 1 0"),
        Arguments.of(
            "parallel_concat(twice, tozero) + twice",
            Processor.parallel(twice(), toZero()).then(twice()),
            List.of("1"),
            "1 1 1 1 0 0"),
        Arguments.of(
            "parallel_concat(twice, tozero) on two parts",
            Processor.parallel(twice(), toZero()),
            List.of("1", "2"),
            "1 1 2 2 0 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chainOrderings")
  void composition_emitsInTheReferenceOrder(
      String description, Processor processor, List<String> input, String expected) {
    assertThat(String.join(" ", texts(processor.apply(input)))).isEqualTo(expected);
  }

  @Test
  void chain_isRepeatable_andNotChangedByLaterComposition() {
    Processor ones = PartProcessor.map(p -> "1").toProcessor();
    Processor twos = PartProcessor.map(p -> "2").toProcessor();
    Processor threes = PartProcessor.map(p -> "3").toProcessor();
    Processor inner = Processor.chain(ones, twos);
    Processor outer = Processor.chain(inner, threes);
    assertThat(inner.apply("0").text()).isEqualTo("2");
    assertThat(outer.apply("0").text()).isEqualTo("3");
    assertThat(inner.apply("0").text()).isEqualTo("2");
  }

  @Test
  void chain_fusesConsecutivePartProcessors_intoOneStage() {
    Processor p =
        Processor.chain(
            Processor.identity(), insert("1"), insert("2"), Processor.identity(), insert("3"));
    assertThat(((ChainProcessor) p).stages()).hasSize(4);
    assertThat(PartProcessor.chain(insert("1"), insert("2"), insert("3")))
        .isInstanceOf(FusedPartProcessor.class);
    assertThat(((FusedPartProcessor) insert("1").then(insert("2")).then(insert("3"))).members())
        .hasSize(3);
  }

  @Test
  void chain_rejectsEmptyAndForeignMembers() {
    assertThatThrownBy(Processor::chain)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> Processor.chain(Processor.identity(), "text"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
    assertThatThrownBy(PartProcessor::parallel).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(Processor::parallel).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void partStage_emitsInInputOrder_whileLaterPartsFinishFirst() {
    // Part 0 cannot finish until part 2 has been processed: completion order 2,1,0, output order
    // 0,1,2.
    CountDownLatch twoDone = new CountDownLatch(1);
    CountDownLatch oneDone = new CountDownLatch(1);
    List<String> executed = new java.util.concurrent.CopyOnWriteArrayList<>();
    PartProcessor reverseEcho =
        (part, out) -> {
          switch (part.text()) {
            case "0" -> oneDone.await();
            case "1" -> twoDone.await();
            default -> {}
          }
          executed.add(part.text());
          out.emit(part);
          if (part.text().equals("2")) {
            twoDone.countDown();
          } else if (part.text().equals("1")) {
            oneDone.countDown();
          }
        };
    assertThat(texts(reverseEcho.apply(List.of("0", "1", "2")))).containsExactly("0", "1", "2");
    assertThat(executed).containsExactly("2", "1", "0");
  }

  @Test
  void fusedChain_runsPartsConcurrently_andKeepsOutputOrder() {
    // f0 blocks on c0 until f1 has seen c1: only possible if c1 goes through the chain while c0
    // waits.
    CountDownLatch f1SawC1 = new CountDownLatch(1);
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    PartProcessor f0 =
        (part, out) -> {
          if (part.text().equals("c0")) {
            assertThat(f1SawC1.await(30, TimeUnit.SECONDS)).isTrue();
          }
          log.add("f0(" + part.text() + ")");
          out.emit(part);
        };
    PartProcessor f1 =
        (part, out) -> {
          log.add("f1(" + part.text() + ")");
          if (part.text().equals("c1")) {
            f1SawC1.countDown();
          }
          out.emit(part);
        };
    assertThat(texts(f0.then(f1).apply(List.of("c0", "c1")))).containsExactly("c0", "c1");
    assertThat(log).containsExactly("f0(c1)", "f1(c1)", "f0(c0)", "f1(c0)");
  }

  @Test
  void matchFunctions_skipMembers_withoutCallingThem() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor addOne = addOne(calls);
    assertThat(texts(addOne.then(addOne).apply(List.of("0", "1")))).containsExactly("011", "1");
    assertThat(calls).hasValue(2);

    calls.set(0);
    assertThat(texts(addOne.then(addOne).apply(List.of("1", "2")))).containsExactly("1", "2");
    assertThat(calls).hasValue(0);

    calls.set(0);
    PartProcessor hundred = addOne;
    for (int i = 1; i < 100; i++) {
      hundred = hundred.then(addOne);
    }
    assertThat(texts(hundred.apply("1"))).containsExactly("1");
    assertThat(calls).hasValue(0);

    calls.set(0);
    assertThat(texts(PartProcessor.chain(insert("1"), addOne, insert("2"), addOne).apply("0")))
        .containsExactly("2", "1", "2", "011");
    assertThat(calls).hasValue(2);
  }

  /** Appends "1" to texts starting with "0", emits nothing for the others. */
  private static final PartProcessor ADD_ONE_MAYBE =
      (part, out) -> {
        if (part.text().startsWith("0")) {
          out.emit(part.text() + "1");
        }
      };

  private static final PartProcessor ADD_ONE = (part, out) -> out.emit(part.text() + "1");

  static Stream<Arguments> passthroughCases() {
    PartProcessor always = PartProcessor.PASSTHROUGH_ALWAYS;
    PartProcessor fallback = PartProcessor.PASSTHROUGH_FALLBACK;
    return Stream.of(
        Arguments.of(
            "add_one + (maybe // maybe // FALLBACK)",
            ADD_ONE.then(PartProcessor.parallel(ADD_ONE_MAYBE, ADD_ONE_MAYBE, fallback)),
            "011 011 11"),
        Arguments.of(
            "add_one + (maybe // (maybe // ALWAYS) // FALLBACK)",
            ADD_ONE.then(
                PartProcessor.parallel(
                    ADD_ONE_MAYBE, PartProcessor.parallel(ADD_ONE_MAYBE, always), fallback)),
            "011 011 01 11"),
        Arguments.of(
            "(maybe // ALWAYS) + (maybe // FALLBACK)",
            PartProcessor.parallel(ADD_ONE_MAYBE, always)
                .then(PartProcessor.parallel(ADD_ONE_MAYBE, fallback)),
            "011 01 1"),
        Arguments.of(
            "maybe // maybe", PartProcessor.parallel(ADD_ONE_MAYBE, ADD_ONE_MAYBE), "01 01"),
        Arguments.of(
            "maybe // maybe // ALWAYS",
            PartProcessor.parallel(ADD_ONE_MAYBE, ADD_ONE_MAYBE, always),
            "01 01 0 1"),
        Arguments.of(
            "maybe // maybe // ALWAYS // FALLBACK",
            PartProcessor.parallel(ADD_ONE_MAYBE, ADD_ONE_MAYBE, always, fallback),
            "01 01 0 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("passthroughCases")
  void parallel_honoursPassthroughMarkers(
      String description, PartProcessor processor, String expected) {
    assertThat(String.join(" ", texts(processor.apply(List.of("0", "1"))))).isEqualTo(expected);
  }

  @Test
  void parallel_withMatch_bypassesOrDropsUnmatchedParts() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor addOne = addOne(calls);
    PartProcessor withFallback =
        PartProcessor.parallel(addOne, addOne, PartProcessor.PASSTHROUGH_FALLBACK);
    assertThat(withFallback.match(ProcessorPart.text("0"))).isTrue();
    assertThat(withFallback.match(ProcessorPart.text("1"))).isFalse();
    assertThat(texts(withFallback.apply(List.of("2", "1")))).containsExactly("2", "1");
    assertThat(calls).hasValue(0);
    assertThat(texts(withFallback.apply(List.of("0", "1")))).containsExactly("01", "01", "1");
    assertThat(calls).hasValue(2);

    calls.set(0);
    PartProcessor noFallback = PartProcessor.parallel(addOne, addOne);
    assertThat(noFallback.match(ProcessorPart.text("1"))).isTrue();
    assertThat(texts(noFallback.apply(List.of("1", "1")))).isEmpty();
    assertThat(calls).hasValue(0);
  }

  @Test
  void parallelOfFilters_isLogicalOr() {
    PartProcessor not1 = PartProcessor.filter(p -> !p.text().equals("1"));
    PartProcessor not2 = PartProcessor.filter(p -> !p.text().equals("2"));
    assertThat(texts(PartProcessor.parallel(not1, not2).apply(List.of("1", "2", "1"))))
        .containsExactly("1", "2", "1");
    assertThat(texts(not1.then(not2).apply(List.of("1", "2", "3")))).containsExactly("3");
  }

  @Test
  void parallel_runsBranchesConcurrently_andEmitsInBranchOrder() {
    // Branch 0 waits until branch 1 has run: only possible when they run at once.
    CountDownLatch secondRan = new CountDownLatch(1);
    PartProcessor first =
        (part, out) -> {
          assertThat(secondRan.await(30, TimeUnit.SECONDS)).isTrue();
          out.emit("first");
        };
    PartProcessor second =
        (part, out) -> {
          out.emit("second");
          secondRan.countDown();
        };
    assertThat(texts(PartProcessor.parallel(first, second).apply("x")))
        .containsExactly("first", "second");
  }

  @Test
  void parallelProcessors_runConcurrently_andConcatenateInOrder() {
    CountDownLatch secondSawInput = new CountDownLatch(1);
    Processor first =
        (in, out) -> {
          assertThat(secondSawInput.await(30, TimeUnit.SECONDS)).isTrue();
          for (ProcessorPart p : in) {
            out.emit("a" + p.text());
          }
        };
    Processor second =
        (in, out) -> {
          for (ProcessorPart p : in) {
            secondSawInput.countDown();
            out.emit("b" + p.text());
          }
        };
    assertThat(texts(Processor.parallel(first, second).apply(List.of("1", "2"))))
        .containsExactly("a1", "a2", "b1", "b2");
  }

  @Test
  void map_acceptsPartsStringsIterablesAndNull() {
    PartProcessor mapper =
        PartProcessor.map(
            p ->
                switch (p.text()) {
                  case "part" -> ProcessorPart.text("P");
                  case "list" -> List.of("L1", ProcessorPart.text("L2"));
                  case "none" -> null;
                  default -> p.text().toUpperCase();
                });
    assertThat(texts(mapper.apply(List.of("part", "list", "none", "abc"))))
        .containsExactly("P", "L1", "L2", "ABC");
  }

  @Test
  void map_returningSomethingElse_failsNamingTheTypeAndProducer() {
    PartProcessor mapper = PartProcessor.map("to_int", p -> 42);
    assertThatThrownBy(() -> mapper.apply("x").gather())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "Can't construct ProcessorPart from java.lang.Integer produced by to_int")
        .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains("to_int"));
  }
}
