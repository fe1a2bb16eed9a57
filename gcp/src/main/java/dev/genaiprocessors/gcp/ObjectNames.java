package dev.genaiprocessors.gcp;

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
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An object-name template, checked when it is made: literal text and the placeholders {@code
 * {uuid}}, {@code {date}} ({@code yyyy/MM/dd}, UTC), {@code {ext}} (the extension of the part's
 * MIME type, dot included, or nothing), {@code {role}}, {@code {sha256}} (of the content) and
 * {@code {meta:<key>}} (a metadata value). Every name it makes is checked against Cloud Storage's
 * naming rules before any call.
 */
final class ObjectNames {
  private static final Map<String, String> EXTENSIONS =
      Map.ofEntries(
          Map.entry("image/png", ".png"),
          Map.entry("image/jpeg", ".jpg"),
          Map.entry("image/gif", ".gif"),
          Map.entry("image/webp", ".webp"),
          Map.entry("image/bmp", ".bmp"),
          Map.entry("image/svg+xml", ".svg"),
          Map.entry("image/tiff", ".tiff"),
          Map.entry("text/plain", ".txt"),
          Map.entry("text/html", ".html"),
          Map.entry("text/csv", ".csv"),
          Map.entry("text/markdown", ".md"),
          Map.entry("application/json", ".json"),
          Map.entry("application/pdf", ".pdf"),
          Map.entry("application/octet-stream", ".bin"),
          Map.entry("audio/wav", ".wav"),
          Map.entry("audio/mpeg", ".mp3"),
          Map.entry("audio/mp3", ".mp3"),
          Map.entry("video/mp4", ".mp4"),
          Map.entry("video/webm", ".webm"));

  private sealed interface Piece {
    record Literal(String text) implements Piece {}

    record Placeholder(String name) implements Piece {}
  }

  private final String template;
  private final List<Piece> pieces;
  private final boolean needsContent;

  private ObjectNames(String template, List<Piece> pieces) {
    this.template = template;
    this.pieces = List.copyOf(pieces);
    this.needsContent =
        pieces.stream()
            .anyMatch(p -> p instanceof Piece.Placeholder(String name) && name.equals("sha256"));
  }

  /**
   * The template {@code template}.
   *
   * @throws IllegalArgumentException naming the template and what is wrong with it
   */
  static ObjectNames parse(String template) {
    if (template.isEmpty()) {
      throw new IllegalArgumentException("objectNames template must not be empty");
    }
    List<Piece> pieces = new ArrayList<>();
    int at = 0;
    while (at < template.length()) {
      int open = template.indexOf('{', at);
      int close = template.indexOf('}', at);
      if (close >= 0 && (open < 0 || close < open)) {
        throw bad(template, "a '}' at " + close + " closes nothing");
      }
      if (open < 0) {
        pieces.add(new Piece.Literal(template.substring(at)));
        break;
      }
      if (open > at) {
        pieces.add(new Piece.Literal(template.substring(at, open)));
      }
      if (close < 0) {
        throw bad(template, "the '{' at " + open + " is never closed");
      }
      String name = template.substring(open + 1, close);
      if (!name.equals("uuid")
          && !name.equals("date")
          && !name.equals("ext")
          && !name.equals("role")
          && !name.equals("sha256")
          && !(name.startsWith("meta:") && name.length() > 5)) {
        throw bad(
            template,
            "unknown placeholder {"
                + name
                + "}; known: {uuid}, {date}, {ext}, {role}, {sha256}, {meta:<key>}");
      }
      pieces.add(new Piece.Placeholder(name));
      at = close + 1;
    }
    for (Piece piece : pieces) {
      if (piece instanceof Piece.Literal(String text)) {
        String why = invalid(text, false);
        if (why != null) {
          throw bad(template, why);
        }
      }
    }
    return new ObjectNames(template, pieces);
  }

  private static IllegalArgumentException bad(String template, String why) {
    return new IllegalArgumentException(
        "objectNames template \"" + template + "\" is invalid: " + why);
  }

  /** Whether {@code {sha256}} needs the content in memory. */
  boolean needsContent() {
    return needsContent;
  }

  String template() {
    return template;
  }

  /**
   * The name for {@code part}.
   *
   * @param content the content's bytes, or a supplier failing when they are not in memory
   * @throws IllegalArgumentException naming the part and the name when the name breaks Cloud
   *     Storage's rules, or a {@code {meta:<key>}} is missing
   */
  String name(ProcessorPart part, Supplier<byte[]> content, Clock clock, String describedPart) {
    StringBuilder name = new StringBuilder();
    for (Piece piece : pieces) {
      switch (piece) {
        case Piece.Literal(String text) -> name.append(text);
        case Piece.Placeholder(String p) ->
            name.append(value(p, part, content, clock, describedPart));
      }
    }
    String result = name.toString();
    String why = invalid(result, true);
    if (why != null) {
      throw new IllegalArgumentException(
          "object name \""
              + printable(result)
              + "\" for "
              + describedPart
              + " (template \""
              + template
              + "\") is invalid: "
              + why);
    }
    return result;
  }

  private static String value(
      String placeholder,
      ProcessorPart part,
      Supplier<byte[]> content,
      Clock clock,
      String describedPart) {
    return switch (placeholder) {
      case "uuid" -> UUID.randomUUID().toString();
      case "date" -> {
        LocalDate d = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        yield String.format(
            Locale.ROOT, "%04d/%02d/%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
      }
      case "ext" -> extension(part.mimeType());
      case "role" -> part.role();
      case "sha256" -> sha256(content.get());
      default -> {
        String key = placeholder.substring("meta:".length());
        Object v = part.metadata(key);
        if (v == null) {
          throw new IllegalArgumentException(
              describedPart
                  + " has no metadata '"
                  + key
                  + "' for the object name's {"
                  + placeholder
                  + "}");
        }
        yield v.toString();
      }
    };
  }

  static String extension(String mimeType) {
    String base = mimeType.toLowerCase(Locale.ROOT);
    int semicolon = base.indexOf(';');
    base = (semicolon < 0 ? base : base.substring(0, semicolon)).strip();
    return EXTENSIONS.getOrDefault(base, "");
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Why {@code name} breaks Cloud Storage's object naming rules, or null when it does not: 1 to
   * 1024 bytes of UTF-8, no carriage return, line feed or other control character, not {@code .} or
   * {@code ..}, not under {@code .well-known/acme-challenge/}. A piece of a template is held to the
   * character rules only.
   */
  static @Nullable String invalid(String name, boolean whole) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\r' || c == '\n') {
        return "it contains a carriage return or line feed at " + i;
      }
      if (Character.isISOControl(c)) {
        return "it contains the control character U+" + String.format("%04X", (int) c) + " at " + i;
      }
      if (Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c)
              && i + 1 < name.length()
              && Character.isLowSurrogate(name.charAt(i + 1)))
          && !(Character.isLowSurrogate(c)
              && i > 0
              && Character.isHighSurrogate(name.charAt(i - 1)))) {
        return "it is not valid UTF-16 (a lone surrogate at " + i + ")";
      }
    }
    if (!whole) {
      return null;
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0) {
      return "it is empty";
    }
    if (bytes > 1024) {
      return "it is " + bytes + " bytes of UTF-8, more than 1024";
    }
    if (name.equals(".") || name.equals("..")) {
      return "it is '" + name + "'";
    }
    if (name.startsWith(".well-known/acme-challenge/")) {
      return "it starts with .well-known/acme-challenge/";
    }
    return null;
  }

  private static String printable(String name) {
    String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
    return shown.replace("\r", "\\r").replace("\n", "\\n");
  }
}
