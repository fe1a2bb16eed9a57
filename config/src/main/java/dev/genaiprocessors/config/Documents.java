package dev.genaiprocessors.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads documents into {@link Layer}s, keeping the line and column of every key: YAML and JSON
 * through Jackson's streaming parsers (so the positions are the parser's), properties and variables
 * by splitting their names.
 */
final class Documents {
  private static final Pattern YAML_MARK =
      Pattern.compile("in 'reader', line (\\d+), column (\\d+)");
  private static final Pattern QUOTED = Pattern.compile("(?<=token )'[^'\\n]{6,}'");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final YAMLFactory YAML =
      YAMLFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** The formats a document may be written in. */
  enum Format {
    YAML,
    JSON,
    PROPERTIES;

    /** The format a file name's extension says; YAML (which reads JSON too) when unknown. */
    static Format ofFileName(String name) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".json")) {
        return JSON;
      }
      if (lower.endsWith(".properties")) {
        return PROPERTIES;
      }
      return YAML;
    }
  }

  private Documents() {}

  /**
   * The layer {@code text} holds, written in {@code format}; {@code origin} names it in positions.
   *
   * @throws ConfigException naming the line and column when the text does not parse, or when it is
   *     not a mapping of keys
   */
  static Layer parse(String text, Format format, String origin) {
    return switch (format) {
      case PROPERTIES -> properties(text, origin);
      case YAML, JSON -> tree(text, format == Format.YAML ? YAML : JSON, origin);
    };
  }

  private static Layer tree(String text, JsonFactory factory, String origin) {
    Map<String, String> origins = new HashMap<>();
    try (JsonParser parser = factory.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new Layer(NODES.objectNode(), origins, false);
      }
      String where = position(origin, parser.currentTokenLocation());
      JsonNode root = read(parser, "", origin, origins);
      if (root.isNull()) {
        return new Layer(NODES.objectNode(), Map.of(), false);
      }
      if (!(root instanceof ObjectNode object)) {
        throw new ConfigException(
            List.of(
                new ConfigProblem(
                    "",
                    "the document is " + Binder.kind(root) + ", not a mapping of keys",
                    where)));
      }
      return new Layer(object, origins, false);
    } catch (JsonProcessingException e) {
      JsonLocation location = e.getLocation();
      String where = location == null ? origin : position(origin, location);
      String message = e.getOriginalMessage();
      // SnakeYAML's messages hold what it was parsing and what went wrong, each followed by an
      // indented excerpt: keep the sentences, and the first position it names.
      Matcher mark = YAML_MARK.matcher(message);
      if (mark.find()) {
        where = origin + ":" + mark.group(1) + ":" + mark.group(2);
      }
      StringBuilder sentences = new StringBuilder();
      for (String line : message.split("\n", -1)) {
        if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
          sentences.append(sentences.isEmpty() ? "" : ", ").append(line.strip());
        }
      }
      // Jackson quotes the token it chokes on, which may be a secret written badly: keep a short
      // one (a typo, a keyword) and hide a longer one.
      String sentence = QUOTED.matcher(sentences).replaceAll("'...'");
      String said = sentence.length() > 200 ? sentence.substring(0, 200) + "..." : sentence;
      throw new ConfigException(
          List.of(
              new ConfigProblem(
                  "", "is not valid " + (factory == YAML ? "YAML" : "JSON") + ": " + said, where)));
    } catch (IOException e) {
      throw new ConfigException(
          List.of(new ConfigProblem("", "could not be read: " + e.getMessage(), origin)));
    }
  }

  static String position(String origin, JsonLocation location) {
    return origin + ":" + location.getLineNr() + ":" + location.getColumnNr();
  }

  /** The value at the parser's current token, whose key path is {@code path}. */
  private static JsonNode read(
      JsonParser parser, String path, String origin, Map<String, String> origins)
      throws IOException {
    origins.putIfAbsent(path, position(origin, parser.currentTokenLocation()));
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          String child = Layer.child(path, key);
          // A key's position is the key's own: where a reader looks for "unknown key" and for its
          // value alike, since a scalar stands on the key's line.
          origins.put(child, position(origin, parser.currentTokenLocation()));
          parser.nextToken();
          object.set(key, read(parser, child, origin, origins));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
          array.add(read(parser, Layer.element(path, i), origin, origins));
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (parser.getNumberType()) {
          case INT -> NODES.numberNode(parser.getIntValue());
          case LONG -> NODES.numberNode(parser.getLongValue());
          default -> NODES.numberNode(parser.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(parser.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> {
        return NODES.textNode(parser.getText());
      }
    }
  }

  private static Layer properties(String text, String origin) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(
          List.of(
              new ConfigProblem("", "is not a valid properties file: " + e.getMessage(), origin)));
    }
    Map<String, String> flat = new TreeMap<>();
    for (String name : properties.stringPropertyNames()) {
      flat.put(name, properties.getProperty(name));
    }
    return flat(flat, "\\.", name -> origin + " (" + name + ")", false);
  }

  /**
   * The layer of flat {@code name = value} pairs whose names split into key paths at {@code
   * separator}; {@code origin} names where a pair came from.
   *
   * @throws ConfigException when one name is both a value and a prefix of another
   */
  static Layer flat(
      Map<String, String> values,
      String separator,
      java.util.function.Function<String, String> origin,
      boolean relaxed) {
    ObjectNode root = NODES.objectNode();
    Map<String, String> origins = new HashMap<>();
    List<ConfigProblem> problems = new java.util.ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(values).entrySet()) {
      String[] keys = entry.getKey().split(separator, -1);
      ObjectNode parent = root;
      String path = "";
      boolean clash = false;
      for (int i = 0; i < keys.length - 1; i++) {
        path = Layer.child(path, keys[i]);
        JsonNode next = parent.get(keys[i]);
        if (next == null) {
          next = parent.putObject(keys[i]);
          origins.put(path, origin.apply(entry.getKey()));
        } else if (!(next instanceof ObjectNode)) {
          clash = true;
          break;
        }
        parent = (ObjectNode) next;
      }
      String last = keys[keys.length - 1];
      if (clash || parent.has(last) || java.util.Arrays.asList(keys).contains("")) {
        problems.add(
            new ConfigProblem(
                entry.getKey(),
                "clashes with another key, or has an empty segment",
                origin.apply(entry.getKey())));
        continue;
      }
      parent.put(last, entry.getValue());
      origins.put(Layer.child(path, last), origin.apply(entry.getKey()));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Layer(root, origins, relaxed);
  }
}
