package dev.genaiprocessors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseReaderTest {

  /** Every event as "name|data", reading the body {@code size} bytes at a time. */
  private static List<String> events(String body, int size) throws IOException {
    InputStream in =
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)) {
          @Override
          public int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, size));
          }
        };
    SseReader reader = new SseReader(in);
    List<String> events = new ArrayList<>();
    while (reader.next()) {
      events.add(reader.event() + "|" + reader.dataText());
    }
    return events;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 8192})
  void namedAndUnnamedEvents_withEveryLineEnd_howeverTheBytesArrive(int size) throws IOException {
    String body =
        "event: message_start\ndata: {\"a\":1}\n\n"
            + ": a comment\r\nid: 7\r\nretry: 10\r\ndata: two\r\ndata:  lines\r\n\r\n"
            + "event: ping\rdata: {}\r\r"
            + "data: [DONE]\n\n";

    assertThat(events(body, size))
        .containsExactly("message_start|{\"a\":1}", "|two\n lines", "ping|{}", "|[DONE]");
  }

  @Test
  void eventsWithoutData_areSkipped_andTheirNameDoesNotLeak() throws IOException {
    assertThat(events("event: lonely\n\ndata: x\n\nevent: e\ndata:\n\ndata: y\n\n", 8192))
        .containsExactly("|x", "|y");
  }

  @Test
  void aLastEventWithoutItsBlankLine_isStillRead() throws IOException {
    assertThat(events("data: a\n\ndata: b", 3)).containsExactly("|a", "|b");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 8192})
  void aLastEventWithoutItsBlankLine_hasItsOwnName_notTheOneBeforeIt(int size) throws IOException {
    String anthropic =
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\"}\n\n"
            + "data: {\"type\":\"message_stop\"}";

    assertThat(events(anthropic, size))
        .containsExactly(
            "content_block_stop|{\"type\":\"content_block_stop\"}", "|{\"type\":\"message_stop\"}");
    assertThat(events("event: a\ndata: 1\r\n\r\nevent: b\rdata: 2", size))
        .containsExactly("a|1", "b|2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"data", "data:", "data: ", "event: x\ndata", "data\r", "data\r\n"})
  void aLastEventWithEmptyData_isSkipped_likeEveryEventWithoutData(String last) throws IOException {
    assertThat(events("data: a\n\n" + last, 1)).containsExactly("|a");
    assertThat(events("data: a\n\n" + last, 8192)).containsExactly("|a");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 8192})
  void aByteOrderMarkAtTheStart_isSkipped_butNotOneLater(int size) throws IOException {
    assertThat(events("\uFEFFevent: e\ndata: x\n\n\uFEFFdata: y\n\ndata: z\n\n", size))
        .containsExactly("e|x", "|z");
  }

  @Test
  void aFieldWithoutAColon_isAFieldWithAnEmptyValue_andOnlyOneSpaceIsDropped() throws IOException {
    assertThat(events("data\ndata:  two\nevent\n\n", 8192)).containsExactly("|\n two");
  }

  @Test
  void dataIs_comparesTheWholeData() throws IOException {
    SseReader reader =
        new SseReader(
            new ByteArrayInputStream("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(reader.next()).isTrue();
    assertThat(reader.dataIs("[DONE]")).isTrue();
    assertThat(reader.dataIs("[DONE")).isFalse();
    assertThat(reader.next()).isFalse();
  }

  @Test
  void aBrokenStream_throwsAfterTheEventsBeforeIt() throws IOException {
    byte[] first = "data: a\n\ndata: b".getBytes(StandardCharsets.UTF_8);
    InputStream broken =
        new InputStream() {
          int position;

          @Override
          public int read() throws IOException {
            if (position < first.length) {
              return first[position++];
            }
            throw new IOException("connection reset");
          }
        };
    SseReader reader = new SseReader(broken);

    assertThat(reader.next()).isTrue();
    assertThat(reader.dataText()).isEqualTo("a");
    assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessage("connection reset");
  }
}
