package dev.genaiprocessors.testing;

import static dev.genaiprocessors.testing.ChatRendering.quote;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Renders a {@link ResponsesReply} as Responses API JSON, field by field in the order OpenAI writes
 * them: the stream's named events, and the {@code response} object they carry. Strings, not a JSON
 * tree, as {@link ChatRendering} does.
 */
final class ResponsesRendering {

  /**
   * One SSE event before its {@code sequence_number} is known: its data is a JSON object opening
   * with the fields {@code type} (the name) and {@code sequence_number}, followed by {@code rest}
   * and, unless it is a malformed event, the closing brace.
   */
  record Event(String name, String rest, boolean complete) {
    /** The whole SSE block: {@code event:} line, {@code data:} line and the blank line. */
    String sse(int sequenceNumber) {
      return "event: " + name + "\ndata: " + data(sequenceNumber) + "\n\n";
    }

    String data(int sequenceNumber) {
      return "{\"type\":"
          + quote(name)
          + ",\"sequence_number\":"
          + sequenceNumber
          + rest
          + (complete ? "}" : "");
    }
  }

  private final ResponsesReply reply;
  private final String model;
  private final String id;
  private final long createdAt;
  private final String itemSuffix;

  ResponsesRendering(ResponsesReply reply, String model, String id, long createdAt) {
    this.reply = reply;
    this.model = model;
    this.id = id;
    this.createdAt = createdAt;
    this.itemSuffix = id.startsWith("resp_") ? id.substring(5) : id;
  }

  /** Every event of the streamed answer, the terminal one last. */
  List<Event> events() {
    List<Event> events = new ArrayList<>();
    events.add(
        new Event(
            "response.created", ",\"response\":" + response("in_progress", "[]", false), true));
    events.add(
        new Event(
            "response.in_progress", ",\"response\":" + response("in_progress", "[]", false), true));
    int index = 0;
    if (!reply.reasoningDeltas.isEmpty()) {
      String item = itemId("rs", index);
      String at =
          ",\"item_id\":" + quote(item) + ",\"output_index\":" + index + ",\"summary_index\":0";
      String text = String.join("", reply.reasoningDeltas);
      events.add(
          new Event(
              "response.output_item.added",
              ",\"output_index\":"
                  + index
                  + ",\"item\":{\"id\":"
                  + quote(item)
                  + ",\"type\":\"reasoning\",\"summary\":[]}",
              true));
      events.add(
          new Event(
              "response.reasoning_summary_part.added",
              at + ",\"part\":{\"type\":\"summary_text\",\"text\":\"\"}",
              true));
      for (String delta : reply.reasoningDeltas) {
        events.add(
            new Event(
                "response.reasoning_summary_text.delta", at + ",\"delta\":" + quote(delta), true));
      }
      events.add(
          new Event("response.reasoning_summary_text.done", at + ",\"text\":" + quote(text), true));
      events.add(
          new Event(
              "response.reasoning_summary_part.done",
              at + ",\"part\":{\"type\":\"summary_text\",\"text\":" + quote(text) + "}",
              true));
      events.add(
          new Event(
              "response.output_item.done",
              ",\"output_index\":" + index + ",\"item\":" + reasoningItem(index),
              true));
      index++;
    }
    if (hasMessage()) {
      String item = itemId("msg", index);
      String at =
          ",\"item_id\":" + quote(item) + ",\"output_index\":" + index + ",\"content_index\":0";
      String text = String.join("", reply.textDeltas);
      events.add(
          new Event(
              "response.output_item.added",
              ",\"output_index\":"
                  + index
                  + ",\"item\":{\"id\":"
                  + quote(item)
                  + ",\"type\":\"message\",\"status\":\"in_progress\","
                  + "\"content\":[],\"role\":\"assistant\"}",
              true));
      events.add(
          new Event("response.content_part.added", at + ",\"part\":" + outputText(""), true));
      for (String delta : reply.textDeltas) {
        events.add(
            new Event(
                "response.output_text.delta",
                at + ",\"delta\":" + quote(delta) + ",\"logprobs\":[]",
                true));
      }
      events.add(
          new Event(
              "response.output_text.done",
              at + ",\"text\":" + quote(text) + ",\"logprobs\":[]",
              true));
      events.add(
          new Event("response.content_part.done", at + ",\"part\":" + outputText(text), true));
      events.add(
          new Event(
              "response.output_item.done",
              ",\"output_index\":" + index + ",\"item\":" + messageItem(index),
              true));
      index++;
    }
    for (ResponsesReply.Call call : reply.calls) {
      String item = itemId("fc", index);
      String at = ",\"item_id\":" + quote(item) + ",\"output_index\":" + index;
      events.add(
          new Event(
              "response.output_item.added",
              ",\"output_index\":"
                  + index
                  + ",\"item\":"
                  + callItem(index, call, "in_progress", ""),
              true));
      for (String fragment : call.argumentFragments()) {
        events.add(
            new Event(
                "response.function_call_arguments.delta",
                at + ",\"delta\":" + quote(fragment),
                true));
      }
      events.add(
          new Event(
              "response.function_call_arguments.done",
              at + ",\"arguments\":" + quote(call.arguments()),
              true));
      events.add(
          new Event(
              "response.output_item.done",
              ",\"output_index\":"
                  + index
                  + ",\"item\":"
                  + callItem(index, call, "completed", call.arguments()),
              true));
      index++;
    }
    if (reply.incompleteReason != null) {
      events.add(
          new Event(
              "response.incomplete",
              ",\"response\":" + response("incomplete", output(), true),
              true));
    } else {
      events.add(
          new Event(
              "response.completed",
              ",\"response\":" + response("completed", output(), true),
              true));
    }
    return events;
  }

  /** The body of a whole (not streamed) answer: the final {@code response} object. */
  String body() {
    return response(reply.incompleteReason != null ? "incomplete" : "completed", output(), true);
  }

  /** An output-text delta cut off in the middle of its JSON. */
  Event malformedEvent() {
    return new Event(
        "response.output_text.delta",
        ",\"item_id\":"
            + quote(itemId("msg", 0))
            + ",\"output_index\":0,\"content_index\":0,\"delta\":\"trunc",
        false);
  }

  /** The Responses API's {@code error} event. */
  static Event errorEvent(String message) {
    return new Event(
        "error",
        ",\"code\":\"server_error\",\"message\":" + quote(message) + ",\"param\":null",
        true);
  }

  /** {@code response.failed}, carrying the response with its {@code error}. */
  Event failedEvent(String code, String message) {
    String error = "{\"code\":" + quote(code) + ",\"message\":" + quote(message) + "}";
    return new Event(
        "response.failed", ",\"response\":" + response("failed", "[]", false, error), true);
  }

  private boolean hasMessage() {
    return !reply.textDeltas.isEmpty()
        || (reply.calls.isEmpty() && reply.reasoningDeltas.isEmpty());
  }

  private String output() {
    List<String> items = new ArrayList<>();
    int index = 0;
    if (!reply.reasoningDeltas.isEmpty()) {
      items.add(reasoningItem(index++));
    }
    if (hasMessage()) {
      items.add(messageItem(index++));
    }
    for (ResponsesReply.Call call : reply.calls) {
      items.add(callItem(index++, call, "completed", call.arguments()));
    }
    return "[" + String.join(",", items) + "]";
  }

  private String reasoningItem(int index) {
    return "{\"id\":"
        + quote(itemId("rs", index))
        + ",\"type\":\"reasoning\",\"summary\":"
        + "[{\"type\":\"summary_text\",\"text\":"
        + quote(String.join("", reply.reasoningDeltas))
        + "}]}";
  }

  private String messageItem(int index) {
    return "{\"id\":"
        + quote(itemId("msg", index))
        + ",\"type\":\"message\","
        + "\"status\":\"completed\",\"content\":["
        + outputText(String.join("", reply.textDeltas))
        + "],\"role\":\"assistant\"}";
  }

  private static String outputText(String text) {
    return "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":"
        + quote(text)
        + "}";
  }

  private String callItem(int index, ResponsesReply.Call call, String status, String arguments) {
    return "{\"id\":"
        + quote(itemId("fc", index))
        + ",\"type\":\"function_call\",\"status\":"
        + quote(status)
        + ",\"arguments\":"
        + quote(arguments)
        + ",\"call_id\":"
        + quote(call.callId())
        + ",\"name\":"
        + quote(call.name())
        + "}";
  }

  private String itemId(String prefix, int index) {
    return prefix + "_" + itemSuffix + "_" + index;
  }

  private String response(String status, String output, boolean withUsage) {
    return response(status, output, withUsage, null);
  }

  private String response(String status, String output, boolean withUsage, @Nullable String error) {
    String incomplete =
        "incomplete".equals(status)
            ? "{\"reason\":" + quote(String.valueOf(reply.incompleteReason)) + "}"
            : "null";
    return "{\"id\":"
        + quote(id)
        + ",\"object\":\"response\",\"created_at\":"
        + createdAt
        + ",\"status\":"
        + quote(status)
        + ",\"background\":false"
        + ",\"error\":"
        + (error == null ? "null" : error)
        + ",\"incomplete_details\":"
        + incomplete
        + ",\"instructions\":null,\"max_output_tokens\":null,\"max_tool_calls\":null"
        + ",\"model\":"
        + quote(model)
        + ",\"output\":"
        + output
        + ",\"parallel_tool_calls\":true,\"previous_response_id\":null"
        + ",\"reasoning\":{\"effort\":null,\"summary\":null},\"service_tier\":\"default\""
        + ",\"store\":true,\"temperature\":1.0"
        + ",\"text\":{\"format\":{\"type\":\"text\"},\"verbosity\":\"medium\"}"
        + ",\"tool_choice\":\"auto\",\"tools\":[],\"top_logprobs\":0,\"top_p\":1.0"
        + ",\"truncation\":\"disabled\",\"usage\":"
        + (withUsage ? usage() : "null")
        + ",\"user\":null,\"metadata\":{}}";
  }

  private String usage() {
    ChatReply.Usage u = reply.effectiveUsage();
    return "{\"input_tokens\":"
        + u.prompt()
        + ",\"input_tokens_details\":{\"cached_tokens\":"
        + u.cached()
        + "},\"output_tokens\":"
        + u.completion()
        + ",\"output_tokens_details\":{\"reasoning_tokens\":"
        + u.reasoning()
        + "},\"total_tokens\":"
        + (u.prompt() + u.completion())
        + "}";
  }
}
