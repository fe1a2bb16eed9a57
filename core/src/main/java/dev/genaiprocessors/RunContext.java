package dev.genaiprocessors;

import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The run a thread works for: its {@link RunConfig}, and in an observed run the stage the thread
 * works for. {@link Scope#fork} hands it from the forking thread to the forked one, so every stage
 * of a run sees the same settings, and every thread started inside a stage knows that stage.
 */
final class RunContext {
  private static final AtomicLong RUN_IDS = new AtomicLong();
  private static final ThreadLocal<@Nullable RunContext> CURRENT = new ThreadLocal<>();

  /**
   * The context of threads outside any run, and of unobserved runs with the default settings: one
   * shared instance for the present defaults, replaced when {@link RunConfig#setDefaults} changes
   * them.
   */
  private static volatile RunContext outside = new RunContext(RunConfig.defaults(), 0, null, false);

  final RunConfig config;
  final boolean intercepted;
  final long runId;

  /**
   * In an observed run, the stage this thread works for; for a run's own context before its root
   * stage starts, the stage whose thread started the run. {@code null} otherwise.
   */
  final ProcessorInterceptor.@Nullable Stage stage;

  /** False only for the shared context of threads outside any run. */
  final boolean inRun;

  private RunContext(
      RunConfig config, long runId, ProcessorInterceptor.@Nullable Stage stage, boolean inRun) {
    this.config = config;
    this.intercepted = inRun && !config.interceptors().isEmpty();
    this.runId = runId;
    this.stage = stage;
    this.inRun = inRun;
  }

  /** The current thread's run, or the context of threads outside any run. */
  static RunContext current() {
    RunContext context = CURRENT.get();
    return context == null ? outside() : context;
  }

  // The defaults by identity: the shared context belongs to one RunConfig instance.
  @SuppressWarnings("ReferenceEquality")
  private static RunContext outside() {
    RunContext shared = outside;
    RunConfig defaults = RunConfig.defaults();
    if (shared.config != defaults) {
      shared = new RunContext(defaults, 0, null, false);
      outside = shared;
    }
    return shared;
  }

  static void set(RunContext context) {
    CURRENT.set(context);
  }

  /**
   * Makes {@code context} current on a new thread. The shared context needs no thread-local entry
   * (an absent one means it), which keeps idle threads of unobserved default runs small.
   */
  static void enter(RunContext context) {
    if (context.inRun) {
      CURRENT.set(context);
    }
  }

  /**
   * The context for a new run with {@code config} started inside {@code enclosing} (a stage, or
   * null): the shared one when nothing differs from the defaults and nobody observes the run.
   */
  // The shared defaults by identity: a config built equal by hand still gets a context of its own.
  @SuppressWarnings("ReferenceEquality")
  static RunContext forRun(RunConfig config, ProcessorInterceptor.@Nullable Stage enclosing) {
    if (config == RunConfig.defaults() && config.interceptors().isEmpty()) {
      return outside();
    }
    return new RunContext(config, RUN_IDS.incrementAndGet(), enclosing, true);
  }

  /** This run's context on a thread working for {@code stage}. */
  RunContext within(ProcessorInterceptor.Stage stage) {
    return new RunContext(config, runId, stage, true);
  }
}
