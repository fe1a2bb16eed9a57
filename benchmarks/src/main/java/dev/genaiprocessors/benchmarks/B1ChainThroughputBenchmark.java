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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * B1 and B2: 100,000 small text parts through a chain of 10 pass-through processors.
 *
 * <ul>
 *   <li>{@link #ours}: {@code Processor.chain} of 10 processors, default buffers (64).
 *   <li>{@link #handWrittenQueues} (B1 baseline): 10 virtual threads joined by {@code
 *       ArrayBlockingQueue}s of the same capacity.
 *   <li>{@link #reactorPublishOn} (B2 baseline): Reactor, 10 stages with {@code publishOn} between
 *       them on the parallel scheduler, prefetch 64.
 * </ul>
 *
 * Time per 100,000 parts; the throughput ratio is baseline time / our time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Xmx2g")
public class B1ChainThroughputBenchmark {
  static final int PARTS = 100_000;
  static final int STAGES = 10;

  List<ProcessorPart> parts;
  Processor chain;

  @Setup
  public void setUp() {
    parts = Workloads.parts(PARTS);
    chain = Workloads.passThroughChain(STAGES);
  }

  @Benchmark
  public long ours() {
    long n = 0;
    for (ProcessorPart ignored : chain.apply(parts)) {
      n++;
    }
    return n;
  }

  /**
   * {@link #ours} read by a virtual thread, as a service on virtual threads reads it: the
   * like-for-like counterpart of {@link #reactorPublishOn}, which counts on Reactor's own threads
   * and wakes the calling thread once.
   */
  @Benchmark
  public long oursReadOnVirtualThread() throws InterruptedException {
    long[] n = new long[1];
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (ProcessorPart ignored : chain.apply(parts)) {
                    n[0]++;
                  }
                });
    reader.join();
    return n[0];
  }

  /**
   * Reactor delivering every part to the calling platform thread ({@code toIterable} with the same
   * buffer), the like-for-like counterpart of {@link #ours}.
   */
  @Benchmark
  public long reactorReadOnCallingThread() {
    Flux<ProcessorPart> flux = Flux.fromIterable(parts);
    for (int i = 0; i < STAGES; i++) {
      flux = flux.publishOn(Schedulers.parallel(), Workloads.BUFFER).map(p -> p);
    }
    long n = 0;
    for (ProcessorPart ignored : flux.toIterable(Workloads.BUFFER)) {
      n++;
    }
    return n;
  }

  @Benchmark
  // END is a sentinel instance, compared by identity as hand-written queue code does.
  @SuppressWarnings("ReferenceEquality")
  public long handWrittenQueues() throws InterruptedException {
    try (Workloads.HandWrittenPipeline pipeline =
        new Workloads.HandWrittenPipeline(STAGES, Workloads.BUFFER)) {
      Thread feeder =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      for (ProcessorPart p : parts) {
                        pipeline.input.put(p);
                      }
                      pipeline.input.put(Workloads.END);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      long n = 0;
      while (pipeline.output.take() != Workloads.END) {
        n++;
      }
      feeder.join();
      return n;
    }
  }

  @Benchmark
  public long reactorPublishOn() {
    Flux<ProcessorPart> flux = Flux.fromIterable(parts);
    for (int i = 0; i < STAGES; i++) {
      flux = flux.publishOn(Schedulers.parallel(), Workloads.BUFFER).map(p -> p);
    }
    Long count = flux.count().block();
    return count == null ? 0 : count;
  }
}
