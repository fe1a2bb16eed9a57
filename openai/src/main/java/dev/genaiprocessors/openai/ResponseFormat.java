package dev.genaiprocessors.openai;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The shape the model must answer in ({@code response_format}): free text, any JSON object, JSON
 * that follows a schema, or JSON that reads into a Java type.
 *
 * <pre>{@code
 * record Forecast(String city, double celsius) {}
 * OpenAiModel model = OpenAiModel.builder().model("gpt-4o-mini")
 *     .settings(ChatSettings.builder().responseFormat(ResponseFormat.of(Forecast.class)).build())
 *     .build();
 * Forecast forecast = model.apply("Weather in Paris?").gather().get(0).as(Forecast.class);
 * }</pre>
 */
public final class ResponseFormat {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  enum Type {
    TEXT,
    JSON_OBJECT,
    JSON_SCHEMA,
    JAVA_TYPE
  }

  final Type type;
  final @Nullable String name;
  final @Nullable Map<String, @Nullable Object> schema;
  final boolean strict;
  final @Nullable Class<?> javaType;

  private ResponseFormat(
      Type type,
      @Nullable String name,
      @Nullable Map<String, @Nullable Object> schema,
      boolean strict,
      @Nullable Class<?> javaType) {
    this.type = type;
    this.name = name;
    this.schema = schema;
    this.strict = strict;
    this.javaType = javaType;
  }

  /** Free text (the default). */
  public static ResponseFormat text() {
    return new ResponseFormat(Type.TEXT, null, null, false, null);
  }

  /** Any valid JSON object ({@code json_object}; the prompt must ask for JSON). */
  public static ResponseFormat jsonObject() {
    return new ResponseFormat(Type.JSON_OBJECT, null, null, false, null);
  }

  /**
   * JSON that follows {@code schema} ({@code json_schema}, Structured Outputs). The text streams as
   * usual; parse it yourself.
   *
   * @param name the schema's name: 1 to 64 letters, digits, {@code _} or {@code -}
   * @param schema the JSON schema as plain maps and lists
   * @param strict whether the server must follow the schema exactly (OpenAI's {@code strict})
   * @throws IllegalArgumentException when the name is not valid, naming it
   */
  public static ResponseFormat jsonSchema(String name, Map<String, ?> schema, boolean strict) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(schema, "schema");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "response format name must be 1 to 64 of a-z, A-Z, 0-9, _ and - but was '" + name + "'");
    }
    Map<String, @Nullable Object> copy = Collections.unmodifiableMap(new LinkedHashMap<>(schema));
    return new ResponseFormat(Type.JSON_SCHEMA, name, copy, strict, null);
  }

  /**
   * JSON that reads into {@code type} (a record or bean): the strict schema is derived from the
   * type by the SDK, and instead of text deltas the model emits one JSON part of that type ({@code
   * application/json; type=<simple name>}) once the answer is complete, as the Python library does
   * with a response schema. Read it with {@link dev.genaiprocessors.ProcessorPart#as(Class)}. In a
   * named module, open the type's package to {@code com.fasterxml.jackson.databind}.
   *
   * @throws IllegalArgumentException when the SDK cannot derive a valid schema from {@code type}
   */
  public static ResponseFormat of(Class<?> type) {
    Objects.requireNonNull(type, "type");
    // Derive once now, so a type OpenAI cannot describe fails here, naming it, not at call time.
    Requests.responseFormatFor(type);
    return new ResponseFormat(Type.JAVA_TYPE, null, null, true, type);
  }

  @Override
  public String toString() {
    return switch (type) {
      case TEXT -> "ResponseFormat[text]";
      case JSON_OBJECT -> "ResponseFormat[json_object]";
      case JSON_SCHEMA -> "ResponseFormat[json_schema " + name + (strict ? ", strict" : "") + "]";
      case JAVA_TYPE -> "ResponseFormat[" + Objects.requireNonNull(javaType).getName() + "]";
    };
  }
}
