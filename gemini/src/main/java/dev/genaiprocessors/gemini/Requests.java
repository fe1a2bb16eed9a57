package dev.genaiprocessors.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.types.AutomaticFunctionCallingConfig;
import com.google.genai.types.Blob;
import com.google.genai.types.CodeExecutionResult;
import com.google.genai.types.Content;
import com.google.genai.types.ExecutableCode;
import com.google.genai.types.FileData;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.Part;
import com.google.genai.types.ThinkingConfig;
import com.google.genai.types.Tool;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.PartData;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.DeclaredFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns parts and settings into a Gemini request: the mapping of the content model onto Gemini's
 * {@code Content}s and {@code Part}s, in one place.
 */
final class Requests {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The snake_case fields of a Gemini part whose values are the caller's own JSON (call arguments,
   * a response, part metadata): their keys are data, never field names to convert.
   */
  private static final Set<String> FREE_FORM = Set.of("args", "response", "part_metadata");

  /** A function the model may call. */
  record Function(String name, String description, Map<String, @Nullable Object> parameters) {}

  /** The request made from one conversation. */
  record Conversation(List<Content> contents, List<Part> system, List<Function> declared) {}

  private Requests() {}

  /** The generation config: settings, system instruction, tools; automatic calling off. */
  static GenerateContentConfig config(
      GenerationSettings settings, List<Part> system, List<Function> functions) {
    GenerateContentConfig.Builder b =
        GenerateContentConfig.builder()
            // FunctionCalling (or the caller) runs the functions: the SDK must not.
            .automaticFunctionCalling(
                AutomaticFunctionCallingConfig.builder().disable(true).build());
    if (!system.isEmpty()) {
      b.systemInstruction(Content.builder().role("user").parts(system).build());
    }
    if (settings.temperature() != null) {
      b.temperature(settings.temperature().floatValue());
    }
    if (settings.topP() != null) {
      b.topP(settings.topP().floatValue());
    }
    if (settings.topK() != null) {
      b.topK(settings.topK().floatValue());
    }
    if (settings.maxOutputTokens() != null) {
      b.maxOutputTokens(settings.maxOutputTokens());
    }
    if (!settings.stopSequences().isEmpty()) {
      b.stopSequences(settings.stopSequences());
    }
    if (settings.seed() != null) {
      b.seed(settings.seed());
    }
    if (settings.thinkingBudget() != null || settings.includeThoughts() != null) {
      ThinkingConfig.Builder thinking = ThinkingConfig.builder();
      if (settings.thinkingBudget() != null) {
        thinking.thinkingBudget(settings.thinkingBudget());
      }
      if (settings.includeThoughts() != null) {
        thinking.includeThoughts(settings.includeThoughts());
      }
      b.thinkingConfig(thinking.build());
    }
    if (settings.responseMimeType() != null) {
      b.responseMimeType(settings.responseMimeType());
    }
    if (settings.responseJsonSchema() != null) {
      b.responseJsonSchema(settings.responseJsonSchema());
    }
    if (!functions.isEmpty()) {
      List<FunctionDeclaration> declarations = new ArrayList<>();
      for (Function f : functions) {
        declarations.add(
            FunctionDeclaration.builder()
                .name(f.name())
                .description(f.description())
                .parametersJsonSchema(f.parameters())
                .build());
      }
      b.tools(List.of(Tool.builder().functionDeclarations(declarations).build()));
    }
    return b.build();
  }

  /**
   * The contents for {@code parts}. Consecutive parts of one role form one {@code Content} (roles
   * {@code user} and {@code model}); system parts go to the system instruction; function
   * declaration parts (from {@code FunctionCalling}) become declared functions. Empty text parts
   * without a thought signature (end-of-turn markers) are left out.
   *
   * @throws IllegalArgumentException naming the part when it cannot be sent
   */
  static Conversation conversation(List<ProcessorPart> parts) {
    List<Content> contents = new ArrayList<>();
    List<Part> system = new ArrayList<>();
    List<Function> declared = new ArrayList<>();
    String role = null;
    List<Part> current = new ArrayList<>();
    for (ProcessorPart part : parts) {
      if (DeclaredFunction.isDeclaration(part)) {
        DeclaredFunction function = DeclaredFunction.of(part);
        declared.add(new Function(function.name(), function.description(), function.parameters()));
        continue;
      }
      if (part.data() instanceof PartData.Text t
          && t.text().isEmpty()
          && part.thoughtSignature() == null) {
        continue;
      }
      String partRole = role(part);
      Part mapped = part(part);
      if (partRole.equals("system")) {
        system.add(mapped);
        continue;
      }
      if (!partRole.equals(role)) {
        if (role != null) {
          contents.add(Content.builder().role(role).parts(List.copyOf(current)).build());
        }
        role = partRole;
        current.clear();
      }
      current.add(mapped);
    }
    if (role != null) {
      contents.add(Content.builder().role(role).parts(List.copyOf(current)).build());
    }
    return new Conversation(contents, system, declared);
  }

  /** Gemini's role for a part's role. */
  private static String role(ProcessorPart part) {
    String role = part.role().toLowerCase(Locale.ROOT);
    return switch (role) {
      case "", "user", "tool", "function" -> "user";
      case "model", "assistant" -> "model";
      case "system", "developer" -> "system";
      default ->
          throw new IllegalArgumentException(
              "Gemini knows the roles user and model (and"
                  + " system for the system instruction), but a part has role '"
                  + part.role()
                  + "'");
    };
  }

  /** One part, mapped one to one, its extra fields merged in. */
  static Part part(ProcessorPart part) {
    Part.Builder b = Part.builder();
    switch (part.data()) {
      case PartData.Text t when part.isText() -> b.text(t.text());
      case PartData.Blob blob when part.isText() -> b.text(part.text());
      case PartData.Blob blob -> {
        Blob.Builder inline = Blob.builder().mimeType(part.mimeType()).data(blob.data());
        b.inlineData(inline.build());
      }
      case PartData.FileData file -> {
        FileData.Builder data = FileData.builder().fileUri(file.uri()).mimeType(part.mimeType());
        if (file.displayName() != null) {
          data.displayName(file.displayName());
        }
        b.fileData(data.build());
      }
      case FunctionCall call -> {
        com.google.genai.types.FunctionCall.Builder c =
            com.google.genai.types.FunctionCall.builder().name(call.name()).args(args(call.args()));
        if (call.id() != null) {
          c.id(call.id());
        }
        b.functionCall(c.build());
      }
      case FunctionResponse response -> b.functionResponse(functionResponse(response));
      case PartData.ExecutableCode code ->
          b.executableCode(
              ExecutableCode.builder().code(code.code()).language(code.language()).build());
      case PartData.CodeExecutionResult result ->
          b.codeExecutionResult(
              CodeExecutionResult.builder()
                  .outcome(result.outcome())
                  .output(result.output())
                  .build());
      default ->
          throw new IllegalArgumentException(
              "Gemini cannot take a part of type "
                  + part.mimeType()
                  + " ("
                  + part.data().getClass().getSimpleName()
                  + ")");
    }
    if (part.isThought()) {
      b.thought(true);
    }
    byte[] signature = part.thoughtSignature();
    if (signature != null) {
      b.thoughtSignature(signature);
    }
    // Only parts read from a Python peer's JSON carry extra fields: the others never touch JSON.
    return part.extraFields().isEmpty() ? b.build() : withExtraFields(b.build(), part);
  }

  /**
   * {@code mapped} with the part's {@link ProcessorPart#extraFields() extra fields} applied as the
   * JSON Merge Patch they are, their snake_case keys (as Python writes them) turned into the SDK's
   * camelCase. Fields the SDK does not know are dropped by its JSON reader, without an error.
   *
   * @throws IllegalArgumentException naming the fields when the SDK cannot read a known one
   */
  private static Part withExtraFields(Part mapped, ProcessorPart part) {
    ObjectNode json;
    try {
      json = (ObjectNode) MAPPER.readTree(mapped.toJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the SDK wrote a part JSON it cannot read", e);
    }
    merge(json, part.extraFields(), true);
    try {
      return Part.fromJson(json.toString());
    } catch (GenAiIOException e) {
      throw new IllegalArgumentException(
          "Gemini cannot take the extra fields "
              + part.extraFields().keySet()
              + " of a part of type "
              + part.mimeType()
              + ": "
              + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()),
          e);
    }
  }

  /** RFC 7396 onto {@code target}: a null removes a field, an object merges into an object. */
  private static void merge(ObjectNode target, Map<?, ?> patch, boolean fieldNames) {
    patch.forEach(
        (field, value) -> {
          String name = fieldNames ? camelCase((String) field) : (String) field;
          boolean nestedNames = fieldNames && !FREE_FORM.contains(field);
          if (value == null) {
            target.remove(name);
          } else if (value instanceof Map<?, ?> p && target.get(name) instanceof ObjectNode t) {
            merge(t, p, nestedNames);
          } else {
            target.set(name, tree(value, nestedNames));
          }
        });
  }

  /** A patch value as JSON: an object merged into nothing (its nulls dropped), as RFC 7396 says. */
  private static JsonNode tree(Object value, boolean fieldNames) {
    return switch (value) {
      case Map<?, ?> map -> {
        ObjectNode object = MAPPER.createObjectNode();
        merge(object, map, fieldNames);
        yield object;
      }
      case List<?> list -> {
        ArrayNode array = MAPPER.createArrayNode();
        for (Object element : list) {
          array.add(element == null ? array.nullNode() : tree(element, fieldNames));
        }
        yield array;
      }
      default -> MAPPER.valueToTree(value);
    };
  }

  /** {@code video_metadata} as {@code videoMetadata}; a name without underscores stays as it is. */
  private static String camelCase(String snake) {
    if (snake.indexOf('_') < 0) {
      return snake;
    }
    StringBuilder camel = new StringBuilder(snake.length());
    boolean upper = false;
    for (int i = 0; i < snake.length(); i++) {
      char c = snake.charAt(i);
      if (c == '_' && camel.length() > 0) {
        upper = true;
      } else {
        camel.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return camel.toString();
  }

  private static com.google.genai.types.FunctionResponse functionResponse(FunctionResponse r) {
    if (r.response() == null) {
      throw new IllegalArgumentException(
          "function response "
              + r.name()
              + " holds "
              + r.parts().size()
              + " byte parts, which this processor does not send to Gemini yet"
              + " (JSON responses only)");
    }
    com.google.genai.types.FunctionResponse.Builder b =
        com.google.genai.types.FunctionResponse.builder().response(args(r.response()));
    if (r.name() != null) {
      b.name(r.name());
    } else {
      throw new IllegalArgumentException(
          "a function response to Gemini needs the function's name"
              + (r.id() == null ? "" : " (call " + r.id() + ")"));
    }
    if (r.id() != null) {
      b.id(r.id());
    }
    if (r.willContinue() != null) {
      b.willContinue(r.willContinue());
    }
    if (r.scheduling() != null) {
      b.scheduling(r.scheduling().name());
    }
    return b.build();
  }

  private static Map<String, Object> args(Map<String, @Nullable Object> map) {
    // The SDK's maps hold no nulls in their signature; JSON nulls travel as null values all the
    // same.
    @SuppressWarnings("unchecked")
    Map<String, Object> copy = (Map<String, Object>) (Map<?, ?>) new LinkedHashMap<>(map);
    return copy;
  }
}
