package dev.genaiprocessors.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The readers of configuration (YAML, JSON and properties documents, the binder, the pipeline
 * reader), fed valid documents mutated at random: whatever arrives, they succeed or fail with a
 * {@link ConfigException} whose every problem names a place, never with another exception, and they
 * never hang.
 *
 * <p>The ordinary build checks each property on 500 inputs from a fixed seed; for a long run by
 * hand, with a new seed each time:
 *
 * <pre>{@code
 * ./mvnw -B -o -pl config -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest=ConfigFuzzTest -Dfuzz.tries=100000 -Dfuzz.seed=$RANDOM$RANDOM
 * }</pre>
 *
 * <p>A failure names the seed and the input that reproduce it.
 */
class ConfigFuzzTest {
  private static final int TRIES = Integer.getInteger("fuzz.tries", 500);
  private static final long SEED = Long.getLong("fuzz.seed", 20261202L);

  private static final String YAML =
      """
      name: app
      models:
        primary:
          model: gpt-4o
          temperature: ${TEMPERATURE:0.5}
          maxTokens: 100
          provider: openai
          timeout: 30s
          stop: [END, "STOP"]
          apiKey: sk-live-0123456789
        backup: {model: llama3.2, provider: gemini}
      """;

  private static final String JSON =
      """
      {"name": "app", "models": {"primary": {"model": "gpt-4o", "temperature": 0.5,
       "maxTokens": 100, "stop": ["END"], "apiKey": "sk-live-0123456789"}}}
      """;

  private static final String PROPERTIES =
      """
      name=app
      models.primary.model=gpt-4o
      models.primary.temperature=0.5
      models.primary.stop=END, STOP
      """;

  private static final String PIPELINE =
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
                      processor: {type: template, settings: {template: "bonjour {text}"}}
                  default: {type: identity, name: rest}
      """;

  private static final List<String> PIECES =
      List.of(
          ":",
          " ",
          "\n",
          "  ",
          "- ",
          "{",
          "}",
          "[",
          "]",
          ",",
          "'",
          "\"",
          "#",
          "&a",
          "*a",
          "!!int ",
          "|",
          ">",
          "${",
          "}",
          "$${",
          "~",
          "null",
          "0x1F",
          "-1e309",
          "1e400",
          "\t",
          "\\",
          ".",
          "=",
          "type",
          "settings",
          "chain",
          "switch",
          "equals",
          "processor",
          "pipeline",
          "model",
          "temperature",
          "\u00e9",
          "\u0000",
          "---\n",
          "...\n",
          "? ",
          "%YAML 1.2\n",
          "<<: ");

  /** {@code text} with one to four random edits. */
  private static String mutate(String text, Random random) {
    StringBuilder out = new StringBuilder(text);
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      int at = out.isEmpty() ? 0 : random.nextInt(out.length());
      switch (random.nextInt(4)) {
        case 0 -> {
          if (!out.isEmpty()) {
            out.deleteCharAt(at);
          }
        }
        case 1 -> out.insert(at, PIECES.get(random.nextInt(PIECES.size())));
        case 2 -> {
          int end = Math.min(out.length(), at + 1 + random.nextInt(20));
          out.delete(at, end);
        }
        default -> {
          int end = Math.min(out.length(), at + 1 + random.nextInt(30));
          out.insert(random.nextInt(out.length() + 1), out.substring(at, end));
        }
      }
    }
    return out.toString();
  }

  private static void fuzz(String property, String valid, Consumer<String> read) {
    Random random = new Random(SEED ^ property.hashCode());
    assertTimeoutPreemptively(
        Duration.ofMinutes(2),
        () -> {
          for (int i = 0; i < TRIES; i++) {
            String input = mutate(valid, random);
            try {
              read.accept(input);
            } catch (ConfigException e) {
              assertThat(e.problems()).isNotEmpty();
              if (secretInPlace(input)) {
                assertThat(e.getMessage()).as("input:\n%s", input).doesNotContain(SECRET);
              }
            } catch (RuntimeException | StackOverflowError e) {
              fail(
                  property
                      + " failed with "
                      + e
                      + " (seed "
                      + SEED
                      + ", try "
                      + i
                      + ") on input:\n"
                      + input,
                  e);
            }
          }
        });
  }

  private static final String SECRET = "sk-live-0123456789";

  /**
   * Whether the API key is still where it belongs, once: a mutation that copies it elsewhere (into
   * a key's name, another value) makes it something else, which may be shown.
   */
  private static boolean secretInPlace(String input) {
    int first = input.indexOf(SECRET);
    return first >= 0
        && input.indexOf(SECRET, first + 1) < 0
        && (input.contains("  apiKey: " + SECRET + "\n")
            || input.contains("\"apiKey\": \"" + SECRET + "\""));
  }

  private static Config config(ConfigSource source) {
    return Config.builder().source(source).variables(Map.of()).build();
  }

  @Test
  void mutatedYaml_bindsOrFailsAsAConfigException() {
    fuzz(
        "yaml",
        YAML,
        text -> config(ConfigSource.yaml("app.yaml", text)).bind(BindingTest.App.class));
  }

  @Test
  void mutatedJson_bindsOrFailsAsAConfigException() {
    fuzz(
        "json",
        JSON,
        text -> config(ConfigSource.yaml("app.json", text)).bind(BindingTest.App.class));
  }

  @Test
  void mutatedProperties_bindOrFailAsAConfigException() {
    fuzz(
        "properties",
        PROPERTIES,
        text ->
            config(ConfigSource.properties("app.properties", text)).bind(BindingTest.App.class));
  }

  @Test
  void mutatedPipelines_buildOrFailAsAConfigException() {
    ProcessorRegistry registry = ProcessorRegistry.load();
    fuzz(
        "pipeline",
        PIPELINE,
        text -> {
          try (Pipeline pipeline = Pipeline.parse("pipeline.yaml", text, registry)) {
            assertThat(pipeline.name()).isNotEmpty();
          }
        });
  }
}
