package dev.genaiprocessors.jdbc;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunConfig;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A part processor over a stream, stored as one run: each part read is stored as an input, and each
 * result as linked to the one input part whose call emitted it. See {@link
 * Storage#wrap(PartProcessor)}.
 *
 * <p>The parts keep the part processor's concurrency and order: it runs as {@link
 * PartProcessor#toProcessor()} would run it. A call finds the number of its part by the part itself
 * (the same instance the stage read), so the link holds whichever thread runs the call.
 */
final class StoredPartProcessor implements Processor {
  private final PartProcessor processor;
  private final Storage storage;

  StoredPartProcessor(PartProcessor processor, Storage storage) {
    this.processor = processor;
    this.storage = storage;
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    RunRecorder run = storage.startRun(processor.name());
    Inputs inputs = new Inputs(run, input, processor);
    PartProcessor linked =
        new PartProcessor() {
          @Override
          public void call(ProcessorPart part, PartSink out) throws Exception {
            Long seq = inputs.seqOf(part);
            processor.call(
                part,
                result -> {
                  ProcessorPart stored = run.result(result, seq);
                  run.tellIfSpooling(out);
                  out.emit(stored);
                });
          }

          @Override
          public boolean match(ProcessorPart part) {
            return processor.match(part);
          }

          @Override
          public String name() {
            return processor.name();
          }
        };
    Throwable failure = null;
    try {
      linked.toProcessor().call(inputs, output);
    } catch (Throwable e) {
      failure = e;
    }
    run.finish(failure, output);
  }

  @Override
  public String name() {
    // The wrapped processor's own name: the stage this processor runs as is the wrapped one's call,
    // and observability recognises a model call by its stage's name.
    return processor.name();
  }

  /**
   * The stage's input, storing every part read and remembering the number of each part the part
   * processor will be called on, by identity, until its call takes it.
   */
  private static final class Inputs implements PartStream {
    private final RunRecorder run;
    private final PartStream input;
    private final PartProcessor processor;
    private final ReentrantLock lock = new ReentrantLock();
    // The same part instance may come twice: its numbers wait in reading order.
    private final Map<ProcessorPart, ArrayDeque<Long>> waiting = new IdentityHashMap<>();

    Inputs(RunRecorder run, PartStream input, PartProcessor processor) {
      this.run = run;
      this.input = input;
      this.processor = processor;
    }

    @Override
    public @Nullable ProcessorPart read() {
      ProcessorPart part = input.read();
      if (part != null) {
        long seq = run.input(part);
        // Only parts the stage will call the processor on: the others pass through, unlinked.
        if (!RunConfig.current().isReserved(part.substreamName()) && processor.match(part)) {
          lock.lock();
          try {
            waiting.computeIfAbsent(part, p -> new ArrayDeque<>(1)).addLast(seq);
          } finally {
            lock.unlock();
          }
        }
      }
      return part;
    }

    @Nullable Long seqOf(ProcessorPart part) {
      lock.lock();
      try {
        ArrayDeque<Long> seqs = waiting.get(part);
        if (seqs == null) {
          return null;
        }
        Long seq = seqs.pollFirst();
        if (seqs.isEmpty()) {
          waiting.remove(part);
        }
        return seq;
      } finally {
        lock.unlock();
      }
    }
  }
}
