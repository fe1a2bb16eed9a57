package dev.genaiprocessors.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BindingTest {
  enum Provider {
    OPENAI,
    GEMINI
  }

  record Model(
      @NotBlank String model,
      @Min(0) @Max(2) @Default("0.7") double temperature,
      @Min(1) @Nullable Integer maxTokens,
      @Default("openai") Provider provider,
      @Nullable Secret apiKey,
      @Default("30s") Duration timeout,
      List<String> stop) {}

  record App(@Matches("[a-z]+") @Default("app") String name, Map<String, Model> models) {}

  record Keyed(Secret apiKey) {
    Keyed {
      if (!apiKey.reveal().startsWith("sk-")) {
        throw new IllegalArgumentException(
            "the key " + apiKey.reveal() + " does not start with sk-");
      }
    }
  }

  private static Config yaml(String text) {
    return Config.builder()
        .source(ConfigSource.yaml("app.yaml", text))
        .variables(Map.of("OPENAI_KEY", "sk-from-variable"))
        .build();
  }

  private static String model(String lines) {
    return "models:\n  primary:\n    model: gpt-4o\n" + lines;
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of(
            "wrong type",
            model("    temperature: hot\n"),
            "models.primary.temperature: \"hot\" is not a number (app.yaml:4:5)"),
        Arguments.of(
            "above the maximum",
            model("    temperature: 3.5\n"),
            "models.primary.temperature: 3.5 is above 2.0 (app.yaml:4:5)"),
        Arguments.of(
            "below the minimum",
            model("    maxTokens: 0\n"),
            "models.primary.maxTokens: 0 is below 1 (app.yaml:4:5)"),
        Arguments.of(
            "not a whole number",
            model("    maxTokens: 2.5\n"),
            "models.primary.maxTokens: 2.5 is not a whole number (app.yaml:4:5)"),
        Arguments.of(
            "unknown key, near a known one",
            model("    temprature: 0.5\n"),
            "models.primary.temprature: is not a known key; did you mean temperature? (app.yaml:4:5)"),
        Arguments.of(
            "unknown key, near none",
            "colour: blue\n",
            "colour: is not a known key; the known keys are name, models (app.yaml:1:1)"),
        Arguments.of(
            "missing required",
            "models:\n  primary:\n    temperature: 0.5\n",
            "models.primary.model: is required but missing (app.yaml:2:3)"),
        Arguments.of(
            "bad enum",
            model("    provider: azure\n"),
            "models.primary.provider: \"azure\" is not one of openai, gemini (app.yaml:4:5)"),
        Arguments.of(
            "bad reference",
            model("    apiKey: ${NOPE}\n"),
            "models.primary.apiKey: ${NOPE} is not set (no system property or environment"
                + " variable NOPE, and no default) (app.yaml:4:5)"),
        Arguments.of(
            "blank text",
            "models:\n  primary:\n    model: '  '\n",
            "models.primary.model: \"  \" is blank (app.yaml:3:5)"),
        Arguments.of(
            "bad duration",
            model("    timeout: 5 parsecs\n"),
            "models.primary.timeout: \"5 parsecs\" is not a duration (such as 500ms, 30s, 5m, 1h"
                + " or PT30S) (app.yaml:4:5)"),
        Arguments.of(
            "a mapping where a list goes",
            model("    stop: {a: 1}\n"),
            "models.primary.stop: a mapping is not a list (app.yaml:4:5)"),
        Arguments.of(
            "a pattern not matched",
            "name: App1\n",
            "name: \"App1\" does not match [a-z]+ (app.yaml:1:1)"),
        Arguments.of(
            "a value where a mapping goes",
            "models: 3\n",
            "models: 3 is not a mapping of keys (app.yaml:1:1)"),
        Arguments.of(
            "an unclosed reference",
            model("    stop: [\"${OPENAI_KEY\"]\n"),
            "models.primary.stop[0]: \"${OPENAI_KEY\" has a ${ without its closing } (app.yaml:4:12)"),
        Arguments.of(
            "YAML that does not parse",
            "models:\n  primary: [gpt\n",
            "is not valid YAML: while parsing a flow sequence, expected ',' or ']', but got <stream"
                + " end> (app.yaml:2:12)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void aBadInput_isReportedWithItsPathValueRuleAndPlace(String what, String yaml, String expected) {
    assertThatThrownBy(() -> yaml(yaml).bind(App.class))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems())
                  .extracting(ConfigProblem::toString)
                  .containsExactly(expected);
              assertThat(e.getMessage()).isEqualTo("the configuration has 1 problem: " + expected);
            });
  }

  @Test
  void everyProblem_isListedAtOnce_inTheDocumentsOrder() {
    String yaml =
        """
        name: Bad!
        models:
          primary:
            temperature: 9
            maxTokens: lots
          backup:
            model: gpt-4o-mini
            provider: azure
            extra: 1
        """;
    assertThatThrownBy(() -> yaml(yaml).bind(App.class))
        .hasMessage(
            """
            the configuration has 6 problems:
              name: "Bad!" does not match [a-z]+ (app.yaml:1:1)
              models.primary.model: is required but missing (app.yaml:3:3)
              models.primary.temperature: 9.0 is above 2.0 (app.yaml:4:5)
              models.primary.maxTokens: "lots" is not a whole number (app.yaml:5:5)
              models.backup.extra: is not a known key; the known keys are model, temperature,\
             maxTokens, provider, apiKey, timeout, stop (app.yaml:9:5)
              models.backup.provider: "azure" is not one of openai, gemini (app.yaml:8:5)""");
  }

  @Test
  void aGoodDocument_bindsWithDefaultsReferencesAndLooseKeys() {
    App app =
        yaml("""
                models:
                  primary:
                    model: gpt-4o
                    max-tokens: 512
                    apiKey: ${OPENAI_KEY}
                    timeout: 1.5m
                    stop: [END, STOP]
                  local:
                    model: llama3.2
                    provider: GEMINI
                    temperature: ${TEMPERATURE:0.25}
                """)
            .bind(App.class);
    Model primary = app.models().get("primary");
    assertThat(primary.maxTokens()).isEqualTo(512);
    assertThat(primary.temperature()).isEqualTo(0.7);
    assertThat(primary.apiKey()).isEqualTo(Secret.of("sk-from-variable"));
    assertThat(primary.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(primary.stop()).containsExactly("END", "STOP");
    assertThat(app.models().get("local").provider()).isEqualTo(Provider.GEMINI);
    assertThat(app.models().get("local").temperature()).isEqualTo(0.25);
    assertThat(app.name()).isEqualTo("app");
    assertThat(primary.toString()).doesNotContain("sk-from-variable").contains("<redacted>");
  }

  @Test
  void laterSources_winOverEarlierOnes_keyByKey() {
    Config config =
        Config.builder()
            .source(
                ConfigSource.yaml(
                    "defaults.yaml",
                    "models:\n  primary:\n    model: gpt-4o\n    temperature: 0.1\n    maxTokens: 100\n"))
            .source(ConfigSource.properties("app.properties", "models.primary.temperature=0.2\n"))
            .source(
                ConfigSource.variables(
                    "APP_", Map.of("APP_MODELS_PRIMARY_MAXTOKENS", "200", "OTHER", "x")))
            .build();
    Model primary = config.bind("models.primary", Model.class);
    assertThat(primary.model()).isEqualTo("gpt-4o");
    assertThat(primary.temperature()).isEqualTo(0.2);
    assertThat(primary.maxTokens()).isEqualTo(200);
    assertThat(config.origin("models.primary.maxTokens"))
        .contains("variable APP_MODELS_PRIMARY_MAXTOKENS");
    assertThat(config.origin("models.primary.temperature"))
        .contains("app.properties (models.primary.temperature)");
    assertThat(config.origin("models.primary.model")).contains("defaults.yaml:3:5");
  }

  @Test
  void systemProperties_winOverFiles() {
    System.setProperty("bindingtest.models.primary.model", "from-property");
    try {
      Config config =
          Config.builder()
              .source(ConfigSource.yaml("app.yaml", "models:\n  primary:\n    model: from-file\n"))
              .source(ConfigSource.systemProperties("bindingtest."))
              .build();
      assertThat(config.bind("models.primary", Model.class).model()).isEqualTo("from-property");
    } finally {
      System.clearProperty("bindingtest.models.primary.model");
    }
  }

  @Test
  void aSecret_neverAppears_inProblemsOrToString() {
    Config config =
        Config.builder().source(ConfigSource.yaml("app.yaml", "apiKey: hunter2-secret\n")).build();
    assertThatThrownBy(() -> config.bind(Keyed.class))
        .hasMessage(
            "the configuration has 1 problem: rejected by Keyed: the key <redacted> does not start"
                + " with sk-")
        .hasMessageNotContaining("hunter2");
    Config bad = Config.builder().source(ConfigSource.yaml("app.yaml", "apiKey: [1]\n")).build();
    assertThatThrownBy(() -> bad.bind(Keyed.class)).hasMessageContaining("a list is not text");
    Config tokens =
        Config.builder()
            .source(
                ConfigSource.yaml(
                    "app.yaml", "db:\n  password: p4ss\n  apiToken: t0k\n  user: u\n"))
            .build();
    assertThat(tokens.toString())
        .isEqualTo(
            "{\"db\":{\"password\":\"<redacted>\",\"apiToken\":\"<redacted>\",\"user\":\"u\"}}");
  }

  record Database(@Matches("[a-z]+") String password, @Min(1) int maxTokens) {}

  @Test
  void aValueUnderASecretLookingKey_isHidden_evenAsPlainText() {
    Config config =
        Config.builder()
            .source(ConfigSource.yaml("db.yaml", "password: Hunter2!\nmaxTokens: 0\n"))
            .build();
    assertThatThrownBy(() -> config.bind(Database.class))
        .hasMessage(
            """
            the configuration has 2 problems:
              password: <redacted> does not match [a-z]+ (db.yaml:1:1)
              maxTokens: 0 is below 1 (db.yaml:2:1)""");
    assertThat(config.toString()).isEqualTo("{\"password\":\"<redacted>\",\"maxTokens\":0}");
  }

  @Test
  void referencesResolve_fromTheVariables_withDefaultsAndEscapes() {
    Config config =
        Config.builder()
            .source(
                ConfigSource.yaml(
                    "app.yaml", "a: ${HOST}:${PORT:8080}\nb: $${HOST}\nc: ${MISSING:}\n"))
            .variables(Map.of("HOST", "example.org"))
            .build();
    assertThat(config.get("a")).contains("example.org:8080");
    assertThat(config.get("b")).contains("${HOST}");
    assertThat(config.get("c")).contains("");
    assertThat(config.get("nothing")).isEmpty();
  }

  @Test
  void durations_areReadInEveryUsualForm() {
    assertThat(Binder.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Binder.duration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Binder.duration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Binder.duration("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Binder.duration("PT1M")).isEqualTo(Duration.ofMinutes(1));
    assertThat(Binder.duration("soon")).isNull();
  }
}
