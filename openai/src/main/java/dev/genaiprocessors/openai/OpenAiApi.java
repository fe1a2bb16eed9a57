package dev.genaiprocessors.openai;

/**
 * Which of OpenAI's two generation APIs an {@link OpenAiModel} calls. Both stream; the model's
 * input and output parts are the same whichever is chosen, so a pipeline switches by changing one
 * builder line ({@link OpenAiModel.Builder#api}).
 *
 * <pre>{@code
 * OpenAiModel model = OpenAiModel.builder().model("gpt-4.1-mini").apiKey(key)
 *     .api(OpenAiApi.RESPONSES)
 *     .build();
 * }</pre>
 */
public enum OpenAiApi {
  /**
   * {@code POST /v1/chat/completions}: the default, and the API every OpenAI-compatible server
   * (Ollama, vLLM, LM Studio, OpenRouter) speaks.
   */
  CHAT_COMPLETIONS,

  /**
   * {@code POST /v1/responses}: OpenAI's newer API, with typed input items ({@code input_text},
   * {@code input_image}, {@code input_file}, {@code function_call}, {@code function_call_output}),
   * the system instruction as {@code instructions}, and named stream events. It has no {@code
   * stop}, {@code seed}, {@code presence_penalty} or {@code frequency_penalty}: an {@link
   * OpenAiModel} built with one of those set fails at build time, naming it. It takes no audio
   * input parts.
   */
  RESPONSES
}
