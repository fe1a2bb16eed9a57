package dev.genaiprocessors.nats;

import java.time.Duration;

/** How the tests reach the NATS server with JetStream that runs on this machine. */
final class NatsTestServer {
  static final String URL = "nats://127.0.0.1:4222";

  /** Short enough that a test sees a dead consumer's messages come back within seconds. */
  static final Duration ACK_WAIT = Duration.ofSeconds(2);

  private NatsTestServer() {}

  static NatsBroker connect() {
    return NatsBroker.builder().server(URL).ackWait(ACK_WAIT).connect();
  }
}
