package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorInterceptor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunConfig;
import dev.genaiprocessors.observability.Observability;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * B11: the cost of observability. 100,000 small parts through a chain of 10 pass-through processors
 * (B1's workload), uninstrumented and fully instrumented in the same run: tracing through the real
 * OpenTelemetry SDK (batching to an exporter that drops everything), metrics into a {@link
 * SimpleMeterRegistry}, MDC on. Target: instrumented at 0.9x the uninstrumented throughput or
 * better. {@link #main} prints the ratio and the cost per part (and per part and stage).
 *
 * <p>Every part is seen by 11 stages (10 and the chain): one {@code onInput} and one {@code onPart}
 * each, two counter increments; spans and timers are per stage, so 12 per run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Xmx2g")
public class B11ObservabilityOverheadBenchmark {
  static final int PARTS = 100_000;
  static final int STAGES = 10;

  List<ProcessorPart> parts;
  Processor chain;
  RunConfig instrumented;
  RunConfig emptyInterceptor;
  SdkTracerProvider tracerProvider;

  @Setup
  public void setUp() {
    parts = Workloads.parts(PARTS);
    chain = Workloads.passThroughChain(STAGES);
    tracerProvider =
        SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(new DroppingExporter()).build())
            .build();
    Observability observability =
        Observability.builder()
            .openTelemetry(OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build())
            .meterRegistry(new SimpleMeterRegistry())
            .build();
    instrumented = observability.runConfig();
    emptyInterceptor = RunConfig.defaults().withInterceptor(new ProcessorInterceptor() {});
  }

  @TearDown
  public void tearDown() {
    tracerProvider.close();
  }

  private long count(RunConfig config) {
    long n = 0;
    for (ProcessorPart ignored : chain.apply(config, parts)) {
      n++;
    }
    if (n != PARTS) {
      throw new IllegalStateException("expected " + PARTS + " parts but read " + n);
    }
    return n;
  }

  @Benchmark
  public long uninstrumented() {
    return count(RunConfig.defaults());
  }

  @Benchmark
  public long instrumented() {
    return count(instrumented);
  }

  /** Diagnostic: the runtime's own share of the cost, an interceptor that does nothing. */
  @Benchmark
  public long emptyInterceptor() {
    return count(emptyInterceptor);
  }

  /** An exporter that drops every span: what is measured is the instrumentation, not export. */
  static final class DroppingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /**
   * Runs the three sides in turn, in rounds ({@code quick}: 2 rounds of 2+3 one-second iterations;
   * otherwise 3 rounds of 3+5), each in a fork of its own, and compares each side's best round: on
   * a shared machine the load changes between one benchmark and the next, and alternating the sides
   * spreads that over all of them. Prints the ratio and the cost per part.
   */
  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("quick");
    if (args.length > 0 && args[0].equals("cpu")) {
      cpuTimes(30);
      return;
    }
    if (args.length > 0 && args[0].equals("paired")) {
      paired(args.length > 1 ? Integer.parseInt(args[1]) : 15);
      return;
    }
    int rounds = quick ? 2 : 3;
    List<String> sides = List.of("uninstrumented", "instrumented", "emptyInterceptor");
    Map<String, Result<?>> best = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (String side : sides) {
        Collection<RunResult> results =
            new Runner(
                    new OptionsBuilder()
                        .include(
                            B11ObservabilityOverheadBenchmark.class.getName() + "\\." + side + "$")
                        .forks(1)
                        .warmupIterations(quick ? 2 : 3)
                        .warmupTime(TimeValue.seconds(1))
                        .measurementIterations(quick ? 3 : 5)
                        .measurementTime(TimeValue.seconds(1))
                        .build())
                .run();
        for (RunResult result : results) {
          Result<?> score = result.getPrimaryResult();
          Result<?> before = best.get(side);
          if (before == null || score.getScore() < before.getScore()) {
            best.put(side, score);
          }
        }
      }
    }
    Result<?> bare = best.get("uninstrumented");
    Result<?> observed = best.get("instrumented");
    Result<?> empty = best.get("emptyInterceptor");
    double ratio = bare.getScore() / observed.getScore();
    double nanosPerPart = (observed.getScore() - bare.getScore()) * 1e6 / PARTS;
    System.out.printf(
        "B11 10-stage chain instrumented vs uninstrumented (throughput, best of %d rounds):"
            + " ratio %.2f  target >= 0.90  %s%n",
        rounds, ratio, ratio >= 0.90 ? "met" : "NOT MET");
    System.out.printf(
        "    uninstrumented %.2f ± %.2f ms, instrumented %.2f ± %.2f ms per %,d parts%n",
        bare.getScore(),
        bare.getScoreError(),
        observed.getScore(),
        observed.getScoreError(),
        PARTS);
    System.out.printf(
        "    diagnostic: an interceptor that does nothing %.2f ± %.2f ms (ratio %.2f)%n",
        empty.getScore(), empty.getScoreError(), bare.getScore() / empty.getScore());
    System.out.printf(
        "    cost: %.0f ns per part through %d stages (%.1f ns per part and stage, the chain"
            + " counted)%n",
        nanosPerPart, STAGES, nanosPerPart / (STAGES + 1));
  }

  /**
   * A second view for a busy machine: the process's CPU time per run (what the run itself burned,
   * whatever else the machine does), the sides alternating run by run after a warm-up, totals
   * compared (the process clock ticks in 10 ms, so single runs are too coarse). Run with {@code
   * cpu}.
   */
  static void cpuTimes(int runs) {
    B11ObservabilityOverheadBenchmark state = new B11ObservabilityOverheadBenchmark();
    state.setUp();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    List<RunConfig> sides =
        List.of(RunConfig.defaults(), state.instrumented, state.emptyInterceptor);
    long[][] cpu = new long[sides.size()][runs];
    for (int warmup = 0; warmup < 20; warmup++) {
      for (RunConfig side : sides) {
        state.count(side);
      }
    }
    for (int run = 0; run < runs; run++) {
      for (int side = 0; side < sides.size(); side++) {
        long before = os.getProcessCpuTime();
        state.count(sides.get(side));
        cpu[side][run] = os.getProcessCpuTime() - before;
      }
    }
    state.tearDown();
    double bare = mean(cpu[0]);
    double observed = mean(cpu[1]);
    double empty = mean(cpu[2]);
    System.out.printf(
        "B11 CPU time per run (mean of %d): uninstrumented %.1f ms, instrumented %.1f ms"
            + " (ratio %.2f), empty interceptor %.1f ms (ratio %.2f); cost %.0f ns of CPU per part%n",
        runs,
        bare / 1e6,
        observed / 1e6,
        bare / observed,
        empty / 1e6,
        bare / empty,
        (observed - bare) / PARTS);
  }

  /**
   * The wall-clock view for a shared machine: in one process, after a warm-up, each round times a
   * block of {@value #BLOCK} runs uninstrumented and a block fully instrumented back to back (which
   * goes first alternating), so a load that comes and goes falls on both sides of a round alike;
   * the median of the rounds' ratios is the figure. Run with {@code paired [rounds]}.
   */
  static void paired(int rounds) {
    B11ObservabilityOverheadBenchmark state = new B11ObservabilityOverheadBenchmark();
    state.setUp();
    try {
      for (int warmup = 0; warmup < 20; warmup++) {
        state.count(RunConfig.defaults());
        state.count(state.instrumented);
      }
      List<Double> ratios = new java.util.ArrayList<>();
      List<Double> bare = new java.util.ArrayList<>();
      List<Double> observed = new java.util.ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        double[] millis = new double[2];
        for (int i = 0; i < 2; i++) {
          int side = (round + i) % 2;
          RunConfig config = side == 0 ? RunConfig.defaults() : state.instrumented;
          long start = System.nanoTime();
          for (int run = 0; run < BLOCK; run++) {
            state.count(config);
          }
          millis[side] = (System.nanoTime() - start) / 1e6 / BLOCK;
        }
        bare.add(millis[0]);
        observed.add(millis[1]);
        ratios.add(millis[0] / millis[1]);
      }
      double ratio = Stats.median(ratios);
      System.out.printf(
          "B11 paired, %d rounds of %d runs a side: median ratio %.3f  target >= 0.90  %s%n"
              + "    rounds %s%n"
              + "    uninstrumented median %.1f ms, instrumented median %.1f ms per %,d parts;"
              + " cost %.0f ns per part%n",
          rounds,
          BLOCK,
          ratio,
          ratio >= 0.90 ? "met" : "NOT MET",
          ratios.stream().map(r -> String.format("%.2f", r)).toList(),
          Stats.median(bare),
          Stats.median(observed),
          PARTS,
          (Stats.median(observed) - Stats.median(bare)) * 1e6 / PARTS);
    } finally {
      state.tearDown();
    }
  }

  /** Runs per side in each round of {@link #paired}. */
  static final int BLOCK = 5;

  private static double mean(long[] values) {
    return (double) java.util.Arrays.stream(values).sum() / values.length;
  }
}
