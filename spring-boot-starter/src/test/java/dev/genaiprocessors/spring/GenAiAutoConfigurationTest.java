package dev.genaiprocessors.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorCache;
import dev.genaiprocessors.anthropic.AnthropicModel;
import dev.genaiprocessors.config.Pipeline;
import dev.genaiprocessors.gemini.GeminiModel;
import dev.genaiprocessors.jdbc.Storage;
import dev.genaiprocessors.observability.Observability;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.testing.OpenAiReply;
import dev.genaiprocessors.testing.OpenAiServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Each part of the auto-configuration: on with its module, off without it or by its switch. */
class GenAiAutoConfigurationTest {
  private static final String KEY = "sk-test-4f9c2e7a1b";
  private static OpenAiServer server;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  GenAiAutoConfiguration.class,
                  OpenAiAutoConfiguration.class,
                  AnthropicAutoConfiguration.class,
                  GeminiAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  StorageAutoConfiguration.class,
                  PipelinesAutoConfiguration.class,
                  ObservabilityAutoConfiguration.class,
                  ActuatorAutoConfiguration.class));

  private ApplicationContextRunner withChatModel() {
    return runner.withPropertyValues(
        "genai.models.chat.provider=openai",
        "genai.models.chat.model=gpt-4o-mini",
        "genai.models.chat.api-key=" + KEY,
        "genai.models.chat.base-url=" + server.baseUrl());
  }

  @BeforeAll
  static void startServer() {
    server = OpenAiServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void aModelOfTheProperties_isAProcessorBeanNamedByItsKey_thatStreamsFromTheServer() {
    server.enqueue(OpenAiReply.text("Hel", "lo"));
    withChatModel()
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasBean("chat");
              Processor chat = context.getBean("chat", Processor.class);
              assertThat(chat.apply("Say hello").text()).isEqualTo("Hello");
              assertThat(server.lastRequest().bodyText()).contains("gpt-4o-mini");
            });
  }

  @Test
  void resilience_decoratesTheModel_unlessItsModuleIsAbsentOrItIsSwitchedOff() {
    withChatModel()
        .run(context -> assertThat(context.getBean("chat")).isNotInstanceOf(OpenAiModel.class));
    withChatModel()
        .withPropertyValues("genai.resilience.enabled=false")
        .run(context -> assertThat(context.getBean("chat")).isInstanceOf(OpenAiModel.class));
    withChatModel()
        .withClassLoader(new FilteredClassLoader(Resilience.class))
        .run(context -> assertThat(context.getBean("chat")).isInstanceOf(OpenAiModel.class));
    withChatModel()
        .withPropertyValues("genai.models.chat.resilience=false")
        .run(context -> assertThat(context.getBean("chat")).isInstanceOf(OpenAiModel.class));
  }

  @Test
  void aUserBeanOfTheModelsName_wins() {
    Processor mine = Processor.of("mine", content -> "mine");
    withChatModel()
        .withBean("chat", Processor.class, () -> mine)
        .run(context -> assertThat(context.getBean("chat")).isSameAs(mine));
  }

  @Test
  void openAiSwitchedOff_makesNoModelBean() {
    withChatModel()
        .withPropertyValues("genai.openai.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("chat"));
    withChatModel()
        .withPropertyValues("genai.models.chat.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("chat"));
  }

  @Test
  void aModelWhoseModuleIsAbsent_failsTheStart_namingThePropertyAndTheArtifact() {
    withChatModel()
        .withClassLoader(new FilteredClassLoader(OpenAiModel.class))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .extracting(GenAiAutoConfigurationTest::rootMessage)
                    .isEqualTo(
                        "genai.models.chat.provider is openai, but genai-processors-openai is not"
                            + " on the class path: add it, or set genai.models.chat.enabled=false"));
  }

  @Test
  void anthropicAndGeminiModels_areBuiltByTheirModules() {
    runner
        .withPropertyValues(
            "genai.models.claude.provider=anthropic",
            "genai.models.claude.model=claude-sonnet-4-5",
            "genai.models.claude.api-key=" + KEY,
            "genai.models.flash.provider=gemini",
            "genai.models.flash.model=gemini-2.5-flash",
            "genai.models.flash.api-key=" + KEY,
            "genai.resilience.enabled=false")
        .run(
            context -> {
              assertThat(context.getBean("claude")).isInstanceOf(AnthropicModel.class);
              assertThat(context.getBean("flash")).isInstanceOf(GeminiModel.class);
            });
  }

  @Test
  void aModelWithoutItsKeyOrName_failsTheStart_namingTheProperty() {
    runner
        .withPropertyValues("genai.models.chat.model=gpt-4o-mini")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .extracting(GenAiAutoConfigurationTest::rootMessage)
                    .isEqualTo("genai.models.chat.api-key must be set (it is missing)"));
    runner
        .withPropertyValues("genai.models.chat.api-key=" + KEY)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .extracting(GenAiAutoConfigurationTest::rootMessage)
                    .isEqualTo("genai.models.chat.model must be set (it is missing)"));
    runner
        .withPropertyValues("genai.models.chat.provider=opena")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasMessageContaining("genai.models.chat.provider"));
  }

  @Test
  void theProperties_neverShowTheKey() {
    withChatModel()
        .run(
            context -> {
              String shown = context.getBean(GenAiProperties.class).toString();
              assertThat(shown).doesNotContain(KEY).contains("apiKey=******");
              assertThat(context.getBean("chat").toString()).doesNotContain(KEY);
            });
  }

  @Test
  void storageAndCache_areMadeOnTheApplicationsDataSource_andSwitchOff() {
    ApplicationContextRunner withDatabase =
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class));
    withDatabase.run(
        context -> {
          assertThat(context).hasNotFailed().hasSingleBean(Storage.class);
          assertThat(context).hasSingleBean(ProcessorCache.class);
        });
    withDatabase
        .withPropertyValues("genai.cache.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(Storage.class)
                    .doesNotHaveBean(ProcessorCache.class));
    withDatabase
        .withPropertyValues("genai.storage.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(Storage.class));
    withDatabase
        .withClassLoader(new FilteredClassLoader(Storage.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("genAiStorage"));
    runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Storage.class));
  }

  @Test
  void aUserStorage_wins() {
    runner
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withUserConfiguration(UserStorage.class)
        .run(
            context ->
                assertThat(context.getBean(Storage.class))
                    .isSameAs(context.getBean(UserStorage.class).storage));
  }

  @Test
  void observability_isMadeOnTheMeterRegistry_andSwitchesOff() {
    ApplicationContextRunner withRegistry =
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new);
    withRegistry.run(context -> assertThat(context).hasSingleBean(Observability.class));
    withRegistry
        .withPropertyValues("genai.observability.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(Observability.class));
    withRegistry
        .withClassLoader(new FilteredClassLoader(Observability.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("genAiObservability"));
  }

  @Test
  void aPipelineOfTheProperties_isABeanNamedByItsKey_andSwitchesOff() {
    ApplicationContextRunner withPipeline =
        runner.withPropertyValues("genai.pipelines.shout.file=classpath:pipelines/shout.yaml");
    withPipeline.run(
        context ->
            assertThat(context.getBean("shout", Processor.class).apply("why?").text())
                .isEqualTo("Answer loudly: why?"));
    withPipeline
        .withPropertyValues("genai.config.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("shout"));
    withPipeline
        .withClassLoader(new FilteredClassLoader(Pipeline.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("shout"));
  }

  @Test
  void aBrokenOrMissingPipelineFile_failsTheStart_namingTheProblem() {
    runner
        .withPropertyValues("genai.pipelines.p.file=classpath:pipelines/none.yaml")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .extracting(GenAiAutoConfigurationTest::rootMessage)
                    .isEqualTo(
                        "genai.pipelines.p.file: classpath:pipelines/none.yaml does not exist"));
    runner
        .withPropertyValues("genai.pipelines.p.file=classpath:pipelines/broken.yaml")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .extracting(GenAiAutoConfigurationTest::rootMessage)
                    .asString()
                    .contains("\"tempalte\" is not a registered processor type"));
  }

  static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }

  @Configuration(proxyBeanMethods = false)
  static class UserStorage {
    final Storage storage = Storage.inMemory();

    @Bean(destroyMethod = "close")
    Storage myStorage() {
      return storage;
    }
  }
}
