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
      ChatReply reply,
      OpenAiDialect dialect,
      String model,
      String id,
      long created,
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
    if (dialect == OpenAiDialect.AZURE) {
      events.add(azurePromptFilterChunk());
    }
    events.add(
        chunk(
            switch (dialect) {
              case OPENAI -> "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}";
              case AZURE -> "{\"content\":\"\",\"refusal\":null,\"role\":\"assistant\"}";
              case OLLAMA, VLLM, GLM -> "{\"role\":\"assistant\",\"content\":\"\"}";
              case QWEN -> "{\"content\":\"\",\"role\":\"assistant\"}";
            },
            null,
            false));
    for (String delta : reply.textDeltas) {
      events.add(
          chunk(
              switch (dialect) {
                case OPENAI, AZURE, QWEN -> "{\"content\":" + quote(delta) + "}";
                case OLLAMA, GLM -> "{\"role\":\"assistant\",\"content\":" + quote(delta) + "}";
                case VLLM -> "{\"content\":" + quote(delta) + ",\"tool_calls\":[]}";
              },
              null,
              true));
    }
    for (int index = 0; index < reply.toolCalls.size(); index++) {
      ChatReply.ToolCall call = reply.toolCalls.get(index);
      if (dialect == OpenAiDialect.OLLAMA) {
        events.add(
            chunk(
                "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
                    + toolCallHead(index, call, call.arguments())
                    + "]}",
                null,
                false));
        continue;
      }
      events.add(chunk(toolCallDelta(index, call), null, false));
      for (String fragment : call.argumentFragments()) {
        events.add(chunk(argumentsDelta(index, fragment), null, false));
      }
    }
    events.add(
        chunk(
            switch (dialect) {
              case OPENAI, OLLAMA, VLLM, AZURE -> "{}";
              case QWEN -> "{\"content\":\"\"}";
              case GLM -> "{\"role\":\"assistant\",\"content\":\"\"}";
            },
            reply.effectiveFinishReason(),
            false));
    if (includeUsage && dialect != OpenAiDialect.OLLAMA && dialect != OpenAiDialect.GLM) {
      events.add(usageChunk());
    }
    if (!reply.withoutDone) {
      events.add(DONE);
    }
    return events;
  }

  /** The body of a whole (not streamed) answer. */
  String body() {
    StringBuilder message = new StringBuilder("{\"role\":\"assistant\",\"content\":");
    message.append(
        reply.textDeltas.isEmpty() && !reply.toolCalls.isEmpty()
            ? "null"
            : quote(reply.fullText()));
    if (dialect == OpenAiDialect.OPENAI) {
      message.append(",\"refusal\":null,\"annotations\":[]");
    }
    if (!reply.toolCalls.isEmpty()) {
      message.append(",\"tool_calls\":[");
      for (int i = 0; i < reply.toolCalls.size(); i++) {
        ChatReply.ToolCall call = reply.toolCalls.get(i);
        message
            .append(i == 0 ? "" : ",")
            .append("{\"id\":")
            .append(quote(call.id()))
            .append(",\"type\":\"function\",\"function\":{\"name\":")
            .append(quote(call.name()))
            .append(",\"arguments\":")
            .append(quote(call.arguments()))
            .append("}}");
      }
      message.append(']');
    }
    message.append('}');
    return head("chat.completion")
        + ",\"choices\":[{\"index\":0,\"message\":"
        + message
        + (dialect == OpenAiDialect.OLLAMA ? "" : ",\"logprobs\":null")
        + ",\"finish_reason\":"
        + quote(reply.effectiveFinishReason())
        + "}]"
        + ",\"usage\":"
        + usage()
        + "}";
  }

  /** OpenAI's mid-stream error event. */
  static String errorEvent(String message) {
    return "{\"error\":{\"message\":"
        + quote(message)
        + ",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
  }

  /** A chunk cut off in the middle of its JSON. */
  String malformedEvent() {
    return switch (dialect) {
      case OPENAI, OLLAMA, VLLM ->
          head("chat.completion.chunk")
              + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"trunc";
      case GLM ->
          "{\"id\":"
              + quote(id)
              + ",\"created\":"
              + created
              + ",\"model\":"
              + quote(model)
              + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"trunc";
      case AZURE -> "{\"choices\":[{\"content_filter_results\":{},\"delta\":{\"content\":\"trunc";
      case QWEN -> "{\"choices\":[{\"delta\":{\"content\":\"trunc";
    };
  }

  private static String toolCallHead(int index, ChatReply.ToolCall call, String arguments) {
    return "{\"index\":"
        + index
        + ",\"id\":"
        + quote(call.id())
        + ",\"type\":\"function\",\"function\":{\"name\":"
        + quote(call.name())
        + ",\"arguments\":"
        + quote(arguments)
        + "}}";
  }

  /** The delta that opens a tool call: its id, type and name, no arguments yet. */
  private String toolCallDelta(int index, ChatReply.ToolCall call) {
    return switch (dialect) {
      case OPENAI, OLLAMA, VLLM, QWEN -> "{\"tool_calls\":[" + toolCallHead(index, call, "") + "]}";
      case AZURE ->
          "{\"tool_calls\":[{\"function\":{\"arguments\":\"\",\"name\":"
              + quote(call.name())
              + "},\"id\":"
              + quote(call.id())
              + ",\"index\":"
              + index
              + ",\"type\":\"function\"}]}";
      case GLM ->
          "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":"
              + quote(call.id())
              + ",\"index\":"
              + index
              + ",\"type\":\"function\",\"function\":{\"name\":"
              + quote(call.name())
              + ",\"arguments\":\"\"}}]}";
    };
  }

  /** A later fragment of tool call {@code index}: the next piece of its arguments. */
  private String argumentsDelta(int index, String fragment) {
    return switch (dialect) {
      case OPENAI, OLLAMA, VLLM ->
          "{\"tool_calls\":[{\"index\":"
              + index
              + ",\"function\":{\"arguments\":"
              + quote(fragment)
              + "}}]}";
      case AZURE ->
          "{\"tool_calls\":[{\"function\":{\"arguments\":"
              + quote(fragment)
              + "},\"index\":"
              + index
              + "}]}";
      case QWEN ->
          "{\"tool_calls\":[{\"index\":"
              + index
              + ",\"id\":\"\",\"type\":\"function\",\"function\":{\"arguments\":"
              + quote(fragment)
              + "}}]}";
      case GLM ->
          "{\"role\":\"assistant\",\"tool_calls\":[{\"index\":"
              + index
              + ",\"type\":\"function\",\"function\":{\"name\":\"\",\"arguments\":"
              + quote(fragment)
              + "}}]}";
    };
  }

  /**
   * One {@code chat.completion.chunk} carrying {@code delta} in its only choice. {@code text} says
   * whether the delta is model text, which Azure's content filter annotates.
   */
  private String chunk(String delta, @Nullable String finishReason, boolean text) {
    String finish = finishReason == null ? "null" : quote(finishReason);
    return switch (dialect) {
      case OPENAI, OLLAMA, VLLM -> {
        String choice =
            "{\"index\":0,\"delta\":"
                + delta
                + (dialect == OpenAiDialect.OLLAMA ? "" : ",\"logprobs\":null")
                + ",\"finish_reason\":"
                + finish
                + "}";
        yield head("chat.completion.chunk")
            + ",\"choices\":["
            + choice
            + "]"
            + (includeUsage && dialect != OpenAiDialect.OLLAMA ? ",\"usage\":null" : "")
            + "}";
      }
      case AZURE ->
          "{\"choices\":[{\"content_filter_results\":"
              + (text ? AZURE_FILTER_RESULTS : "{}")
              + ",\"delta\":"
              + delta
              + ",\"finish_reason\":"
              + finish
              + ",\"index\":0,\"logprobs\":null}]"
              + azureTail()
              + "}";
      case QWEN ->
          "{\"choices\":[{\"delta\":"
              + delta
              + ",\"finish_reason\":"
              + finish
              + ",\"index\":0,\"logprobs\":null}],\"object\":\"chat.completion.chunk\",\"usage\":null"
              + qwenTail()
              + "}";
      case GLM ->
          "{\"id\":"
              + quote(id)
              + ",\"created\":"
              + created
              + ",\"model\":"
              + quote(model)
              + ",\"choices\":[{\"index\":0"
              + (finishReason == null ? "" : ",\"finish_reason\":" + finish)
              + ",\"delta\":"
              + delta
              + "}]"
              + (finishReason == null ? "" : ",\"usage\":" + usage())
              + "}";
    };
  }

  /** The usage-only chunk that ends the stream when the request asked for usage. */
  private String usageChunk() {
    return switch (dialect) {
      case OPENAI, OLLAMA, VLLM ->
          head("chat.completion.chunk")
              + ",\"choices\":"
              + (dialect == OpenAiDialect.VLLM ? "null" : "[]")
              + ",\"usage\":"
              + usage()
              + "}";
      case AZURE -> "{\"choices\":[]" + azureTail() + ",\"usage\":" + usage() + "}";
      case QWEN ->
          "{\"choices\":[],\"object\":\"chat.completion.chunk\",\"usage\":"
              + usage()
              + qwenTail()
              + "}";
      case GLM -> throw new IllegalStateException("GLM sends its usage in the finish chunk");
    };
  }

  /** Azure's first event: the prompt's content-filter verdicts, before any completion field. */
  private static String azurePromptFilterChunk() {
    return "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
        + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{"
        + "\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
        + "\"jailbreak\":{\"filtered\":false,\"detected\":false},"
        + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},"
        + "\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},"
        + "\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}}]}";
  }

  private static final String AZURE_FILTER_RESULTS =
      "{"
          + "\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
          + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},"
          + "\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},"
          + "\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";

  /** The fields Azure writes after {@code choices}, keys in alphabetical order as it sorts them. */
  private String azureTail() {
    return ",\"created\":"
        + created
        + ",\"id\":"
        + quote(id)
        + ",\"model\":"
        + quote(model)
        + ",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":\"fp_b705f0c291\"";
  }

  /** The fields DashScope writes after {@code choices}, {@code object} and {@code usage}. */
  private String qwenTail() {
    return ",\"created\":"
        + created
        + ",\"system_fingerprint\":null,\"model\":"
        + quote(model)
        + ",\"id\":"
        + quote(id);
  }

  private String head(String object) {
    String fingerprint =
        switch (dialect) {
          case OPENAI -> ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_7f1c3c6d5e\"";
          case OLLAMA -> ",\"system_fingerprint\":\"fp_ollama\"";
          case AZURE -> ",\"system_fingerprint\":\"fp_b705f0c291\"";
          case QWEN -> ",\"system_fingerprint\":null";
          case VLLM, GLM -> "";
        };
    return "{\"id\":"
        + quote(id)
        + ",\"object\":\""
        + object
        + "\",\"created\":"
        + created
        + ",\"model\":"
        + quote(model)
        + fingerprint;
  }

  private String usage() {
    ChatReply.Usage u = reply.effectiveUsage();
    long total = u.prompt() + u.completion();
    String counts =
        "{\"prompt_tokens\":"
            + u.prompt()
            + ",\"completion_tokens\":"
            + u.completion()
            + ",\"total_tokens\":"
            + total;
    return switch (dialect) {
      case OPENAI ->
          counts
              + ",\"prompt_tokens_details\":{\"cached_tokens\":"
              + u.cached()
              + ",\"audio_tokens\":0}"
              + ",\"completion_tokens_details\":{\"reasoning_tokens\":"
              + u.reasoning()
              + ",\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
      case OLLAMA -> counts + "}";
      case VLLM -> counts + ",\"prompt_tokens_details\":null}";
      case AZURE ->
          "{\"completion_tokens\":"
              + u.completion()
              + ",\"completion_tokens_details\":{\"accepted_prediction_tokens\":0,\"audio_tokens\":0,"
              + "\"reasoning_tokens\":"
              + u.reasoning()
              + ",\"rejected_prediction_tokens\":0}"
              + ",\"prompt_tokens\":"
              + u.prompt()
              + ",\"prompt_tokens_details\":{\"audio_tokens\":0,\"cached_tokens\":"
              + u.cached()
              + "}"
              + ",\"total_tokens\":"
              + total
              + "}";
      case QWEN, GLM ->
          counts + ",\"prompt_tokens_details\":{\"cached_tokens\":" + u.cached() + "}}";
    };
  }

  static String quote(String text) {
    StringBuilder s = new StringBuilder(text.length() + 2).append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, s);
    return s.append('"').toString();
  }
}
