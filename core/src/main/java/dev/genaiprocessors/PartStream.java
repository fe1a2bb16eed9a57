package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The input of a {@link Processor}: a single-use, blocking sequence of parts.
 *
 * <p>Read it with a plain loop; each step waits for the next part to arrive:
 *
 * <pre>{@code
 * for (ProcessorPart part : input) {
 *   output.emit(part.withRole("model"));
 * }
 * }</pre>
 *
 * <p>Reading blocks on the processor's own virtual thread and is interruptible: when the run is
 * cancelled, reading throws {@link java.util.concurrent.CancellationException}. A processor may
 * stop reading early; the parts it did not read are discarded and whoever produces them is told to
 * stop.
 */
public interface PartStream extends Iterable<ProcessorPart> {
  /**
   * The next part, waiting for it if need be, or {@code null} once the stream has ended.
   *
   * @throws java.util.concurrent.CancellationException when the run was cancelled
   */
  @Nullable ProcessorPart read();

  /**
   * An iterator over the remaining parts. The stream is single-use: every iterator reads from the
   * same position.
   */
  @Override
  default Iterator<ProcessorPart> iterator() {
    return new Iterator<>() {
      private @Nullable ProcessorPart next;
      private boolean ended;

      @Override
      public boolean hasNext() {
        if (next == null && !ended) {
          next = read();
          ended = next == null;
        }
        return next != null;
      }

      @Override
      public ProcessorPart next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ProcessorPart part = Objects.requireNonNull(next); // hasNext() found one
        next = null;
        return part;
      }
    };
  }

  /** The remaining parts as a sequential {@link Stream}. */
  default Stream<ProcessorPart> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /** Reads every remaining part into a content. */
  default ProcessorContent gather() {
    List<ProcessorPart> parts = new ArrayList<>();
    for (ProcessorPart part = read(); part != null; part = read()) {
      parts.add(part);
    }
    return ProcessorContent.ofParts(parts);
  }

  /** A stream over the parts of {@code content}, in order. */
  static PartStream of(Iterable<ProcessorPart> content) {
    if (content instanceof ProcessorContent parts) {
      return new Inputs.OfParts(parts.parts());
    }
    if (content instanceof List<ProcessorPart> list && list instanceof RandomAccess) {
      return new Inputs.OfParts(list);
    }
    Iterator<ProcessorPart> it = content.iterator();
    return () -> it.hasNext() ? it.next() : null;
  }
}
