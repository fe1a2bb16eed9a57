package dev.genaiprocessors.config.types;

import dev.genaiprocessors.config.Default;
import dev.genaiprocessors.config.Max;
import dev.genaiprocessors.config.Min;
import dev.genaiprocessors.config.NotBlank;
import dev.genaiprocessors.config.ProcessorType;
import dev.genaiprocessors.config.Secret;
import dev.genaiprocessors.openai.ChatSettings;
import dev.genaiprocessors.openai.OpenAiApi;
import dev.genaiprocessors.openai.OpenAiModel;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code openai}: an {@code OpenAiModel} (OpenAI, or an OpenAI-compatible server). */
public final class OpenAiType implements ProcessorType<OpenAiType.Settings> {
  /**
   * The settings of an OpenAI model.
   *
   * @param model the model to call
   * @param apiKey the API key (write it as a reference, {@code ${OPENAI_API_KEY}})
   * @param baseUrl the API's base URL; OpenAI's when null
   * @param api {@code chat_completions} or {@code responses}
   * @param temperature sampling temperature, 0 to 2
   * @param topP nucleus sampling, 0 to 1
   * @param maxTokens the most tokens to generate
   * @param stop sequences that end the answer
   * @param seed the sampling seed
   * @param systemInstruction a system message before every conversation
   * @param timeout the most a whole call may take
   * @param maxRetries how often the SDK retries (leave unset under a retrying resilience)
   */
  public record Settings(
      @NotBlank String model,
      Secret apiKey,
      @Nullable String baseUrl,
      @Default("chat_completions") OpenAiApi api,
      @Min(0) @Max(2) @Nullable Double temperature,
      @Min(0) @Max(1) @Nullable Double topP,
      @Min(1) @Nullable Long maxTokens,
      List<String> stop,
      @Nullable Long seed,
      @Nullable String systemInstruction,
      @Nullable Duration timeout,
      @Min(0) @Nullable Integer maxRetries) {}

  /**
   * The type; found by {@link java.util.ServiceLoader}.
   *
   * @throws IllegalStateException when the {@code openai} module is missing
   */
  public OpenAiType() {
    Modules.require("dev.genaiprocessors.openai.OpenAiModel", "dev.genaiprocessors.openai");
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public Class<Settings> settingsType() {
    return Settings.class;
  }

  @Override
  public String description() {
    return "An OpenAI model, or one on an OpenAI-compatible server (Ollama, vLLM), streaming.";
  }

  @Override
  public Object create(Settings s, @Nullable Object wrapped) {
    ChatSettings.Builder chat = ChatSettings.builder();
    if (s.temperature() != null) {
      chat.temperature(s.temperature());
    }
    if (s.topP() != null) {
      chat.topP(s.topP());
    }
    if (s.maxTokens() != null) {
      chat.maxTokens(s.maxTokens());
    }
    if (!s.stop().isEmpty()) {
      chat.stop(s.stop());
    }
    if (s.seed() != null) {
      chat.seed(s.seed());
    }
    OpenAiModel.Builder model =
        OpenAiModel.builder()
            .model(s.model())
            .apiKey(s.apiKey().reveal())
            .api(s.api())
            .settings(chat.build());
    if (s.baseUrl() != null) {
      model.baseUrl(s.baseUrl());
    }
    if (s.systemInstruction() != null) {
      model.systemInstruction(s.systemInstruction());
    }
    if (s.timeout() != null) {
      model.timeout(s.timeout());
    }
    if (s.maxRetries() != null) {
      model.maxRetries(s.maxRetries());
    }
    return model.build();
  }
}
