package dev.genaiprocessors.testing;

/**
 * Which server's habits {@link OpenAiServer} imitates when it streams a {@link ChatReply}. Every
 * dialect speaks the Chat Completions wire format; they differ where real OpenAI-compatible servers
 * are known to differ from OpenAI, so a client can be tested against each.
 *
 * <p>The dialects shape streamed answers: each chunk's fields, their order, and which chunks come.
 * They are composed from what these servers are documented and seen to send, not replayed captures;
 * ids and timestamps are {@link OpenAiServer}'s own. A whole (not streamed) answer keeps OpenAI's
 * field order in every dialect.
 */
public enum OpenAiDialect {
  /**
   * OpenAI itself: a first chunk carrying {@code "role":"assistant"} and empty content, {@code
   * "logprobs":null} on every choice, tool-call arguments in fragments, {@code "usage":null} on
   * every chunk and a usage-only chunk ({@code "choices":[]}) before {@code [DONE]} when the
   * request asked for {@code stream_options.include_usage}.
   */
  OPENAI,

  /**
   * Ollama's {@code /v1/chat/completions}: the role on every delta, no {@code logprobs}, each tool
   * call whole in one chunk, and <b>no usage in the stream</b>, even when the request asked for it.
   * Non-streaming answers still carry usage.
   */
  OLLAMA,

  /**
   * vLLM: {@code "tool_calls":[]} on chunks that carry text, and {@code "choices":null} (not {@code
   * []}) on the usage chunk.
   */
  VLLM,

  /**
   * Azure OpenAI: every chunk's keys in alphabetical order, so {@code choices} comes <b>before</b>
   * {@code id} and {@code model}; a <b>first event of its own</b> with {@code "id":""}, {@code
   * "model":""}, {@code "object":""}, {@code "created":0}, {@code "choices":[]} and the prompt's
   * {@code prompt_filter_results}; {@code content_filter_results} in every choice (the four
   * categories on text, {@code {}} elsewhere); no {@code "usage":null} on the chunks, and a usage
   * chunk ({@code "choices":[]}) when the request asked for it. Because of the first event, the
   * fault methods of {@link ChatReply} count one more event before the role chunk.
   */
  AZURE,

  /**
   * Alibaba's Qwen on DashScope's compatible mode: {@code choices} first and {@code id} last in
   * every chunk ({@code "object"}, {@code "usage":null}, {@code "created"}, {@code
   * "system_fingerprint":null}, {@code "model"} between), and tool calls whose <b>later fragments
   * carry {@code "id":""}</b> and the {@code type} again; the call id comes only in the first one.
   * A usage chunk ({@code "choices":[]}) when the request asked for it.
   */
  QWEN,

  /**
   * Zhipu's GLM ({@code open.bigmodel.cn}, {@code api.z.ai}): no {@code object} field, the role on
   * every delta, no {@code "finish_reason":null} or {@code logprobs} on choices; tool calls whose
   * <b>later fragments carry {@code "name":""}</b> and the {@code type} again; and the usage in the
   * finish chunk itself, whether the request asked for it or not (no usage chunk).
   */
  GLM
}
