package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * B3: 100,000 parts through 10 fused CPU-cheap part processors.
 *
 * <ul>
 *   <li>{@link #ours}: the 10 functions as part processors, fused into one concurrent stage (up to
 *       64 parts at once, order kept).
 *   <li>{@link #reactorFlatMapSequential}: Reactor {@code flatMapSequential} with the same
 *       concurrency (64), each part's 10 functions on the parallel scheduler.
 *   <li>{@link #plainLoop}: a loop calling the 10 functions: the limit, no concurrency at all.
 *   <li>{@link #oneToManyOurs} against {@link #oneToManyFlatMap}: 2,000 parts through 5 fused steps
 *       that each emit 3 parts per part (243 outputs per input part), against the same functions
 *       with {@code flatMap} in a plain stream on the calling thread.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Xmx2g")
public class B3FusedPartProcessorsBenchmark {
  static final int PARTS = 100_000;
  static final int CONCURRENCY = RunConfig.DEFAULT_MAX_CONCURRENCY;

  static final int ONE_TO_MANY_PARTS = 2_000;

  List<ProcessorPart> parts;
  List<ProcessorPart> fewParts;
  Processor fused;
  Processor oneToMany;

  @Setup
  public void setUp() {
    parts = Workloads.parts(PARTS);
    fewParts = Workloads.parts(ONE_TO_MANY_PARTS);
    fused = Workloads.cheapPartProcessors().toProcessor(CONCURRENCY);
    oneToMany = Workloads.oneToManyPartProcessors().toProcessor(CONCURRENCY);
  }

  @Benchmark
  public long ours() {
    long n = 0;
    for (ProcessorPart ignored : fused.apply(parts)) {
      n++;
    }
    return n;
  }

  /**
   * Diagnostic, not a row of its own: {@link #ours} read by a virtual thread (as in a service on
   * virtual threads) rather than JMH's platform thread. The difference is the cost of waking a
   * platform thread for the parts it reads.
   */
  @Benchmark
  public long oursReadOnVirtualThread() throws InterruptedException {
    long[] n = new long[1];
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (ProcessorPart ignored : fused.apply(parts)) {
                    n[0]++;
                  }
                });
    reader.join();
    return n[0];
  }

  @Benchmark
  public long reactorFlatMapSequential() {
    Long count =
        Flux.fromIterable(parts)
            .flatMapSequential(
                p ->
                    Mono.fromCallable(() -> Workloads.applyAll(p))
                        .subscribeOn(Schedulers.parallel()),
                CONCURRENCY)
            .count()
            .block();
    return count == null ? 0 : count;
  }

  /**
   * Reactor delivering every part to the calling platform thread, as {@link #ours} does: the same
   * pipeline read through {@code toIterable} with a buffer of the same size. {@link
   * #reactorFlatMapSequential} counts on Reactor's own threads and wakes the caller once, which is
   * the like-for-like baseline of {@link #oursReadOnVirtualThread}; this one is the baseline of
   * {@link #ours}.
   */
  @Benchmark
  public long reactorReadOnCallingThread() {
    long n = 0;
    Iterable<ProcessorPart> results =
        Flux.fromIterable(parts)
            .flatMapSequential(
                p ->
                    Mono.fromCallable(() -> Workloads.applyAll(p))
                        .subscribeOn(Schedulers.parallel()),
                CONCURRENCY)
            .toIterable(CONCURRENCY);
    for (ProcessorPart ignored : results) {
      n++;
    }
    return n;
  }

  @Benchmark
  public long plainLoop() {
    long n = 0;
    for (ProcessorPart p : parts) {
      if (Workloads.applyAll(p) != null) {
        n++;
      }
    }
    return n;
  }

  /** The one-to-many chain, fused, read by the calling thread. */
  @Benchmark
  public long oneToManyOurs() {
    long n = 0;
    for (ProcessorPart ignored : oneToMany.apply(fewParts)) {
      n++;
    }
    return n;
  }

  /** The one-to-many chain's functions with {@code flatMap} in a plain stream: the limit. */
  @Benchmark
  public long oneToManyFlatMap() {
    Stream<ProcessorPart> stream = fewParts.stream();
    for (int step = 0; step < Workloads.FAN_OUT_STEPS; step++) {
      stream =
          stream.flatMap(
              p ->
                  Stream.of(
                      Workloads.branch(p, 0), Workloads.branch(p, 1), Workloads.branch(p, 2)));
    }
    return stream.count();
  }
}
