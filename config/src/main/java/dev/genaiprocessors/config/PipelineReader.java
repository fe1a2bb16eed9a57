package dev.genaiprocessors.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a pipeline document into a {@link PipelineSpec}, binding each node's settings to its type's
 * record, and reports every problem at once with its key path, line and column.
 */
final class PipelineReader {
  static final List<String> KINDS = List.of("type", "chain", "parallel", "switch");
  static final List<String> SWITCH_KEYS =
      List.of("mimeType", "role", "substream", "metadata.<key>");

  private final Config config;
  private final ProcessorRegistry registry;
  private final Binder binder;

  private PipelineReader(Config config, ProcessorRegistry registry) {
    this.config = config;
    this.registry = registry;
    this.binder = config.binder();
  }

  /**
   * The pipeline {@code config} declares.
   *
   * @throws ConfigException listing every problem
   */
  static PipelineSpec read(Config config, ProcessorRegistry registry) {
    PipelineReader reader = new PipelineReader(config, registry);
    JsonNode root = config.root();
    PipelineSpec.Node node = null;
    if (root instanceof ObjectNode object) {
      reader.onlyKeys(object, "", List.of("pipeline"));
      JsonNode pipeline = object.get("pipeline");
      if (pipeline == null) {
        reader.binder.problem("pipeline", "is required but missing");
      } else {
        node = reader.node(pipeline, "pipeline");
      }
    }
    if (!reader.binder.problems.isEmpty()) {
      throw new ConfigException(reader.binder.problems);
    }
    if (node == null) {
      throw new ConfigException(
          List.of(new ConfigProblem("pipeline", "is required but missing", null)));
    }
    return new PipelineSpec(node);
  }

  private void onlyKeys(ObjectNode object, String path, List<String> allowed) {
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        binder.problem(Layer.child(path, key), unknownKey(key, allowed));
      }
    }
  }

  static String unknownKey(String key, List<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : known) {
      int d =
          Binder.distance(
              key.toLowerCase(java.util.Locale.ROOT), name.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = name;
      }
    }
    if (best != null && bestDistance <= Math.max(1, Math.min(3, key.length() / 3))) {
      return "is not a known key; did you mean " + best + "?";
    }
    return "is not a known key; the known keys are " + String.join(", ", known);
  }

  private PipelineSpec.@Nullable Node node(JsonNode json, String path) {
    if (!(json instanceof ObjectNode object)) {
      binder.problem(
          path,
          Binder.kind(json)
              + " is not a processor; write a mapping with one of "
              + String.join(", ", KINDS));
      return null;
    }
    Set<String> kinds = new LinkedHashSet<>();
    for (String kind : KINDS) {
      if (object.has(kind)) {
        kinds.add(kind);
      }
    }
    if (kinds.isEmpty()) {
      binder.problem(path, "names no processor; give it one of " + String.join(", ", KINDS));
      return null;
    }
    if (kinds.size() > 1) {
      binder.problem(path, "has " + String.join(" and ", kinds) + "; give it only one of them");
      return null;
    }
    String kind = kinds.iterator().next();
    String name = name(object, path);
    String origin = config.nearestOrigin(path);
    return switch (kind) {
      case "chain", "parallel" -> {
        onlyKeys(object, path, List.of(kind, "name"));
        List<PipelineSpec.Node> members = members(object.get(kind), Layer.child(path, kind));
        if (members == null) {
          yield null;
        }
        yield kind.equals("chain")
            ? new PipelineSpec.Chain(path, name, origin, members)
            : new PipelineSpec.Parallel(path, name, origin, members);
      }
      case "switch" -> {
        onlyKeys(object, path, List.of("switch", "name"));
        yield switchNode(object.get("switch"), Layer.child(path, "switch"), name, origin);
      }
      default -> typed(object, path, name, origin);
    };
  }

  private @Nullable String name(ObjectNode object, String path) {
    JsonNode name = object.get("name");
    if (name == null) {
      return null;
    }
    if (!name.isTextual() || name.asText().isBlank()) {
      binder.problem(
          Layer.child(path, "name"), Binder.kind(name) + " is not a name (non-blank text)");
      return null;
    }
    return name.asText();
  }

  private @Nullable List<PipelineSpec.Node> members(JsonNode json, String path) {
    if (!json.isArray() || json.isEmpty()) {
      binder.problem(
          path,
          (json.isArray() ? "an empty list" : Binder.kind(json)) + " is not a list of processors");
      return null;
    }
    List<PipelineSpec.Node> members = new ArrayList<>();
    boolean complete = true;
    for (int i = 0; i < json.size(); i++) {
      PipelineSpec.Node member = node(json.get(i), Layer.element(path, i));
      if (member == null) {
        complete = false;
      } else {
        members.add(member);
      }
    }
    return complete ? List.copyOf(members) : null;
  }

  private PipelineSpec.@Nullable Node switchNode(
      JsonNode json, String path, @Nullable String name, @Nullable String origin) {
    if (!(json instanceof ObjectNode object)) {
      binder.problem(path, Binder.kind(json) + " is not a mapping with on, cases and default");
      return null;
    }
    onlyKeys(object, path, List.of("on", "cases", "default"));
    boolean complete = true;
    JsonNode on = object.get("on");
    String key = null;
    if (on == null) {
      binder.problem(Layer.child(path, "on"), "is required but missing");
      complete = false;
    } else if (!on.isTextual()
        || !(SWITCH_KEYS.subList(0, 3).contains(on.asText())
            || (on.asText().startsWith("metadata.") && on.asText().length() > 9))) {
      binder.problem(
          Layer.child(path, "on"),
          Binder.kind(on) + " is not one of " + String.join(", ", SWITCH_KEYS));
      complete = false;
    } else {
      key = on.asText();
    }
    List<PipelineSpec.Case> cases = new ArrayList<>();
    JsonNode casesJson = object.get("cases");
    String casesPath = Layer.child(path, "cases");
    if (casesJson == null || !casesJson.isArray() || casesJson.isEmpty()) {
      binder.problem(
          casesPath,
          casesJson == null
              ? "is required but missing"
              : (casesJson.isArray() ? "an empty list" : Binder.kind(casesJson))
                  + " is not a list of cases");
      complete = false;
    } else {
      for (int i = 0; i < casesJson.size(); i++) {
        PipelineSpec.Case c = switchCase(casesJson.get(i), Layer.element(casesPath, i));
        if (c == null) {
          complete = false;
        } else {
          cases.add(c);
        }
      }
    }
    PipelineSpec.Node otherwise = null;
    if (object.has("default")) {
      otherwise = node(object.get("default"), Layer.child(path, "default"));
      complete &= otherwise != null;
    }
    if (!complete || key == null) {
      return null;
    }
    return new PipelineSpec.SwitchNode(path, name, origin, key, List.copyOf(cases), otherwise);
  }

  private PipelineSpec.@Nullable Case switchCase(JsonNode json, String path) {
    if (!(json instanceof ObjectNode object)) {
      binder.problem(
          path, Binder.kind(json) + " is not a case (a mapping with equals and processor)");
      return null;
    }
    onlyKeys(object, path, List.of("equals", "processor"));
    List<String> values = new ArrayList<>();
    JsonNode equals = object.get("equals");
    boolean complete = true;
    if (equals == null) {
      binder.problem(Layer.child(path, "equals"), "is required but missing");
      complete = false;
    } else if (equals.isValueNode() && !equals.isNull()) {
      values.add(equals.asText());
    } else if (equals.isArray() && !equals.isEmpty()) {
      for (JsonNode value : equals) {
        values.add(value.asText());
      }
    } else {
      binder.problem(
          Layer.child(path, "equals"), Binder.kind(equals) + " is not a value or a list of values");
      complete = false;
    }
    JsonNode processor = object.get("processor");
    PipelineSpec.Node node = null;
    if (processor == null) {
      binder.problem(Layer.child(path, "processor"), "is required but missing");
      complete = false;
    } else {
      node = node(processor, Layer.child(path, "processor"));
    }
    return complete && node != null ? new PipelineSpec.Case(List.copyOf(values), node) : null;
  }

  private PipelineSpec.@Nullable Node typed(
      ObjectNode object, String path, @Nullable String name, @Nullable String origin) {
    JsonNode typeJson = object.get("type");
    String typePath = Layer.child(path, "type");
    if (!typeJson.isTextual()) {
      binder.problem(typePath, Binder.kind(typeJson) + " is not a processor type name");
      return null;
    }
    ProcessorType<?> type = registry.type(typeJson.asText()).orElse(null);
    if (type == null) {
      binder.problem(typePath, unknownType(typeJson.asText()));
      onlyKeys(object, path, List.of("type", "name", "settings", "processor"));
      return null;
    }
    List<String> keys =
        type.wrapsProcessor()
            ? List.of("type", "name", "settings", "processor")
            : List.of("type", "name", "settings");
    onlyKeys(object, path, keys);
    Object settings =
        binder.bind(
            object.get("settings"), type.settingsType(), Layer.child(path, "settings"), false);
    PipelineSpec.Node wrapped = null;
    boolean complete = settings != null;
    if (type.wrapsProcessor()) {
      JsonNode processor = object.get("processor");
      if (processor == null) {
        binder.problem(
            Layer.child(path, "processor"),
            "is required but missing (" + type.name() + " wraps a processor)");
        complete = false;
      } else {
        wrapped = node(processor, Layer.child(path, "processor"));
        complete &= wrapped != null;
      }
    }
    if (!complete || settings == null) {
      return null;
    }
    return new PipelineSpec.Typed(path, name, origin, type, settings, wrapped);
  }

  private String unknownType(String name) {
    String quoted = Binder.show(name, false);
    List<String> known = List.copyOf(registry.names());
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = Binder.distance(name, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    if (best != null && bestDistance <= Math.max(1, Math.min(3, name.length() / 3))) {
      return quoted + " is not a registered processor type; did you mean " + best + "?";
    }
    return quoted
        + " is not a registered processor type; the registered types are "
        + String.join(", ", known);
  }
}
