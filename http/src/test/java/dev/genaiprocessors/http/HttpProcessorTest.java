package dev.genaiprocessors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Substreams;
import dev.genaiprocessors.resilience.HttpStatusException;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.testing.RecordedRequest;
import dev.genaiprocessors.testing.ScriptedHttpServer;
import dev.genaiprocessors.testing.ScriptedResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests made from parts and parts made from responses, against a real server on loopback. */
@Timeout(60)
class HttpProcessorTest {
  private static final String SECRET = "s3cr3t-KEY-0042";

  private final ScriptedHttpServer server = ScriptedHttpServer.start();

  @AfterEach
  void stopServer() {
    server.close();
  }

  private HttpProcessor.Builder builder(String path) {
    return HttpProcessor.builder(server.uri().toString() + path).resilience(Resilience.none());
  }

  @Test
  void jsonResponse_becomesAJsonPart_keepingTheInputsRoleAndMetadata_plusStatusAndTiming() {
    server.enqueue(ScriptedResponse.json("{\"answer\":42}"));
    ProcessorPart input = ProcessorPart.text("question").withRole("user").withMetadata("id", "q1");

    try (HttpProcessor api = builder("/ask").build()) {
      ProcessorPart out = api.apply(input).gather().parts().getFirst();

      assertThat(out.json().path("answer").asInt()).isEqualTo(42);
      assertThat(out.role()).isEqualTo("user");
      assertThat(out.metadata("id")).isEqualTo("q1");
      assertThat(out.metadata("http_status")).isEqualTo(200L);
      // The request's duration is recorded (its value is not checked: no timing in tests).
      assertThat(out.metadata()).containsKey(Exchange.ELAPSED_KEY);
    }
    RecordedRequest request = server.requests().getFirst();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.bodyText()).isEqualTo("question");
    assertThat(request.header("Content-Type")).isEqualTo("text/plain");
  }

  @Test
  void jsonPointer_picksAField_aStringBecomingAText() {
    server.otherwise(
        ScriptedResponse.json("{\"choices\":[{\"text\":\"bonjour\",\"score\":{\"p\":0.9}}]}"));

    try (HttpProcessor text = builder("/t").jsonPointer("/choices/0/text").build();
        HttpProcessor object = builder("/t").jsonPointer("/choices/0/score").build()) {
      assertThat(text.apply("hello").text()).isEqualTo("bonjour");
      assertThat(object.apply("hello").gather().parts().getFirst().json().path("p").asDouble())
          .isEqualTo(0.9);
    }
  }

  @Test
  void urlTemplate_isFilledFromMetadataAndText_urlEncoded() {
    server.otherwise(ScriptedResponse.json("{}"));

    try (HttpProcessor api = builder("/items/{id}?q={text}").method("GET").build()) {
      api.apply(ProcessorPart.text("a b&c").withMetadata("id", "x/1")).gather();
    }
    RecordedRequest request = server.requests().getFirst();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(java.net.URI.create(request.path()).getRawPath()).isEqualTo("/items/x%2F1");
    assertThat(java.net.URI.create(request.path()).getRawQuery()).isEqualTo("q=a%20b%26c");
    assertThat(request.body()).isEmpty();
  }

  @Test
  void missingPlaceholderValue_failsNamingThePlaceholder() {
    try (HttpProcessor api = builder("/items/{id}").build()) {
      assertThatThrownBy(() -> api.apply("no id").gather())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("{id}")
          .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains(api.name()));
    }
  }

  @Test
  void jsonBody_isBuiltFromThePart_andSentAsJson() {
    server.otherwise(ScriptedResponse.json("{}"));

    try (HttpProcessor api =
        builder("/translate").body(RequestBody.json(p -> Map.of("text", p.text()))).build()) {
      api.apply("hello").gather();
    }
    RecordedRequest request = server.requests().getFirst();
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.bodyText()).isEqualTo("{\"text\":\"hello\"}");
  }

  @Test
  void responses_becomeTextOrBytes_byContentType() {
    server.enqueue(
        ScriptedResponse.ok()
            .withHeader("Content-Type", "text/html; charset=utf-8")
            .withBody("<b>hi</b>"),
        ScriptedResponse.ok().withHeader("Content-Type", "image/png").withBody("PNG"));

    try (HttpProcessor api = builder("/r").build()) {
      ProcessorPart html = api.apply("1").gather().parts().getFirst();
      ProcessorPart png = api.apply("2").gather().parts().getFirst();
      assertThat(html.mimeType()).isEqualTo("text/html");
      assertThat(html.text()).isEqualTo("<b>hi</b>");
      assertThat(png.mimeType()).isEqualTo("image/png");
      assertThat(png.bytes()).isEqualTo("PNG".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void eventStream_becomesOnePartPerEvent_untilDone() {
    server.enqueue(
        ScriptedResponse.ok()
            .withHeader("Content-Type", "text/event-stream")
            .withChunks(
                List.of(
                    ": keep-alive\n\n",
                    "data: {\"delta\":\"Hel\"}\n\n",
                    "event: message\ndata: {\"delta\":\"lo\"}\n\n",
                    "data: [DONE]\n\n")));

    try (HttpProcessor api = builder("/stream").jsonPointer("/delta").build()) {
      ProcessorContent out = api.apply("hi").gather();
      assertThat(out.parts()).extracting(ProcessorPart::text).containsExactly("Hel", "lo");
    }
  }

  static Stream<Arguments> auths() {
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("ann:" + SECRET).getBytes(StandardCharsets.UTF_8));
    return Stream.of(
        Arguments.of(
            "bearer",
            HttpAuth.bearer(SECRET),
            (Consumer<RecordedRequest>)
                r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + SECRET)),
        Arguments.of(
            "API key header",
            HttpAuth.apiKeyHeader("x-api-key", SECRET),
            (Consumer<RecordedRequest>) r -> assertThat(r.header("x-api-key")).isEqualTo(SECRET)),
        Arguments.of(
            "API key query",
            HttpAuth.apiKeyQuery("key", SECRET),
            (Consumer<RecordedRequest>)
                r ->
                    assertThat(java.net.URI.create(r.path()).getRawQuery())
                        .isEqualTo("alt=json&key=" + SECRET)),
        Arguments.of(
            "basic",
            HttpAuth.basic("ann", SECRET),
            (Consumer<RecordedRequest>)
                r -> assertThat(r.header("Authorization")).isEqualTo(basic)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("auths")
  void auth_sendsTheSecret_butNeverShowsIt(
      String kind, HttpAuth auth, Consumer<RecordedRequest> sent) {
    server.enqueue(
        ScriptedResponse.json("{}"), ScriptedResponse.status(401).withBody("bad credentials"));

    try (HttpProcessor api = builder("/secure?alt=json").auth(auth).build()) {
      api.apply("hi").gather();
      Throwable failure =
          org.assertj.core.api.Assertions.catchThrowable(() -> api.apply("again").gather());

      sent.accept(server.requests().getFirst());
      assertThat(failure).isInstanceOf(HttpStatusException.class);
      assertThat(failure.getMessage()).contains("401").doesNotContain(SECRET);
      assertThat(ProcessorException.stageOf(failure)).contains(api.name());
      assertThat(failure.getSuppressed())
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.getMessage()).doesNotContain(SECRET));
      assertThat(api.toString()).doesNotContain(SECRET);
      assertThat(api.name()).doesNotContain(SECRET);
      assertThat(auth.toString()).doesNotContain(SECRET).contains("redacted");
    }
  }

  @Test
  void clientError_namesTheRedactedUrl_theStatus_andTheStartOfTheBody() {
    server.enqueue(ScriptedResponse.status(404).withBody("no such item: 17" + "x".repeat(5000)));

    try (HttpProcessor api = builder("/items").auth(HttpAuth.apiKeyQuery("key", SECRET)).build()) {
      assertThatThrownBy(() -> api.apply("hi").gather())
          .isInstanceOfSatisfying(
              HttpStatusException.class,
              e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.getMessage())
                    .contains("HTTP 404")
                    .contains(server.uri() + "/items?key=REDACTED")
                    .contains("no such item: 17")
                    .doesNotContain(SECRET)
                    .hasSizeLessThan(400);
              });
    }
  }

  @Test
  void emitErrorPart_carriesTheStatus_theCappedBody_andTheRequestId() {
    server.enqueue(
        ScriptedResponse.status(500)
            .withHeader("x-request-id", "req-77")
            .withBody("boom".repeat(100)));

    try (HttpProcessor api =
        builder("/e")
            .errorStrategy(HttpErrorStrategy.EMIT_ERROR_PART)
            .maxErrorBodyChars(12)
            .build()) {
      ProcessorPart error = api.apply("hi").gather().parts().getFirst();

      assertThat(error.isException()).isTrue();
      assertThat(error.substreamName()).isEqualTo(Substreams.STATUS);
      assertThat(error.metadata("http_status")).isEqualTo(500L);
      assertThat(error.metadata("http_error_body")).isEqualTo("boomboomboom");
      assertThat(error.metadata("http_request_id")).isEqualTo("req-77");
      assertThat(error.metadata("exception_type")).isEqualTo("HttpStatusException");
      assertThat(error.metadata("exception_class")).isEqualTo(HttpStatusException.class.getName());
    }
  }

  @Test
  void passThrough_emitsTheInputUnchanged_thenAnErrorPart_andGoesOn() {
    server.enqueue(
        ScriptedResponse.status(400).withBody("bad"), ScriptedResponse.json("{\"n\":2}"));
    ProcessorPart first = ProcessorPart.text("one").withMetadata("n", 1);

    try (HttpProcessor api = builder("/p").errorStrategy(HttpErrorStrategy.PASS_THROUGH).build()) {
      List<ProcessorPart> out =
          api.toProcessor(1).apply(List.of(first, ProcessorPart.text("two"))).gather().parts();

      assertThat(out).hasSize(3);
      assertThat(out.get(0)).isEqualTo(first);
      assertThat(out.get(1).isException()).isTrue();
      assertThat(out.get(1).metadata("http_status")).isEqualTo(400L);
      assertThat(out.get(2).json().path("n").asInt()).isEqualTo(2);
    }
  }

  @Test
  void unmatchedParts_passThrough_withoutARequest() {
    try (HttpProcessor api = builder("/x").match(ProcessorPart::isText).build()) {
      ProcessorPart image = ProcessorPart.bytes(new byte[] {1, 2}, "image/png");
      assertThat(api.apply(image).gather().parts()).containsExactly(image);
    }
    assertThat(server.requestCount()).isZero();
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of(
            "connectTimeout",
            "PT0S",
            (Executable) () -> HttpProcessor.builder("http://h/").connectTimeout(Duration.ZERO)),
        Arguments.of(
            "requestTimeout",
            "PT-1S",
            (Executable)
                () -> HttpProcessor.builder("http://h/").requestTimeout(Duration.ofSeconds(-1))),
        Arguments.of(
            "maxConcurrentRequests",
            "0",
            (Executable) () -> HttpProcessor.builder("http://h/").maxConcurrentRequests(0)),
        Arguments.of(
            "maxErrorBodyChars",
            "-3",
            (Executable) () -> HttpProcessor.builder("http://h/").maxErrorBodyChars(-3)),
        Arguments.of(
            "urlTemplate", "ftp://h/", (Executable) () -> HttpProcessor.builder("ftp://h/")),
        Arguments.of(
            "method",
            "GE T",
            (Executable) () -> HttpProcessor.builder("http://h/").method("GE T")));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("badSettings")
  void badSetting_isRejected_namingTheSettingAndTheValue(
      String setting, String value, Executable build) {
    assertThatThrownBy(build::execute)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(setting)
        .hasMessageContaining(value);
  }
}
