package dev.genaiprocessors;

import java.util.List;
import java.util.concurrent.CancellationException;

/** Runs one processor as a stage of the current run, telling the run's interceptors. */
final class Stages {
  private Stages() {}

  static void run(Processor processor, PartStream input, PartSink output, boolean root)
      throws Exception {
    RunContext context = RunContext.current();
    if (!context.intercepted) {
      NamedProcessor.unwrap(processor).call(input, output);
      return;
    }
    List<ProcessorInterceptor> interceptors = context.config.interceptors();
    ProcessorInterceptor.Stage stage =
        new ProcessorInterceptor.Stage(context.runId, processor.name(), root);
    for (ProcessorInterceptor i : interceptors) {
      i.onStart(stage);
    }
    try {
      processor.call(input, new ObservedSink(stage, output, interceptors));
    } catch (Throwable e) {
      boolean cancelled =
          e instanceof CancellationException
              || (e instanceof InterruptedException)
              || (e instanceof ProcessorException && Thread.currentThread().isInterrupted());
      for (ProcessorInterceptor i : interceptors) {
        if (cancelled) {
          i.onCancel(stage);
        } else {
          i.onError(stage, e instanceof ProcessorException && e.getCause() != null ? e.getCause() : e);
        }
      }
      throw e;
    }
    for (ProcessorInterceptor i : interceptors) {
      i.onEnd(stage);
    }
  }

  /**
   * {@code error} ready to leave a stage's thread: cancellations stay as they are (they end the
   * stage quietly), anything else names the stage.
   */
  static Exception named(String stageName, Throwable error) {
    if (error instanceof CancellationException || error instanceof InterruptedException) {
      return (Exception) error;
    }
    if (error instanceof Error fatal) {
      throw fatal;
    }
    return ProcessorException.wrap(stageName, error);
  }

  private static final class ObservedSink implements PartSink {
    private final ProcessorInterceptor.Stage stage;
    private final PartSink delegate;
    private final List<ProcessorInterceptor> interceptors;
    private final java.util.concurrent.atomic.AtomicBoolean first =
        new java.util.concurrent.atomic.AtomicBoolean(true);

    ObservedSink(ProcessorInterceptor.Stage stage, PartSink delegate, List<ProcessorInterceptor> interceptors) {
      this.stage = stage;
      this.delegate = delegate;
      this.interceptors = interceptors;
    }

    @Override
    public void emit(ProcessorPart part) {
      if (first.get() && first.compareAndSet(true, false)) {
        for (ProcessorInterceptor i : interceptors) {
          i.onFirstPart(stage, part);
        }
      }
      for (ProcessorInterceptor i : interceptors) {
        i.onPart(stage, part);
      }
      delegate.emit(part);
    }
  }
}
