package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunConfig;
import dev.genaiprocessors.resilience.CircuitBreakerConfig;
import dev.genaiprocessors.resilience.RateLimitConfig;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.resilience.RetryConfig;
import java.time.Duration;
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
 * B7: the cost of resilience on the success path. 10,000 parts through a pass-through part
 * processor, bare and wrapped in retry + rate limit (a limit never reached) + circuit breaker, in
 * the same run; target: the wrapped one at 0.95x the bare one's throughput or better.
 *
 * <ul>
 *   <li>{@link #bareParts} / {@link #resilientParts}: the part processor as a concurrent stage; the
 *       decorator runs once per part (the worst case: a call per part).
 *   <li>{@link #bareStream} / {@link #resilientStream}: a pass-through {@code Processor}; the
 *       decorator runs once per run and sees every part (input replayed, output watched).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Xmx2g")
public class B7ResilienceOverheadBenchmark {
  static final int PARTS = 10_000;
  static final int CONCURRENCY = RunConfig.DEFAULT_MAX_CONCURRENCY;

  List<ProcessorPart> parts;
  Processor bareParts;
  Processor resilientParts;
  Processor bareStream;
  Processor resilientStream;

  @Setup
  public void setUp() {
    parts = Workloads.parts(PARTS);
    Resilience resilience =
        Resilience.builder("b7")
            .retry(RetryConfig.defaults())
            .rateLimit(RateLimitConfig.of(1_000_000_000, Duration.ofSeconds(1)))
            .circuitBreaker(CircuitBreakerConfig.defaults())
            .build();
    PartProcessor passThrough = PartProcessor.named("pass", (part, output) -> output.emit(part));
    bareParts = passThrough.toProcessor(CONCURRENCY);
    resilientParts = resilience.decorate(passThrough).toProcessor(CONCURRENCY);
    Processor stream =
        Processor.named(
            "pass",
            (input, output) -> {
              for (ProcessorPart part : input) {
                output.emit(part);
              }
            });
    bareStream = stream;
    resilientStream = resilience.decorate(stream);
  }

  private long count(Processor processor) {
    long n = 0;
    for (ProcessorPart ignored : processor.apply(parts)) {
      n++;
    }
    return n;
  }

  @Benchmark
  public long bareParts() {
    return count(bareParts);
  }

  @Benchmark
  public long resilientParts() {
    return count(resilientParts);
  }

  @Benchmark
  public long bareStream() {
    return count(bareStream);
  }

  @Benchmark
  public long resilientStream() {
    return count(resilientStream);
  }
}
