/**
 * GenAI Processors for Java, http: any HTTP API as a {@code PartProcessor} on the JDK {@code
 * HttpClient}, with authentication, error strategies and the {@code resilience} module's retry and
 * rate limit by default.
 */
module dev.genaiprocessors.http {
  requires transitive dev.genaiprocessors.core;
  requires transitive dev.genaiprocessors.resilience;
  requires transitive java.net.http;
  requires static transitive org.jspecify;

  exports dev.genaiprocessors.http;
}
