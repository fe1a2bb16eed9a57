package dev.genaiprocessors;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The stream behind {@link Streams#concat}: reads its inputs one after another on the reader's own
 * thread, so a later input is not touched while an earlier one still has parts. It owns its inputs:
 * each {@link AutoCloseable} input is closed when it ends, and {@link #close()} closes those not
 * yet closed (a lazy input such as a {@link ProcessorStream} that was never read then never
 * starts).
 */
final class ConcatStream implements PartStream, AutoCloseable {
  static final String NAME = "concat";

  private final List<PartStream> inputs;
  private final AtomicBoolean[] closed;
  private int current;

  ConcatStream(List<PartStream> inputs) {
    this.inputs = List.copyOf(inputs);
    this.closed = new AtomicBoolean[this.inputs.size()];
    for (int i = 0; i < closed.length; i++) {
      closed[i] = new AtomicBoolean();
    }
  }

  @Override
  public @Nullable ProcessorPart read() {
    while (current < inputs.size()) {
      if (closed[current].get()) {
        throw new CancellationException("this concatenated stream was closed");
      }
      ProcessorPart part = inputs.get(current).read();
      if (part != null) {
        return part;
      }
      closeInput(current);
      current++;
    }
    return null;
  }

  /** Closes every input not yet closed. Idempotent; may be called from any thread. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (int i = 0; i < inputs.size(); i++) {
      try {
        closeInput(i);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void closeInput(int index) {
    if (closed[index].compareAndSet(false, true)) {
      Streams.closeAll(NAME, List.of(inputs.get(index)), null);
    }
  }
}
