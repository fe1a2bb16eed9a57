package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The processor behind {@link Streams#merge}: it ignores its own (empty) input and copies each of
 * its streams into its output, one thread per stream, interleaved by arrival. Run by a {@link
 * ProcessorStream}, which thereby owns the producer threads: reading the merged stream to its end
 * joins them, closing it early cancels them. The merge owns its input streams and closes those that
 * are {@link AutoCloseable} once its producers have stopped.
 *
 * <p>{@link #merge} is the engine, shared with {@link Source#toProcessor(boolean)}.
 */
final class MergeProcessor implements Processor {
  static final String NAME = "merge";

  private final List<PartStream> inputs;
  private final boolean stopOnFirst;

  MergeProcessor(List<PartStream> inputs, boolean stopOnFirst) {
    this.inputs = List.copyOf(inputs);
    this.stopOnFirst = stopOnFirst;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void call(PartStream ignored, PartSink output) throws Exception {
    List<Source> producers = new ArrayList<>(inputs.size());
    for (PartStream input : inputs) {
      producers.add(copying(NAME, input));
    }
    Throwable failure = null;
    try {
      merge(NAME, producers, output, stopOnFirst);
    } catch (Throwable e) {
      failure = e;
      throw e;
    } finally {
      Streams.closeAll(NAME, inputs, failure);
    }
  }

  /** A source that copies {@code stream} into its output; it fails under {@code name}. */
  static Source copying(String name, PartStream stream) {
    return Source.named(
        name,
        output -> {
          for (ProcessorPart part = stream.read(); part != null; part = stream.read()) {
            output.emit(part);
          }
        });
  }

  /**
   * Runs every producer on a thread of its own, in a scope closed before this returns, all emitting
   * into {@code output} (which must accept emits from several threads, as the runtime's sinks do).
   *
   * <p>A producer ending by cancellation merely ends. With {@code stopOnFirst}, the first producer
   * to end, however it ends, stops the others: they are interrupted and anything they emit from
   * then on is refused. A producer's failure cancels the others and is thrown once they have all
   * stopped, named after the producer ({@link Stages#failure}): unchanged if unchecked, in a {@link
   * ProcessorException} if checked.
   *
   * @throws RuntimeException when a producer failed
   * @throws CancellationException when the calling thread is interrupted (the producers are stopped
   *     first)
   */
  static void merge(String name, List<Source> producers, PartSink output, boolean stopOnFirst) {
    if (producers.isEmpty()) {
      return;
    }
    AtomicBoolean stopped = new AtomicBoolean();
    PartSink gated =
        part -> {
          if (stopped.get()) {
            throw new CancellationException(name + " ended: one of its inputs ended first");
          }
          output.emit(part);
        };
    try (Scope scope = new Scope()) {
      for (Source producer : producers) {
        scope.fork(producer.name(), () -> produce(producer, gated, stopped, stopOnFirst, scope));
      }
      try {
        scope.joinAndRethrow(name);
      } catch (InterruptedException e) {
        throw Scope.cancelledWhileJoining(scope, e);
      }
    }
  }

  private static void produce(
      Source producer, PartSink output, AtomicBoolean stopped, boolean stopOnFirst, Scope scope)
      throws Exception {
    @Nullable Throwable failure = null;
    try {
      producer.generate(output);
    } catch (Throwable e) {
      failure = e;
    }
    boolean first = stopOnFirst && stopped.compareAndSet(false, true);
    // A producer still running when the merge stopped may answer the interrupt with anything (say,
    // an I/O error wrapping it): that is how it took being stopped, not a failure of the merge.
    boolean stoppedBefore = !first && stopOnFirst && stopped.get();
    if (failure == null
        || scope.isCancellation(failure)
        || (stoppedBefore && !(failure instanceof Error))) {
      if (first) {
        scope.cancel();
      }
      return;
    }
    // The scope records the failure and cancels the other producers.
    throw Stages.named(producer.name(), failure);
  }
}
