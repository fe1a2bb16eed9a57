package dev.genaiprocessors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.model.SseReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests (fuzzing) of {@link SseReader}: generated event streams, written with any
 * mix of line ends, comments, ignored fields, a byte order mark and a missing last blank line, read
 * back as the events written, however the bytes arrive; and any bytes at all are read without an
 * exception, the same whatever the chunks. See {@link PartJsonFuzzTest} for the number of tries and
 * a long run by hand.
 */
class SseReaderFuzzTest {

  /** One event as written: its name ({@code null} for none), data lines and lines to ignore. */
  record Event(@Nullable String name, List<String> data, List<String> noise) {
    /** What a reader hands out for it, as "name|data"; {@code null} when it is skipped. */
    @Nullable String expected() {
      String joined = String.join("\n", data);
      return joined.isEmpty() ? null : (name == null ? "" : name) + "|" + joined;
    }
  }

  /** A generated stream: its bytes, the events it holds, and the size of the chunks it comes in. */
  record Stream(byte[] body, List<String> expected, int chunk) {
    @Override
    public String toString() {
      return new String(body, UTF_8).replace("\r", "\\r").replace("\n", "\\n")
          + " in chunks of "
          + chunk;
    }
  }

  @Test
  void generatedEventStreams_withAnyLineEnds_readAsTheEventsWritten() {
    Fuzz.check(
        "event streams",
        SseReaderFuzzTest::stream,
        stream ->
            assertThat(read(stream.body(), stream.chunk()))
                .containsExactlyElementsOf(stream.expected()));
  }

  @Test
  void anyBytes_areReadWithoutAnException_howeverTheyArrive() {
    Fuzz.check(
        "random bytes",
        random -> new Stream(noise(random), List.of(), 1 + random.nextInt(64)),
        stream -> {
          List<String> events = read(stream.body(), stream.chunk());

          assertThat(events).hasSizeLessThanOrEqualTo(stream.body().length);
          assertThat(read(stream.body(), stream.body().length + 1)).isEqualTo(events);
        });
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

  private static Stream stream(Random random) {
    List<Event> events = new ArrayList<>();
    for (int i = random.nextInt(7); i > 0; i--) {
      events.add(event(random));
    }
    List<String> lines = new ArrayList<>();
    for (Event event : events) {
      lines.addAll(event.noise());
      if (event.name() != null) {
        lines.add(field(random, "event", event.name()));
      }
      for (String data : event.data()) {
        lines.add(data.isEmpty() && random.nextBoolean() ? "data" : field(random, "data", data));
      }
      lines.add("");
    }
    boolean lastBlankLine = random.nextBoolean();
    if (!lastBlankLine && !lines.isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    List<String> ends = List.of("\n", "\r", "\r\n");
    StringBuilder body = new StringBuilder(random.nextBoolean() ? "\uFEFF" : "");
    String previousEnd = "";
    for (int i = 0; i < lines.size(); i++) {
      String end = Fuzz.pick(random, ends);
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
    return new Stream(body.toString().getBytes(UTF_8), expected, 1 + random.nextInt(64));
  }

  private static Event event(Random random) {
    String name = random.nextInt(3) == 0 ? null : value(random);
    List<String> data = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      data.add(value(random));
    }
    List<String> noise = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      noise.add(
          switch (random.nextInt(5)) {
            case 0 -> ":" + value(random);
            case 1 -> "id: " + value(random);
            case 2 -> "retry:" + value(random);
            case 3 -> "unknown: " + value(random);
            default -> Fuzz.pick(random, List.of("data ", "Data: x", "event :x", " data: x"));
          });
    }
    return new Event(name, data, noise);
  }

  /** A field line; a value starting with a space gets the one space the reader drops. */
  private static String field(Random random, String name, String value) {
    return value.startsWith(" ") || random.nextBoolean() ? name + ": " + value : name + ":" + value;
  }

  /** A field value: any text without a line end, as UTF-8 carries it (no lone surrogates). */
  private static String value(Random random) {
    String text =
        switch (random.nextInt(3)) {
          case 0 -> Fuzz.ascii(random, 10);
          case 1 -> new String(Fuzz.anyChars(random, 10).getBytes(UTF_8), UTF_8);
          default ->
              Fuzz.pick(random, List.of("", " ", ":", " lead", "[DONE]", "{\"a\":1}", "\uFEFF"));
        };
    return text.replace("\r", "").replace("\n", "");
  }

  private static byte[] noise(Random random) {
    return random.nextBoolean()
        ? Fuzz.bytes(random, 200)
        : Fuzz.chars(random, 100, "data:event \r\n\uFEFFxy").getBytes(UTF_8);
  }
}
