package dev.genaiprocessors.spring;

import dev.genaiprocessors.config.Pipeline;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/** The YAML pipelines of {@code genai.pipelines} as beans, when the config module is present. */
@AutoConfiguration(after = GenAiAutoConfiguration.class)
@ConditionalOnClass(Pipeline.class)
@ConditionalOnBooleanProperty(name = "genai.config.enabled", matchIfMissing = true)
@Import(PipelinesRegistrar.class)
class PipelinesAutoConfiguration {}
