package dev.genaiprocessors.nats;

import dev.genaiprocessors.queue.Broker;
import dev.genaiprocessors.queue.contract.BrokerContract;

/**
 * The queue module's broker contract, run against the NATS server on 127.0.0.1:4222. JetStream
 * drops a message whose {@code Nats-Msg-Id} the stream has stored already, so the contract's
 * scenario with a result published twice expects the stream to drop the second one.
 */
class NatsBrokerContractIT extends BrokerContract {

  @Override
  protected Broker connect() {
    return NatsTestServer.connect();
  }

  @Override
  protected boolean deduplicatesById() {
    return true;
  }
}
