/**
 * GenAI Processors for Java, queue: a pipeline stage run by workers behind a message broker, with a
 * broker-neutral API and an in-process broker that needs no set-up.
 */
module dev.genaiprocessors.queue {
  requires transitive dev.genaiprocessors.core;
  requires static transitive org.jspecify;

  exports dev.genaiprocessors.queue;
}
