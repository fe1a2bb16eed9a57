/**
 * GenAI Processors for Java, config: configuration from files, HTTP, environment variables and
 * system properties, layered, bound to records and validated; live reload with processors that swap
 * their settings atomically; pipelines declared in YAML from a registry of processor types.
 */
module dev.genaiprocessors.config {
  requires transitive dev.genaiprocessors.core;
  requires transitive java.net.http;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires com.github.victools.jsonschema.generator;
  requires com.fasterxml.classmate;
  requires org.slf4j;
  requires static transitive org.jspecify;

  // The built-in pipeline types of these modules live here, so that neither they nor the core
  // depend on config; each is registered only when its module is present.
  requires static dev.genaiprocessors.resilience;
  requires static dev.genaiprocessors.http;
  requires static dev.genaiprocessors.openai;

  exports dev.genaiprocessors.config;

  uses dev.genaiprocessors.config.ProcessorType;

  provides dev.genaiprocessors.config.ProcessorType with
      dev.genaiprocessors.config.types.IdentityType,
      dev.genaiprocessors.config.types.TemplateType,
      dev.genaiprocessors.config.types.OpenAiType,
      dev.genaiprocessors.config.types.HttpType,
      dev.genaiprocessors.config.types.ResilienceType;
}
