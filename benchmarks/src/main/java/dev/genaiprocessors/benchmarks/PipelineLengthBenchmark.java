package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * How cost grows with pipeline length: 100,000 parts through 1, 10 and 100 pass-through {@link
 * Processor}s (a thread and a bounded buffer each) and through 1, 10 and 100 fused pass-through
 * part processors (one stage), read by the calling thread. {@link #main} prints parts per second;
 * {@code quick} as its argument runs short settings (one fork, 2 + 3 iterations of 1 s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Xmx2g")
public class PipelineLengthBenchmark {
  static final int PARTS = 100_000;

  @Param({"1", "10", "100"})
  public int length;

  List<ProcessorPart> parts;
  Processor processors;
  Processor partProcessors;

  @Setup
  public void setUp() {
    parts = Workloads.parts(PARTS);
    processors = Workloads.passThroughChain(length);
    partProcessors = Workloads.passThroughPartProcessors(length).toProcessor();
  }

  /** {@code length} pass-through processors in a chain. */
  @Benchmark
  public long processors() {
    return count(processors);
  }

  /** {@code length} pass-through part processors, fused into one stage. */
  @Benchmark
  public long fusedPartProcessors() {
    return count(partProcessors);
  }

  private long count(Processor processor) {
    long n = 0;
    for (ProcessorPart ignored : processor.apply(parts)) {
      n++;
    }
    return n;
  }

  /** Runs the rows and prints parts per second for each; {@code quick} for short settings. */
  public static void main(String[] args) throws Exception {
    ChainedOptionsBuilder options =
        new OptionsBuilder().include(PipelineLengthBenchmark.class.getName() + "\\.");
    if (args.length > 0 && args[0].equals("quick")) {
      options
          .forks(1)
          .warmupIterations(2)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(3)
          .measurementTime(TimeValue.seconds(1));
    }
    System.out.println();
    System.out.println("Parts/s by pipeline length, " + CallRatios.machine());
    for (RunResult result : new Runner(options.build()).run()) {
      String label = result.getParams().getBenchmark();
      double ms = result.getPrimaryResult().getScore();
      System.out.printf(
          "%-22s length %3s  %,12.0f parts/s  (%.2f ± %.2f ms per %,d parts)%n",
          label.substring(label.lastIndexOf('.') + 1),
          result.getParams().getParam("length"),
          PARTS / ms * 1000,
          ms,
          result.getPrimaryResult().getScoreError(),
          PARTS);
    }
  }
}
