package dev.genaiprocessors.discovery;

import dev.genaiprocessors.Processor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;

/**
 * One active health check of one instance: returns when the instance is healthy, throws (any
 * exception, whose message says why) when it is not. Run by a {@link BalancedProcessor} as its
 * {@link HealthCheck} says, on a virtual thread of its own that is interrupted at the check's
 * timeout, so a probe must honour interruption.
 */
@FunctionalInterface
public interface HealthProbe {

  /**
   * Checks {@code instance}, reached through {@code processor} (the one the balancer's factory made
   * for it) or directly.
   *
   * @throws Exception when the instance is not healthy
   */
  void check(ServiceInstance instance, Processor processor) throws Exception;

  /**
   * An HTTP {@code GET} of {@code path} appended to the instance's address: healthy on a 2xx
   * answer.
   *
   * <pre>{@code
   * HealthProbe probe = HealthProbe.http(HttpClient.newHttpClient(), "/health");
   * }</pre>
   */
  static HealthProbe http(HttpClient client, String path) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(path, "path");
    return (instance, processor) -> {
      String base = instance.address();
      URI uri =
          URI.create(
              base.endsWith("/") && path.startsWith("/") ? base + path.substring(1) : base + path);
      HttpResponse<Void> response =
          client.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
      }
    };
  }

  /**
   * A call of the instance's processor with {@code prompt}: healthy when the call completes, with
   * or without an answer. For model endpoints that have no health URL; each check is a real call.
   */
  static HealthProbe processor(String prompt) {
    Objects.requireNonNull(prompt, "prompt");
    return (instance, processor) -> processor.apply(prompt).gather();
  }
}
