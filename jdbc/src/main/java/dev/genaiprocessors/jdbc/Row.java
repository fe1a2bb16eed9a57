package dev.genaiprocessors.jdbc;

import org.jspecify.annotations.Nullable;

/** A row of one run waiting in the {@link BatchWriter}'s queue. */
abstract sealed class Row permits Row.RunStart, Row.Part, Row.RunEnd {
  /** What a row is, as messages about unsaved rows count them. */
  enum Kind {
    RUN("run row", "run rows"),
    INPUT("input part", "input parts"),
    RESULT("result", "results"),
    RUN_END("end of the run", "ends of the run");

    final String one;
    final String many;

    Kind(String one, String many) {
      this.one = one;
      this.many = many;
    }
  }

  final RunRecorder run;

  /** When the row joined the queue ({@link System#nanoTime()}), for the flush interval. */
  long queuedNanos;

  Row(RunRecorder run) {
    this.run = run;
  }

  abstract Kind kind();

  /**
   * The run's own row, inserted when it starts. While it still waits in the queue, the run's end is
   * written into it rather than sent as an update of its own: a short run costs one row.
   */
  static final class RunStart extends Row {
    final long startedMs;
    // Guarded by the writer's lock until taken; read by the writer only after it took the row.
    boolean taken;
    @Nullable Long endedMs;
    RunOutcome outcome = RunOutcome.RUNNING;
    @Nullable String error;

    RunStart(RunRecorder run, long startedMs) {
      super(run);
      this.startedMs = startedMs;
    }

    @Override
    Kind kind() {
      return Kind.RUN;
    }
  }

  /** An input part or a result. */
  static final class Part extends Row {
    final long seq;
    final Kind kind;
    final @Nullable Long inputSeq;
    final long storedMs;
    final String mimeType;
    final PartRows.Encoded encoded;

    Part(
        RunRecorder run,
        long seq,
        Kind kind,
        @Nullable Long inputSeq,
        long storedMs,
        String mimeType,
        PartRows.Encoded encoded) {
      super(run);
      this.seq = seq;
      this.kind = kind;
      this.inputSeq = inputSeq;
      this.storedMs = storedMs;
      this.mimeType = mimeType;
      this.encoded = encoded;
    }

    @Override
    Kind kind() {
      return kind;
    }
  }

  /** The end of a run whose own row was written already: an update of it. */
  static final class RunEnd extends Row {
    final long endedMs;
    final RunOutcome outcome;
    final @Nullable String error;

    RunEnd(RunRecorder run, long endedMs, RunOutcome outcome, @Nullable String error) {
      super(run);
      this.endedMs = endedMs;
      this.outcome = outcome;
      this.error = error;
    }

    @Override
    Kind kind() {
      return Kind.RUN_END;
    }
  }
}
