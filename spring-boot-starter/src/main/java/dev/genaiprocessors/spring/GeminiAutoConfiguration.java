package dev.genaiprocessors.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/** The {@code gemini} models, when the gemini module is present. */
@AutoConfiguration(after = GenAiAutoConfiguration.class)
@ConditionalOnClass(name = "dev.genaiprocessors.gemini.GeminiModel")
@ConditionalOnBooleanProperty(name = "genai.gemini.enabled", matchIfMissing = true)
@Import(GeminiModels.class)
class GeminiAutoConfiguration {}
