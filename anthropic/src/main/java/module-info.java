/**
 * GenAI Processors for Java, Anthropic: {@link dev.genaiprocessors.anthropic.AnthropicModel}, a
 * streaming model processor for Claude on Anthropic's official Java SDK.
 */
module dev.genaiprocessors.anthropic {
  requires transitive dev.genaiprocessors.core;
  // The SDK ships real module descriptors (multi-release jars, META-INF/versions/9).
  requires transitive com.anthropic.core;
  requires com.anthropic.client.okhttp;

  exports dev.genaiprocessors.anthropic;
}
