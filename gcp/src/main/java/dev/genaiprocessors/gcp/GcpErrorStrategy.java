package dev.genaiprocessors.gcp;

/**
 * What a Google Cloud processor does when a part cannot be processed: the service refused it or
 * failed (a {@link GcpException}), or the part is not valid input (an {@link
 * IllegalArgumentException} naming the part). A batched call that fails affects only the parts of
 * that batch. Cancellation always stops the run, whatever the strategy.
 */
public enum GcpErrorStrategy {
  /** Fail the run with the exception; parts not yet emitted are lost with it. */
  FAIL,

  /** Emit the failed part unchanged, then an error part; the run goes on. */
  PASS_THROUGH,

  /**
   * Emit an error part in place of the failed part; the run goes on. The error part is the core's
   * ({@link dev.genaiprocessors.ErrorStrategies#errorPart}: {@code text/x-exception} on the {@code
   * status} substream, with {@code original_exception}, {@code exception_type} and {@code
   * exception_class}), plus {@code gcp_status} for a {@link GcpException} and {@code gcp_part} (the
   * part's position in the processor's input, from 0) for the batched processors.
   */
  EMIT_ERROR_PART
}
