package dev.genaiprocessors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventStreamsTest {
  private static final String KEY = "sk-live-0123456789abcdef";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/event-stream",
        "text/event-stream; charset=utf-8",
        "TEXT/Event-Stream;charset=UTF-8",
        " text/event-stream ",
        ""
      })
  void isEventStream_acceptsTheMediaTypeInAnyCase_withAnyParameters_andNoHeader(String type) {
    assertThat(EventStreams.isEventStream(type)).isTrue();
    assertThat(EventStreams.isEventStream(null)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/html; charset=utf-8",
        "application/json",
        "text/plain",
        "text/event-streams",
        "application/x-ndjson",
        "text"
      })
  void isEventStream_refusesEveryOtherMediaType(String type) {
    assertThat(EventStreams.isEventStream(type)).isFalse();
  }

  @Test
  void check_readsNothing_ofAnEventStream() throws Exception {
    InputStream body = stream("data: {}\n\n");

    EventStreams.check("text/event-stream", body, KEY);

    assertThat(body.available()).isEqualTo(10);
  }

  @Test
  void check_namesTheContentType_andQuotesTheStartOfTheBody_onOneLine() {
    EventStreams.NotAnEventStream e =
        catchThrowableOfType(
            EventStreams.NotAnEventStream.class,
            () ->
                EventStreams.check(
                    "text/html; charset=UTF-8",
                    stream("<!DOCTYPE html>\n<html>\r\n  <title>Log in</title>\t</html>\n"),
                    KEY));

    assertThat(e.contentType()).isEqualTo("text/html; charset=UTF-8");
    assertThat(e.bodyStart()).isEqualTo("<!DOCTYPE html> <html> <title>Log in</title> </html>");
    assertThat(e.getMessage())
        .isEqualTo(
            "answered with text/html; charset=UTF-8 instead of an"
                + " event stream (text/event-stream), as a proxy, captive portal or gateway in the"
                + " server's place does; the body starts: <!DOCTYPE html> <html> <title>Log in</title>"
                + " </html>");
  }

  @Test
  void check_quotesAtMostTwoHundredCharacters_andReadsAtMostOneKibibyte() throws IOException {
    InputStream body = stream("<p>" + "x".repeat(5000));

    EventStreams.NotAnEventStream e =
        catchThrowableOfType(
            EventStreams.NotAnEventStream.class, () -> EventStreams.check("text/html", body, KEY));

    assertThat(e.bodyStart()).isEqualTo("<p>" + "x".repeat(197) + "...");
    assertThat(body.available()).isEqualTo(5003 - EventStreams.READ);
  }

  @Test
  void check_redactsTheSecret_inTheBody_andWhereTheReadCutItOff() {
    EventStreams.NotAnEventStream whole =
        catchThrowableOfType(
            EventStreams.NotAnEventStream.class,
            () -> EventStreams.check("application/json", stream("{\"key\":\"" + KEY + "\"}"), KEY));
    // The read ends 10 characters into the key; the spaces before it collapse, so it would show.
    String cut = " ".repeat(EventStreams.READ - 10) + KEY;

    assertThat(whole.getMessage()).contains("{\"key\":\"<redacted>\"}").doesNotContain(KEY);
    assertThat(EventStreams.start(stream(cut), KEY)).isEqualTo("...");
  }

  @Test
  void check_saysSo_whenTheBodyIsEmpty_orFailsToRead() {
    EventStreams.NotAnEventStream empty =
        catchThrowableOfType(
            EventStreams.NotAnEventStream.class,
            () -> EventStreams.check("application/json", stream(""), null));
    InputStream failing =
        new InputStream() {
          private int sent;

          @Override
          public int read() throws IOException {
            if (sent++ < 3) {
              return '{';
            }
            throw new IOException("connection reset");
          }
        };
    EventStreams.NotAnEventStream broken =
        catchThrowableOfType(
            EventStreams.NotAnEventStream.class,
            () -> EventStreams.check("text/plain", failing, null));

    assertThat(empty.getMessage()).endsWith("the body starts: (empty)");
    assertThat(broken.bodyStart()).isEqualTo("{{{ (reading the rest failed: IOException)");
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
