/**
 * Message queues and distributed workers: a pipeline stage served by workers behind a broker, with
 * no message lost when a worker dies or the broker restarts.
 *
 * <ul>
 *   <li>{@link dev.genaiprocessors.queue.QueuePublisher} publishes parts and tells when the broker
 *       has them.
 *   <li>{@link dev.genaiprocessors.queue.Worker} runs any processor on the messages of a
 *       destination and publishes its results; it acknowledges a message only after its results are
 *       confirmed, retries with backoff and dead-letters what keeps failing.
 *   <li>{@link dev.genaiprocessors.queue.RemoteStage} sends parts to workers and streams their
 *       results back in input order, so that {@code local.then(remote).then(local)} is one
 *       pipeline.
 * </ul>
 *
 * <p>They work through a {@link dev.genaiprocessors.queue.Broker}: {@link
 * dev.genaiprocessors.queue.InProcessBroker} here, with nothing to install, or RabbitMQ and NATS
 * JetStream from their modules. The {@code Broker}, {@link dev.genaiprocessors.queue.Subscription}
 * and {@link dev.genaiprocessors.queue.Delivery} interfaces are the service provider interface a
 * broker module implements; {@code Broker}'s Javadoc lists what an implementation guarantees, and
 * {@code BrokerContract} in this module's test jar checks it.
 *
 * <p>Delivery is at least once between the broker and the workers, and exactly once from the
 * caller's side of a {@code RemoteStage}: a message may be processed twice when a worker dies
 * between publishing its result and acknowledging, and the second result is dropped by its
 * correlation id.
 */
@NullMarked
package dev.genaiprocessors.queue;

import org.jspecify.annotations.NullMarked;
