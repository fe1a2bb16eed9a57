package dev.genaiprocessors.spring;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.config.Pipeline;
import dev.genaiprocessors.config.ProcessorRegistry;
import dev.genaiprocessors.spring.GenAiProperties.PipelineFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers a {@link Processor} bean for each pipeline of {@code genai.pipelines}, under its key,
 * unless the application defined a bean of that name.
 */
final class PipelinesRegistrar
    implements ImportBeanDefinitionRegistrar,
        EnvironmentAware,
        BeanFactoryAware,
        ResourceLoaderAware {
  private @Nullable Environment environment;
  private @Nullable BeanFactory beanFactory;
  private ResourceLoader resourceLoader = new DefaultResourceLoader();

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void setResourceLoader(ResourceLoader resourceLoader) {
    this.resourceLoader = resourceLoader;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    BeanFactory factory = Objects.requireNonNull(beanFactory, "beanFactory");
    Map<String, PipelineFile> pipelines =
        Binder.get(Objects.requireNonNull(environment, "environment"))
            .bind("genai.pipelines", Bindable.mapOf(String.class, PipelineFile.class))
            .orElse(Map.of());
    pipelines.forEach(
        (name, spec) -> {
          if (registry.containsBeanDefinition(name)) {
            return;
          }
          RootBeanDefinition definition = new RootBeanDefinition(Processor.class);
          definition.setInstanceSupplier(
              () -> {
                String location = file(name, spec);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("file", location);
                details.put("watch", spec.watch());
                return factory
                    .getBean(GenAiBeans.class)
                    .register(name, "pipeline", details, false, spec.store(), load(name, spec));
              });
          definition.setDestroyMethodName(null);
          registry.registerBeanDefinition(name, definition);
        });
  }

  private static String file(String name, PipelineFile spec) {
    String file = spec.file();
    if (file == null || file.isBlank()) {
      throw new IllegalStateException("genai.pipelines." + name + ".file must be set");
    }
    return file;
  }

  private Pipeline load(String name, PipelineFile spec) {
    String location = file(name, spec);
    Resource resource = resourceLoader.getResource(location);
    if (!resource.exists()) {
      throw new IllegalStateException(
          "genai.pipelines." + name + ".file: " + location + " does not exist");
    }
    ProcessorRegistry registry = ProcessorRegistry.load();
    try {
      if (spec.watch()) {
        if (!resource.isFile()) {
          throw new IllegalStateException(
              "genai.pipelines."
                  + name
                  + ".watch is true, but "
                  + location
                  + " is not a file on disk (a class path resource cannot change)");
        }
        Path path = resource.getFile().toPath();
        return Pipeline.watch(path, registry);
      }
      try (InputStream in = resource.getInputStream()) {
        return Pipeline.parse(
            name, new String(in.readAllBytes(), StandardCharsets.UTF_8), registry);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "genai.pipelines." + name + ".file: cannot read " + location + ": " + e.getMessage(), e);
    }
  }
}
