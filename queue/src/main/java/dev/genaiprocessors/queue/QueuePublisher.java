package dev.genaiprocessors.queue;

import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.ProcessorPart;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Publishes each part to a destination and emits a tracking part for it: the Python seed's {@code
 * MessageQueueProcessor}, fire and forget with proof of delivery.
 *
 * <pre>{@code
 * Processor ingest = parse.then(QueuePublisher.to(broker, QueueSpec.of("documents")));
 * for (ProcessorPart tracking : ingest.apply(files)) {
 *   log.info("queued {}", tracking.metadata(QueuePublisher.MESSAGE_ID));
 * }
 * }</pre>
 *
 * <p>Each part is published as part JSON ({@link PartJson}) under a new message id. Its tracking
 * part, a JSON part {@code {"message_id": ..., "destination": ..., "status": "queued"}} with the
 * same three entries in its metadata, is emitted <b>only after the broker confirmed</b> the
 * message; a publish the broker did not confirm fails the run with a {@link QueueException}.
 *
 * <p>Parts are published concurrently (up to the run's {@code maxConcurrency}), so their order in
 * the destination can differ from input order, while the tracking parts come out in input order;
 * {@code toProcessor(1)} publishes one at a time, in order.
 */
public final class QueuePublisher implements PartProcessor {
  /** The tracking part's key for the message id. */
  public static final String MESSAGE_ID = "message_id";

  /** The tracking part's key for the destination. */
  public static final String DESTINATION = "destination";

  /** The tracking part's key for the status. */
  public static final String STATUS = "status";

  /** The status of a message the broker confirmed. */
  public static final String QUEUED = "queued";

  private final Broker broker;
  private final QueueSpec spec;
  private final Supplier<String> ids;

  private QueuePublisher(Broker broker, QueueSpec spec, Supplier<String> ids) {
    this.broker = broker;
    this.spec = spec;
    this.ids = ids;
  }

  /**
   * A publisher to {@code spec}'s destination, which it declares now.
   *
   * @throws QueueException when the broker refuses the declaration
   */
  public static QueuePublisher to(Broker broker, QueueSpec spec) {
    return to(broker, spec, () -> UUID.randomUUID().toString());
  }

  /**
   * A publisher to {@code spec}'s destination whose message ids come from {@code ids} (each must be
   * new; a broker that suppresses duplicates by id drops a repeated one).
   */
  public static QueuePublisher to(Broker broker, QueueSpec spec, Supplier<String> ids) {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(ids, "ids");
    broker.declare(spec);
    return new QueuePublisher(broker, spec, ids);
  }

  @Override
  public void call(ProcessorPart part, PartSink output) throws Exception {
    String id = ids.get();
    broker.publish(spec.name(), Message.of(id, PartJson.toJsonBytes(part)));
    Map<String, Object> tracking = new LinkedHashMap<>();
    tracking.put(MESSAGE_ID, id);
    tracking.put(DESTINATION, spec.name());
    tracking.put(STATUS, QUEUED);
    output.emit(ProcessorPart.json(tracking).withMetadata(tracking));
  }

  @Override
  public String name() {
    return "QueuePublisher(" + spec.name() + ")";
  }
}
