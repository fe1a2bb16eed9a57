package dev.genaiprocessors.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorPart;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How parts become server-sent events, the same for MVC and WebFlux.
 *
 * <p>A non-empty text part on the default substream, not a thought, is a token: an unnamed event
 * whose data is its text, what a browser's {@code EventSource.onmessage} receives (its metadata,
 * such as the storage's {@code storage_id}, is not sent). Any other part (status, thoughts, a
 * model's final part with its usage and finish reason, bytes, function calls, text holding a
 * carriage return, which the event-stream format cannot carry) is an event named {@code part} whose
 * data is the part's JSON ({@code PartJson}), so nothing else is lost. The end of the run is an
 * event named {@code done}; a failure, an event named {@code error} with {@code {"type": ...,
 * "message": ...}}.
 *
 * <p>Spring writes {@code data:} with no space and a reader drops one space after the colon, so a
 * token starting with a space (" world") would lose it: every data line is written with a leading
 * space of its own.
 */
final class SseEvents {
  static final String PART = "part";
  static final String DONE = "done";
  static final String ERROR = "error";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One event.
   *
   * @param name its name, or null for an unnamed (token) event
   * @param data its data, escaped for Spring's writers
   */
  record Event(@Nullable String name, String data) {
    Event(@Nullable String name, String data) {
      this.name = name;
      this.data = data;
    }
  }

  private SseEvents() {}

  static Event of(ProcessorPart part) {
    if (part.isText()
        && part.substreamName().isEmpty()
        && !part.isThought()
        && !part.text().isEmpty()
        && part.text().indexOf('\r') < 0) {
      return new Event(null, escape(part.text()));
    }
    return new Event(PART, escape(PartJson.toJson(part)));
  }

  static Event done() {
    return new Event(DONE, escape("{}"));
  }

  static Event error(Throwable error) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("type", error.getClass().getSimpleName());
    body.put("message", String.valueOf(error.getMessage()));
    try {
      return new Event(ERROR, escape(JSON.writeValueAsString(body)));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Spring turns each "\n" into "\ndata:"; a space after each keeps leading spaces. */
  static String escape(String data) {
    return " " + data.replace("\n", "\n ");
  }
}
