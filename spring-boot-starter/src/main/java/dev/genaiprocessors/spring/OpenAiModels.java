package dev.genaiprocessors.spring;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.openai.ChatSettings;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.spring.GenAiProperties.Model;
import dev.genaiprocessors.spring.GenAiProperties.Provider;
import java.util.Set;

/** Builds the {@code openai} and {@code openai-compatible} models of {@code genai.models}. */
final class OpenAiModels extends ModelsRegistrar {
  @Override
  Set<Provider> providers() {
    return Set.of(Provider.OPENAI, Provider.OPENAI_COMPATIBLE);
  }

  @Override
  Processor build(String name, Model model) {
    OpenAiModel.Builder builder =
        OpenAiModel.builder().model(required(name, "model", model.model()));
    if (model.provider() == Provider.OPENAI_COMPATIBLE) {
      builder.baseUrl(required(name, "base-url", model.baseUrl()));
      // Local servers (Ollama, vLLM) take any key; the SDK needs one.
      builder.apiKey(model.apiKey() != null ? model.apiKey() : "unused");
    } else {
      builder.apiKey(required(name, "api-key", model.apiKey()));
      if (model.baseUrl() != null) {
        builder.baseUrl(model.baseUrl());
      }
    }
    if (model.timeout() != null) {
      builder.timeout(model.timeout());
    }
    if (model.systemInstruction() != null) {
      builder.systemInstruction(model.systemInstruction());
    }
    ChatSettings.Builder settings = ChatSettings.builder();
    if (model.temperature() != null) {
      settings.temperature(model.temperature());
    }
    if (model.maxTokens() != null) {
      settings.maxTokens(model.maxTokens());
    }
    return builder.settings(settings.build()).build();
  }
}
