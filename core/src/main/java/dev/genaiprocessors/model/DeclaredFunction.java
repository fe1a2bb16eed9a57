package dev.genaiprocessors.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.ProcessorPart;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A function offered to a model, as a model processor reads it from a function-declaration part
 * ({@link MimeTypes#FUNCTION_DECLARATION}: JSON text {@code {"name", "description", "parameters",
 * "strict"}}, as the {@code tools} module's {@code FunctionDeclaration.toPart()} writes and its
 * function-calling loop sends at the start of every prompt).
 *
 * <pre>{@code
 * for (ProcessorPart part : input) {
 *   if (DeclaredFunction.isDeclaration(part)) {
 *     DeclaredFunction f = DeclaredFunction.of(part);   // offer f as a tool, never as content
 *   }
 * }
 * }</pre>
 *
 * @param name the function's name
 * @param description what it does, for the model; empty when the part had none
 * @param parameters the JSON schema of its arguments object; an object with no properties when the
 *     part had none
 * @param strict OpenAI's strict schema adherence, or null when the part did not say
 */
public record DeclaredFunction(
    String name,
    String description,
    Map<String, @Nullable Object> parameters,
    @Nullable Boolean strict) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Checks the fields and copies the schema. */
  public DeclaredFunction {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    parameters =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(parameters, "parameters")));
  }

  /** Whether {@code part} is a function-declaration part. */
  public static boolean isDeclaration(ProcessorPart part) {
    return MimeTypes.baseType(part.mimeType()).equals(MimeTypes.FUNCTION_DECLARATION);
  }

  /**
   * The function {@code part} declares.
   *
   * @throws IllegalArgumentException when the part's payload is not a JSON object with a string
   *     {@code name} and, if any, an object {@code parameters}, quoting the payload
   */
  public static DeclaredFunction of(ProcessorPart part) {
    return fromJson(new String(part.bytes(), StandardCharsets.UTF_8));
  }

  /**
   * The function a declaration's JSON text ({@code {"name", "description", "parameters",
   * "strict"}}) declares.
   *
   * @throws IllegalArgumentException when {@code text} is not such JSON, quoting it
   */
  public static DeclaredFunction fromJson(String text) {
    Objects.requireNonNull(text, "text");
    Object value;
    try {
      value = JSON.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "a function declaration part must hold JSON but held: " + abbreviate(text), e);
    }
    if (!(value instanceof Map<?, ?> map)
        || !(map.get("name") instanceof String name)
        || name.isBlank()) {
      throw new IllegalArgumentException(
          "a function declaration part must hold a JSON object with"
              + " a string \"name\" but held: "
              + abbreviate(text));
    }
    Object parameters = map.get("parameters");
    Map<String, @Nullable Object> schema = new LinkedHashMap<>();
    if (parameters instanceof Map<?, ?> given) {
      given.forEach((k, v) -> schema.put(String.valueOf(k), v));
    } else if (parameters == null) {
      schema.put("type", "object");
      schema.put("properties", Map.of());
    } else {
      throw new IllegalArgumentException(
          "the \"parameters\" of function declaration "
              + name
              + " must be a JSON schema object but was "
              + abbreviate(String.valueOf(parameters)));
    }
    return new DeclaredFunction(
        name,
        map.get("description") instanceof String d ? d : "",
        schema,
        map.get("strict") instanceof Boolean strict ? strict : null);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
