package dev.genaiprocessors;

import java.util.Objects;

/**
 * Where a processor writes its output parts.
 *
 * <p>{@link #emit} blocks while the next stage's bounded buffer is full, so a fast producer runs at
 * the pace of a slow consumer. When the run is cancelled, or nobody will read the output any more,
 * {@code emit} throws {@link java.util.concurrent.CancellationException}: let it propagate (do not
 * catch and ignore it), and the runtime ends the processor quietly.
 *
 * <p>Sinks given by the runtime are safe to use from several threads.
 */
@FunctionalInterface
public interface PartSink {
  /**
   * Sends {@code part} downstream, waiting for room in the buffer.
   *
   * @throws java.util.concurrent.CancellationException when the run was cancelled or the output is
   *     no longer read
   */
  void emit(ProcessorPart part);

  /** Sends a {@code text/plain} part. */
  default void emit(String text) {
    emit(ProcessorPart.text(text));
  }

  /** Sends every part of {@code parts}, in order. */
  default void emitAll(Iterable<ProcessorPart> parts) {
    Objects.requireNonNull(parts, "parts");
    for (ProcessorPart part : parts) {
      emit(part);
    }
  }
}
