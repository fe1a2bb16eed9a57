package dev.genaiprocessors.nats;

import java.time.Duration;

/** What a test reads of JetStream's own state. */
final class BrokerState {
  private BrokerState() {}

  /** How many messages the destination's stream holds. */
  static long messages(NatsBroker broker, String destination) throws Exception {
    return broker
        .management()
        .getStreamInfo(Names.stream(destination))
        .getStreamState()
        .getMsgCount();
  }

  /** Waits (up to a minute) until every message of the destination was acknowledged. */
  static void awaitEmpty(NatsBroker broker, String destination) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    long left;
    while ((left = messages(broker, destination)) > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(destination + " still holds " + left + " messages");
      }
      Thread.sleep(50);
    }
  }
}
