package dev.genaiprocessors.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.impl.PropertySortUtils;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The JSON Schema of the pipeline format, generated from the registered settings records. */
final class PipelineSchema {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PipelineSchema() {}

  static String generate(ProcessorRegistry registry) {
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(
                MAPPER, SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
            .without(Option.SCHEMA_VERSION_INDICATOR);
    config
        .forTypesInGeneral()
        .withPropertySorter(PropertySortUtils.SORT_PROPERTIES_FIELDS_BEFORE_METHODS)
        .withCustomDefinitionProvider(
            (javaType, context) -> {
              Class<?> raw = javaType.getErasedType();
              if (raw == Secret.class) {
                return new CustomDefinition(
                    MAPPER
                        .createObjectNode()
                        .put("type", "string")
                        .put(
                            "description",
                            "a secret; write it as ${VARIABLE} rather than in the file"));
              }
              if (raw == Duration.class) {
                return new CustomDefinition(
                    MAPPER
                        .createObjectNode()
                        .put("type", "string")
                        .put("description", "a duration such as 500ms, 30s, 5m, 1h or PT30S"));
              }
              return null;
            });
    config.forFields().withRequiredCheck(PipelineSchema::isRequired);
    config.forFields().withNumberInclusiveMinimumResolver(f -> bound(f.getAnnotation(Min.class)));
    config.forFields().withNumberInclusiveMaximumResolver(f -> bound(f.getAnnotation(Max.class)));
    config
        .forFields()
        .withStringPatternResolver(
            f -> {
              Matches m = f.getAnnotation(Matches.class);
              return m == null ? null : "^(?:" + m.value() + ")$";
            });
    config
        .forFields()
        .withStringMinLengthResolver(f -> f.getAnnotation(NotBlank.class) == null ? null : 1);
    config
        .forFields()
        .withDefaultResolver(
            f -> {
              Default d = f.getAnnotation(Default.class);
              return d == null ? null : d.value();
            });
    SchemaGenerator generator = new SchemaGenerator(config.build());
    SchemaBuilder builder = generator.buildMultipleSchemaDefinitions();

    ObjectNode root = MAPPER.createObjectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("title", "GenAI Processors pipeline");
    root.put("type", "object");
    root.putObject("properties").set("pipeline", ref("processor"));
    root.putArray("required").add("pipeline");
    root.put("additionalProperties", false);

    ObjectNode defs = MAPPER.createObjectNode();
    ArrayNode oneOf = MAPPER.createArrayNode();
    for (String kind : List.of("chain", "parallel")) {
      ObjectNode node = object(Map.of(kind, list(), "name", string()), Set.of(kind));
      defs.set(kind, node);
      oneOf.add(ref(kind));
    }
    ObjectNode switchCase =
        object(
            Map.of(
                "equals",
                MAPPER
                    .createObjectNode()
                    .set(
                        "type",
                        MAPPER
                            .createArrayNode()
                            .add("string")
                            .add("number")
                            .add("boolean")
                            .add("array")),
                "processor",
                ref("processor")),
            Set.of("equals", "processor"));
    ObjectNode switchBody =
        object(
            Map.of(
                "on",
                string().put("description", "mimeType, role, substream or metadata.<key>"),
                "cases",
                MAPPER
                    .createObjectNode()
                    .put("type", "array")
                    .put("minItems", 1)
                    .set("items", switchCase),
                "default",
                ref("processor")),
            Set.of("on", "cases"));
    defs.set("switch", object(Map.of("switch", switchBody, "name", string()), Set.of("switch")));
    oneOf.add(ref("switch"));

    for (String name : registry.names()) {
      ProcessorType<?> type = registry.type(name).orElseThrow();
      ObjectNode settings = builder.createSchemaReference(type.settingsType());
      ObjectNode typeConst = MAPPER.createObjectNode().put("const", name);
      Map<String, ObjectNode> properties =
          type.wrapsProcessor()
              ? Map.of(
                  "type",
                  typeConst,
                  "name",
                  string(),
                  "settings",
                  settings,
                  "processor",
                  ref("processor"))
              : Map.of("type", typeConst, "name", string(), "settings", settings);
      ObjectNode node =
          object(properties, type.wrapsProcessor() ? Set.of("type", "processor") : Set.of("type"));
      if (!type.description().isEmpty()) {
        node.put("description", type.description());
      }
      defs.set("type-" + name, node);
      oneOf.add(ref("type-" + name));
    }
    defs.set("processor", MAPPER.createObjectNode().set("oneOf", oneOf));
    ObjectNode generated = builder.collectDefinitions("$defs");
    defs.setAll(generated);
    root.set("$defs", defs);
    try {
      return MAPPER.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the schema could not be written", e);
    }
  }

  private static ObjectNode ref(String name) {
    return MAPPER.createObjectNode().put("$ref", "#/$defs/" + name);
  }

  private static ObjectNode string() {
    return MAPPER.createObjectNode().put("type", "string");
  }

  private static ObjectNode list() {
    return MAPPER
        .createObjectNode()
        .put("type", "array")
        .put("minItems", 1)
        .set("items", ref("processor"));
  }

  private static ObjectNode object(Map<String, ObjectNode> properties, Set<String> required) {
    ObjectNode node = MAPPER.createObjectNode().put("type", "object");
    ObjectNode props = node.putObject("properties");
    // Keys in a stable order: the kind first, then the others alphabetically.
    properties.keySet().stream().sorted().forEach(k -> props.set(k, properties.get(k)));
    ArrayNode req = node.putArray("required");
    required.stream().sorted().forEach(req::add);
    node.put("additionalProperties", false);
    return node;
  }

  private static boolean isRequired(FieldScope field) {
    Class<?> raw = field.getRawMember().getType();
    return !Binder.hasNullable(field.getRawMember())
        && !Binder.hasNullable(field.getRawMember().getAnnotatedType())
        && field.getAnnotation(Default.class) == null
        && !java.util.Collection.class.isAssignableFrom(raw)
        && !Map.class.isAssignableFrom(raw)
        && !raw.isRecord();
  }

  private static @Nullable BigDecimal bound(@Nullable Object annotation) {
    if (annotation instanceof Min min) {
      return BigDecimal.valueOf(min.value());
    }
    if (annotation instanceof Max max) {
      return BigDecimal.valueOf(max.value());
    }
    return null;
  }
}
