/**
 * The {@code queue} module's broker on NATS JetStream: {@link dev.genaiprocessors.nats.NatsBroker}
 * is a {@link dev.genaiprocessors.queue.Broker} that the queue module's {@code QueuePublisher},
 * {@code Worker} and {@code RemoteStage} run on unchanged.
 *
 * <p>Each destination is a durable JetStream stream with work-queue retention, consumed through one
 * durable pull consumer that every worker shares; message ids travel as {@code Nats-Msg-Id}, so the
 * stream drops a message published twice; messages that reach the delivery limit are announced by
 * JetStream's {@code MAX_DELIVERIES} advisory and moved to the dead-letter destination. {@code
 * NatsBroker}'s Javadoc says how names, headers and timing map onto NATS.
 */
@NullMarked
package dev.genaiprocessors.nats;

import org.jspecify.annotations.NullMarked;
