package dev.genaiprocessors;

import org.jspecify.annotations.Nullable;

/**
 * The run a thread works for: its {@link RunConfig}. {@link Scope#fork} hands it from the forking
 * thread to the forked one, so every stage of a run sees the same settings.
 */
final class RunContext {
  private static final java.util.concurrent.atomic.AtomicLong RUN_IDS =
      new java.util.concurrent.atomic.AtomicLong();
  private static final ThreadLocal<@Nullable RunContext> CURRENT = new ThreadLocal<>();
  private static final RunContext DEFAULT = new RunContext(RunConfig.defaults());

  final RunConfig config;
  final boolean intercepted;
  final long runId;

  RunContext(RunConfig config) {
    this.config = config;
    this.intercepted = !config.interceptors().isEmpty();
    this.runId = RUN_IDS.incrementAndGet();
  }

  /** The current thread's run, or a run with the default settings. */
  static RunContext current() {
    RunContext context = CURRENT.get();
    return context == null ? DEFAULT : context;
  }

  static void set(RunContext context) {
    CURRENT.set(context);
  }

  /**
   * Makes {@code context} current on a new thread. The default context needs no thread-local entry
   * (an absent one means the default), which keeps idle threads of default runs small.
   */
  static void enter(RunContext context) {
    if (context != DEFAULT) {
      CURRENT.set(context);
    }
  }

  /** The context for a run with {@code config}: the shared default one when nothing differs. */
  // The shared defaults by identity: a config built equal by hand still gets a context of its own.
  @SuppressWarnings("ReferenceEquality")
  static RunContext forRun(RunConfig config) {
    return config == RunConfig.defaults() ? DEFAULT : new RunContext(config);
  }
}
