package dev.genaiprocessors.examples;

import com.sun.net.httpserver.HttpServer;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.http.HttpAuth;
import dev.genaiprocessors.http.HttpErrorStrategy;
import dev.genaiprocessors.http.HttpProcessor;
import dev.genaiprocessors.http.RequestBody;
import dev.genaiprocessors.resilience.RateLimitConfig;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.resilience.RetryConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP API as a processor. The example starts its own "translation API" on loopback: it wants a
 * bearer token, answers JSON, refuses the first request with 429 and {@code Retry-After: 1}, and
 * does not know the word "xyzzy" (404). An {@link HttpProcessor} sends each part as a JSON request,
 * picks the translation with a JSON pointer, waits as asked and retries the 429, and turns the 404
 * into an error part (the run goes on). The token never shows in the output.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=dev.genaiprocessors.examples.HttpApiExample}
 */
public final class HttpApiExample {
  private static final String TOKEN = "example-token-123";

  private HttpApiExample() {}

  public static void main(String[] args) throws IOException {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      server.setExecutor(executor);
      server.createContext(
          "/v1/translate",
          exchange -> {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int n = requests.incrementAndGet();
            int status;
            String answer;
            if (!("Bearer " + TOKEN)
                .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
              status = 401;
              answer = "{\"error\":\"bad token\"}";
            } else if (n == 1) {
              status = 429;
              answer = "{\"error\":\"rate limited\"}";
              exchange.getResponseHeaders().add("Retry-After", "1");
            } else if (body.contains("xyzzy")) {
              status = 404;
              answer = "{\"error\":\"unknown word: xyzzy\"}";
              exchange.getResponseHeaders().add("x-request-id", "req-" + n);
            } else {
              status = 200;
              String word = body.replaceAll(".*\"text\":\"([^\"]*)\".*", "$1");
              answer =
                  "{\"translation\":\"" + new StringBuilder(word).reverse() + "\",\"lang\":\"fr\"}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          });
      server.start();
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/translate?to={lang}";

      try (HttpProcessor translate =
          HttpProcessor.builder(url)
              .auth(HttpAuth.bearer(TOKEN))
              .body(RequestBody.json(part -> Map.of("text", part.text())))
              .jsonPointer("/translation")
              .errorStrategy(HttpErrorStrategy.EMIT_ERROR_PART)
              .requestTimeout(Duration.ofSeconds(5))
              .resilience(
                  Resilience.builder("translation-api")
                      .retry(RetryConfig.defaults())
                      .rateLimit(RateLimitConfig.perSecond(10))
                      .statusParts(true)
                      .build())
              .build()) {
        System.out.println("processor: " + translate);
        List<ProcessorPart> words =
            List.of("hello", "world", "xyzzy").stream()
                .map(w -> ProcessorPart.text(w).withMetadata("lang", "fr"))
                .toList();
        try (ProcessorStream results = translate.toProcessor(1).apply(words)) {
          for (ProcessorPart part : results) {
            if (part.isException()) {
              System.out.println(
                  "error  | HTTP "
                      + part.metadata("http_status")
                      + " "
                      + part.metadata("http_error_body")
                      + " (request "
                      + part.metadata("http_request_id")
                      + ")");
            } else if (!part.substreamName().isEmpty()) {
              System.out.println("status | " + part.text());
            } else {
              System.out.println(
                  "data   | " + part.text() + " (HTTP " + part.metadata("http_status") + ")");
            }
          }
        }
      }
      System.out.println(requests.get() + " requests served");
    } finally {
      server.stop(0);
    }
  }
}
