package dev.genaiprocessors.observability;

import org.jspecify.annotations.Nullable;

/**
 * The conventions' JSON form of captured messages ({@code gen_ai.input.messages}, {@code
 * gen_ai.output.messages}): one message of one text part.
 */
final class Messages {
  private Messages() {}

  static String json(String role, String text, @Nullable String finishReason) {
    StringBuilder json = new StringBuilder(text.length() + 80);
    json.append("[{\"role\":");
    quote(json, role);
    json.append(",\"parts\":[{\"type\":\"text\",\"content\":");
    quote(json, text);
    json.append("}]");
    if (finishReason != null) {
      json.append(",\"finish_reason\":");
      quote(json, finishReason);
    }
    return json.append("}]").toString();
  }

  private static void quote(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
