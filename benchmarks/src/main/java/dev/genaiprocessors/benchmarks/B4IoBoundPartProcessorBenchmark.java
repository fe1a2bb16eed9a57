package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.PartProcessor;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B4: an I/O-bound part processor. 20,000 parts, each waiting 10 ms, at most 256 at once. The ideal
 * is 256 parts per 10 ms, 25,600 parts/s, so 781 ms for the lot; the ratio is ideal time / our
 * time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class B4IoBoundPartProcessorBenchmark {
  static final int PARTS = 20_000;
  static final int WINDOW = 256;
  static final long SLEEP_MS = 10;

  /** The ideal time in milliseconds: PARTS / WINDOW rounds of SLEEP_MS. */
  static final double IDEAL_MS = (double) PARTS / WINDOW * SLEEP_MS;

  List<ProcessorPart> parts;
  Processor sleeping;

  @Setup
  public void setUp() {
    parts = Workloads.parts(PARTS);
    sleeping =
        PartProcessor.named(
                "sleep",
                (p, out) -> {
                  Thread.sleep(SLEEP_MS);
                  out.emit(p);
                })
            .toProcessor(WINDOW);
  }

  @Benchmark
  public long ours() {
    long n = 0;
    for (ProcessorPart ignored : sleeping.apply(parts)) {
      n++;
    }
    return n;
  }
}
