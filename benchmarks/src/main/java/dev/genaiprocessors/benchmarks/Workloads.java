package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.UnaryOperator;

/** The workloads and hand-written baselines the benchmarks share. */
final class Workloads {
  /** The buffer size used on both sides of every comparison: the runtime's default. */
  static final int BUFFER = 64;

  private Workloads() {}

  /** {@code n} small text parts. */
  static List<ProcessorPart> parts(int n) {
    List<ProcessorPart> parts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      parts.add(ProcessorPart.text("part " + i));
    }
    return parts;
  }

  /** A processor that emits its input unchanged. */
  static Processor passThrough(int index) {
    return Processor.named(
        "pass" + index,
        (in, out) -> {
          for (ProcessorPart p = in.read(); p != null; p = in.read()) {
            out.emit(p);
          }
        });
  }

  /** A chain of {@code stages} pass-through processors. */
  static Processor passThroughChain(int stages) {
    Object[] members = new Object[stages];
    for (int i = 0; i < stages; i++) {
      members[i] = passThrough(i);
    }
    return Processor.chain(members);
  }

  /** Ten cheap functions of a part, the same on every side of B3. */
  static final List<UnaryOperator<ProcessorPart>> CHEAP_FUNCTIONS =
      List.of(
          p -> ProcessorPart.text(p.text().toUpperCase(Locale.ROOT)),
          p -> p.withMetadata("length", p.text().length()),
          p -> ProcessorPart.text(p.text().toLowerCase(Locale.ROOT)).withMetadata(p.metadata()),
          p -> p.withRole("model"),
          p -> ProcessorPart.text(p.text().strip()).withRole(p.role()),
          p -> p.withSubstreamName("s"),
          p -> p.withSubstreamName(""),
          p -> ProcessorPart.text(p.text().replace(' ', '_')),
          p -> p.withMetadata("hash", p.text().hashCode()),
          p -> ProcessorPart.text(p.text() + "!"));

  /** The ten functions applied in order: the plain loop's work. */
  static ProcessorPart applyAll(ProcessorPart part) {
    for (UnaryOperator<ProcessorPart> f : CHEAP_FUNCTIONS) {
      part = f.apply(part);
    }
    return part;
  }

  /** The ten functions as fused part processors. */
  static PartProcessor cheapPartProcessors() {
    PartProcessor[] members = new PartProcessor[CHEAP_FUNCTIONS.size()];
    for (int i = 0; i < members.length; i++) {
      UnaryOperator<ProcessorPart> f = CHEAP_FUNCTIONS.get(i);
      members[i] = PartProcessor.named("f" + i, (p, out) -> out.emit(f.apply(p)));
    }
    return PartProcessor.chain(members);
  }

  /** How many parts each step of the one-to-many chain emits per part it gets. */
  static final int FAN_OUT = 3;

  /** How many steps the one-to-many chain has. */
  static final int FAN_OUT_STEPS = 5;

  /** Output {@code branch} of one one-to-many step on {@code part}: the same on both sides. */
  static ProcessorPart branch(ProcessorPart part, int branch) {
    return ProcessorPart.text(part.text() + (char) ('a' + branch));
  }

  /** {@link #FAN_OUT_STEPS} fused part processors, each emitting {@link #FAN_OUT} parts. */
  static PartProcessor oneToManyPartProcessors() {
    PartProcessor[] members = new PartProcessor[FAN_OUT_STEPS];
    for (int i = 0; i < members.length; i++) {
      members[i] =
          PartProcessor.named(
              "fan" + i,
              (p, out) -> {
                for (int b = 0; b < FAN_OUT; b++) {
                  out.emit(branch(p, b));
                }
              });
    }
    return PartProcessor.chain(members);
  }

  /** {@code n} pass-through part processors, fused. */
  static PartProcessor passThroughPartProcessors(int n) {
    PartProcessor[] members = new PartProcessor[n];
    for (int i = 0; i < n; i++) {
      members[i] = PartProcessor.named("pass" + i, (p, out) -> out.emit(p));
    }
    return PartProcessor.chain(members);
  }

  /** End marker of the hand-written pipelines. */
  static final ProcessorPart END = ProcessorPart.text("<end>");

  /**
   * The hand-written baseline: {@code stages} virtual threads joined by {@link ArrayBlockingQueue}s
   * of {@code capacity}, each moving parts from its input queue to its output queue.
   */
  static final class HandWrittenPipeline implements AutoCloseable {
    final BlockingQueue<ProcessorPart> input;
    final BlockingQueue<ProcessorPart> output;
    private final List<Thread> threads = new ArrayList<>();

    // END is a sentinel instance, compared by identity as hand-written queue code does.
    @SuppressWarnings("ReferenceEquality")
    HandWrittenPipeline(int stages, int capacity) {
      BlockingQueue<ProcessorPart> in = new ArrayBlockingQueue<>(capacity);
      input = in;
      for (int i = 0; i < stages; i++) {
        BlockingQueue<ProcessorPart> from = in;
        BlockingQueue<ProcessorPart> to = new ArrayBlockingQueue<>(capacity);
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        while (true) {
                          ProcessorPart p = from.take();
                          to.put(p);
                          if (p == END) {
                            return;
                          }
                        }
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
        in = to;
      }
      output = in;
    }

    @Override
    public void close() {
      for (Thread t : threads) {
        t.interrupt();
      }
      boolean interrupted = false;
      for (Thread t : threads) {
        while (true) {
          try {
            t.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true; // finish joining; the caller sees the interrupt afterwards
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
