package dev.genaiprocessors.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.genaiprocessors.model.SseReader;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Chat Completions event stream ({@code text/event-stream}, one chunk per {@code data:}
 * event, {@code data: [DONE]} at the end) and hands each chunk's fields to a {@link Listener}.
 *
 * <p>The SDK decodes every chunk into a JSON tree and then, through Kotlin reflection, into typed
 * objects; on a fast stream that costs more than everything else together. This reader walks each
 * event's bytes once with Jackson's streaming parser and keeps only the fields a model processor
 * uses, so the SDK still builds, signs, sends and retries the request, and maps HTTP errors, while
 * the body is read here.
 *
 * <p>Tolerates what compatible servers send: CRLF line ends, comment lines, {@code event:} names,
 * data split over several lines, {@code "choices": null}, {@code "usage": null}, unknown fields,
 * fields in any order (Azure sorts them, so {@code choices} comes before {@code id}), and a stream
 * that ends without {@code [DONE]}. An empty string where an id, a model, a fingerprint or a
 * function name belongs is no value (Azure's first chunk has {@code "id":""}; Qwen and GLM repeat a
 * tool call's {@code id} and {@code name} as {@code ""} in its later fragments), so it never
 * replaces one that came before. Only the first choice ({@code index} 0) is read. An event that is
 * not a JSON object, or is one with none of a chunk's fields, is malformed.
 */
final class ChatChunkReader {
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * What the chunks say, chunk by chunk in arrival order: a chunk's choice and usage as they are
   * read, then its {@link #header}. Null, or no call, stands for a field that is absent or empty.
   */
  interface Listener {
    /**
     * The chunk's {@code id}, {@code model} and {@code system_fingerprint}, each null when absent
     * or empty; called once per chunk, after its other fields, wherever these stood in it.
     */
    void header(@Nullable String id, @Nullable String model, @Nullable String fingerprint);

    /** A content delta of the first choice. */
    void content(String text);

    /** A reasoning delta ({@code reasoning_content} or {@code reasoning}) of compatible servers. */
    void reasoning(String text);

    /** A refusal delta. */
    void refusal(String text);

    /**
     * One tool-call fragment: the call's index, and whichever of id, name, arguments it carries (an
     * empty id or name counts as not carried).
     */
    void toolCall(
        long index, @Nullable String id, @Nullable String name, @Nullable String arguments);

    /** The first choice's {@code finish_reason}. */
    void finish(String reason);

    /** The usage chunk's counts. */
    void usage(long prompt, long completion, long total, long cached, long reasoning);
  }

  /** A {@code data:} event that held an {@code error} object: the server gave up mid-stream. */
  static final class StreamError extends Exception {
    private static final long serialVersionUID = 1L;
    final @Nullable String type;
    final @Nullable String code;
    final @Nullable String param;
    final @Nullable String vendorMessage;

    StreamError(
        @Nullable String type,
        @Nullable String code,
        @Nullable String param,
        @Nullable String vendorMessage) {
      super(vendorMessage, null, false, false);
      this.type = type;
      this.code = code;
      this.param = param;
      this.vendorMessage = vendorMessage;
    }
  }

  /** An event whose data is not a Chat Completions chunk. */
  static final class MalformedChunk extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedChunk(String message, @Nullable Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private final InputStream in;
  private final Listener listener;

  ChatChunkReader(InputStream in, Listener listener) {
    this.in = in;
    this.listener = listener;
  }

  /**
   * Reads events until {@code [DONE]} or the end of the body.
   *
   * @throws IOException when the connection fails (the stream was cut off)
   * @throws StreamError when the server sent an error event
   * @throws MalformedChunk when an event is not a chunk
   */
  void readAll() throws IOException, StreamError, MalformedChunk {
    SseReader events = new SseReader(in);
    while (events.next()) {
      if (events.dataIs("[DONE]")) {
        return;
      }
      try (JsonParser p = JSON.createParser(events.data(), 0, events.dataLength())) {
        chunk(p, events);
      } catch (JsonProcessingException e) {
        throw new MalformedChunk("an event is not JSON: " + preview(events), e);
      }
    }
  }

  private static String preview(SseReader events) {
    String text = events.dataText();
    return text.length() <= 120 ? text : text.substring(0, 120) + "...";
  }

  private void chunk(JsonParser p, SseReader events)
      throws IOException, StreamError, MalformedChunk {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new MalformedChunk("an event is not a JSON object: " + preview(events), null);
    }
    String id = null;
    String model = null;
    String fingerprint = null;
    boolean known = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "id" -> id = nonEmpty(p, value);
        case "model" -> model = nonEmpty(p, value);
        case "system_fingerprint" -> fingerprint = nonEmpty(p, value);
        case "object", "created" -> p.skipChildren();
        case "choices" -> {
          if (value == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              choice(p);
            }
          } else {
            p.skipChildren();
          }
        }
        case "usage" -> {
          if (value == JsonToken.START_OBJECT) {
            usage(p);
          } else {
            p.skipChildren();
          }
        }
        case "error" -> throw error(p, value);
        default -> {
          p.skipChildren();
          continue;
        }
      }
      known = true;
    }
    if (!known) {
      // Skipped quietly, such events would end the call as a stream cut short, which is retried.
      throw new MalformedChunk(
          "an event is not a Chat Completions chunk (it has none of the"
              + " fields id, object, created, model, choices, usage): "
              + preview(events),
          null);
    }
    listener.header(id, model, fingerprint);
  }

  /** One choice; its fields are applied only once its index is known to be 0. */
  private void choice(JsonParser p) throws IOException {
    long index = 0;
    String content = null;
    String reasoning = null;
    String refusal = null;
    String finish = null;
    Fragment fragments = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
        case "finish_reason" -> finish = text(p, value);
        case "delta" -> {
          if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            continue;
          }
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String deltaField = p.currentName();
            JsonToken deltaValue = p.nextToken();
            switch (deltaField) {
              case "content" -> content = text(p, deltaValue);
              case "reasoning_content" -> reasoning = text(p, deltaValue);
              case "reasoning" -> {
                if (reasoning == null) {
                  reasoning = text(p, deltaValue);
                } else {
                  p.skipChildren();
                }
              }
              case "refusal" -> refusal = text(p, deltaValue);
              case "tool_calls" -> fragments = toolCalls(p, deltaValue);
              default -> p.skipChildren();
            }
          }
        }
        default -> p.skipChildren();
      }
    }
    if (index != 0) {
      return; // one answer per call: n is never set
    }
    if (reasoning != null && !reasoning.isEmpty()) {
      listener.reasoning(reasoning);
    }
    if (content != null && !content.isEmpty()) {
      listener.content(content);
    }
    if (refusal != null && !refusal.isEmpty()) {
      listener.refusal(refusal);
    }
    for (Fragment f = fragments; f != null; f = f.next) {
      listener.toolCall(f.index, f.id, f.name, f.arguments);
    }
    if (finish != null) {
      listener.finish(finish);
    }
  }

  /** A tool-call fragment, kept in a list until its choice is known to count. */
  private static final class Fragment {
    long index;
    @Nullable String id;
    @Nullable String name;
    @Nullable String arguments;
    @Nullable Fragment next;
  }

  private static @Nullable Fragment toolCalls(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    Fragment first = null;
    Fragment last = null;
    while (p.nextToken() == JsonToken.START_OBJECT) {
      Fragment f = new Fragment();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "index" -> f.index = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
          case "id" -> f.id = nonEmpty(p, v);
          case "function" -> {
            if (v != JsonToken.START_OBJECT) {
              p.skipChildren();
              continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String functionField = p.currentName();
              JsonToken fv = p.nextToken();
              switch (functionField) {
                case "name" -> f.name = nonEmpty(p, fv);
                case "arguments" -> f.arguments = text(p, fv);
                default -> p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      if (last == null) {
        first = f;
      } else {
        last.next = f;
      }
      last = f;
    }
    return first;
  }

  private void usage(JsonParser p) throws IOException {
    long prompt = 0;
    long completion = 0;
    long total = 0;
    long cached = 0;
    long reasoning = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "prompt_tokens" -> prompt = number(p, value);
        case "completion_tokens" -> completion = number(p, value);
        case "total_tokens" -> total = number(p, value);
        case "prompt_tokens_details" -> cached = nested(p, value, "cached_tokens");
        case "completion_tokens_details" -> reasoning = nested(p, value, "reasoning_tokens");
        default -> p.skipChildren();
      }
    }
    listener.usage(prompt, completion, total, cached, reasoning);
  }

  private static long nested(JsonParser p, JsonToken value, String name) throws IOException {
    long found = 0;
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return 0;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals(name)) {
        found = number(p, v);
      } else {
        p.skipChildren();
      }
    }
    return found;
  }

  private static StreamError error(JsonParser p, JsonToken value) throws IOException {
    String type = null;
    String code = null;
    String param = null;
    String message = null;
    if (value == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "type" -> type = text(p, v);
          case "code" -> code = v == JsonToken.VALUE_NUMBER_INT ? p.getText() : text(p, v);
          case "param" -> param = text(p, v);
          case "message" -> message = text(p, v);
          default -> p.skipChildren();
        }
      }
    } else {
      message = text(p, value);
    }
    return new StreamError(type, code, param, message);
  }

  private static @Nullable String text(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  /** A string value that says something: null for an absent, null, non-string or empty value. */
  private static @Nullable String nonEmpty(JsonParser p, JsonToken value) throws IOException {
    String text = text(p, value);
    return text == null || text.isEmpty() ? null : text;
  }

  private static long number(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    p.skipChildren();
    return 0;
  }
}
