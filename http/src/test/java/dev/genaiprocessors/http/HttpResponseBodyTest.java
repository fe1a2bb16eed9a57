package dev.genaiprocessors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Substreams;
import dev.genaiprocessors.model.Secrets;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.testing.ScriptedHttpServer;
import dev.genaiprocessors.testing.ScriptedResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies that are not what their content type or the processor's JSON pointer says: never a JSON
 * part that is not JSON, always an error naming the content type and the start of the body.
 */
@Timeout(60)
class HttpResponseBodyTest {
  private static final String HTML_PAGE =
      "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body>"
          + "<h1>Bad Gateway</h1>"
          + "<p>The proxy could not reach the upstream.</p>".repeat(40)
          + "</body></html>";

  private final ScriptedHttpServer server = ScriptedHttpServer.start();

  @AfterEach
  void stopServer() {
    server.close();
  }

  private HttpProcessor.Builder builder() {
    return HttpProcessor.builder(server.uri() + "/api").resilience(Resilience.none());
  }

  private static ScriptedResponse ok(String contentType, String body) {
    return ScriptedResponse.ok().withHeader("Content-Type", contentType).withBody(body);
  }

  private static UnexpectedResponseException failureOf(HttpProcessor api) {
    Throwable failure = catchThrowable(() -> api.apply("hi").gather());
    assertThat(failure).isInstanceOf(UnexpectedResponseException.class);
    assertThat(ProcessorException.stageOf(failure)).contains(api.name());
    return (UnexpectedResponseException) failure;
  }

  /** Bodies expected as JSON that are not: by content type, or by the processor's JSON pointer. */
  static Stream<Arguments> notJson() {
    return Stream.of(
        Arguments.of(
            "HTML page labelled JSON by a proxy",
            "application/json",
            null,
            HTML_PAGE,
            "<!DOCTYPE html> <html>"),
        Arguments.of(
            "HTML page, JSON pointer set",
            "text/html; charset=utf-8",
            "/answer",
            HTML_PAGE,
            "<!DOCTYPE html> <html>"),
        Arguments.of(
            "truncated JSON",
            "application/json",
            null,
            "{\"answer\": \"bonj",
            "{\"answer\": \"bonj"),
        Arguments.of(
            "truncated JSON, JSON pointer set",
            "application/json",
            "/answer",
            "{\"answer\": \"bonj",
            "{\"answer\": \"bonj"),
        Arguments.of(
            "JSON with an HTML tail",
            "application/json",
            null,
            "{\"a\":1}<html>oops</html>",
            "{\"a\":1}<html>"),
        Arguments.of(
            "plain text, JSON pointer set",
            "text/plain",
            "/answer",
            "upstream timed out",
            "upstream timed out"),
        Arguments.of(
            "truncated NDJSON line",
            "application/x-ndjson",
            null,
            "{\"n\":1}\n{\"n\":",
            "{\"n\":"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notJson")
  void bodyExpectedAsJson_butNotJson_failsNamingTheContentTypeAndTheStartOfTheBody(
      String kind, String contentType, String pointer, String body, String start) {
    server.otherwise(ok(contentType, body));
    HttpProcessor.Builder builder = builder();
    if (pointer != null) {
      builder.jsonPointer(pointer);
    }

    try (HttpProcessor api = builder.build()) {
      UnexpectedResponseException e = failureOf(api);

      assertThat(e.getMessage())
          .contains("HTTP 200")
          .contains("Content-Type " + contentType)
          .contains("not valid JSON")
          .contains(start)
          .hasSizeLessThan(600);
      assertThat(e.status()).isEqualTo(200);
      assertThat(e.contentType()).isEqualTo(contentType);
      assertThat(e.bodyStart())
          .startsWith(start)
          .hasSizeLessThanOrEqualTo(UnexpectedResponseException.BODY_START_CHARS);
    }
  }

  @Test
  void
      htmlPageWith200_underTheErrorPartStrategy_becomesAnErrorPartWithTheContentTypeAndTheBodyStart() {
    server.otherwise(ok("application/json", HTML_PAGE));

    try (HttpProcessor api = builder().errorStrategy(HttpErrorStrategy.EMIT_ERROR_PART).build()) {
      List<ProcessorPart> out = api.apply("hi").gather().parts();

      assertThat(out)
          .singleElement()
          .satisfies(
              error -> {
                assertThat(error.isException()).isTrue();
                assertThat(error.metadata("exception_type"))
                    .isEqualTo("UnexpectedResponseException");
                assertThat(error.metadata("http_status")).isEqualTo(200L);
                assertThat(error.metadata("http_content_type")).isEqualTo("application/json");
                assertThat((String) error.metadata("http_error_body"))
                    .startsWith("<!DOCTYPE html>");
              });
    }
  }

  @Test
  void htmlPageWith200_underPassThrough_emitsTheInput_thenAStatusPart() {
    server.otherwise(ok("application/json", HTML_PAGE));
    ProcessorPart input = ProcessorPart.text("hi");

    try (HttpProcessor api = builder().errorStrategy(HttpErrorStrategy.PASS_THROUGH).build()) {
      List<ProcessorPart> out = api.apply(input).gather().parts();

      assertThat(out).hasSize(2);
      assertThat(out.get(0)).isEqualTo(input);
      assertThat(out.get(1).isException()).isTrue();
      assertThat(out.get(1).substreamName()).isEqualTo(Substreams.STATUS);
      assertThat(out.get(1).text()).contains("application/json").contains("<!DOCTYPE html>");
    }
  }

  @Test
  void plainTextWithTextPlain_becomesATextPart_carryingTextPlain() {
    server.otherwise(ok("text/plain; charset=utf-8", "just words"));

    try (HttpProcessor api = builder().build()) {
      ProcessorPart out = api.apply("hi").gather().parts().getFirst();

      assertThat(out.mimeType()).isEqualTo("text/plain");
      assertThat(out.text()).isEqualTo("just words");
    }
  }

  @Test
  void jsonWithAWrongContentType_staysAPartOfThatType_withoutAPointer() {
    server.otherwise(ok("text/plain", "{\"answer\":\"bonjour\"}"));

    try (HttpProcessor api = builder().build()) {
      ProcessorPart out = api.apply("hi").gather().parts().getFirst();

      assertThat(out.mimeType()).isEqualTo("text/plain");
      assertThat(out.text()).isEqualTo("{\"answer\":\"bonjour\"}");
    }
  }

  @Test
  void jsonWithAWrongContentType_isRead_whenAJsonPointerAsksForAField() {
    server.otherwise(ok("text/html", "{\"answer\":\"bonjour\"}"));

    try (HttpProcessor api = builder().jsonPointer("/answer").build()) {
      assertThat(api.apply("hi").text()).isEqualTo("bonjour");
    }
  }

  @Test
  void notJsonEchoingTheToken_showsItNowhere_notInTheParsersMessageNorTheCauseChain() {
    String token = "tok-SECRET-987zyx";
    // Jackson quotes the token it could not read: "Unrecognized token 'tok-SECRET-987zyx'".
    server.otherwise(ok("application/json", token + " is not a valid token"));

    try (HttpProcessor api = builder().auth(HttpAuth.bearer(token)).build()) {
      Throwable failure = catchThrowable(() -> api.apply("hi").gather());

      StringWriter trace = new StringWriter();
      failure.printStackTrace(new PrintWriter(trace));
      assertThat(failure).isInstanceOf(UnexpectedResponseException.class);
      assertThat(failure.getMessage()).contains(Secrets.REDACTED + " is not a valid token");
      assertThat(failure.getSuppressed()).isNotEmpty();
      assertThat(trace.toString()).doesNotContain(token);
      assertThat(Secrets.appearsIn(failure, token)).isFalse();
    }
  }
}
