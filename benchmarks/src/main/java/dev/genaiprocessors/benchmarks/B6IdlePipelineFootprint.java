package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;

/**
 * B6: heap held by 10,000 live, idle 10-stage pipelines waiting for input, ours against the same
 * pipelines written by hand. Not a JMH benchmark (JMH measures time): it builds the pipelines, lets
 * every thread park, and reads the heap in use after full collections. Virtual threads' stacks live
 * on the heap, so they are counted. Each pipeline has one consumer thread waiting for its first
 * output, on both sides. Our pipelines are 10,000 runs of one chain, as a service would run them;
 * the hand-written ones are 10,000 sets of queues and threads. The two sides alternate over several
 * rounds after a warm-up round, and the smallest figure of each side counts, since noise (late
 * garbage, a collection in progress) only ever adds bytes.
 */
public final class B6IdlePipelineFootprint {
  static final int PIPELINES = 10_000;
  static final int STAGES = 10;

  private B6IdlePipelineFootprint() {}

  static final int ROUNDS = 3;

  /** Bytes per idle pipeline: {@code [ours, handWritten]}. */
  static double[] measure(int pipelines) throws Exception {
    perPipeline(pipelines / 4, false); // warm-up: both code paths compiled before measuring
    perPipeline(pipelines / 4, true);
    double ours = Double.MAX_VALUE;
    double handWritten = Double.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      handWritten = Math.min(handWritten, perPipeline(pipelines, false));
      ours = Math.min(ours, perPipeline(pipelines, true));
    }
    return new double[] {ours, handWritten};
  }

  private static double perPipeline(int count, boolean ours) throws Exception {
    long before = usedHeapAfterGc();
    List<AutoCloseable> live = new ArrayList<>(count);
    List<Thread> consumers = new ArrayList<>(count);
    CountDownLatch consuming = new CountDownLatch(count);
    Processor chain = Workloads.passThroughChain(STAGES);
    for (int i = 0; i < count; i++) {
      if (ours) {
        BlockingQueue<ProcessorPart> input = new ArrayBlockingQueue<>(Workloads.BUFFER);
        ProcessorStream out = chain.apply(new B5FirstPartLatencyBenchmark.QueueIterator(input));
        live.add(out);
        consumers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      consuming.countDown();
                      try {
                        out.read();
                      } catch (RuntimeException cancelled) {
                        // Closed at teardown.
                      }
                    }));
      } else {
        Workloads.HandWrittenPipeline pipeline =
            new Workloads.HandWrittenPipeline(STAGES, Workloads.BUFFER);
        live.add(pipeline);
        consumers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      consuming.countDown();
                      try {
                        pipeline.output.take();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
    }
    consuming.await();
    Thread.sleep(1_000); // let every stage thread start and park
    long after = usedHeapAfterGc();
    for (Thread consumer : consumers) {
      consumer.interrupt();
    }
    for (AutoCloseable pipeline : live) {
      pipeline.close();
    }
    for (Thread consumer : consumers) {
      consumer.join();
    }
    return (double) (after - before) / count;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  public static void main(String[] args) throws Exception {
    int pipelines = args.length > 0 ? Integer.parseInt(args[0]) : PIPELINES;
    double[] bytes = measure(pipelines);
    System.out.printf(
        "B6 ours %.0f bytes/pipeline, hand-written %.0f bytes/pipeline, ratio %.2f%n",
        bytes[0], bytes[1], bytes[0] / bytes[1]);
  }
}
