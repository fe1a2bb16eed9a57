package dev.genaiprocessors.jdbc;

import dev.genaiprocessors.PartData;
import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorPart;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A part as its row holds it, and back: the part's {@link PartJson} text, with inline bytes moved
 * to a binary column (their place in the JSON left empty) instead of written as base64 text.
 */
final class PartRows {
  private PartRows() {}

  /** What a row stores of a part. */
  record Encoded(String json, byte @Nullable [] bytes) {
    /** Whether the stored size is over {@code limit}; counted only when it could be. */
    boolean isOver(long limit) {
      return (long) json.length() * 3 + binaryLength() > limit && size() > limit;
    }

    /** The stored size in bytes: the JSON's UTF-8 length plus the binary column's. */
    long size() {
      return utf8Length(json) + binaryLength();
    }

    private long binaryLength() {
      return bytes == null ? 0 : bytes.length;
    }
  }

  static Encoded encode(ProcessorPart part) {
    if (!(part.data() instanceof PartData.Blob)) {
      return new Encoded(PartJson.toJson(part), null);
    }
    Map<String, Object> dict = PartJson.toDict(part, true);
    Map<String, Object> inline = inlineData(dict);
    byte[] bytes = (byte[]) inline.get("data");
    inline.put("data", new byte[0]);
    return new Encoded(PartJson.toJson(PartJson.fromDict(dict)), bytes);
  }

  static ProcessorPart decode(String json, byte @Nullable [] bytes) {
    ProcessorPart part = PartJson.fromJson(json);
    if (bytes == null) {
      return part;
    }
    Map<String, Object> dict = PartJson.toDict(part, true);
    inlineData(dict).put("data", bytes);
    return PartJson.fromDict(dict);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> inlineData(Map<String, Object> dict) {
    Map<String, Object> gemini = (Map<String, Object>) dict.get("part");
    Object inline = gemini == null ? null : gemini.get("inline_data");
    if (!(inline instanceof Map<?, ?>)) {
      throw new IllegalStateException("a part of inline bytes has no inline_data in its JSON");
    }
    return (Map<String, Object>) inline;
  }

  private static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
