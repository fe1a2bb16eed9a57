package dev.genaiprocessors;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PartProcessor} over a stream: the Python library's {@code to_processor()}.
 *
 * <p>A dispatcher thread reads the input and starts one virtual thread per matching part; parts
 * that do not match, and reserved-substream parts, need no thread. An emitter thread writes the
 * parts' outputs in input order: it drains the oldest part's buffer as it fills, then moves to the
 * next. The queue of parts between them is bounded by the concurrency limit, and each part's
 * buffer by the run's buffer size, so memory stays bounded however long the input. Reserved parts
 * a part processor emits skip the ordering and go out at once.
 */
final class PartProcessorStage implements Processor {
  private final PartProcessor processor;
  private final int maxConcurrency;

  /** {@code maxConcurrency} 0 means the run's setting. */
  PartProcessorStage(PartProcessor processor, int maxConcurrency) {
    this.processor = processor;
    this.maxConcurrency = maxConcurrency;
  }

  PartProcessor partProcessor() {
    return processor;
  }

  @Override
  public String name() {
    return processor.name();
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    RunConfig config = RunContext.current().config;
    int window = maxConcurrency > 0 ? maxConcurrency : config.maxConcurrency();
    int slotBuffer = Math.min(config.bufferSize(), 16);
    BlockingQueue<Slot> slots = new ArrayBlockingQueue<>(window);
    String name = processor.name();
    // A failure does not cancel at once: the emitter first writes the outputs of every part before
    // the failed one, then the failed part's outputs emitted before it failed, then cancels.
    try (Scope scope = Scope.cancellingSelectively()) {
      scope.fork(
          name + "-emitter",
          () -> {
            try {
              emit(slots, output);
            } finally {
              scope.cancel();
            }
          });
      scope.fork(
          name + "-dispatcher",
          () -> {
            try {
              for (ProcessorPart part = input.read(); part != null; part = input.read()) {
                if (config.isReserved(part.substreamName())) {
                  output.emit(part);
                } else if (!processor.match(part)) {
                  slots.put(new Slot(part));
                } else {
                  Slot slot = new Slot(slotBuffer);
                  slots.put(slot);
                  ProcessorPart in = part;
                  PartSink sink = new SlotSink(slot.channel, output, config);
                  scope.fork(name, () -> work(in, sink, slot.channel));
                }
              }
            } catch (Throwable e) {
              // The input failed (or was cancelled upstream): what was read so far still goes out.
              scope.fail(Stages.named(name, e));
            } finally {
              if (!scope.isCancelled()) {
                try {
                  slots.put(Slot.END);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }
          });
      try {
        scope.joinAndRethrow(name);
      } catch (InterruptedException e) {
        throw Scope.cancelledWhileJoining(scope, e);
      }
    }
  }

  private void work(ProcessorPart part, PartSink sink, Channel buffer) throws Exception {
    try {
      processor.call(part, sink);
      buffer.close();
    } catch (Throwable e) {
      buffer.fail();
      throw Stages.named(processor.name(), e);
    }
  }

  private static void emit(BlockingQueue<Slot> slots, PartSink output) throws InterruptedException {
    for (Slot slot = slots.take(); slot != Slot.END; slot = slots.take()) {
      if (slot.single != null) {
        output.emit(slot.single);
        continue;
      }
      Channel channel = slot.channel;
      for (ProcessorPart part = channel.read(); part != null; part = channel.read()) {
        output.emit(part);
      }
    }
  }

  /** The outputs of one input part: a buffer, or the part itself when it passes through. */
  private static final class Slot {
    static final Slot END = new Slot((ProcessorPart) null);

    final @Nullable ProcessorPart single;
    final Channel channel;

    Slot(@Nullable ProcessorPart single) {
      this.single = single;
      this.channel = null;
    }

    Slot(int capacity) {
      this.single = null;
      this.channel = new Channel(capacity);
    }
  }

  /** Reserved parts out at once; the rest into the part's buffer. */
  private record SlotSink(Channel buffer, PartSink output, RunConfig config) implements PartSink {
    @Override
    public void emit(ProcessorPart part) {
      (config.isReserved(part.substreamName()) ? output : buffer).emit(part);
    }
  }
}
