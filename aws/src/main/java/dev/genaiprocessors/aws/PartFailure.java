package dev.genaiprocessors.aws;

import dev.genaiprocessors.ErrorStrategies;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.ProcessorPart;

/**
 * What {@link Comprehend} does with a part it cannot analyse (an empty text, a text over the limit,
 * a service error for that text): the core's {@link ErrorStrategies}, chosen per processor because
 * Comprehend batches parts and so cannot be decorated part by part.
 */
public enum PartFailure {
  /** The run fails with the part's exception, after every earlier part was emitted. */
  FAIL,
  /**
   * An error part ({@link ErrorStrategies#errorPart}) takes the part's place; the other parts go
   * on.
   */
  EMIT_ERROR_PART,
  /** The part goes on unanalysed, followed by an error part; the other parts go on. */
  PASS_THROUGH;

  /** Does with {@code part}, which failed with {@code failure}, what this constant says. */
  void handle(ProcessorPart part, RuntimeException failure, PartSink out) {
    switch (this) {
      case FAIL -> throw failure;
      case EMIT_ERROR_PART -> out.emit(ErrorStrategies.errorPart(failure));
      case PASS_THROUGH -> {
        out.emit(part);
        out.emit(ErrorStrategies.errorPart(failure));
      }
    }
  }
}
