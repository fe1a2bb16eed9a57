package dev.genaiprocessors.testing;

/**
 * Which server's habits {@link OpenAiServer} imitates when it streams a {@link ChatReply}. Every
 * dialect speaks the Chat Completions wire format; they differ where real OpenAI-compatible servers
 * are known to differ from OpenAI, so a client can be tested against each.
 */
public enum OpenAiDialect {
  /**
   * OpenAI itself: a first chunk carrying {@code "role":"assistant"} and empty content, {@code
   * "logprobs":null} on every choice, tool-call arguments in fragments, {@code "usage":null} on every
   * chunk and a usage-only chunk ({@code "choices":[]}) before {@code [DONE]} when the request asked
   * for {@code stream_options.include_usage}.
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
  VLLM
}
