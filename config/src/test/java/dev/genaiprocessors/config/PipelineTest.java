package dev.genaiprocessors.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.ErrorReply;
import dev.genaiprocessors.testing.OpenAiServer;
import dev.genaiprocessors.testing.ScriptedHttpServer;
import dev.genaiprocessors.testing.ScriptedResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ProcessorRegistry REGISTRY = ProcessorRegistry.load();

  @TempDir Path dir;

  /** A prompt service: answers {"prompt": "Translate into French: <text>"} to {"text": ...}. */
  private static ScriptedHttpServer promptService() {
    return ScriptedHttpServer.start()
        .otherwise(
            request -> {
              try {
                return ScriptedResponse.json(
                    JSON.writeValueAsString(
                        Map.of(
                            "prompt",
                            "Translate into French: " + request.json().get("text").asText())));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  @Test
  void aYamlPipeline_ofAnHttpProcessorAndAModelUnderResilience_buildsAndRuns() throws Exception {
    try (ScriptedHttpServer prompts = promptService();
        OpenAiServer openAi = OpenAiServer.start()) {
      openAi.enqueue(ErrorReply.of(500, "The server had an error"));
      openAi.enqueue(ChatReply.create().text("Bonjour", " le ", "monde").usage(12, 3));
      String yaml =
          """
          pipeline:
            chain:
              - type: http
                name: prompt-service
                settings:
                  url: %s
                  body: json
                  jsonPointer: /prompt
                  builtInResilience: false
              - type: resilience
                settings:
                  name: model
                  retry: {maxAttempts: 3, initialBackoff: 10ms}
                processor:
                  type: openai
                  name: translator
                  settings:
                    model: gpt-4o-mini
                    baseUrl: %s
                    apiKey: ${PIPELINE_TEST_KEY:sk-local}
                    temperature: 0.2
                    maxTokens: 64
          """
              .formatted(prompts.uri("/prompt"), openAi.baseUrl());
      try (Pipeline pipeline = Pipeline.parse("pipeline.yaml", yaml, REGISTRY)) {
        List<ProcessorPart> parts = pipeline.apply("hello").gather().parts();
        assertThat(parts.stream().filter(ProcessorPart::isText).map(ProcessorPart::text))
            .containsSubsequence("Bonjour", " le ", "monde");
      }
      assertThat(prompts.requestCount()).isEqualTo(1);
      // The first answer was a 500: the resilience node retried, the model's SDK did not.
      assertThat(openAi.requestCount()).isEqualTo(2);
      JsonNode request = openAi.requests().get(1).json();
      assertThat(request.get("model").asText()).isEqualTo("gpt-4o-mini");
      assertThat(request.get("temperature").asDouble()).isEqualTo(0.2);
      assertThat(openAi.requests().get(1).messages().get(0).get("content").asText())
          .isEqualTo("Translate into French: hello");
      assertThat(openAi.requests().get(1).header("Authorization")).isEqualTo("Bearer sk-local");
    }
  }

  @Test
  void everyProblemOfAPipelineFile_isReportedWithItsLineAndColumn() {
    String yaml =
        """
        pipeline:
          chain:
            - type: opena
              settings: {model: gpt-4o}
            - type: resilience
              settings:
                retry: {maxAttempts: 0}
            - type: http
              settings:
                url: http://localhost/x
                method: 'GET POST'
                timeout: 3s
            - parallel: []
            - switch:
                on: colour
                cases:
                  - equals: text/plain
                    processor: {type: identity}
            - type: template
              chain: []
        extra: 1
        """;
    assertThatThrownBy(() -> Pipeline.parse("pipeline.yaml", yaml, REGISTRY))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            """
            the configuration has 9 problems:
              extra: is not a known key; the known keys are pipeline (pipeline.yaml:21:1)
              pipeline.chain[0].type: "opena" is not a registered processor type; did you mean\
             openai? (pipeline.yaml:3:7)
              pipeline.chain[1].settings.retry.maxAttempts: 0 is below 1 (pipeline.yaml:7:17)
              pipeline.chain[1].processor: is required but missing (resilience wraps a processor)\
             (pipeline.yaml:5:7)
              pipeline.chain[2].settings.timeout: is not a known key; the known keys are url,\
             method, headers, bearerToken, body, jsonField, jsonPointer, connectTimeout,\
             requestTimeout, maxConcurrentRequests, errorStrategy, builtInResilience\
             (pipeline.yaml:12:9)
              pipeline.chain[2].settings.method: "GET POST" does not match [A-Za-z]+\
             (pipeline.yaml:11:9)
              pipeline.chain[3].parallel: an empty list is not a list of processors\
             (pipeline.yaml:13:7)
              pipeline.chain[4].switch.on: "colour" is not one of mimeType, role, substream,\
             metadata.<key> (pipeline.yaml:15:9)
              pipeline.chain[5]: has type and chain; give it only one of them (pipeline.yaml:19:7)""");
  }

  @Test
  void aTypeThatRefusesItsSettings_isReportedAtItsNode() {
    String yaml =
        """
        pipeline:
          type: http
          settings:
            url: "ftp://example.org/{text}"
        """;
    assertThatThrownBy(() -> Pipeline.parse("pipeline.yaml", yaml, REGISTRY))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "the configuration has 1 problem: pipeline: could not be built as http: ")
        .hasMessageEndingWith("(pipeline.yaml:1:1)");
  }

  @Test
  void chainsParallelsAndSwitches_composeAsTheCoreDoes() {
    String yaml =
        """
        pipeline:
          chain:
            - type: template
              settings: {template: "<{text}>"}
            - parallel:
                - type: identity
                - switch:
                    on: metadata.lang
                    cases:
                      - equals: [fr, it]
                        processor:
                          type: template
                          settings: {template: "bonjour {text}"}
                    default:
                      type: template
                      settings: {template: "hello {text}"}
        """;
    try (Pipeline pipeline = Pipeline.parse("pipeline.yaml", yaml, REGISTRY)) {
      assertThat(pipeline.apply(ProcessorPart.text("x").withMetadata("lang", "fr")).text())
          .isEqualTo("<x>bonjour <x>");
      assertThat(pipeline.apply(ProcessorPart.text("y")).text()).isEqualTo("<y>hello <y>");
      assertThat(pipeline.version()).isEqualTo(1);
    }
  }

  @Test
  void aWatchedPipeline_isRebuiltForNewRuns_andABadChangeKeepsTheOld() throws Exception {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, "pipeline:\n  type: template\n  settings: {template: 'A {text}'}\n");
    try (Pipeline pipeline = Pipeline.watch(file, REGISTRY)) {
      assertThat(pipeline.apply("x").text()).isEqualTo("A x");

      Files.writeString(file, "pipeline:\n  type: template\n  settings: {template: 'B {text}'}\n");
      pipeline.reload();
      assertThat(pipeline.apply("x").text()).isEqualTo("B x");
      assertThat(pipeline.version()).isEqualTo(2);

      Files.writeString(file, "pipeline:\n  type: templates\n");
      pipeline.reload();
      assertThat(pipeline.apply("x").text()).isEqualTo("B x");
      assertThat(pipeline.lastRejection().orElseThrow().problems())
          .extracting(ConfigProblem::toString)
          .containsExactly(
              "pipeline.type: \"templates\" is not a registered processor type; did you mean"
                  + " template? ("
                  + file
                  + ":2:3)");

      // Parses and binds, but the http type refuses to build it: rejected too, the old one kept.
      List<ConfigException> rejections = new java.util.concurrent.CopyOnWriteArrayList<>();
      pipeline.onRejection(rejections::add);
      Files.writeString(file, "pipeline:\n  type: http\n  settings: {url: 'ftp://x/{text}'}\n");
      pipeline.reload();
      assertThat(pipeline.apply("x").text()).isEqualTo("B x");
      assertThat(rejections).singleElement().asString().contains("could not be built as http: ");
      assertThat(pipeline.version()).isEqualTo(2);

      Files.writeString(file, "pipeline:\n  type: template\n  settings: {template: 'C {text}'}\n");
      pipeline.reload();
      assertThat(pipeline.apply("x").text()).isEqualTo("C x");
      assertThat(pipeline.version()).isEqualTo(4);
    }
  }

  @Test
  void theRegistry_findsTheBuiltInTypesThroughTheServiceLoader() {
    assertThat(REGISTRY.names())
        .containsExactly("http", "identity", "openai", "resilience", "template");
    assertThatThrownBy(() -> REGISTRY.with(REGISTRY.type("identity").orElseThrow()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "two processor types are called 'identity': "
                + "dev.genaiprocessors.config.types.IdentityType and "
                + "dev.genaiprocessors.config.types.IdentityType");
  }

  /** A type of this test's own, registered explicitly. */
  static final class Shout implements ProcessorType<Shout.Settings> {
    record Settings(@Default("!") String suffix, @Min(1) @Max(3) @Default("1") int times) {}

    @Override
    public String name() {
      return "shout";
    }

    @Override
    public Class<Settings> settingsType() {
      return Settings.class;
    }

    @Override
    public Object create(Settings s, @Nullable Object wrapped) {
      return dev.genaiprocessors.PartProcessor.map(
          p -> p.text().toUpperCase() + s.suffix().repeat(s.times()));
    }
  }

  @Test
  void theJsonSchema_describesTheFormatAndEveryRegisteredTypesSettings() throws Exception {
    JsonNode schema = JSON.readTree(REGISTRY.with(new Shout()).jsonSchema());
    assertThat(schema.get("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.at("/properties/pipeline/$ref").asText()).isEqualTo("#/$defs/processor");
    JsonNode defs = schema.get("$defs");
    assertThat(defs.at("/processor/oneOf"))
        .extracting(JsonNode::toString)
        .contains(
            "{\"$ref\":\"#/$defs/chain\"}",
            "{\"$ref\":\"#/$defs/switch\"}",
            "{\"$ref\":\"#/$defs/type-openai\"}",
            "{\"$ref\":\"#/$defs/type-shout\"}");
    assertThat(defs.at("/type-resilience/required").toString())
        .isEqualTo("[\"processor\",\"type\"]");
    JsonNode settings = resolve(defs, defs.at("/type-openai/properties/settings"));
    assertThat(settings.at("/properties/temperature/minimum").asDouble()).isEqualTo(0.0);
    assertThat(settings.at("/properties/temperature/maximum").asDouble()).isEqualTo(2.0);
    assertThat(resolve(defs, settings.at("/properties/apiKey")).get("type").asText())
        .isEqualTo("string");
    assertThat(settings.at("/properties/api/default").asText()).isEqualTo("chat_completions");
    assertThat(settings.get("required").toString()).isEqualTo("[\"model\",\"apiKey\"]");
    assertThat(settings.get("additionalProperties").asBoolean()).isFalse();
    assertThat(
            resolve(defs, defs.at("/type-shout/properties/settings"))
                .at("/properties/times/maximum")
                .asInt())
        .isEqualTo(3);

    try (Pipeline pipeline =
        Pipeline.parse(
            "p.yaml",
            "pipeline: {type: shout, settings: {times: 2}}",
            REGISTRY.with(new Shout()))) {
      assertThat(pipeline.apply("hi").text()).isEqualTo("HI!!");
    }
  }

  /** {@code node}, or the definition it refers to. */
  private static JsonNode resolve(JsonNode defs, JsonNode node) {
    String ref = node.path("$ref").asText("");
    return ref.isEmpty() ? node : defs.get(ref.substring("#/$defs/".length()));
  }
}
