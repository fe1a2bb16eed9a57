package dev.genaiprocessors.spring;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.gemini.GeminiModel;
import dev.genaiprocessors.gemini.GenerationSettings;
import dev.genaiprocessors.spring.GenAiProperties.Model;
import dev.genaiprocessors.spring.GenAiProperties.Provider;
import java.util.Set;

/** Builds the {@code gemini} models of {@code genai.models}. */
final class GeminiModels extends ModelsRegistrar {
  @Override
  Set<Provider> providers() {
    return Set.of(Provider.GEMINI);
  }

  @Override
  Processor build(String name, Model model) {
    GeminiModel.Builder builder =
        GeminiModel.builder()
            .model(required(name, "model", model.model()))
            .apiKey(required(name, "api-key", model.apiKey()));
    if (model.baseUrl() != null) {
      builder.baseUrl(model.baseUrl());
    }
    if (model.timeout() != null) {
      builder.timeout(model.timeout());
    }
    if (model.systemInstruction() != null) {
      builder.systemInstruction(model.systemInstruction());
    }
    GenerationSettings.Builder settings = GenerationSettings.builder();
    if (model.temperature() != null) {
      settings.temperature(model.temperature());
    }
    if (model.maxTokens() != null) {
      settings.maxOutputTokens(Math.toIntExact(model.maxTokens()));
    }
    return builder.settings(settings.build()).build();
  }
}
