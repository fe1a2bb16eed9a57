package dev.genaiprocessors.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Renders a {@link GenerateContentReply} as Gemini's JSON: streamed events or one body. */
final class GeminiRendering {
  private final GenerateContentReply reply;
  private final String modelVersion;
  private final String responseId;

  GeminiRendering(GenerateContentReply reply, String modelVersion, String responseId) {
    this.reply = reply;
    this.modelVersion = modelVersion;
    this.responseId = responseId;
  }

  /** The {@code data:} payloads of the streamed events, before faults are applied. */
  List<String> events() {
    List<String> events = new ArrayList<>();
    if (reply.blockReason != null) {
      events.add(blocked());
      return events;
    }
    List<List<String>> chunks =
        reply.chunks.isEmpty() ? List.of(List.of("{\"text\":\"\"}")) : reply.chunks;
    for (int i = 0; i < chunks.size(); i++) {
      boolean last = i == chunks.size() - 1;
      events.add(response(chunks.get(i), last));
    }
    return events;
  }

  /** The whole response as {@code :generateContent} returns it. */
  String body() {
    if (reply.blockReason != null) {
      return blocked();
    }
    List<String> parts = new ArrayList<>();
    reply.chunks.forEach(parts::addAll);
    if (parts.isEmpty()) {
      parts.add("{\"text\":\"\"}");
    }
    return response(parts, true);
  }

  /** An event of truncated JSON. */
  String malformedEvent() {
    return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"trunc";
  }

  /** An error object sent as an event. */
  String errorEvent() {
    return "{\"error\":{\"code\":"
        + reply.errorEventCode
        + ",\"message\":"
        + ChatRendering.quote(reply.errorEventMessage)
        + ",\"status\":"
        + ChatRendering.quote(GoogleErrorReply.statusOf(reply.errorEventCode))
        + "}}";
  }

  private String response(List<String> parts, boolean last) {
    StringBuilder s =
        new StringBuilder(128)
            .append("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[")
            .append(String.join(",", parts))
            .append("]}");
    if (last) {
      s.append(",\"finishReason\":").append(ChatRendering.quote(reply.effectiveFinishReason()));
    }
    s.append(",\"index\":0");
    if (last && !reply.safetyRatings.isEmpty()) {
      s.append(",\"safetyRatings\":").append(ratings());
    }
    s.append("}]");
    return tail(s, last ? fullUsage() : promptUsage());
  }

  private String blocked() {
    StringBuilder s =
        new StringBuilder("{\"promptFeedback\":{\"blockReason\":")
            .append(ChatRendering.quote(Objects.requireNonNull(reply.blockReason)));
    if (!reply.safetyRatings.isEmpty()) {
      s.append(",\"safetyRatings\":").append(ratings());
    }
    s.append('}');
    return tail(s, promptUsage());
  }

  private String tail(StringBuilder s, String usage) {
    return s.append(",\"usageMetadata\":")
        .append(usage)
        .append(",\"modelVersion\":")
        .append(ChatRendering.quote(modelVersion))
        .append(",\"responseId\":")
        .append(ChatRendering.quote(responseId))
        .append('}')
        .toString();
  }

  private String ratings() {
    List<String> ratings = new ArrayList<>();
    for (GenerateContentReply.Rating r : reply.safetyRatings) {
      ratings.add(
          "{\"category\":"
              + ChatRendering.quote(r.category())
              + ",\"probability\":"
              + ChatRendering.quote(r.probability())
              + (r.blocked() ? ",\"blocked\":true" : "")
              + "}");
    }
    return "[" + String.join(",", ratings) + "]";
  }

  private String promptUsage() {
    long prompt = reply.effectiveUsage().prompt();
    return "{\"promptTokenCount\":" + prompt + ",\"totalTokenCount\":" + prompt + "}";
  }

  private String fullUsage() {
    GenerateContentReply.Usage u = reply.effectiveUsage();
    return "{\"promptTokenCount\":"
        + u.prompt()
        + ",\"candidatesTokenCount\":"
        + u.candidates()
        + ",\"totalTokenCount\":"
        + (u.prompt() + u.candidates() + u.thoughts())
        + (u.cached() > 0 ? ",\"cachedContentTokenCount\":" + u.cached() : "")
        + ",\"thoughtsTokenCount\":"
        + u.thoughts()
        + "}";
  }
}
