package dev.genaiprocessors.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.genaiprocessors.model.SseReader;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Messages API event stream (named SSE events: {@code message_start}, {@code
 * content_block_start}, {@code content_block_delta}, {@code content_block_stop}, {@code
 * message_delta}, {@code message_stop}, {@code ping}, {@code error}) and hands each event's fields
 * to a {@link Listener}.
 *
 * <p>The SDK decodes every event into a JSON tree and then into typed objects through Kotlin
 * reflection, which on a fast stream costs more than the rest of the call; this reader walks each
 * event's bytes once with Jackson's streaming parser and keeps the fields the model processor uses.
 * The SDK still builds, signs, sends and retries the request and maps HTTP errors.
 *
 * <p>Fields may come in any order. The event's type is its SSE name, or its {@code type} field when
 * a proxy dropped the names; an event with neither is malformed. Unknown events, block types and
 * delta types are skipped, as Anthropic's versioning policy asks.
 */
final class MessageEventReader {
  private static final JsonFactory JSON = new JsonFactory();

  /** What the events say, in arrival order. */
  interface Listener {
    /** {@code message_start}: the message's id and model, and its first usage. */
    void messageStart(@Nullable String id, @Nullable String model, Usage usage);

    /** {@code content_block_start} of a {@code text} block, with its initial text. */
    void textStart(long index, String text);

    /** {@code content_block_start} of a {@code thinking} block. */
    void thinkingStart(long index, String thinking, String signature);

    /** {@code content_block_start} of a {@code redacted_thinking} block. */
    void redactedThinking(long index, String data);

    /** {@code content_block_start} of a {@code tool_use} block. */
    void toolUseStart(long index, @Nullable String id, @Nullable String name);

    /** A {@code text_delta}. */
    void text(long index, String text);

    /** A {@code thinking_delta}. */
    void thinking(long index, String thinking);

    /** A {@code signature_delta}. */
    void signature(long index, String signature);

    /** An {@code input_json_delta}. */
    void inputJson(long index, String partialJson);

    /** {@code content_block_stop}. */
    void blockStop(long index);

    /**
     * {@code message_delta}: the stop reason and sequence, when given, and the cumulative usage.
     */
    void messageDelta(@Nullable String stopReason, @Nullable String stopSequence, Usage usage);

    /** {@code message_stop}. */
    void messageStop();
  }

  /** Token counts of a usage object; a null count was not in it. */
  record Usage(
      @Nullable Long input,
      @Nullable Long output,
      @Nullable Long cacheCreation,
      @Nullable Long cacheRead,
      boolean present) {
    static final Usage NONE = new Usage(null, null, null, null, false);
  }

  /** An {@code error} event: the server gave up mid-stream. */
  static final class StreamError extends Exception {
    private static final long serialVersionUID = 1L;
    final @Nullable String type;
    final @Nullable String vendorMessage;

    StreamError(@Nullable String type, @Nullable String vendorMessage) {
      super(vendorMessage, null, false, false);
      this.type = type;
      this.vendorMessage = vendorMessage;
    }
  }

  /** An event whose data is not a Messages API event. */
  static final class MalformedEvent extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedEvent(String message, @Nullable Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private final InputStream in;
  private final Listener listener;

  // The fields of the event being read, reset for each event.
  private @Nullable String type;
  private long index;
  private @Nullable String blockType;
  private @Nullable String deltaType;
  private @Nullable String text;
  private @Nullable String thinking;
  private @Nullable String signature;
  private @Nullable String data;
  private @Nullable String id;
  private @Nullable String name;
  private @Nullable String partialJson;
  private @Nullable String model;
  private @Nullable String stopReason;
  private @Nullable String stopSequence;
  private Usage usage = Usage.NONE;
  private @Nullable String errorType;
  private @Nullable String errorMessage;
  private boolean error;

  MessageEventReader(InputStream in, Listener listener) {
    this.in = in;
    this.listener = listener;
  }

  /**
   * Reads events to the end of the body.
   *
   * @throws IOException when the connection fails (the stream was cut off)
   * @throws StreamError when the server sent an {@code error} event
   * @throws MalformedEvent when an event is not JSON, not an object, or has no type
   */
  void readAll() throws IOException, StreamError, MalformedEvent {
    SseReader events = new SseReader(in);
    while (events.next()) {
      reset();
      try (JsonParser p = JSON.createParser(events.data(), 0, events.dataLength())) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new MalformedEvent("an event is not a JSON object: " + preview(events), null);
        }
        event(p);
      } catch (JsonProcessingException e) {
        throw new MalformedEvent("an event is not JSON: " + preview(events), e);
      }
      String name = events.event().isEmpty() ? type : events.event();
      if (name == null) {
        // Skipped quietly, such events would end the call as a stream cut short, which is retried.
        throw new MalformedEvent(
            "an event has no type (no event: name, no type field): " + preview(events), null);
      }
      dispatch(name);
    }
  }

  private static String preview(SseReader events) {
    String text = events.dataText();
    return text.length() <= 120 ? text : text.substring(0, 120) + "...";
  }

  private void reset() {
    type = null;
    index = 0;
    blockType = null;
    deltaType = null;
    text = null;
    thinking = null;
    signature = null;
    data = null;
    id = null;
    name = null;
    partialJson = null;
    model = null;
    stopReason = null;
    stopSequence = null;
    usage = Usage.NONE;
    errorType = null;
    errorMessage = null;
    error = false;
  }

  private void dispatch(String event) throws StreamError {
    switch (event) {
      case "content_block_delta" -> {
        if (deltaType == null) {
          return;
        }
        switch (deltaType) {
          case "text_delta" -> listener.text(index, orEmpty(text));
          case "input_json_delta" -> listener.inputJson(index, orEmpty(partialJson));
          case "thinking_delta" -> listener.thinking(index, orEmpty(thinking));
          case "signature_delta" -> listener.signature(index, orEmpty(signature));
          default -> {} // citations and later delta types carry nothing we keep
        }
      }
      case "content_block_start" -> {
        if (blockType == null) {
          return;
        }
        switch (blockType) {
          case "text" -> listener.textStart(index, orEmpty(text));
          case "thinking" -> listener.thinkingStart(index, orEmpty(thinking), orEmpty(signature));
          case "redacted_thinking" -> listener.redactedThinking(index, orEmpty(data));
          case "tool_use" -> listener.toolUseStart(index, id, name);
          default -> {} // server tool blocks are the server's business
        }
      }
      case "content_block_stop" -> listener.blockStop(index);
      case "message_start" -> listener.messageStart(id, model, usage);
      case "message_delta" -> listener.messageDelta(stopReason, stopSequence, usage);
      case "message_stop" -> listener.messageStop();
      case "error" -> throw new StreamError(errorType, errorMessage);
      default -> {} // ping, and event types added later
    }
    if (error && !"error".equals(event)) {
      throw new StreamError(errorType, errorMessage);
    }
  }

  private static String orEmpty(@Nullable String value) {
    return value == null ? "" : value;
  }

  private void event(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "type" -> type = text(p, value);
        case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
        case "delta" -> delta(p, value);
        case "content_block" -> block(p, value);
        case "message" -> message(p, value);
        case "usage" -> usage = usage(p, value);
        case "error" -> error(p, value);
        default -> p.skipChildren();
      }
    }
  }

  /** A block delta ({@code content_block_delta}) or a message delta ({@code message_delta}). */
  private void delta(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "type" -> deltaType = text(p, v);
        case "text" -> text = text(p, v);
        case "partial_json" -> partialJson = text(p, v);
        case "thinking" -> thinking = text(p, v);
        case "signature" -> signature = text(p, v);
        case "stop_reason" -> stopReason = text(p, v);
        case "stop_sequence" -> stopSequence = text(p, v);
        default -> p.skipChildren();
      }
    }
  }

  private void block(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "type" -> blockType = text(p, v);
        case "text" -> text = text(p, v);
        case "thinking" -> thinking = text(p, v);
        case "signature" -> signature = text(p, v);
        case "data" -> data = text(p, v);
        case "id" -> id = text(p, v);
        case "name" -> name = text(p, v);
        default -> p.skipChildren(); // input is {} at the start: the deltas carry it
      }
    }
  }

  private void message(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "id" -> id = text(p, v);
        case "model" -> model = text(p, v);
        case "usage" -> usage = usage(p, v);
        default -> p.skipChildren();
      }
    }
  }

  private static Usage usage(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return Usage.NONE;
    }
    Long input = null;
    Long output = null;
    Long cacheCreation = null;
    Long cacheRead = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "input_tokens" -> input = number(p, v);
        case "output_tokens" -> output = number(p, v);
        case "cache_creation_input_tokens" -> cacheCreation = number(p, v);
        case "cache_read_input_tokens" -> cacheRead = number(p, v);
        default -> p.skipChildren();
      }
    }
    return new Usage(input, output, cacheCreation, cacheRead, true);
  }

  private void error(JsonParser p, JsonToken value) throws IOException {
    error = true;
    if (value != JsonToken.START_OBJECT) {
      errorMessage = text(p, value);
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "type" -> errorType = text(p, v);
        case "message" -> errorMessage = text(p, v);
        default -> p.skipChildren();
      }
    }
  }

  private static @Nullable String text(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  private static @Nullable Long number(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    p.skipChildren();
    return null;
  }
}
