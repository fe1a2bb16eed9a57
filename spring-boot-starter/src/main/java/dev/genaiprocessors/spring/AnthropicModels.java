package dev.genaiprocessors.spring;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.anthropic.AnthropicModel;
import dev.genaiprocessors.anthropic.MessageSettings;
import dev.genaiprocessors.spring.GenAiProperties.Model;
import dev.genaiprocessors.spring.GenAiProperties.Provider;
import java.util.Set;

/** Builds the {@code anthropic} models of {@code genai.models}. */
final class AnthropicModels extends ModelsRegistrar {
  @Override
  Set<Provider> providers() {
    return Set.of(Provider.ANTHROPIC);
  }

  @Override
  Processor build(String name, Model model) {
    AnthropicModel.Builder builder =
        AnthropicModel.builder()
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
    MessageSettings.Builder settings = MessageSettings.builder();
    if (model.maxTokens() != null) {
      settings.maxTokens(model.maxTokens());
    }
    if (model.temperature() != null) {
      settings.temperature(model.temperature());
    }
    return builder.settings(settings.build()).build();
  }
}
