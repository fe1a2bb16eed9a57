/**
 * GenAI Processors for Java, observability: OpenTelemetry traces following the GenAI semantic
 * conventions, Micrometer metrics and SLF4J MDC ids for every run, through the core's interceptor
 * SPI. Only the OpenTelemetry API is needed here; the application brings the SDK (or an agent).
 */
module dev.genaiprocessors.observability {
  requires transitive dev.genaiprocessors.core;
  requires transitive io.opentelemetry.api;
  requires transitive micrometer.core;
  requires static transitive org.jspecify;
  requires io.opentelemetry.context;
  requires org.slf4j;

  exports dev.genaiprocessors.observability;
}
