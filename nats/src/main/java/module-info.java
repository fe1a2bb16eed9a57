/**
 * GenAI Processors for Java, nats: the {@code queue} module's {@code Broker} on NATS JetStream,
 * with the official {@code io.nats:jnats} client.
 */
module dev.genaiprocessors.nats {
  requires transitive dev.genaiprocessors.queue;
  requires transitive io.nats.jnats;
  requires static transitive org.jspecify;

  exports dev.genaiprocessors.nats;
}
