package dev.genaiprocessors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.jspecify.annotations.Nullable;

/**
 * Property-based tests (fuzzing) of {@link SseReader}: generated event streams, written with any
 * mix of line ends, comments, ignored fields, a byte order mark and a missing last blank line, read
 * back as the events written, however the bytes arrive; and any bytes at all are read without an
 * exception. See {@link PartJsonFuzzTest} for the number of tries and a long run by hand.
 */
class SseReaderFuzzTest {

  /** One event as written: its name ({@code null} for none) and its data lines. */
  record Event(@Nullable String name, List<String> data, List<String> noise) {
    /** What a reader hands out for it, as "name|data"; {@code null} when it is skipped. */
    @Nullable String expected() {
      String joined = String.join("\n", data);
      return data.isEmpty() || joined.isEmpty() ? null : (name == null ? "" : name) + "|" + joined;
    }
  }

  @Property
  void generatedEventStreams_withAnyLineEnds_readAsTheEventsWritten(
      @ForAll("streams") List<Event> events,
      @ForAll("lineEnds") List<String> lineEnds,
      @ForAll boolean byteOrderMark,
      @ForAll boolean lastBlankLine,
      @ForAll @IntRange(min = 1, max = 64) int chunk)
      throws IOException {
    List<String> lines = new ArrayList<>();
    for (Event event : events) {
      lines.addAll(event.noise());
      if (event.name() != null) {
        lines.add(field("event", event.name()));
      }
      for (String data : event.data()) {
        lines.add(data.isEmpty() && lines.size() % 2 == 0 ? "data" : field("data", data));
      }
      lines.add("");
    }
    if (!lastBlankLine && !lines.isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    StringBuilder body = new StringBuilder(byteOrderMark ? "\uFEFF" : "");
    String previousEnd = "";
    for (int i = 0; i < lines.size(); i++) {
      String end = lineEnds.get(i % lineEnds.size());
      if (previousEnd.equals("\r") && lines.get(i).isEmpty() && end.equals("\n")) {
        end = "\r\n"; // CR then LF would be one line end, not an empty line after a CR
      }
      boolean last = i == lines.size() - 1;
      body.append(lines.get(i)).append(last && !lastBlankLine ? "" : end);
      previousEnd = end;
    }

    List<String> expected = new ArrayList<>();
    for (Event event : events) {
      if (event.expected() != null) {
        expected.add(event.expected());
      }
    }
    assertThat(read(body.toString().getBytes(UTF_8), chunk)).containsExactlyElementsOf(expected);
  }

  @Property
  void anyBytes_areReadWithoutAnException_howeverTheyArrive(
      @ForAll("noise") byte[] bytes, @ForAll @IntRange(min = 1, max = 64) int chunk)
      throws IOException {
    List<String> events = read(bytes, chunk);

    assertThat(events).hasSizeLessThanOrEqualTo(bytes.length);
    assertThat(read(bytes, bytes.length + 1)).isEqualTo(events);
  }

  /** A field line; a value starting with a space gets the one space the reader drops. */
  private static String field(String name, String value) {
    return value.startsWith(" ") || value.hashCode() % 2 == 0 ? name + ": " + value : name + ":" + value;
  }

  private static List<String> read(byte[] body, int chunk) throws IOException {
    InputStream in =
        new ByteArrayInputStream(body) {
          @Override
          public int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, chunk));
          }
        };
    SseReader reader = new SseReader(in);
    List<String> events = new ArrayList<>();
    while (reader.next()) {
      events.add(reader.event() + "|" + reader.dataText());
    }
    return events;
  }

  // ---------------------------------------------------------------- generators

  /** Field values: any text without a line end (which no field value can hold). */
  private static Arbitrary<String> values() {
    return Arbitraries.oneOf(
            Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(10),
            Arbitraries.strings()
                .all()
                .ofMaxLength(10)
                .map(s -> new String(s.getBytes(UTF_8), UTF_8)), // lone surrogates as UTF-8 has them
            Arbitraries.of("", " ", ":", " lead", "[DONE]", "{\"a\":1}", "\uFEFF"))
        .map(s -> s.replace("\r", "").replace("\n", ""));
  }

  @Provide
  Arbitrary<List<Event>> streams() {
    Arbitrary<String> noiseLine =
        Arbitraries.oneOf(
            values().map(v -> ":" + v),
            values().map(v -> "id: " + v),
            values().map(v -> "retry:" + v),
            values().map(v -> "unknown: " + v),
            Arbitraries.of("data ", "Data: x", "event :x", " data: x"));
    return Combinators.combine(
            values().injectNull(0.4),
            values().list().ofMaxSize(3),
            noiseLine.list().ofMaxSize(2))
        .as(Event::new)
        .list()
        .ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<String>> lineEnds() {
    return Arbitraries.of("\n", "\r", "\r\n").list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<byte[]> noise() {
    Arbitrary<byte[]> anyBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    Arbitrary<byte[]> lineish =
        Arbitraries.strings()
            .withChars("data:event \r\n\uFEFFxy")
            .ofMaxLength(100)
            .map(s -> s.getBytes(UTF_8));
    return Arbitraries.oneOf(anyBytes, lineish);
  }
}
