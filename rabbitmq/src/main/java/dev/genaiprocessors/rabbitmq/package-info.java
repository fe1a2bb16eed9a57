/**
 * The queue module's broker on RabbitMQ: {@link dev.genaiprocessors.rabbitmq.RabbitMqBroker}, built
 * from a {@code ConnectionFactory} of the official {@code amqp-client}, gives {@link
 * dev.genaiprocessors.queue.Worker}, {@link dev.genaiprocessors.queue.RemoteStage} and {@link
 * dev.genaiprocessors.queue.QueuePublisher} durable quorum queues, publisher confirms, manual
 * acknowledgements, a dead-letter queue per destination and reconnection after a broker restart.
 */
@NullMarked
package dev.genaiprocessors.rabbitmq;

import org.jspecify.annotations.NullMarked;
