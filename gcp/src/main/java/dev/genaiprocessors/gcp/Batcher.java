package dev.genaiprocessors.gcp;

import dev.genaiprocessors.ErrorStrategies;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.ProcessorPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * The machinery of the batched processors: reads the input, groups the parts the service takes into
 * batches within a count and a weight limit, calls the service once a batch, and emits every part
 * in input order, the service's results in place of the batched parts.
 *
 * <p>A batch is sent when it is full, when the next part would not fit, when the next part needs
 * another kind of batch ({@link Service#batchKey}), at an end-of-turn part and at the end of the
 * input. Parts the service does not take wait behind the batch in front of them, so order is kept;
 * at most {@link #maxPending} parts are held, so memory is bounded whatever the input.
 */
final class Batcher {

  /** A part with its position in the input stream. */
  record Item(long index, ProcessorPart part) {}

  /** What one batched part became: the parts to emit, or a failure. */
  sealed interface Outcome {
    record Parts(List<ProcessorPart> parts) implements Outcome {
      public Parts {
        parts = List.copyOf(parts);
      }
    }

    record Failed(RuntimeException error) implements Outcome {}
  }

  /** One service, as the batcher sees it. */
  interface Service {
    /** Whether the service takes this part (the others pass through). */
    boolean takes(ProcessorPart part);

    /** Why this part cannot be sent (an exception naming it), or null when it can. */
    @Nullable RuntimeException reject(Item item);

    /** The part's weight against {@code maxWeight} (code points, bytes). */
    long weight(ProcessorPart part);

    /** Parts with different keys never share a batch. */
    default Object batchKey(ProcessorPart part) {
      return "";
    }

    /**
     * One outcome per item, in order. Throws when the whole call failed; the batcher then fails
     * every item of the batch with that exception.
     */
    List<Outcome> call(List<Item> batch) throws Exception;

    /** The failure of a whole batch, as the exception to report (naming the batch's parts). */
    RuntimeException failure(List<Item> batch, Exception error);
  }

  private sealed interface Slot {
    record Pass(ProcessorPart part) implements Slot {}

    record Bad(Item item, RuntimeException error) implements Slot {}

    record Batched(Item item) implements Slot {}
  }

  private final Service service;
  private final int maxParts;
  private final long maxWeight;
  private final int maxPending;
  private final GcpErrorStrategy strategy;

  Batcher(Service service, int maxParts, long maxWeight, GcpErrorStrategy strategy) {
    this.service = service;
    this.maxParts = maxParts;
    this.maxWeight = maxWeight;
    this.maxPending = 4 * maxParts + 64;
    this.strategy = strategy;
  }

  void run(PartStream input, PartSink output) throws Exception {
    List<Slot> pending = new ArrayList<>();
    List<Item> batch = new ArrayList<>();
    long weight = 0;
    @Nullable Object key = null;
    long index = 0;
    for (ProcessorPart part = input.read(); part != null; part = input.read(), index++) {
      if (part.isEndOfTurn() || !service.takes(part)) {
        pending.add(new Slot.Pass(part));
        if (part.isEndOfTurn() || pending.size() >= maxPending) {
          flush(pending, batch, output);
          weight = 0;
        }
        continue;
      }
      Item item = new Item(index, part);
      RuntimeException bad = service.reject(item);
      if (bad != null) {
        pending.add(new Slot.Bad(item, bad));
        if (pending.size() >= maxPending) {
          flush(pending, batch, output);
          weight = 0;
        }
        continue;
      }
      long w = service.weight(part);
      Object k = service.batchKey(part);
      if (!batch.isEmpty()
          && (batch.size() >= maxParts || weight + w > maxWeight || !k.equals(key))) {
        flush(pending, batch, output);
        weight = 0;
      }
      pending.add(new Slot.Batched(item));
      batch.add(item);
      weight += w;
      key = k;
      if (batch.size() >= maxParts || pending.size() >= maxPending) {
        flush(pending, batch, output);
        weight = 0;
      }
    }
    flush(pending, batch, output);
  }

  /** Calls the service for {@code batch}, emits every pending slot in order, clears both. */
  private void flush(List<Slot> pending, List<Item> batch, PartSink output) throws Exception {
    List<Outcome> outcomes = List.of();
    RuntimeException batchFailure = null;
    if (!batch.isEmpty()) {
      try {
        outcomes = service.call(List.copyOf(batch));
        if (outcomes.size() != batch.size()) {
          throw new IllegalStateException(
              "the service answered "
                  + outcomes.size()
                  + " results for "
                  + batch.size()
                  + " parts");
        }
      } catch (Exception e) {
        rethrowIfCancelled(e);
        batchFailure = service.failure(batch, e);
      }
    }
    int next = 0;
    for (Slot slot : pending) {
      switch (slot) {
        case Slot.Pass pass -> output.emit(pass.part());
        case Slot.Bad bad -> failed(bad.item(), bad.error(), output);
        case Slot.Batched batched -> {
          Outcome outcome =
              batchFailure != null ? new Outcome.Failed(batchFailure) : outcomes.get(next);
          next++;
          switch (outcome) {
            case Outcome.Parts parts -> output.emitAll(parts.parts());
            case Outcome.Failed f -> failed(batched.item(), f.error(), output);
          }
        }
      }
    }
    pending.clear();
    batch.clear();
  }

  private void failed(Item item, RuntimeException error, PartSink output) {
    switch (strategy) {
      case FAIL -> throw error;
      case PASS_THROUGH -> {
        output.emit(item.part());
        output.emit(errorPart(error, item.index()));
      }
      case EMIT_ERROR_PART -> output.emit(errorPart(error, item.index()));
    }
  }

  static ProcessorPart errorPart(Throwable error, long index) {
    ProcessorPart part = errorPart(error);
    return index < 0 ? part : part.withMetadata("gcp_part", index);
  }

  static ProcessorPart errorPart(Throwable error) {
    ProcessorPart part = ErrorStrategies.errorPart(error);
    if (error instanceof GcpException gcp) {
      part = part.withMetadata("gcp_status", gcp.status());
    }
    return part;
  }

  static void rethrowIfCancelled(Exception e) throws Exception {
    if (e instanceof InterruptedException
        || e instanceof CancellationException
        || Thread.currentThread().isInterrupted()) {
      throw e;
    }
  }

  /** {@code "#3"} or {@code "#3-#7"}: the input positions of a batch's parts. */
  static String positions(List<Item> batch) {
    Objects.requireNonNull(batch, "batch");
    long first = batch.get(0).index();
    long last = batch.get(batch.size() - 1).index();
    return first == last ? "#" + first : "#" + first + "-#" + last;
  }
}
