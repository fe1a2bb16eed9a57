package dev.genaiprocessors.rabbitmq;

import dev.genaiprocessors.queue.Broker;
import dev.genaiprocessors.queue.contract.BrokerContract;

/** The broker contract against the real RabbitMQ on 127.0.0.1:5672. */
class RabbitMqBrokerContractIT extends BrokerContract {

  @Override
  protected Broker connect() {
    return RabbitMqBroker.builder().host("127.0.0.1").port(5672).build();
  }

  @Override
  protected int messageCount() {
    return Integer.getInteger("queue.contract.messages", 10_000);
  }
}
