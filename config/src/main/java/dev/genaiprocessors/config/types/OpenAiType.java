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
    Double temperature = s.temperature();
    if (temperature != null) {
      chat.temperature(temperature);
    }
    Double topP = s.topP();
    if (topP != null) {
      chat.topP(topP);
    }
    Long maxTokens = s.maxTokens();
    if (maxTokens != null) {
      chat.maxTokens(maxTokens);
    }
    if (!s.stop().isEmpty()) {
      chat.stop(s.stop());
    }
    Long seed = s.seed();
    if (seed != null) {
      chat.seed(seed);
    }
    OpenAiModel.Builder model =
        OpenAiModel.builder()
            .model(s.model())
            .apiKey(s.apiKey().reveal())
            .api(s.api())
            .settings(chat.build());
    String baseUrl = s.baseUrl();
    if (baseUrl != null) {
      model.baseUrl(baseUrl);
    }
    String systemInstruction = s.systemInstruction();
    if (systemInstruction != null) {
      model.systemInstruction(systemInstruction);
    }
    Duration timeout = s.timeout();
    if (timeout != null) {
      model.timeout(timeout);
    }
    Integer maxRetries = s.maxRetries();
    if (maxRetries != null) {
      model.maxRetries(maxRetries);
    }
    return model.build();
  }
}
