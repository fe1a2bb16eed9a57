/**
 * GenAI Processors for Java, cli: the {@code genai} command that runs, checks and describes YAML
 * pipelines, writes trace files and serves the trace viewer on loopback.
 */
module dev.genaiprocessors.cli {
  requires dev.genaiprocessors.core;
  requires transitive dev.genaiprocessors.config;
  requires dev.genaiprocessors.observability;
  requires dev.genaiprocessors.openai;
  requires dev.genaiprocessors.testing;
  requires dev.genaiprocessors.resilience;
  requires dev.genaiprocessors.http;
  requires info.picocli;
  requires me.tongfei.progressbar;
  requires io.opentelemetry.api;
  requires io.opentelemetry.sdk;
  requires io.opentelemetry.sdk.trace;
  requires io.opentelemetry.sdk.common;
  requires com.fasterxml.jackson.databind;
  requires jdk.httpserver;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.genaiprocessors.cli;

  // picocli reads the commands' annotated fields by reflection.
  opens dev.genaiprocessors.cli to
      info.picocli;

  provides dev.genaiprocessors.config.ProcessorType with
      dev.genaiprocessors.cli.LocalModelType;
}
