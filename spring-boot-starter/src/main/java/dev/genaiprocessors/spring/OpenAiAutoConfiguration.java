package dev.genaiprocessors.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/** The {@code openai} and {@code openai-compatible} models, when the openai module is present. */
@AutoConfiguration(after = GenAiAutoConfiguration.class)
@ConditionalOnClass(name = "dev.genaiprocessors.openai.OpenAiModel")
@ConditionalOnBooleanProperty(name = "genai.openai.enabled", matchIfMissing = true)
@Import(OpenAiModels.class)
class OpenAiAutoConfiguration {}
