package dev.genaiprocessors.tools;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaKeyword;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.impl.PropertySortUtils;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * JSON schemas of Java types (victools' generator with its Jackson module) and the Jackson mapper
 * that reads arguments into those types, configured together so that what the schema promises is
 * what the mapper accepts.
 */
final class Schemas {
  /**
   * Reads arguments strictly (no string-to-number coercion, no truncated floats, unknown arguments
   * rejected) and writes results with ISO dates.
   */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private static final SchemaGenerator GENERATOR = generator();

  private Schemas() {}

  private static SchemaGenerator generator() {
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(
                MAPPER, SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(
                new JacksonModule(
                    JacksonOption.RESPECT_JSONPROPERTY_REQUIRED,
                    JacksonOption.RESPECT_JSONPROPERTY_ORDER,
                    JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE,
                    JacksonOption.FLATTENED_ENUMS_FROM_JSONPROPERTY))
            .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
            .without(Option.SCHEMA_VERSION_INDICATOR);
    // Properties in declaration order (a record's component order), which is how a reader, and a
    // model, expects them; the generator's default is alphabetical.
    config
        .forTypesInGeneral()
        .withPropertySorter(PropertySortUtils.SORT_PROPERTIES_FIELDS_BEFORE_METHODS);
    config.forFields().withRequiredCheck(Schemas::isRequired);
    config.forFields().withDescriptionResolver(Schemas::description);
    return new SchemaGenerator(config.build());
  }

  private static boolean isRequired(FieldScope field) {
    return !isOptional(field.getRawMember().getType())
        && !hasNullable(field.getRawMember())
        && !hasNullable(field.getRawMember().getAnnotatedType());
  }

  private static @Nullable String description(FieldScope field) {
    ToolParam param = field.getAnnotationConsideringFieldAndGetter(ToolParam.class);
    return param == null || param.description().isEmpty() ? null : param.description();
  }

  /** Whether a value of {@code type} may be absent: {@code Optional} and its primitive cousins. */
  static boolean isOptional(Class<?> type) {
    return type == Optional.class
        || type == OptionalInt.class
        || type == OptionalLong.class
        || type == OptionalDouble.class;
  }

  /**
   * Whether {@code element} carries an annotation named {@code Nullable}, from whichever library
   * (JSpecify's is a type-use annotation, older ones are declaration annotations).
   */
  static boolean hasNullable(AnnotatedElement element) {
    for (Annotation annotation : element.getAnnotations()) {
      if (annotation.annotationType().getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The JSON schema of an object of type {@code type}, whose properties are the arguments.
   *
   * @throws IllegalArgumentException when {@code type} is not read from a JSON object (a string, a
   *     number, a list, ...), naming it
   */
  static Map<String, @Nullable Object> objectSchema(Class<?> type) {
    if (Map.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          "the argument type must be a record or a class with properties, not a map ("
              + type.getName()
              + "): declare free-form arguments with Tool.of(FunctionDeclaration, handler)");
    }
    ObjectNode schema = GENERATOR.generateSchema(type);
    JsonNode kind = schema.get(keyword(SchemaKeyword.TAG_TYPE));
    if (kind == null || !"object".equals(kind.asText())) {
      throw new IllegalArgumentException(
          "the arguments of a tool are a JSON object, so the argument type must be a record or a"
              + " class with properties, but "
              + type.getName()
              + " has the schema "
              + schema);
    }
    if (!schema.has("properties")) {
      // A record without components (a function without arguments), or a map: still say it.
      schema.putObject("properties");
    }
    return toMap(schema);
  }

  /** One named argument of a method tool. */
  record Property(String name, Type type, String description, boolean required) {}

  /** The JSON schema of an object with one property per argument of {@code properties}. */
  static Map<String, @Nullable Object> objectSchema(List<Property> properties) {
    SchemaBuilder builder = GENERATOR.buildMultipleSchemaDefinitions();
    List<ObjectNode> references = new ArrayList<>(properties.size());
    for (Property property : properties) {
      references.add(builder.createSchemaReference(valueType(property.type())));
    }
    ObjectNode definitions = builder.collectDefinitions("$defs");
    ObjectNode schema = MAPPER.createObjectNode();
    schema.put("type", "object");
    ObjectNode props = schema.putObject("properties");
    ArrayNode required = MAPPER.createArrayNode();
    for (int i = 0; i < properties.size(); i++) {
      Property property = properties.get(i);
      ObjectNode reference = references.get(i);
      if (!property.description().isEmpty()) {
        reference.put("description", property.description());
      }
      props.set(property.name(), reference);
      if (property.required()) {
        required.add(property.name());
      }
    }
    if (!required.isEmpty()) {
      schema.set("required", required);
    }
    schema.put("additionalProperties", false);
    if (!definitions.isEmpty()) {
      schema.set("$defs", definitions);
    }
    return toMap(schema);
  }

  /**
   * The type of the value an argument of type {@code type} holds: the content of an {@code
   * Optional} (the generator unwraps optionals of record components itself, but not of a type given
   * directly), else {@code type}.
   */
  private static Type valueType(Type type) {
    if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
      Type content = p.getActualTypeArguments()[0];
      return content instanceof WildcardType w ? w.getUpperBounds()[0] : content;
    }
    if (type == Optional.class) {
      return Object.class;
    } else if (type == OptionalInt.class) {
      return Integer.class;
    } else if (type == OptionalLong.class) {
      return Long.class;
    } else if (type == OptionalDouble.class) {
      return Double.class;
    }
    return type;
  }

  private static String keyword(SchemaKeyword keyword) {
    return keyword.forVersion(SchemaVersion.DRAFT_2020_12);
  }

  /** {@code node} as plain, unmodifiable JSON values (maps, lists, strings, numbers, booleans). */
  static Map<String, @Nullable Object> toMap(JsonNode node) {
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> map =
        (Map<String, @Nullable Object>)
            Objects.requireNonNull(freeze(MAPPER.convertValue(node, Object.class)));
    return map;
  }

  /** A deep, unmodifiable copy of a JSON value made of maps, lists and scalars. */
  static @Nullable Object freeze(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, @Nullable Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(freeze(v)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
