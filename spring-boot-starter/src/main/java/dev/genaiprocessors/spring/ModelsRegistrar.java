package dev.genaiprocessors.spring;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.spring.GenAiProperties.Model;
import dev.genaiprocessors.spring.GenAiProperties.Provider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers a {@link Processor} bean for each enabled model of {@code genai.models} whose provider
 * one subclass builds, under the model's key, unless the application defined a bean of that name
 * (its bean wins). The model is built when the bean is first asked for.
 */
abstract class ModelsRegistrar
    implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {
  private @Nullable Environment environment;
  private @Nullable BeanFactory beanFactory;

  /** The providers this registrar builds models of. */
  abstract Set<Provider> providers();

  /** Builds the model, checking its settings. */
  abstract Processor build(String name, Model model);

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  static Map<String, Model> models(Environment environment) {
    return Binder.get(environment)
        .bind("genai.models", Bindable.mapOf(String.class, Model.class))
        .orElse(Map.of());
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    BeanFactory factory = Objects.requireNonNull(beanFactory, "beanFactory");
    models(Objects.requireNonNull(environment, "environment"))
        .forEach(
            (name, model) -> {
              if (!model.enabled()
                  || !providers().contains(model.provider())
                  || registry.containsBeanDefinition(name)) {
                return;
              }
              RootBeanDefinition definition = new RootBeanDefinition(Processor.class);
              definition.setInstanceSupplier(
                  () ->
                      factory
                          .getBean(GenAiBeans.class)
                          .register(
                              name,
                              "model",
                              details(model),
                              model.resilience(),
                              model.store(),
                              build(name, model)));
              // GenAiBeans closes the model; the decorated bean has nothing of its own to close.
              definition.setDestroyMethodName(null);
              registry.registerBeanDefinition(name, definition);
            });
  }

  private static Map<String, Object> details(Model model) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("provider", model.provider().propertyValue());
    if (model.model() != null) {
      details.put("model", model.model());
    }
    if (model.baseUrl() != null) {
      details.put("baseUrl", model.baseUrl());
    }
    return details;
  }

  /** The value of a required setting, or an error naming the property. */
  static String required(String name, String key, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "genai.models."
              + name
              + "."
              + key
              + " must be set (it is "
              + (value == null ? "missing" : "blank")
              + ")");
    }
    return value;
  }
}
