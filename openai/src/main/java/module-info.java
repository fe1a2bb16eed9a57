/**
 * GenAI Processors for Java, OpenAI: {@link dev.genaiprocessors.openai.OpenAiModel}, a streaming
 * model processor on OpenAI's official Java SDK, for OpenAI (Chat Completions or Responses API) and
 * every server that speaks its Chat Completions API (Ollama, vLLM, LM Studio, OpenRouter) through a
 * base URL.
 */
module dev.genaiprocessors.openai {
  requires transitive dev.genaiprocessors.core;
  // The SDK's jars name no module: these are their automatic names, from the file names.
  requires transitive openai.java.core;
  requires openai.java.client.okhttp;

  exports dev.genaiprocessors.openai;
}
