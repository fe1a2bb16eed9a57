/**
 * GenAI Processors for Java, RabbitMQ: the queue module's {@link dev.genaiprocessors.queue.Broker}
 * on RabbitMQ, through the official {@code com.rabbitmq:amqp-client}.
 */
module dev.genaiprocessors.rabbitmq {
  requires transitive dev.genaiprocessors.queue;
  requires transitive com.rabbitmq.client;
  requires static transitive org.jspecify;

  exports dev.genaiprocessors.rabbitmq;
}
