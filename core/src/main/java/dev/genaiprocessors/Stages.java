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
              || (leftAStage(e) && Thread.currentThread().isInterrupted());
      for (ProcessorInterceptor i : interceptors) {
        if (cancelled) {
          i.onCancel(stage);
        } else {
          i.onError(
              stage, e instanceof ProcessorException && e.getCause() != null ? e.getCause() : e);
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
   * stage quietly); an unchecked exception stays itself, with the stage named in its suppressed
   * {@link StageTrace}; an {@code Error} likewise, and is thrown from here; a checked exception is
   * wrapped in a {@link ProcessorException} naming the stage.
   */
  static Exception named(String stageName, Throwable error) {
    if (error instanceof CancellationException || error instanceof InterruptedException) {
      return (Exception) error;
    }
    return failure(stageName, error);
  }

  /**
   * {@code error} as a run throws it to its caller: itself when unchecked, with {@code stageName}
   * added to its {@link StageTrace} (a {@link ProcessorException}, which names its stage already,
   * and a cancellation get none); wrapped in a {@link ProcessorException} naming {@code stageName}
   * when checked. An {@code Error} is named, then thrown from here.
   */
  static RuntimeException failure(String stageName, Throwable error) {
    if (error instanceof ProcessorException named) {
      return named;
    }
    if (error instanceof CancellationException cancelled) {
      return cancelled;
    }
    if (error instanceof RuntimeException || error instanceof Error) {
      StageTrace.attach(stageName, error);
      if (error instanceof Error fatal) {
        throw fatal;
      }
      return (RuntimeException) error;
    }
    return new ProcessorException(stageName, error);
  }

  /** Whether {@code error} already left a stage (so it is not the current stage's own failure). */
  static boolean leftAStage(Throwable error) {
    return error instanceof ProcessorException || StageTrace.of(error) != null;
  }

  private static final class ObservedSink implements PartSink {
    private final ProcessorInterceptor.Stage stage;
    private final PartSink delegate;
    private final List<ProcessorInterceptor> interceptors;
    private final java.util.concurrent.atomic.AtomicBoolean first =
        new java.util.concurrent.atomic.AtomicBoolean(true);

    ObservedSink(
        ProcessorInterceptor.Stage stage,
        PartSink delegate,
        List<ProcessorInterceptor> interceptors) {
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
