package dev.genaiprocessors.examples;

import dev.genaiprocessors.config.ConfigException;
import dev.genaiprocessors.config.Pipeline;
import dev.genaiprocessors.config.ProcessorRegistry;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;

/**
 * A pipeline declared in YAML: a prompt template, then a model under a retrying resilience
 * decorator, built from the processor types the {@code config} module registers. A second, misspelt
 * pipeline shows how problems are reported, each with its line and column.
 *
 * <pre>{@code
 * ./mvnw -q -B -DskipTests -pl examples -am package exec:java -Dexample=YamlPipelineExample
 * }</pre>
 *
 * <p>It talks to the {@code testing} module's local {@link OpenAiServer}, so it runs offline.
 */
public final class YamlPipelineExample {
  private YamlPipelineExample() {}

  private static final String PIPELINE =
      """
      pipeline:
        chain:
          - type: template
            settings:
              template: "Answer in one short sentence: {text}"
          - type: resilience
            settings:
              retry: {maxAttempts: 3, initialBackoff: 100ms}
              timeout: {firstPart: 30s}
            processor:
              type: openai
              settings:
                model: gpt-4o-mini
                baseUrl: BASE_URL
                apiKey: ${OPENAI_API_KEY:sk-local}
                temperature: 0.2
      """;

  public static void main(String[] args) {
    ProcessorRegistry registry = ProcessorRegistry.load();
    System.out.println("registered types: " + registry.names());
    try (OpenAiServer server = OpenAiServer.start()) {
      server.enqueue(ChatReply.create().text("Because ", "air ", "scatters ", "blue ", "light."));
      String yaml = PIPELINE.replace("BASE_URL", server.baseUrl());
      try (Pipeline pipeline = Pipeline.parse("pipeline.yaml", yaml, registry)) {
        System.out.println("answer: " + pipeline.apply("Why is the sky blue?").text());
      }
      System.out.println("the model was asked: " + server.lastRequest().messages().get(0));

      String misspelt = yaml.replace("type: openai", "type: opena").replace("100ms", "soon");
      try (Pipeline broken = Pipeline.parse("misspelt.yaml", misspelt, registry)) {
        System.out.println("unexpectedly built " + broken);
      } catch (ConfigException e) {
        System.out.println(e.getMessage());
      }
    }
    String schema = registry.jsonSchema();
    System.out.println(
        "JSON Schema for editors: " + schema.length() + " characters, from the settings records");
  }
}
