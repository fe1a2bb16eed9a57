/** Runnable examples of GenAI Processors for Java; none needs an API key or the network. */
module dev.genaiprocessors.examples {
  requires dev.genaiprocessors.core;
  requires dev.genaiprocessors.tools;
  requires dev.genaiprocessors.openai;
  requires dev.genaiprocessors.anthropic;
  requires dev.genaiprocessors.gemini;
  requires dev.genaiprocessors.testing;
  requires dev.genaiprocessors.resilience;
  requires dev.genaiprocessors.http;
  requires jdk.httpserver;

  exports dev.genaiprocessors.examples;
  // Jackson reads the examples' records back from JSON parts.
  opens dev.genaiprocessors.examples to com.fasterxml.jackson.databind;
}
