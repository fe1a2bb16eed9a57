package dev.genaiprocessors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Substreams;
import dev.genaiprocessors.model.Secrets;
import dev.genaiprocessors.resilience.HttpStatusException;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.testing.ScriptedHttpServer;
import dev.genaiprocessors.testing.ScriptedResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that echoes the credentials back in an error (in the body and in a header) never gets
 * them shown: not in the exception, its cause chain or stack trace, not in an error part.
 */
@Timeout(60)
class HttpSecretsTest {
  private static final String TOKEN = "tok-SECRET-987zyx";
  private static final String KEY = "key/SECRET+5150";
  private static final String PASSWORD = "pw-SECRET-4242";
  private static final String BASIC =
      Base64.getEncoder().encodeToString(("ann:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

  private final ScriptedHttpServer server = ScriptedHttpServer.start();

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** Each kind of credentials, and the forms of its secret a server may echo. */
  static Stream<Arguments> credentials() {
    return Stream.of(
        Arguments.of("bearer", HttpAuth.bearer(TOKEN), List.of(TOKEN)),
        Arguments.of("API key in a header", HttpAuth.apiKeyHeader("x-api-key", KEY), List.of(KEY)),
        Arguments.of(
            "API key in the query",
            HttpAuth.apiKeyQuery("key", KEY),
            List.of(KEY, "key%2FSECRET%2B5150")),
        Arguments.of(
            "basic", HttpAuth.basic("ann", PASSWORD), List.of(PASSWORD, BASIC, "ann:" + PASSWORD)));
  }

  /**
   * A 401 echoing every form of the secret, as "Bearer ..."/"Basic ..." too, in the body and a
   * header.
   */
  private void answer401Echoing(List<String> forms) {
    String echo =
        String.join(" | ", forms) + " | Bearer " + forms.getFirst() + " | Basic " + forms.getLast();
    server.otherwise(
        ScriptedResponse.status(401)
            .withHeader("Content-Type", "application/json")
            .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", got=\"" + echo + "\"")
            .withHeader("x-request-id", "req-" + forms.getFirst())
            .withBody("{\"error\":\"bad key ... " + echo + "\"}"));
  }

  private HttpProcessor.Builder builder(HttpAuth auth) {
    return HttpProcessor.builder(server.uri() + "/s401?alt=json")
        .auth(auth)
        .resilience(Resilience.none());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("credentials")
  void failure_neverShowsAnEchoedSecret_inTheMessageTheCauseChainOrTheStackTrace(
      String kind, HttpAuth auth, List<String> forms) {
    answer401Echoing(forms);

    try (HttpProcessor api = builder(auth).build()) {
      Throwable failure = catchThrowable(() -> api.apply("hi").gather());

      assertThat(failure).isInstanceOf(HttpStatusException.class).hasMessageContaining("401");
      assertThat(failure.getSuppressed()).isNotEmpty();
      HttpStatusException status = (HttpStatusException) failure;
      assertThat(status.body()).contains("bad key").contains(Secrets.REDACTED);
      StringWriter trace = new StringWriter();
      failure.printStackTrace(new PrintWriter(trace));
      for (String secret : forms) {
        assertThat(failure.getMessage()).doesNotContain(secret);
        assertThat(failure.toString()).doesNotContain(secret);
        assertThat(trace.toString()).doesNotContain(secret);
        assertThat(status.body()).doesNotContain(secret);
        assertThat(status.headers().toString()).doesNotContain(secret);
        assertThat(String.valueOf(status.requestId())).doesNotContain(secret);
      }
      assertThat(Secrets.appearsInAny(failure, forms)).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("credentials")
  void errorPart_neverShowsAnEchoedSecret(String kind, HttpAuth auth, List<String> forms) {
    answer401Echoing(forms);

    try (HttpProcessor api =
        builder(auth).errorStrategy(HttpErrorStrategy.EMIT_ERROR_PART).build()) {
      List<ProcessorPart> out = api.apply("hi").gather().parts();

      assertThat(out)
          .singleElement()
          .satisfies(
              error -> {
                assertThat(error.isException()).isTrue();
                assertThat(error.metadata("http_status")).isEqualTo(401L);
                assertNoSecretIn(error, forms);
              });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("credentials")
  void passThroughStatusPart_neverShowsAnEchoedSecret(
      String kind, HttpAuth auth, List<String> forms) {
    answer401Echoing(forms);
    ProcessorPart input = ProcessorPart.text("hi");

    try (HttpProcessor api = builder(auth).errorStrategy(HttpErrorStrategy.PASS_THROUGH).build()) {
      List<ProcessorPart> out = api.apply(input).gather().parts();

      assertThat(out).hasSize(2);
      assertThat(out.get(0)).isEqualTo(input);
      assertThat(out.get(1).substreamName()).isEqualTo(Substreams.STATUS);
      assertNoSecretIn(out.get(1), forms);
    }
  }

  private static void assertNoSecretIn(ProcessorPart part, List<String> forms) {
    String shown = part.text() + " " + part.metadata() + " " + part;
    assertThat(shown).contains("bad key");
    for (String secret : forms) {
      assertThat(shown).doesNotContain(secret);
    }
  }

  @Test
  void networkErrorShowingTheKey_isReplaced_byOneOfTheSameKindWithoutTheCause() {
    try (HttpProcessor api =
        HttpProcessor.builder(server.uri() + "/s?alt=json")
            .auth(HttpAuth.apiKeyQuery("key", KEY))
            .client(new UriEchoingClient())
            .resilience(Resilience.none())
            .build()) {
      Throwable failure = catchThrowable(() -> api.apply("hi").gather());

      // Still an IOException, so a retry still treats it as a network error.
      assertThat(failure.getCause()).isExactlyInstanceOf(IOException.class).hasNoCause();
      assertThat(failure.getCause().getMessage())
          .contains("connection reset")
          .contains(Secrets.REDACTED);
      assertThat(Secrets.appearsInAny(failure, List.of(KEY, "key%2FSECRET%2B5150"))).isFalse();
    }
  }

  /** A client failing as some do: the request's URI in the message, a header in the cause. */
  private static final class UriEchoingClient extends HttpClient {
    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
        throws IOException {
      throw new IOException(
          "connection reset by " + request.uri(),
          new IOException("sent " + request.headers().map()));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      throw new UnsupportedOperationException("send only");
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest request,
        HttpResponse.BodyHandler<T> handler,
        HttpResponse.PushPromiseHandler<T> push) {
      throw new UnsupportedOperationException("send only");
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
      throw new UnsupportedOperationException("no TLS");
    }

    @Override
    public SSLParameters sslParameters() {
      return new SSLParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
      return Optional.empty();
    }
  }
}
