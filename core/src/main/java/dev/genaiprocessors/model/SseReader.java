package dev.genaiprocessors.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads a {@code text/event-stream} body event by event, without copying more than it must: the
 * framing of Server-Sent Events (WHATWG HTML, section 9.2) for processors that stream from an HTTP
 * API, such as the model processors.
 *
 * <pre>{@code
 * SseReader events = new SseReader(response.body());
 * while (events.next()) {
 *   if (events.event().equals("error")) { ... }
 *   JsonParser parser = json.createParser(events.data(), 0, events.dataLength());
 * }
 * }</pre>
 *
 * <p>It follows the WHATWG rules for parsing an event stream: {@code \n}, {@code \r\n} and {@code
 * \r} line ends, however the bytes arrive; a UTF-8 byte order mark at the start is skipped; a line
 * is split at its first colon into a field name and a value, one space after the colon dropped (a
 * line without a colon is a field with an empty value); lines starting with a colon are comments;
 * an event's {@code data} lines are joined with {@code \n}; its name is the last {@code event}
 * field's value, and is forgotten when the event ends (an event without an {@code event} line is
 * named {@code ""}, never after the one before it); {@code id}, {@code retry} and unknown fields
 * are ignored. Two choices differ from a browser's, on purpose:
 *
 * <ul>
 *   <li>an event whose data is empty (no {@code data} line, or only empty ones) is skipped, since
 *       it carries nothing to an API client (a browser would dispatch an empty message);
 *   <li>a last event that the stream ended without its blank line is still handed out, since real
 *       servers end that way (a browser would drop it).
 * </ul>
 *
 * <p>Not thread-safe: one reader per stream, read by one thread.
 */
public final class SseReader {
  private static final byte[] NO_NAME = new byte[0];

  private final InputStream in;
  private byte[] buffer = new byte[8192];
  private int start;
  private int end;
  private boolean eof;
  private boolean atStreamStart = true;
  private byte[] data = new byte[1024];
  private int dataLength;
  private String event = "";
  private byte[] eventBytes = NO_NAME;

  /** A reader of {@code in}, which it reads as needed and never closes. */
  public SseReader(InputStream in) {
    this.in = Objects.requireNonNull(in, "in");
  }

  /**
   * Reads up to the end of the next event that has data.
   *
   * @return false at the end of the stream
   * @throws IOException when reading the stream fails (for a network stream: it was cut off)
   */
  public boolean next() throws IOException {
    dataLength = 0;
    boolean hasData = false;
    byte[] name = NO_NAME; // the event type buffer: the last event: line's value so far
    while (true) {
      int lineEnd = nextLineEnd();
      if (lineEnd < 0) {
        // The end. A last event without its blank line still counts (see the class comment).
        return dataLength > 0 && dispatch(name);
      }
      int lineStart = start;
      start = lineEnd + 1;
      if (buffer[lineEnd] == '\r' && start < end && buffer[start] == '\n') {
        start++;
      }
      if (atStreamStart) {
        atStreamStart = false;
        if (lineEnd - lineStart >= 3
            && buffer[lineStart] == (byte) 0xEF
            && buffer[lineStart + 1] == (byte) 0xBB
            && buffer[lineStart + 2] == (byte) 0xBF) {
          lineStart += 3;
        }
      }
      if (lineEnd == lineStart) {
        if (dataLength > 0) {
          return dispatch(name);
        }
        // An event without data is skipped, and its name with it.
        hasData = false;
        name = NO_NAME;
        continue;
      }
      int colon = lineStart;
      while (colon < lineEnd && buffer[colon] != ':') {
        colon++;
      }
      int value = colon < lineEnd ? colon + 1 : lineEnd;
      if (value < lineEnd && buffer[value] == ' ') {
        value++;
      }
      if (is(lineStart, colon, "data")) {
        if (hasData) {
          append((byte) '\n');
        }
        append(value, lineEnd);
        hasData = true;
      } else if (is(lineStart, colon, "event")) {
        name =
            Arrays.equals(buffer, value, lineEnd, eventBytes, 0, eventBytes.length)
                ? eventBytes
                : Arrays.copyOfRange(buffer, value, lineEnd);
      }
      // Comments (an empty field name), "id", "retry" and unknown fields carry nothing here.
    }
  }

  /** Makes {@code name} the current event's; the event type buffer starts empty for the next. */
  private boolean dispatch(byte[] name) {
    if (name != eventBytes) {
      eventBytes = name;
      event = new String(name, StandardCharsets.UTF_8);
    }
    return true;
  }

  /** The current event's name ({@code event:}), or the empty string when it had none. */
  public String event() {
    return event;
  }

  /**
   * The current event's data, its {@code data:} lines joined with {@code \n}, in the first {@link
   * #dataLength()} bytes of this array; the array is reused by {@link #next()}.
   */
  public byte[] data() {
    return data;
  }

  /** How many bytes of {@link #data()} the current event holds. */
  public int dataLength() {
    return dataLength;
  }

  /** The current event's data as text (UTF-8). */
  public String dataText() {
    return new String(data, 0, dataLength, StandardCharsets.UTF_8);
  }

  /** Whether the current event's data is exactly {@code text} (ASCII), such as {@code [DONE]}. */
  public boolean dataIs(String text) {
    if (dataLength != text.length()) {
      return false;
    }
    for (int i = 0; i < dataLength; i++) {
      if (data[i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The index of the next line's terminator ({@code \n} or {@code \r}), reading as needed; -1 at
   * the end.
   */
  private int nextLineEnd() throws IOException {
    int i = start;
    while (true) {
      for (; i < end; i++) {
        byte b = buffer[i];
        if (b == '\n') {
          return i;
        }
        if (b == '\r') {
          if (i + 1 < end || eof) {
            return i;
          }
          break; // a '\n' may follow in the next read
        }
      }
      if (eof) {
        if (end > start) {
          append0Terminator();
          return end - 1;
        }
        return -1;
      }
      if (start > 0) {
        int length = end - start;
        System.arraycopy(buffer, start, buffer, 0, length);
        i -= start;
        end = length;
        start = 0;
      }
      if (end == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      int n = in.read(buffer, end, buffer.length - end);
      if (n < 0) {
        eof = true;
      } else {
        end += n;
      }
    }
  }

  /** Ends a last line that the stream ended without its terminator. */
  private void append0Terminator() {
    if (end == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length + 1);
    }
    buffer[end++] = '\n';
  }

  private boolean is(int from, int to, String name) {
    if (to - from != name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (buffer[from + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void append(byte b) {
    if (dataLength == data.length) {
      data = Arrays.copyOf(data, data.length * 2);
    }
    data[dataLength++] = b;
  }

  private void append(int from, int to) {
    int length = to - from;
    if (dataLength + length > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + length));
    }
    System.arraycopy(buffer, from, data, dataLength, length);
    dataLength += length;
  }
}
