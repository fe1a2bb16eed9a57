package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link ProcessorInterceptor#partsToReport}: the parts an interceptor does not want one by one are
 * counted and reach {@link ProcessorInterceptor#onCounts}; every part reaches an interceptor
 * exactly once, one way or the other, and the counts are complete when the consumer sees the end.
 */
class PartCountsTest {

  /** Tallies, per stage name, what it was told and what it was counted. */
  static final class Counting implements ProcessorInterceptor {
    final Predicate<ProcessorPart> choice;
    final Map<String, AtomicLong> toldIn = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> toldOut = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> countedIn = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> countedOut = new ConcurrentHashMap<>();
    final List<Long> batches = new CopyOnWriteArrayList<>();
    final List<String> firsts = new CopyOnWriteArrayList<>();
    final List<String> order = new CopyOnWriteArrayList<>();

    Counting(Predicate<ProcessorPart> choice) {
      this.choice = choice;
    }

    @Override
    public Predicate<ProcessorPart> partsToReport(Stage stage) {
      return choice;
    }

    @Override
    public void onInput(Stage stage, ProcessorPart part) {
      add(toldIn, stage, 1);
    }

    @Override
    public void onPart(Stage stage, ProcessorPart part) {
      add(toldOut, stage, 1);
    }

    @Override
    public void onFirstPart(Stage stage, ProcessorPart part) {
      firsts.add(stage.name());
    }

    @Override
    public void onCounts(Stage stage, long inputs, long outputs) {
      assertThat(inputs).isNotNegative();
      assertThat(outputs).isNotNegative();
      batches.add(inputs + outputs);
      add(countedIn, stage, inputs);
      add(countedOut, stage, outputs);
      order.add("counts:" + stage.name());
    }

    @Override
    public void onEnd(Stage stage) {
      order.add("end:" + stage.name());
    }

    @Override
    public void onError(Stage stage, Throwable error) {
      order.add("error:" + stage.name());
    }

    private static void add(Map<String, AtomicLong> map, Stage stage, long n) {
      map.computeIfAbsent(stage.name(), k -> new AtomicLong()).addAndGet(n);
    }

    long in(String stage) {
      return get(toldIn, stage) + get(countedIn, stage);
    }

    long out(String stage) {
      return get(toldOut, stage) + get(countedOut, stage);
    }

    static long get(Map<String, AtomicLong> map, String stage) {
      AtomicLong value = map.get(stage);
      return value == null ? 0 : value.get();
    }
  }

  private static Processor doubling(String name) {
    return Processor.named(
        name,
        (in, out) -> {
          for (ProcessorPart p : in) {
            out.emit(p);
            out.emit(p);
          }
        });
  }

  private static List<String> texts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "p" + i).toList();
  }

  @Test
  void partsNotChosen_areCounted_inBatches_andNeverTold() {
    Counting counting = new Counting(ProcessorInterceptor.NO_PART);
    Processor pipeline = Processor.chain(doubling("a"), doubling("b"));

    long read;
    try (ProcessorStream result =
        pipeline.apply(RunConfig.defaults().withInterceptor(counting), texts(5_000))) {
      read = result.stream().count();
    }

    assertThat(read).isEqualTo(20_000);
    // Complete once the consumer has seen the end: no waiting needed.
    assertThat(counting.in("a")).isEqualTo(5_000);
    assertThat(counting.out("a")).isEqualTo(10_000);
    assertThat(counting.in("b")).isEqualTo(10_000);
    assertThat(counting.out("b")).isEqualTo(20_000);
    assertThat(counting.toldIn).isEmpty();
    assertThat(counting.toldOut).isEmpty();
    // The stage's own thread reports in batches, not part by part.
    assertThat(counting.batches).hasSizeLessThan(30).allMatch(n -> n <= 2 * 4096);
    // First parts are told whatever the choice, and the counts come before the end.
    assertThat(counting.firsts).contains("a", "b");
    assertThat(counting.order).containsSubsequence("counts:a", "end:a");
    assertThat(counting.order.lastIndexOf("counts:b")).isLessThan(counting.order.indexOf("end:b"));
  }

  @Test
  void aChoosingPredicate_tellsTheChosenParts_andCountsTheRest() {
    Counting counting = new Counting(ProcessorPart::isFunctionCall);
    List<ProcessorPart> input = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      input.add(
          i % 10 == 0
              ? ProcessorPart.functionCall("f" + i, Map.of())
              : ProcessorPart.text("t" + i));
    }

    List<ProcessorPart> output =
        doubling("d").apply(RunConfig.defaults().withInterceptor(counting), input).gather().parts();

    assertThat(output).hasSize(200);
    assertThat(Counting.get(counting.toldIn, "d")).isEqualTo(10);
    assertThat(Counting.get(counting.countedIn, "d")).isEqualTo(90);
    assertThat(Counting.get(counting.toldOut, "d")).isEqualTo(20);
    assertThat(Counting.get(counting.countedOut, "d")).isEqualTo(180);
  }

  @Test
  void partsEmittedFromOtherThreads_areCountedToo_beyondTheThreadsWithCountersOfTheirOwn() {
    Counting counting = new Counting(ProcessorInterceptor.NO_PART);
    int threads = Stages.Observation.HELPERS + 4;
    Processor handsOff =
        Processor.named(
            "hands-off",
            (in, out) -> {
              List<ProcessorPart> all = in.gather().parts();
              int each = all.size() / threads;
              for (int t = 0; t < threads; t++) {
                List<ProcessorPart> share = all.subList(t * each, (t + 1) * each);
                Thread.ofVirtual()
                    .start(
                        () -> {
                          for (ProcessorPart p : share) {
                            out.emit(p);
                          }
                        })
                    .join();
              }
            });

    long read =
        handsOff.apply(RunConfig.defaults().withInterceptor(counting), texts(threads * 50)).stream()
            .count();

    assertThat(read).isEqualTo(threads * 50);
    assertThat(counting.in("hands-off")).isEqualTo(threads * 50);
    assertThat(counting.out("hands-off")).isEqualTo(threads * 50);
    assertThat(counting.toldOut).isEmpty();
    // The threads without counters of their own reported part by part.
    assertThat(counting.batches.stream().filter(n -> n == 1)).hasSizeGreaterThanOrEqualTo(4 * 50);
  }

  @Test
  void twoInterceptors_eachGetEveryPart_theirOwnWay() {
    Counting counting = new Counting(ProcessorInterceptor.NO_PART);
    Counting telling = new Counting(ProcessorInterceptor.EVERY_PART);
    RunConfig config = RunConfig.defaults().withInterceptor(counting).withInterceptor(telling);

    long read = doubling("d").apply(config, texts(1_000)).stream().count();

    assertThat(read).isEqualTo(2_000);
    assertThat(counting.in("d")).isEqualTo(1_000);
    assertThat(counting.out("d")).isEqualTo(2_000);
    assertThat(counting.toldOut).isEmpty();
    assertThat(Counting.get(telling.toldIn, "d")).isEqualTo(1_000);
    assertThat(Counting.get(telling.toldOut, "d")).isEqualTo(2_000);
    assertThat(telling.countedOut).isEmpty();
  }

  @Test
  void aFailingStage_reportsWhatItCounted_beforeItsError() {
    Counting counting = new Counting(ProcessorInterceptor.NO_PART);
    Processor failing =
        Processor.named(
            "failing",
            (in, out) -> {
              int n = 0;
              for (ProcessorPart p : in) {
                out.emit(p);
                if (++n == 7) {
                  throw new IllegalStateException("boom at 7");
                }
              }
            });

    assertThatThrownBy(
            () -> failing.apply(RunConfig.defaults().withInterceptor(counting), texts(50)).text())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom at 7");

    assertThat(counting.in("failing")).isEqualTo(7);
    assertThat(counting.out("failing")).isEqualTo(7);
    assertThat(counting.order).containsSubsequence("counts:failing", "error:failing");
  }
}
