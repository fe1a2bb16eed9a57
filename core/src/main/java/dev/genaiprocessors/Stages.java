package dev.genaiprocessors;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** Runs one processor as a stage of the current run, telling the run's interceptors. */
final class Stages {
  private Stages() {}

  private static final AtomicLong STAGE_IDS = new AtomicLong();

  static void run(Processor processor, PartStream input, PartSink output, boolean root)
      throws Exception {
    RunContext context = RunContext.current();
    if (!context.intercepted) {
      NamedProcessor.unwrap(processor).call(input, output);
      return;
    }
    runOpened(context, open(context, processor.name(), root), processor, input, output);
  }

  /**
   * Numbers a new stage of {@code context}'s run, inside the stage {@code context} works for, and
   * tells the interceptors it starts.
   */
  static ProcessorInterceptor.Stage open(RunContext context, String name, boolean root) {
    ProcessorInterceptor.Stage stage =
        new ProcessorInterceptor.Stage(
            context.runId, STAGE_IDS.incrementAndGet(), name, root, context.stage);
    for (ProcessorInterceptor i : context.config.interceptors()) {
      i.onStart(stage);
    }
    return stage;
  }

  /**
   * Runs {@code processor} as the opened {@code stage}: on this thread the run's context names the
   * stage and the interceptors' bindings hold while it runs; its input and output are observed; its
   * end, failure or cancellation is told.
   */
  static void runOpened(
      RunContext context,
      ProcessorInterceptor.Stage stage,
      Processor processor,
      PartStream input,
      PartSink output)
      throws Exception {
    List<ProcessorInterceptor> interceptors = context.config.interceptors();
    RunContext previous = RunContext.current();
    try {
      RunContext.set(context.within(stage));
      try {
        ProcessorInterceptor.Binding binding = bind(interceptors, stage);
        try {
          processor.call(
              new ObservedStream(stage, input, interceptors),
              new ObservedSink(stage, output, interceptors));
        } finally {
          binding.close();
        }
      } finally {
        RunContext.set(previous);
      }
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

  /** Tells the interceptors that {@code stage}, opened but never run, was cancelled. */
  static void cancelOpened(RunContext context, ProcessorInterceptor.Stage stage) {
    for (ProcessorInterceptor i : context.config.interceptors()) {
      i.onCancel(stage);
    }
  }

  /** Every interceptor's binding of {@code stage} to this thread, undone in reverse order. */
  static ProcessorInterceptor.Binding bind(
      List<ProcessorInterceptor> interceptors, ProcessorInterceptor.Stage stage) {
    if (interceptors.size() == 1) {
      return interceptors.get(0).bind(stage);
    }
    ProcessorInterceptor.Binding[] bindings = new ProcessorInterceptor.Binding[interceptors.size()];
    int bound = 0;
    try {
      for (ProcessorInterceptor i : interceptors) {
        bindings[bound] = i.bind(stage);
        bound++;
      }
    } catch (RuntimeException | Error e) {
      unbind(bindings, bound);
      throw e;
    }
    int count = bound;
    return () -> unbind(bindings, count);
  }

  private static void unbind(ProcessorInterceptor.Binding[] bindings, int count) {
    for (int k = count - 1; k >= 0; k--) {
      bindings[k].close();
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

  /**
   * A stage's input, telling the interceptors of every part the stage reads. Every part of an
   * observed run passes here once per stage, so the interceptors are an array and the usual single
   * one is called directly.
   */
  private static final class ObservedStream implements PartStream {
    private final ProcessorInterceptor.Stage stage;
    private final PartStream delegate;
    private final ProcessorInterceptor @Nullable [] many;
    private final ProcessorInterceptor one;

    ObservedStream(
        ProcessorInterceptor.Stage stage,
        PartStream delegate,
        List<ProcessorInterceptor> interceptors) {
      this.stage = stage;
      this.delegate = delegate;
      this.one = interceptors.get(0);
      this.many =
          interceptors.size() == 1 ? null : interceptors.toArray(new ProcessorInterceptor[0]);
    }

    @Override
    public @Nullable ProcessorPart read() {
      ProcessorPart part = delegate.read();
      if (part != null) {
        ProcessorInterceptor[] all = many;
        if (all == null) {
          one.onInput(stage, part);
        } else {
          for (ProcessorInterceptor i : all) {
            i.onInput(stage, part);
          }
        }
      }
      return part;
    }
  }

  /** A stage's output, telling the interceptors of every part the stage emits; see above. */
  private static final class ObservedSink implements PartSink {
    private final ProcessorInterceptor.Stage stage;
    private final PartSink delegate;
    private final ProcessorInterceptor @Nullable [] many;
    private final ProcessorInterceptor one;
    private final java.util.concurrent.atomic.AtomicBoolean first =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    // A plain copy of "first was told", read first: most emits then skip the atomic.
    private boolean firstTold;

    ObservedSink(
        ProcessorInterceptor.Stage stage,
        PartSink delegate,
        List<ProcessorInterceptor> interceptors) {
      this.stage = stage;
      this.delegate = delegate;
      this.one = interceptors.get(0);
      this.many =
          interceptors.size() == 1 ? null : interceptors.toArray(new ProcessorInterceptor[0]);
    }

    @Override
    public void emit(ProcessorPart part) {
      ProcessorInterceptor[] all = many;
      if (!firstTold) {
        if (first.get() && first.compareAndSet(true, false)) {
          if (all == null) {
            one.onFirstPart(stage, part);
          } else {
            for (ProcessorInterceptor i : all) {
              i.onFirstPart(stage, part);
            }
          }
        }
        firstTold = true;
      }
      if (all == null) {
        one.onPart(stage, part);
      } else {
        for (ProcessorInterceptor i : all) {
          i.onPart(stage, part);
        }
      }
      delegate.emit(part);
    }
  }
}
