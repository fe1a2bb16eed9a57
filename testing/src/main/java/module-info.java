/**
 * GenAI Processors for Java, testing: local servers that speak the vendors' wire formats ({@code
 * OpenAiServer}, {@code GeminiServer}, {@code AwsJsonServer}; Adobe S3Mock as a process, {@code
 * S3MockServer}) or play scripted HTTP responses ({@code ScriptedHttpServer}), so pipelines are
 * tested without a vendor's cloud; and fuzzing for the readers of event streams ({@code
 * EventStreamFuzz}).
 */
module dev.genaiprocessors.testing {
  requires transitive dev.genaiprocessors.core;
  requires jdk.httpserver;

  exports dev.genaiprocessors.testing;
}
