/**
 * GenAI Processors for Java, resilience: rate limit, retry, circuit breaker, bulkhead and timeout
 * decorators for any processor, built on Resilience4j. Resilience4j stays an implementation detail:
 * none of its types appears in this module's API.
 */
module dev.genaiprocessors.resilience {
  requires transitive dev.genaiprocessors.core;
  requires static transitive org.jspecify;
  requires io.github.resilience4j.ratelimiter;
  requires io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.bulkhead;
  requires io.github.resilience4j.core;

  exports dev.genaiprocessors.resilience;
}
