package dev.genaiprocessors.queue;

import dev.genaiprocessors.queue.contract.BrokerContract;

/** The broker contract, run against the in-process broker. */
class InProcessBrokerContractTest extends BrokerContract {
  private final InProcessBroker broker = InProcessBroker.create();

  @Override
  protected Broker connect() {
    return broker.connect();
  }
}
