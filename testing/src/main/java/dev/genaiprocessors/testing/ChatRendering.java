package dev.genaiprocessors.testing;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Renders a {@link ChatReply} as Chat Completions JSON, field by field in the order OpenAI (or the
 * dialect's server) writes them. Strings, not a JSON tree: the order and the presence of every
 * {@code null} are part of what a client is tested against.
 */
final class ChatRendering {
  static final String DONE = "[DONE]";

  private final ChatReply reply;
  private final OpenAiDialect dialect;
  private final String model;
  private final String id;
  private final long created;
  private final boolean includeUsage;

  ChatRendering(
      ChatReply reply, OpenAiDialect dialect, String model, String id, long created,
      boolean includeUsage) {
    this.reply = reply;
    this.dialect = dialect;
    this.model = model;
    this.id = id;
    this.created = created;
    this.includeUsage = includeUsage;
  }

  /** The data of every SSE event of a streamed answer, {@code [DONE]} last unless left out. */
  List<String> events() {
    List<String> events = new ArrayList<>();
    events.add(chunk(switch (dialect) {
      case OPENAI -> "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}";
      case OLLAMA -> "{\"role\":\"assistant\",\"content\":\"\"}";
      case VLLM -> "{\"role\":\"assistant\",\"content\":\"\"}";
    }, null));
    for (String delta : reply.textDeltas) {
      events.add(chunk(switch (dialect) {
        case OPENAI -> "{\"content\":" + quote(delta) + "}";
        case OLLAMA -> "{\"role\":\"assistant\",\"content\":" + quote(delta) + "}";
        case VLLM -> "{\"content\":" + quote(delta) + ",\"tool_calls\":[]}";
      }, null));
    }
    for (int index = 0; index < reply.toolCalls.size(); index++) {
      ChatReply.ToolCall call = reply.toolCalls.get(index);
      if (dialect == OpenAiDialect.OLLAMA) {
        events.add(chunk("{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
            + toolCallHead(index, call, call.arguments()) + "]}", null));
        continue;
      }
      events.add(chunk("{\"tool_calls\":[" + toolCallHead(index, call, "") + "]}", null));
      for (String fragment : call.argumentFragments()) {
        events.add(chunk("{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":"
            + quote(fragment) + "}}]}", null));
      }
    }
    events.add(chunk("{}", reply.effectiveFinishReason()));
    if (includeUsage && dialect != OpenAiDialect.OLLAMA) {
      events.add(head("chat.completion.chunk")
          + ",\"choices\":" + (dialect == OpenAiDialect.VLLM ? "null" : "[]")
          + ",\"usage\":" + usage() + "}");
    }
    if (!reply.withoutDone) {
      events.add(DONE);
    }
    return events;
  }

  /** The body of a whole (not streamed) answer. */
  String body() {
    StringBuilder message = new StringBuilder("{\"role\":\"assistant\",\"content\":");
    message.append(reply.textDeltas.isEmpty() && !reply.toolCalls.isEmpty()
        ? "null" : quote(reply.fullText()));
    if (dialect == OpenAiDialect.OPENAI) {
      message.append(",\"refusal\":null,\"annotations\":[]");
    }
    if (!reply.toolCalls.isEmpty()) {
      message.append(",\"tool_calls\":[");
      for (int i = 0; i < reply.toolCalls.size(); i++) {
        ChatReply.ToolCall call = reply.toolCalls.get(i);
        message.append(i == 0 ? "" : ",")
            .append("{\"id\":").append(quote(call.id()))
            .append(",\"type\":\"function\",\"function\":{\"name\":").append(quote(call.name()))
            .append(",\"arguments\":").append(quote(call.arguments())).append("}}");
      }
      message.append(']');
    }
    message.append('}');
    return head("chat.completion")
        + ",\"choices\":[{\"index\":0,\"message\":" + message
        + (dialect == OpenAiDialect.OLLAMA ? "" : ",\"logprobs\":null")
        + ",\"finish_reason\":" + quote(reply.effectiveFinishReason()) + "}]"
        + ",\"usage\":" + usage() + "}";
  }

  /** OpenAI's mid-stream error event. */
  static String errorEvent(String message) {
    return "{\"error\":{\"message\":" + quote(message)
        + ",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
  }

  /** A chunk cut off in the middle of its JSON. */
  String malformedEvent() {
    return head("chat.completion.chunk") + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"trunc";
  }

  private static String toolCallHead(int index, ChatReply.ToolCall call, String arguments) {
    return "{\"index\":" + index + ",\"id\":" + quote(call.id())
        + ",\"type\":\"function\",\"function\":{\"name\":" + quote(call.name())
        + ",\"arguments\":" + quote(arguments) + "}}";
  }

  private String chunk(String delta, @Nullable String finishReason) {
    String finish = finishReason == null ? "null" : quote(finishReason);
    String choice = "{\"index\":0,\"delta\":" + delta
        + (dialect == OpenAiDialect.OLLAMA ? "" : ",\"logprobs\":null")
        + ",\"finish_reason\":" + finish + "}";
    return head("chat.completion.chunk") + ",\"choices\":[" + choice + "]"
        + (includeUsage && dialect != OpenAiDialect.OLLAMA ? ",\"usage\":null" : "") + "}";
  }

  private String head(String object) {
    String fingerprint = switch (dialect) {
      case OPENAI -> ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_7f1c3c6d5e\"";
      case OLLAMA -> ",\"system_fingerprint\":\"fp_ollama\"";
      case VLLM -> "";
    };
    return "{\"id\":" + quote(id) + ",\"object\":\"" + object + "\",\"created\":" + created
        + ",\"model\":" + quote(model) + fingerprint;
  }

  private String usage() {
    ChatReply.Usage u = reply.effectiveUsage();
    long total = u.prompt() + u.completion();
    String counts = "{\"prompt_tokens\":" + u.prompt() + ",\"completion_tokens\":" + u.completion()
        + ",\"total_tokens\":" + total;
    return switch (dialect) {
      case OPENAI -> counts
          + ",\"prompt_tokens_details\":{\"cached_tokens\":" + u.cached() + ",\"audio_tokens\":0}"
          + ",\"completion_tokens_details\":{\"reasoning_tokens\":" + u.reasoning()
          + ",\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
      case OLLAMA -> counts + "}";
      case VLLM -> counts + ",\"prompt_tokens_details\":null}";
    };
  }

  static String quote(String text) {
    StringBuilder s = new StringBuilder(text.length() + 2).append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, s);
    return s.append('"').toString();
  }
}
