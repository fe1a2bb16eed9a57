package dev.genaiprocessors.http;

import dev.genaiprocessors.ProcessorPart;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A URL with {@code {name}} placeholders, filled per part: {@code {text}} with the part's text, any
 * other name with the part's metadata value of that name; values are URL-encoded.
 */
final class UrlTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

  private final String template;
  private final List<String> names = new ArrayList<>();

  UrlTemplate(String template) {
    this.template = template;
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      names.add(m.group(1));
    }
    URI probe;
    try {
      probe = URI.create(PLACEHOLDER.matcher(template).replaceAll("x"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("urlTemplate is not a valid URL: " + e.getMessage(), e);
    }
    String scheme = probe.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || probe.getHost() == null) {
      throw new IllegalArgumentException(
          "urlTemplate must be an absolute http or https URL but was " + template);
    }
  }

  String template() {
    return template;
  }

  String host() {
    return URI.create(PLACEHOLDER.matcher(template).replaceAll("x")).getHost();
  }

  URI expand(ProcessorPart part) {
    if (names.isEmpty()) {
      return URI.create(template);
    }
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = value(name, part);
      m.appendReplacement(
          out,
          Matcher.quoteReplacement(
              URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
    }
    m.appendTail(out);
    return URI.create(out.toString());
  }

  private static String value(String name, ProcessorPart part) {
    if (name.equals("text")) {
      if (!part.isText()) {
        throw new IllegalArgumentException(
            "URL placeholder {text} needs a text part but the part is " + part.mimeType());
      }
      return part.text();
    }
    @Nullable Object value = part.metadata(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "URL placeholder {" + name + "} has no value: the part has no metadata '" + name + "'");
    }
    return value.toString();
  }
}
