package dev.genaiprocessors.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.DeclaredFunction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a model is told about a function it may call: its name, a description and the JSON schema
 * (draft 2020-12) of its arguments object.
 *
 * <p>Every {@link Tool} has one. Build one from a Java type with {@link #of(String, String,
 * Class)}, whose record components (or properties) become the arguments:
 *
 * <pre>{@code
 * record WeatherQuery(@ToolParam(description = "The city") String city, Optional<Unit> unit) {}
 * FunctionDeclaration weather =
 *     FunctionDeclaration.of("get_weather", "The weather in a city.", WeatherQuery.class);
 * // {"name":"get_weather","description":"The weather in a city.","parameters":{"type":"object",
 * //  "properties":{"city":{"type":"string","description":"The city"},
 * //  "unit":{"anyOf":[{"type":"null"},{"type":"string","enum":["CELSIUS","FAHRENHEIT"]}]}},
 * //  "required":["city"],"additionalProperties":false}}
 * }</pre>
 *
 * <p><b>As a part.</b> {@link #toPart()} carries a declaration through a pipeline: a part of MIME
 * type {@link MimeTypes#FUNCTION_DECLARATION} whose payload is the JSON text above (the shape of an
 * OpenAI function definition and of a Gemini {@code FunctionDeclaration} with {@code
 * parametersJsonSchema}). {@link FunctionCalling} puts one such part per tool at the start of every
 * prompt it sends, so a model processor that understands them offers the tools to the model. A
 * model processor reads one with {@link #fromPart} or, without depending on this module, by parsing
 * {@code new String(part.bytes(), UTF_8)}; it must send it as a tool, never as message content.
 *
 * @param name the function's name: a letter or underscore, then letters, digits, underscores or
 *     hyphens, 64 characters at most (what OpenAI, Anthropic and Gemini all accept)
 * @param description what the function does, for the model; may be empty
 * @param parameters the JSON schema of the arguments object, as unmodifiable JSON values
 */
public record FunctionDeclaration(
    String name, String description, Map<String, @Nullable Object> parameters) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

  /**
   * @throws IllegalArgumentException when the name does not fit the pattern above, naming it
   */
  public FunctionDeclaration {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parameters, "parameters");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "function name must be a letter or underscore followed by at most 63 letters, digits,"
              + " underscores or hyphens, but was '"
              + name
              + "'");
    }
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> frozen =
        (Map<String, @Nullable Object>) Schemas.freeze(parameters);
    parameters = frozen;
  }

  /**
   * The declaration of a function whose arguments object is read into {@code argumentType} (a
   * record, or a class Jackson reads from a JSON object): its schema follows the type's properties,
   * with descriptions from {@link ToolParam} (or Jackson's {@code @JsonPropertyDescription}), enums
   * as string enums, collections as arrays, and every property required unless it is an {@code
   * Optional} or annotated {@code @Nullable}.
   *
   * @throws IllegalArgumentException when {@code argumentType} is not read from a JSON object, or
   *     the name is invalid
   */
  public static FunctionDeclaration of(String name, String description, Class<?> argumentType) {
    Objects.requireNonNull(argumentType, "argumentType");
    return new FunctionDeclaration(name, description, Schemas.objectSchema(argumentType));
  }

  /** The declaration as JSON text: {@code {"name":...,"description":...,"parameters":{...}}}. */
  public String toJson() {
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("description", description);
    json.put("parameters", parameters);
    try {
      return Schemas.MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the declaration of " + name + " as JSON", e);
    }
  }

  /** The declaration as a part of MIME type {@link MimeTypes#FUNCTION_DECLARATION}; see above. */
  public ProcessorPart toPart() {
    return ProcessorPart.text(toJson()).withMimeType(MimeTypes.FUNCTION_DECLARATION);
  }

  /**
   * Reads a declaration from JSON text in the shape {@link #toJson()} writes; a missing description
   * reads as empty, missing parameters as an object schema without properties.
   *
   * @throws IllegalArgumentException when the text is not such JSON, saying what is wrong
   */
  public static FunctionDeclaration fromJson(String json) {
    DeclaredFunction declared = DeclaredFunction.fromJson(json);
    return new FunctionDeclaration(declared.name(), declared.description(), declared.parameters());
  }

  /**
   * Reads a declaration from a part made by {@link #toPart()}.
   *
   * @throws IllegalArgumentException when the part is not of MIME type {@link
   *     MimeTypes#FUNCTION_DECLARATION} or does not hold a declaration
   */
  public static FunctionDeclaration fromPart(ProcessorPart part) {
    Objects.requireNonNull(part, "part");
    if (!MimeTypes.baseType(part.mimeType()).equals(MimeTypes.FUNCTION_DECLARATION)) {
      throw new IllegalArgumentException(
          "part must be of type " + MimeTypes.FUNCTION_DECLARATION + " but was " + part.mimeType());
    }
    return fromJson(new String(part.bytes(), StandardCharsets.UTF_8));
  }
}
