package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B5: latency of the first part through 10 stages, building a fresh pipeline each time, starting
 * it, reading the first part and tearing it down (the input stays open, so teardown is a
 * cancellation).
 *
 * <ul>
 *   <li>{@link #ours}: a 10-stage chain applied to a blocking input; read one part; close.
 *   <li>{@link #handWritten}: the same pipeline written by hand (10 virtual threads, {@code
 *       ArrayBlockingQueue}s); put one part; take it; interrupt and join the threads.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Xmx2g")
public class B5FirstPartLatencyBenchmark {
  static final int STAGES = 10;
  static final ProcessorPart HELLO = ProcessorPart.text("hello");

  @Benchmark
  public ProcessorPart ours() {
    BlockingQueue<ProcessorPart> input = new ArrayBlockingQueue<>(Workloads.BUFFER);
    input.add(HELLO);
    Processor chain = Workloads.passThroughChain(STAGES);
    try (ProcessorStream out = chain.apply(new QueueIterator(input))) {
      return out.read();
    }
  }

  @Benchmark
  public ProcessorPart handWritten() throws InterruptedException {
    try (Workloads.HandWrittenPipeline pipeline =
        new Workloads.HandWrittenPipeline(STAGES, Workloads.BUFFER)) {
      pipeline.input.put(HELLO);
      return pipeline.output.take();
    }
  }

  /** An endless input fed by a queue: the run ends only when it is cancelled. */
  static final class QueueIterator implements java.util.Iterator<ProcessorPart> {
    private final BlockingQueue<ProcessorPart> queue;

    QueueIterator(BlockingQueue<ProcessorPart> queue) {
      this.queue = queue;
    }

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public ProcessorPart next() {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.util.concurrent.CancellationException("interrupted");
      }
    }
  }
}
