package dev.genaiprocessors.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link MessageReply} as Anthropic Messages JSON, field by field in the order Anthropic
 * writes them. Strings, not a JSON tree: the order and the presence of every {@code null} are part
 * of what a client is tested against.
 */
final class MessageRendering {

  /** One named server-sent event. */
  record Event(String name, String data) {
    /** The event's bytes on the wire: {@code event:} and {@code data:} lines and a blank line. */
    String wire() {
      return "event: " + name + "\ndata: " + data + "\n\n";
    }
  }

  static final Event PING = new Event("ping", "{\"type\":\"ping\"}");

  private final MessageReply reply;
  private final String model;
  private final String id;

  MessageRendering(MessageReply reply, String model, String id) {
    this.reply = reply;
    this.model = model;
    this.id = id;
  }

  /** Every event of the streamed answer, {@code message_stop} last. */
  List<Event> events() {
    MessageReply.Usage usage = reply.effectiveUsage();
    List<Event> events = new ArrayList<>();
    events.add(
        new Event(
            "message_start",
            "{\"type\":\"message_start\",\"message\":{\"id\":"
                + quote(id)
                + ",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":"
                + quote(model)
                + ",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":"
                + usage.input()
                + ",\"output_tokens\":1,\"cache_creation_input_tokens\":"
                + usage.cacheCreation()
                + ",\"cache_read_input_tokens\":"
                + usage.cacheRead()
                + "}}}"));
    if (reply.blocks.isEmpty()) {
      events.add(PING);
    }
    for (int index = 0; index < reply.blocks.size(); index++) {
      MessageReply.Block block = reply.blocks.get(index);
      events.add(
          new Event(
              "content_block_start",
              "{\"type\":\"content_block_start\",\"index\":"
                  + index
                  + ",\"content_block\":"
                  + startBlock(block)
                  + "}"));
      if (index == 0) {
        events.add(PING);
      }
      switch (block) {
        case MessageReply.Text t -> {
          for (String delta : t.deltas()) {
            events.add(delta(index, "{\"type\":\"text_delta\",\"text\":" + quote(delta) + "}"));
          }
        }
        case MessageReply.Thinking t -> {
          for (String delta : t.deltas()) {
            events.add(
                delta(index, "{\"type\":\"thinking_delta\",\"thinking\":" + quote(delta) + "}"));
          }
          events.add(
              delta(
                  index,
                  "{\"type\":\"signature_delta\",\"signature\":" + quote(t.signature()) + "}"));
        }
        case MessageReply.RedactedThinking r -> {
          // Its data came whole in the start event.
        }
        case MessageReply.ToolUse t -> {
          for (String fragment : t.inputFragments()) {
            events.add(
                delta(
                    index,
                    "{\"type\":\"input_json_delta\",\"partial_json\":" + quote(fragment) + "}"));
          }
        }
      }
      events.add(
          new Event(
              "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}"));
    }
    events.add(
        new Event(
            "message_delta",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                + quote(reply.effectiveStopReason())
                + ",\"stop_sequence\":"
                + stopSequence()
                + "},\"usage\":{\"output_tokens\":"
                + usage.output()
                + "}}"));
    events.add(new Event("message_stop", "{\"type\":\"message_stop\"}"));
    return events;
  }

  /** The body of a whole (not streamed) answer. */
  String body() {
    MessageReply.Usage usage = reply.effectiveUsage();
    StringBuilder content = new StringBuilder("[");
    for (MessageReply.Block block : reply.blocks) {
      if (content.length() > 1) {
        content.append(',');
      }
      content.append(
          switch (block) {
            case MessageReply.Text t ->
                "{\"type\":\"text\",\"text\":" + quote(String.join("", t.deltas())) + "}";
            case MessageReply.Thinking t ->
                "{\"type\":\"thinking\",\"thinking\":"
                    + quote(String.join("", t.deltas()))
                    + ",\"signature\":"
                    + quote(t.signature())
                    + "}";
            case MessageReply.RedactedThinking r ->
                "{\"type\":\"redacted_thinking\",\"data\":" + quote(r.data()) + "}";
            case MessageReply.ToolUse t ->
                "{\"type\":\"tool_use\",\"id\":"
                    + quote(t.id())
                    + ",\"name\":"
                    + quote(t.name())
                    + ",\"input\":"
                    + (t.inputFragments().isEmpty() ? "{}" : t.input())
                    + "}";
          });
    }
    content.append(']');
    return "{\"id\":"
        + quote(id)
        + ",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
        + quote(model)
        + ",\"content\":"
        + content
        + ",\"stop_reason\":"
        + quote(reply.effectiveStopReason())
        + ",\"stop_sequence\":"
        + stopSequence()
        + ",\"usage\":{\"input_tokens\":"
        + usage.input()
        + ",\"cache_creation_input_tokens\":"
        + usage.cacheCreation()
        + ",\"cache_read_input_tokens\":"
        + usage.cacheRead()
        + ",\"output_tokens\":"
        + usage.output()
        + "}}";
  }

  /** Anthropic's mid-stream error event. */
  static Event errorEvent(String type, String message) {
    return new Event(
        "error",
        "{\"type\":\"error\",\"error\":{\"type\":"
            + quote(type)
            + ",\"message\":"
            + quote(message)
            + "}}");
  }

  /** A delta event cut off in the middle of its JSON. */
  static Event malformedEvent() {
    return new Event(
        "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"trunc");
  }

  /** An event of a type clients do not know yet, which they must skip. */
  static Event unknownEvent() {
    return new Event(
        "content_block_annotation",
        "{\"type\":\"content_block_annotation\",\"index\":0,\"note\":\"clients ignore this\"}");
  }

  /** Anthropic's error body. */
  static String errorBody(String type, String message, String requestId) {
    return "{\"type\":\"error\",\"error\":{\"type\":"
        + quote(type)
        + ",\"message\":"
        + quote(message)
        + "},\"request_id\":"
        + quote(requestId)
        + "}";
  }

  private String stopSequence() {
    return reply.stopSequence == null ? "null" : quote(reply.stopSequence);
  }

  private static Event delta(int index, String delta) {
    return new Event(
        "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");
  }

  private static String startBlock(MessageReply.Block block) {
    return switch (block) {
      case MessageReply.Text t -> "{\"type\":\"text\",\"text\":\"\"}";
      case MessageReply.Thinking t ->
          "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}";
      case MessageReply.RedactedThinking r ->
          "{\"type\":\"redacted_thinking\",\"data\":" + quote(r.data()) + "}";
      case MessageReply.ToolUse t ->
          "{\"type\":\"tool_use\",\"id\":"
              + quote(t.id())
              + ",\"name\":"
              + quote(t.name())
              + ",\"input\":{}}";
    };
  }

  private static String quote(String text) {
    return ChatRendering.quote(text);
  }
}
