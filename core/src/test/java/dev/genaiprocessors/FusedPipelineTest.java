package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Fused part processors are pipelined: each output of a step flows into the next step as soon as it
 * is emitted, each step's outputs keep input order, and reserved parts reach the caller at once.
 */
class FusedPipelineTest {
  private static final Duration T = Duration.ofSeconds(1);

  private static PartProcessor sleeping(String name, String suffix) {
    return PartProcessor.named(
        name,
        (part, out) -> {
          Thread.sleep(T.toMillis());
          out.emit(ProcessorPart.text(part.text() + suffix));
        });
  }

  private static PartProcessor appending(String name, String suffix) {
    return PartProcessor.named(
        name, (part, out) -> out.emit(ProcessorPart.text(part.text() + suffix)));
  }

  @Test
  void aChainOfTwoParallelGroups_takesAboutTheSlowestBranch_notTwice() {
    // Group 1: a slow branch (T) first, a fast one second. Group 2: a slow branch (T) that only
    // sees the fast branch's output, and a fast one. Depth first, the fast output waits behind
    // the slow branch, then takes T of its own in group 2: 2T. Pipelined, it enters group 2 at
    // once.
    PartProcessor group1 =
        PartProcessor.parallel(sleeping("slow1", "-s1"), appending("fast1", "-f1"));
    PartProcessor slowOnFast = sleeping("slow2", "-s2").withMatch(p -> p.text().endsWith("-f1"));
    PartProcessor group2 = PartProcessor.parallel(slowOnFast, appending("fast2", "-f2"));

    long started = System.nanoTime();
    List<String> out =
        group1.then(group2).apply(List.of("x")).gather().stream().map(ProcessorPart::text).toList();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(out).containsExactly("x-s1-f2", "x-f1-s2", "x-f1-f2");
    assertThat(took).isLessThan(T.multipliedBy(3).dividedBy(2));
  }

  @Test
  void statusAndDebugParts_reachTheCaller_beforeTheSlowStepsAfterThemEnd() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger timedOut = new AtomicInteger();
    PartProcessor emitsFour =
        PartProcessor.named(
            "four",
            (part, out) -> {
              out.emit(ProcessorPart.text("data1"));
              out.emit(Processor.status("working"));
              out.emit(ProcessorPart.text("data2"));
              out.emit(Processor.debug("details"));
            });
    PartProcessor waitsForRelease =
        PartProcessor.named(
            "slow",
            (part, out) -> {
              if (!release.await(10, TimeUnit.SECONDS)) {
                timedOut.incrementAndGet();
              }
              out.emit(part);
            });

    List<String> seen = new ArrayList<>();
    try (ProcessorStream stream =
        emitsFour.then(waitsForRelease).then(waitsForRelease).apply(List.of("in"))) {
      for (ProcessorPart part : stream) {
        seen.add(part.substreamName() + ":" + part.text());
        if (seen.size() == 2) {
          // Both reserved parts are out while every data part is still held by the slow steps.
          release.countDown();
        }
      }
    }

    assertThat(seen.subList(0, 2)).containsExactly("status:working", "debug:details");
    assertThat(seen.subList(2, 4)).containsExactly(":data1", ":data2");
    assertThat(timedOut).hasValue(0);
  }

  @Test
  void oneToManySteps_keepEachStepsOrder_whenALaterStepIsSlowOnSomeParts() {
    // Each step emits three parts per part; the last step is slow on every second part, so the
    // outputs are produced out of order and must be put back in order.
    PartProcessor fan =
        PartProcessor.named(
            "fan",
            (part, out) -> {
              for (int b = 0; b < 3; b++) {
                out.emit(ProcessorPart.text(part.text() + b));
              }
            });
    PartProcessor sometimesSlow =
        PartProcessor.named(
            "sometimesSlow",
            (part, out) -> {
              if (part.text().hashCode() % 2 == 0) {
                Thread.sleep(2);
              }
              out.emit(part);
            });
    List<String> input = IntStream.range(0, 20).mapToObj(i -> "p" + i + ".").toList();
    List<String> expected = new ArrayList<>();
    for (String in : input) {
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          expected.add(in + a + b);
        }
      }
    }

    List<String> out =
        fan.then(fan).then(sometimesSlow).apply(input).gather().stream()
            .map(ProcessorPart::text)
            .toList();

    assertThat(out).containsExactlyElementsOf(expected);
  }

  @Test
  void aFailureInAForkedStep_failsTheRun_afterTheOutputsBeforeIt() {
    PartProcessor fan =
        PartProcessor.named(
            "fan",
            (part, out) -> {
              for (int b = 0; b < 3; b++) {
                out.emit(ProcessorPart.text("o" + b));
              }
            });
    PartProcessor failsOnSecond =
        PartProcessor.named(
            "failsOnSecond",
            (part, out) -> {
              if (part.text().equals("o1")) {
                throw new IllegalStateException("broken on o1");
              }
              Thread.sleep(5);
              out.emit(part);
            });
    List<String> seen = new ArrayList<>();

    assertThatThrownBy(
            () -> {
              try (ProcessorStream stream = fan.then(failsOnSecond).apply(List.of("in"))) {
                for (ProcessorPart part : stream) {
                  seen.add(part.text());
                }
              }
            })
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("broken on o1");
    assertThat(seen).containsExactly("o0");
  }
}
