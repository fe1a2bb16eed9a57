/**
 * GenAI Processors for Java, testing: local servers that speak the vendors' wire formats, so
 * pipelines are tested without a vendor's cloud. Its API arrives with the model modules.
 */
module dev.genaiprocessors.testing {
  requires transitive dev.genaiprocessors.core;

  exports dev.genaiprocessors.testing;
}
