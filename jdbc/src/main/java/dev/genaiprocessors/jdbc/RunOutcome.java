package dev.genaiprocessors.jdbc;

/** How a stored run ended, as its run row records it. */
public enum RunOutcome {
  /** The run has started and not ended (or its process died before it could say). */
  RUNNING,
  /** The processor read its input and returned normally. */
  SUCCEEDED,
  /** The processor threw, or storing the run failed; the run row's error text says why. */
  FAILED,
  /** The run was cancelled: its caller closed the stream early, or another stage failed. */
  CANCELLED;

  /** The value stored in the {@code outcome} column. */
  String column() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static RunOutcome ofColumn(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
