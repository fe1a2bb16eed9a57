package dev.genaiprocessors.spring;

import dev.genaiprocessors.spring.GenAiProperties.Model;
import dev.genaiprocessors.spring.GenAiProperties.Provider;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Always on with the starter: binds {@code genai.*}, owns the beans the other parts build, checks
 * that each model's provider module is present, and hides the keys from the actuator.
 */
@AutoConfiguration
@EnableConfigurationProperties(GenAiProperties.class)
@Import(GenAiAutoConfiguration.ProviderCheck.class)
class GenAiAutoConfiguration {

  @Bean
  GenAiBeans genAiBeans(ObjectProvider<Decorator> decorators) {
    return new GenAiBeans(decorators);
  }

  /** Shows every {@code genai.*} key or password as {@code ******} in configprops and env. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(SanitizingFunction.class)
  static class Sanitizing {
    @Bean
    SanitizingFunction genAiSecretsSanitizer() {
      return GenAiAutoConfiguration::sanitize;
    }
  }

  static SanitizableData sanitize(SanitizableData data) {
    String key = data.getLowerCaseKey().replace("-", "").replace("_", "");
    boolean secret = key.endsWith("apikey") || key.endsWith("password") || key.endsWith("secret");
    return secret && data.getKey().toLowerCase(Locale.ROOT).startsWith("genai")
        ? data.withSanitizedValue()
        : data;
  }

  /**
   * Fails at start-up, naming the property and the artifact, when a model's provider module is not
   * on the class path; a model whose module is there but switched off is left out quietly.
   */
  static final class ProviderCheck
      implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanClassLoaderAware {
    private static final Map<Provider, String> MODEL_CLASSES =
        Map.of(
            Provider.OPENAI, "dev.genaiprocessors.openai.OpenAiModel",
            Provider.OPENAI_COMPATIBLE, "dev.genaiprocessors.openai.OpenAiModel",
            Provider.ANTHROPIC, "dev.genaiprocessors.anthropic.AnthropicModel",
            Provider.GEMINI, "dev.genaiprocessors.gemini.GeminiModel");
    private static final Map<Provider, String> ARTIFACTS =
        Map.of(
            Provider.OPENAI, "genai-processors-openai",
            Provider.OPENAI_COMPATIBLE, "genai-processors-openai",
            Provider.ANTHROPIC, "genai-processors-anthropic",
            Provider.GEMINI, "genai-processors-gemini");

    private @Nullable Environment environment;
    private @Nullable ClassLoader classLoader;

    @Override
    public void setEnvironment(Environment environment) {
      this.environment = environment;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
      this.classLoader = classLoader;
    }

    @Override
    public void registerBeanDefinitions(
        AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      Map<String, Model> models =
          ModelsRegistrar.models(Objects.requireNonNull(environment, "environment"));
      models.forEach(
          (name, model) -> {
            String modelClass = Objects.requireNonNull(MODEL_CLASSES.get(model.provider()));
            if (model.enabled()
                && !registry.containsBeanDefinition(name)
                && !ClassUtils.isPresent(modelClass, classLoader)) {
              throw new IllegalStateException(
                  "genai.models."
                      + name
                      + ".provider is "
                      + model.provider().propertyValue()
                      + ", but "
                      + ARTIFACTS.get(model.provider())
                      + " is not on the class path: add it, or set genai.models."
                      + name
                      + ".enabled=false");
            }
          });
    }
  }
}
