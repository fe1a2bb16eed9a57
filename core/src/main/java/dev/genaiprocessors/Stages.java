package dev.genaiprocessors;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;
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
        Observation observation = new Observation(stage, interceptors);
        try {
          processor.call(
              new ObservedStream(observation, input), new ObservedSink(observation, output));
        } finally {
          try {
            observation.flush();
          } finally {
            binding.close();
          }
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
   * How one stage's parts reach the interceptors: told one by one to those whose {@link
   * ProcessorInterceptor#partsToReport} chose the part, counted for the rest. Every part of an
   * observed run passes here twice per stage (read and emitted), so the default choice of every
   * part skips its predicate, and counting is a plain increment on the counting thread's own
   * counters, reported in batches: the stage's own thread has counters, and so do the first {@value
   * #HELPERS} other threads that read or emit for the stage (a chain's input is read by its first
   * member's thread and its output emitted by its last member's). Any further thread reports each
   * part as it goes.
   */
  static final class Observation {
    /** How many parts of one interceptor a thread counts before reporting them. */
    static final int BATCH = 4096;

    /** How many threads besides the stage's own count parts in plain fields. */
    static final int HELPERS = 2;

    private final ProcessorInterceptor.Stage stage;
    private final ProcessorInterceptor[] interceptors;
    // null where the interceptor takes every part one by one
    private final @Nullable Predicate<ProcessorPart>[] choices;
    private final Thread owner;
    private final Counts ownCounts;
    private final AtomicReferenceArray<Thread> helpers = new AtomicReferenceArray<>(HELPERS);
    private final Counts[] helperCounts = new Counts[HELPERS];
    private final AtomicBoolean first = new AtomicBoolean(true);
    // A plain copy of "first was told", read first: most emits then skip the atomic.
    private boolean firstTold;

    /** One thread's counts not yet reported, per interceptor; touched by that thread only. */
    private static final class Counts {
      final long[] inputs;
      final long[] outputs;

      Counts(int size) {
        inputs = new long[size];
        outputs = new long[size];
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type
    Observation(ProcessorInterceptor.Stage stage, List<ProcessorInterceptor> interceptors) {
      this.stage = stage;
      this.interceptors = interceptors.toArray(new ProcessorInterceptor[0]);
      int size = this.interceptors.length;
      this.choices = new Predicate[size];
      for (int k = 0; k < size; k++) {
        Predicate<ProcessorPart> choice = this.interceptors[k].partsToReport(stage);
        choices[k] = choice == ProcessorInterceptor.EVERY_PART ? null : choice;
      }
      this.owner = Thread.currentThread();
      this.ownCounts = new Counts(size);
      for (int h = 0; h < HELPERS; h++) {
        helperCounts[h] = new Counts(size);
      }
    }

    /**
     * The calling thread's counters, claiming a free helper's if it has none; null if none left.
     */
    private @Nullable Counts counts() {
      Thread thread = Thread.currentThread();
      if (thread == owner) {
        return ownCounts;
      }
      for (int h = 0; h < HELPERS; h++) {
        Thread helper = helpers.get(h);
        if (helper == thread || (helper == null && helpers.compareAndSet(h, null, thread))) {
          return helperCounts[h];
        }
      }
      return null;
    }

    void read(ProcessorPart part) {
      ProcessorInterceptor[] all = interceptors;
      Counts counts = null;
      for (int k = 0; k < all.length; k++) {
        Predicate<ProcessorPart> choice = choices[k];
        if (choice == null || choice.test(part)) {
          all[k].onInput(stage, part);
          continue;
        }
        if (counts == null && (counts = counts()) == null) {
          all[k].onCounts(stage, 1, 0);
        } else if (++counts.inputs[k] >= BATCH) {
          report(counts, k);
        }
      }
    }

    void emitted(ProcessorPart part) {
      ProcessorInterceptor[] all = interceptors;
      if (!firstTold) {
        if (first.get() && first.compareAndSet(true, false)) {
          for (ProcessorInterceptor i : all) {
            i.onFirstPart(stage, part);
          }
        }
        firstTold = true;
      }
      Counts counts = null;
      for (int k = 0; k < all.length; k++) {
        Predicate<ProcessorPart> choice = choices[k];
        if (choice == null || choice.test(part)) {
          all[k].onPart(stage, part);
          continue;
        }
        if (counts == null && (counts = counts()) == null) {
          all[k].onCounts(stage, 0, 1);
        } else if (++counts.outputs[k] >= BATCH) {
          report(counts, k);
        }
      }
    }

    private void report(Counts counts, int k) {
      long in = counts.inputs[k];
      long out = counts.outputs[k];
      counts.inputs[k] = 0;
      counts.outputs[k] = 0;
      if (in != 0 || out != 0) {
        interceptors[k].onCounts(stage, in, out);
      }
    }

    /**
     * Reports every count not reported yet. Called on the stage's own thread once its processor has
     * returned, when the threads that worked for the stage have ended (a stage joins the threads it
     * starts), so their counters are read after their last write.
     */
    void flush() {
      for (int k = 0; k < interceptors.length; k++) {
        report(ownCounts, k);
        for (Counts counts : helperCounts) {
          report(counts, k);
        }
      }
    }
  }

  /** A stage's input, telling its observation of every part the stage reads. */
  private record ObservedStream(Observation observation, PartStream delegate)
      implements PartStream {
    @Override
    public @Nullable ProcessorPart read() {
      ProcessorPart part = delegate.read();
      if (part != null) {
        observation.read(part);
      }
      return part;
    }
  }

  /** A stage's output, telling its observation of every part the stage emits. */
  private record ObservedSink(Observation observation, PartSink delegate) implements PartSink {
    @Override
    public void emit(ProcessorPart part) {
      observation.emitted(part);
      delegate.emit(part);
    }
  }
}
