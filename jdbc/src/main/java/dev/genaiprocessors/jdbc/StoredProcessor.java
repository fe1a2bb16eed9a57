package dev.genaiprocessors.jdbc;

import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A processor whose every call is a stored run: each part it reads is stored as an input, each part
 * it emits as a result linked to the last input it had read, and the run's row records how it
 * ended. See {@link Storage#wrap(Processor)}.
 */
final class StoredProcessor implements Processor {
  private final Processor processor;
  private final Storage storage;

  StoredProcessor(Processor processor, Storage storage) {
    this.processor = processor;
    this.storage = storage;
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    RunRecorder run = storage.startRun(processor.name());
    Recording recording = new Recording(run, input, output);
    Throwable failure = null;
    try {
      processor.call(recording, recording);
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
   * The wrapped processor's input and output, recording what passes. Numbering an input and
   * numbering a result take one lock, so a result's input is the last one read before it.
   */
  private static final class Recording implements PartStream, PartSink {
    private final RunRecorder run;
    private final PartStream input;
    private final PartSink output;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Long lastInput;

    Recording(RunRecorder run, PartStream input, PartSink output) {
      this.run = run;
      this.input = input;
      this.output = output;
    }

    @Override
    public @Nullable ProcessorPart read() {
      ProcessorPart part = input.read();
      if (part != null) {
        lock.lock();
        try {
          lastInput = run.input(part);
        } finally {
          lock.unlock();
        }
      }
      return part;
    }

    @Override
    public void emit(ProcessorPart part) {
      ProcessorPart stored;
      lock.lock();
      try {
        stored = run.result(part, lastInput);
      } finally {
        lock.unlock();
      }
      run.tellIfSpooling(output);
      output.emit(stored);
    }
  }
}
