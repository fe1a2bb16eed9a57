/**
 * GenAI Processors for Java, Gemini: {@link dev.genaiprocessors.gemini.GeminiModel}, a streaming
 * model processor on Google's official Gen AI Java SDK, for the Gemini API (AI Studio keys) and
 * Vertex AI.
 */
module dev.genaiprocessors.gemini {
  requires transitive dev.genaiprocessors.core;
  // The SDK's jar names its module in its manifest (Automatic-Module-Name: com.google.genai);
  // OkHttp
  // 4's does too (okhttp3): the model gives the SDK an OkHttp client of its own.
  requires transitive com.google.genai;
  requires okhttp3;
  requires com.fasterxml.jackson.databind;

  exports dev.genaiprocessors.gemini;
}
