package dev.genaiprocessors.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The quick mode: runs every core benchmark with short settings (one fork, a few iterations) and
 * prints one line per row of the table in {@code benchmarks/README.md}: the ratio to its baseline,
 * both scores with JMH's error, the target and whether it was met. Takes about three minutes on two
 * cores. For publishable figures run the full settings ({@code java -jar benchmarks.jar}).
 */
public final class QuickRatios {
  private QuickRatios() {}

  public static void main(String[] args) throws Exception {
    Map<String, Result<?>> scores = new LinkedHashMap<>();
    run(scores, "B1ChainThroughputBenchmark", 3, 5);
    run(scores, "B3FusedPartProcessorsBenchmark", 3, 5);
    run(scores, "B4IoBoundPartProcessorBenchmark", 1, 3);
    run(scores, "B5FirstPartLatencyBenchmark", 3, 5);
    double[] b6 = B6IdlePipelineFootprint.measure(B6IdlePipelineFootprint.PIPELINES);

    System.out.println();
    System.out.println("Quick ratios, " + CallRatios.machine());
    row(
        "B1 10-stage chain vs ArrayBlockingQueue threads (throughput)",
        timeRatio(
            scores,
            "B1ChainThroughputBenchmark.handWrittenQueues",
            "B1ChainThroughputBenchmark.ours"),
        ">= 0.90",
        0.90,
        true,
        scores,
        "B1ChainThroughputBenchmark.ours",
        "B1ChainThroughputBenchmark.handWrittenQueues");
    // B2 and B3 are compared like for like: Reactor's count() runs on Reactor's threads and wakes
    // the caller once, as ours does when a virtual thread reads it; both delivering every part to
    // the calling platform thread (ours iterated, Reactor's toIterable) is the other fair pairing.
    row(
        "B2 chain vs Reactor publishOn, both counted on their own threads",
        timeRatio(
            scores,
            "B1ChainThroughputBenchmark.reactorPublishOn",
            "B1ChainThroughputBenchmark.oursReadOnVirtualThread"),
        ">= 1.00",
        1.00,
        true,
        scores,
        "B1ChainThroughputBenchmark.oursReadOnVirtualThread",
        "B1ChainThroughputBenchmark.reactorPublishOn");
    row(
        "B2 chain vs Reactor publishOn, both read by the calling thread",
        timeRatio(
            scores,
            "B1ChainThroughputBenchmark.reactorReadOnCallingThread",
            "B1ChainThroughputBenchmark.ours"),
        ">= 1.00",
        1.00,
        true,
        scores,
        "B1ChainThroughputBenchmark.ours",
        "B1ChainThroughputBenchmark.reactorReadOnCallingThread");
    row(
        "B2 diagnostic: ours read by the calling thread vs Reactor counting",
        timeRatio(
            scores,
            "B1ChainThroughputBenchmark.reactorPublishOn",
            "B1ChainThroughputBenchmark.ours"),
        "report",
        0,
        true,
        scores,
        "B1ChainThroughputBenchmark.ours",
        "B1ChainThroughputBenchmark.reactorPublishOn");
    row(
        "B3 fused part processors vs Reactor flatMapSequential, both counted on their own threads",
        timeRatio(
            scores,
            "B3FusedPartProcessorsBenchmark.reactorFlatMapSequential",
            "B3FusedPartProcessorsBenchmark.oursReadOnVirtualThread"),
        ">= 1.00",
        1.00,
        true,
        scores,
        "B3FusedPartProcessorsBenchmark.oursReadOnVirtualThread",
        "B3FusedPartProcessorsBenchmark.reactorFlatMapSequential");
    row(
        "B3 fused part processors vs Reactor flatMapSequential, both read by the calling thread",
        timeRatio(
            scores,
            "B3FusedPartProcessorsBenchmark.reactorReadOnCallingThread",
            "B3FusedPartProcessorsBenchmark.ours"),
        ">= 1.00",
        1.00,
        true,
        scores,
        "B3FusedPartProcessorsBenchmark.ours",
        "B3FusedPartProcessorsBenchmark.reactorReadOnCallingThread");
    row(
        "B3 diagnostic: ours read by the calling thread vs Reactor counting",
        timeRatio(
            scores,
            "B3FusedPartProcessorsBenchmark.reactorFlatMapSequential",
            "B3FusedPartProcessorsBenchmark.ours"),
        "report",
        0,
        true,
        scores,
        "B3FusedPartProcessorsBenchmark.ours",
        "B3FusedPartProcessorsBenchmark.reactorFlatMapSequential");
    row(
        "B3 10 fused part processors vs a plain loop, read by the calling thread",
        timeRatio(
            scores,
            "B3FusedPartProcessorsBenchmark.plainLoop",
            "B3FusedPartProcessorsBenchmark.ours"),
        ">= 0.60",
        0.60,
        true,
        scores,
        "B3FusedPartProcessorsBenchmark.ours",
        "B3FusedPartProcessorsBenchmark.plainLoop");
    row(
        "B3 10 fused part processors vs a plain loop, read by a virtual thread",
        timeRatio(
            scores,
            "B3FusedPartProcessorsBenchmark.plainLoop",
            "B3FusedPartProcessorsBenchmark.oursReadOnVirtualThread"),
        ">= 0.50",
        0.50,
        true,
        scores,
        "B3FusedPartProcessorsBenchmark.oursReadOnVirtualThread",
        "B3FusedPartProcessorsBenchmark.plainLoop");
    row(
        "B3 one-to-many chain (5 steps x 3 parts) vs flatMap in a plain stream",
        timeRatio(
            scores,
            "B3FusedPartProcessorsBenchmark.oneToManyFlatMap",
            "B3FusedPartProcessorsBenchmark.oneToManyOurs"),
        "report",
        0,
        true,
        scores,
        "B3FusedPartProcessorsBenchmark.oneToManyOurs",
        "B3FusedPartProcessorsBenchmark.oneToManyFlatMap");
    Result<?> b4 = scores.get("B4IoBoundPartProcessorBenchmark.ours");
    row(
        "B4 I/O-bound part processor vs the ideal 25,600 parts/s",
        B4IoBoundPartProcessorBenchmark.IDEAL_MS / b4.getScore(),
        ">= 0.90",
        0.90,
        true,
        scores,
        "B4IoBoundPartProcessorBenchmark.ours",
        null);
    row(
        "B5 first part through 10 fresh stages vs hand-written (latency)",
        timeRatio(
            scores, "B5FirstPartLatencyBenchmark.ours", "B5FirstPartLatencyBenchmark.handWritten"),
        "<= 1.50",
        1.50,
        false,
        scores,
        "B5FirstPartLatencyBenchmark.ours",
        "B5FirstPartLatencyBenchmark.handWritten");
    System.out.printf(
        "%-90s ratio %5.2f  target %-8s %s  (ours %.0f B, baseline %.0f B per pipeline)%n",
        "B6 heap of 10,000 idle 10-stage pipelines vs hand-written",
        b6[0] / b6[1],
        "<= 1.20",
        b6[0] / b6[1] <= 1.20 ? "met" : "NOT MET",
        b6[0],
        b6[1]);
  }

  private static void run(
      Map<String, Result<?>> scores, String benchmark, int warmups, int iterations)
      throws Exception {
    Options options =
        new OptionsBuilder()
            .include("dev\\.genaiprocessors\\.benchmarks\\." + benchmark + "\\.")
            .forks(1)
            .warmupIterations(warmups)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.seconds(1))
            .build();
    Collection<RunResult> results = new Runner(options).run();
    for (RunResult result : results) {
      String label = result.getParams().getBenchmark();
      scores.put(
          label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1),
          result.getPrimaryResult());
    }
  }

  /** Time of the baseline / time of ours = our throughput relative to the baseline. */
  private static double timeRatio(
      Map<String, Result<?>> scores, String numerator, String denominator) {
    return scores.get(numerator).getScore() / scores.get(denominator).getScore();
  }

  private static void row(
      String label,
      double ratio,
      String target,
      double threshold,
      boolean atLeast,
      Map<String, Result<?>> scores,
      String ours,
      String baseline) {
    String verdict =
        threshold == 0
            ? ""
            : (atLeast ? ratio >= threshold : ratio <= threshold) ? "met" : "NOT MET";
    Result<?> o = scores.get(ours);
    Result<?> b = baseline == null ? null : scores.get(baseline);
    System.out.printf(
        "%-90s ratio %5.2f  target %-8s %-7s (ours %.2f ± %.2f %s%s)%n",
        label,
        ratio,
        target,
        verdict,
        o.getScore(),
        o.getScoreError(),
        o.getScoreUnit(),
        b == null
            ? ""
            : String.format(
                ", baseline %.2f ± %.2f %s", b.getScore(), b.getScoreError(), b.getScoreUnit()));
  }
}
