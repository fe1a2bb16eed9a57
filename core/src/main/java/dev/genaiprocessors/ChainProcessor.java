package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Processors in sequence, each stage on its own thread with a bounded buffer in between. Runs of
 * consecutive part processors are fused into one stage. Reserved-substream parts arriving at any
 * stage but the first of the chain go straight to the chain's output (the capture rule).
 */
final class ChainProcessor implements Processor {
  private final List<Processor> stages;
  private final String name;

  private ChainProcessor(List<Processor> stages) {
    this.stages = List.copyOf(stages);
    this.name = Names.join("chain", this.stages);
  }

  static Processor of(List<Object> members) {
    List<Processor> stages = new ArrayList<>();
    PartProcessor pending = null;
    for (Object member : members) {
      if (member instanceof PartProcessor part) {
        pending = pending == null ? part : pending.then(part);
        continue;
      }
      if (!(member instanceof Processor processor)) {
        throw new IllegalArgumentException(
            "chain members must be Processors or PartProcessors but one was "
                + (member == null ? "null" : member.getClass().getName()));
      }
      if (pending != null) {
        stages.add(pending.toProcessor());
        pending = null;
      }
      if (processor instanceof ChainProcessor nested) {
        stages.addAll(nested.stages);
      } else {
        stages.add(processor);
      }
    }
    if (pending != null) {
      stages.add(pending.toProcessor());
    }
    return stages.size() == 1 ? stages.get(0) : new ChainProcessor(stages);
  }

  List<Processor> stages() {
    return stages;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    RunContext context = RunContext.current();
    RunConfig config = context.config;
    // A stage that ends, however it ends, makes the stages before it useless: they are cancelled.
    // The stages after a failed one are not: they drain what it emitted before failing, so the
    // caller receives every part that left the failed stage, then the failure. The last stage runs
    // on the calling thread, which saves a thread per run.
    try (Scope scope = Scope.cancellingSelectively()) {
      int last = stages.size() - 1;
      @Nullable Thread[] threads = new Thread[last];
      PartStream current = new CapturingStream(input, output, config);
      for (int k = 0; k < last; k++) {
        Processor stage = stages.get(k);
        Channel next = Channel.bounded(config.bufferSize());
        PartStream in = current;
        PartSink out = new CapturingSink(next, output, config);
        threads[k] =
            scope.forkJob(
                stage.name(), new StageJob(stage, in, out, next, scope, threads, k, context));
        current = next;
      }
      Processor stage = stages.get(last);
      try {
        if (context.intercepted) {
          Stages.run(stage, current, output, false);
        } else {
          NamedProcessor.unwrap(stage).call(current, output);
        }
      } catch (InterruptedException e) {
        // This thread was interrupted from outside: the run is being cancelled.
        Thread.currentThread().interrupt();
      } catch (Throwable e) {
        // A cancellation here either follows an upstream failure (already recorded) or comes from
        // outside (nothing to record); anything else is the last stage's own failure.
        scope.fail(Stages.named(stage.name(), e));
      } finally {
        cancelUpTo(scope, threads, last);
      }
      try {
        scope.joinAndRethrow(name);
      } catch (InterruptedException e) {
        throw Scope.cancelledWhileJoining(scope, e);
      }
    }
  }

  /**
   * One forked stage: runs it, then cancels the stages before it. It does its thread's bookkeeping
   * itself ({@link Scope#forkJob}) and calls a named processor's delegate directly, so the stack of
   * an idle stage holds two frames of ours: this and the processor's own.
   */
  // threads is shared on purpose: each stage fills its own slot, and a failing stage cancels the
  // rest.
  @SuppressWarnings("ArrayRecordComponent")
  private record StageJob(
      Processor stage,
      PartStream in,
      PartSink out,
      Channel next,
      Scope scope,
      @Nullable Thread[] threads,
      int index,
      RunContext context)
      implements Runnable {
    @Override
    public void run() {
      try {
        if (scope.enter(context)) {
          if (context.intercepted) {
            Stages.run(stage, in, out, false);
          } else {
            NamedProcessor.unwrap(stage).call(in, out);
          }
          next.close();
        }
      } catch (Throwable e) {
        next.fail();
        try {
          scope.fail(Stages.named(stage.name(), e));
        } catch (Error fatal) {
          scope.fail(fatal);
        }
      } finally {
        if (in instanceof Channel channel) {
          channel.closeConsumer();
        }
        cancelUpTo(scope, threads, index);
        scope.exit();
      }
    }
  }

  private static void cancelUpTo(Scope scope, @Nullable Thread[] threads, int end) {
    for (int j = 0; j < end; j++) {
      scope.cancel(threads[j]);
    }
  }

  /** Runs one stage; {@code next} is the channel it fills (null for the last stage). */
  static void runStage(Processor stage, PartStream in, PartSink out, @Nullable Channel next)
      throws Exception {
    try {
      Stages.run(stage, in, out, false);
      if (next != null) {
        next.close();
      }
    } catch (Throwable e) {
      if (next != null) {
        next.fail();
      }
      throw Stages.named(stage.name(), e);
    } finally {
      if (in instanceof Channel channel) {
        channel.closeConsumer();
      } else if (in instanceof CapturingStream capturing
          && capturing.source instanceof Channel channel) {
        channel.closeConsumer();
      }
    }
  }

  /** Diverts reserved parts read from {@code source} to {@code bypass}. */
  static final class CapturingStream implements PartStream {
    final PartStream source;
    private final PartSink bypass;
    private final RunConfig config;

    CapturingStream(PartStream source, PartSink bypass, RunConfig config) {
      this.source = source;
      this.bypass = bypass;
      this.config = config;
    }

    @Override
    public @Nullable ProcessorPart read() {
      ProcessorPart part = source.read();
      while (part != null && config.isReserved(part.substreamName())) {
        bypass.emit(part);
        part = source.read();
      }
      return part;
    }
  }

  /** Sends reserved parts to {@code bypass}, the rest to {@code next}. */
  record CapturingSink(PartSink next, PartSink bypass, RunConfig config) implements PartSink {
    @Override
    public void emit(ProcessorPart part) {
      (config.isReserved(part.substreamName()) ? bypass : next).emit(part);
    }
  }
}
