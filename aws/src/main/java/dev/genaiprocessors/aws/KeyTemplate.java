package dev.genaiprocessors.aws;

import dev.genaiprocessors.ProcessorPart;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An object key template such as {@code "uploads/{date}/{uuid}{ext}"}: literal text and
 * placeholders, checked when built, evaluated per part, and the key it makes checked against S3's
 * rules.
 */
final class KeyTemplate {
  private static final Map<String, String> EXTENSIONS =
      Map.ofEntries(
          Map.entry("image/png", ".png"),
          Map.entry("image/jpeg", ".jpg"),
          Map.entry("image/gif", ".gif"),
          Map.entry("image/webp", ".webp"),
          Map.entry("text/plain", ".txt"),
          Map.entry("text/html", ".html"),
          Map.entry("text/csv", ".csv"),
          Map.entry("application/json", ".json"),
          Map.entry("application/pdf", ".pdf"),
          Map.entry("audio/wav", ".wav"),
          Map.entry("audio/mpeg", ".mp3"),
          Map.entry("video/mp4", ".mp4"));

  private final String source;
  private final List<String> pieces; // literal text, or a placeholder name in braces

  private KeyTemplate(String source, List<String> pieces) {
    this.source = source;
    this.pieces = pieces;
  }

  /**
   * Parses {@code template}.
   *
   * @throws IllegalArgumentException naming the template and the fault: an unknown placeholder, an
   *     unclosed or stray brace, an empty template
   */
  static KeyTemplate parse(String template) {
    if (template.isEmpty()) {
      throw new IllegalArgumentException("keyTemplate must not be empty");
    }
    List<String> pieces = new ArrayList<>();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      int close = template.indexOf('}', i);
      if (close >= 0 && (open < 0 || close < open)) {
        throw new IllegalArgumentException(
            "keyTemplate \"" + template + "\" has a '}' without '{' at index " + close);
      }
      if (open < 0) {
        pieces.add(template.substring(i));
        break;
      }
      if (open > i) {
        pieces.add(template.substring(i, open));
      }
      if (close < 0) {
        throw new IllegalArgumentException(
            "keyTemplate \"" + template + "\" has an unclosed '{' at index " + open);
      }
      String name = template.substring(open + 1, close);
      if (!(name.equals("uuid")
          || name.equals("sha256")
          || name.equals("ext")
          || name.equals("date")
          || (name.startsWith("meta:") && name.length() > 5))) {
        throw new IllegalArgumentException(
            "keyTemplate \""
                + template
                + "\" has an unknown placeholder {"
                + name
                + "}; known: {uuid}, {sha256}, {ext}, {date}, {meta:<key>}");
      }
      pieces.add("{" + name + "}");
      i = close + 1;
    }
    return new KeyTemplate(template, List.copyOf(pieces));
  }

  /**
   * The key for a part of this MIME type, content and metadata.
   *
   * @param content the bytes to hash for {@code {sha256}}, or null when unknown (a stream)
   * @throws IllegalArgumentException naming the template, the key and the rule when the key is not
   *     a valid S3 key, or a {@code {meta:...}} key is missing from the part
   */
  String keyFor(ProcessorPart part, byte @Nullable [] content, Clock clock) {
    StringBuilder key = new StringBuilder();
    for (String piece : pieces) {
      if (!piece.startsWith("{")) {
        key.append(piece);
        continue;
      }
      String name = piece.substring(1, piece.length() - 1);
      switch (name) {
        case "uuid" -> key.append(UUID.randomUUID());
        case "ext" -> key.append(extension(part.mimeType()));
        case "date" ->
            key.append(
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString().replace('-', '/'));
        case "sha256" -> {
          if (content == null) {
            throw new IllegalArgumentException(
                "keyTemplate \""
                    + source
                    + "\" uses {sha256}, which a streamed object cannot have");
          }
          key.append(sha256(content));
        }
        default -> {
          String metaKey = name.substring(5);
          Object value = part.metadata(metaKey);
          if (value == null) {
            throw new IllegalArgumentException(
                "keyTemplate \""
                    + source
                    + "\" needs the metadata \""
                    + metaKey
                    + "\", which the "
                    + part.mimeType()
                    + " part does not have");
          }
          key.append(value);
        }
      }
    }
    return check(key.toString());
  }

  private String check(String key) {
    String fault = null;
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (key.isEmpty()) {
      fault = "it is empty";
    } else if (bytes > 1024) {
      fault = "it is " + bytes + " UTF-8 bytes, over S3's limit of 1024";
    } else if (key.startsWith("/")) {
      fault = "it starts with '/'";
    } else if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      fault = "it holds a control character";
    } else {
      for (String segment : key.split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          fault = "it has an empty, '.' or '..' path segment";
          break;
        }
      }
    }
    if (fault != null) {
      throw new IllegalArgumentException(
          "keyTemplate \""
              + source
              + "\" made the invalid S3 key \""
              + printable(key)
              + "\": "
              + fault);
    }
    return key;
  }

  private static String printable(String key) {
    StringBuilder s = new StringBuilder();
    key.codePoints()
        .limit(200)
        .forEach(
            c ->
                s.append(
                    c < 0x20 || c == 0x7f
                        ? String.format(Locale.ROOT, "\\u%04x", c)
                        : Character.toString(c)));
    return s.toString();
  }

  static String extension(String mimeType) {
    int semi = mimeType.indexOf(';');
    String base =
        (semi < 0 ? mimeType : mimeType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    return EXTENSIONS.getOrDefault(base, ".bin");
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return source;
  }
}
