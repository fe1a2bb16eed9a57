/**
 * GenAI Processors for Java, tools: function declarations derived from Java methods and records,
 * and the function-calling loop that runs them for any model processor.
 */
module dev.genaiprocessors.tools {
  requires transitive dev.genaiprocessors.core;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.github.victools.jsonschema.generator;
  requires com.github.victools.jsonschema.module.jackson;

  exports dev.genaiprocessors.tools;
}
