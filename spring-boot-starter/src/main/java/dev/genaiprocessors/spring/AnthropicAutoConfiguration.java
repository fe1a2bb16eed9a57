package dev.genaiprocessors.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/** The {@code anthropic} models, when the anthropic module is present. */
@AutoConfiguration(after = GenAiAutoConfiguration.class)
@ConditionalOnClass(name = "dev.genaiprocessors.anthropic.AnthropicModel")
@ConditionalOnBooleanProperty(name = "genai.anthropic.enabled", matchIfMissing = true)
@Import(AnthropicModels.class)
class AnthropicAutoConfiguration {}
