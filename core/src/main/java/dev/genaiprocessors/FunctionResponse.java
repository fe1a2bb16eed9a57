package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of a function call, sent back to the model: a JSON object, or (for results that are
 * not text, such as images) a list of byte parts.
 *
 * <p>Build one with {@link #result(String, Object)} or {@link #error(String, Object)}, which follow
 * the Python library's rules: a JSON value (or a record or other object Jackson can map) becomes
 * {@code {"result": value}}; content that is all text becomes {@code {"result": text}}; any other
 * content becomes one byte part per part, in order. An error uses the key {@code "error"}.
 *
 * @param id the id of the call this answers, or {@code null}
 * @param name the function's name, or {@code null}
 * @param response the JSON object returned, or {@code null} when the result is in {@link #parts()}
 * @param parts byte or file parts (a non-text result), otherwise empty
 * @param willContinue for streaming tools: {@code true} while more responses to the same call will
 *     follow, {@code null} when unset
 * @param scheduling how a model that is still generating should take this response, or {@code null}
 */
public record FunctionResponse(
    @Nullable String id,
    @Nullable String name,
    @Nullable Map<String, @Nullable Object> response,
    List<ProcessorPart> parts,
    @Nullable Boolean willContinue,
    @Nullable Scheduling scheduling)
    implements PartData {

  /** The name of the function response that asks for a running call to be cancelled. */
  public static final String TOOL_CANCELLATION = "tool_cancellation";

  /** When a model that is busy generating should act on an asynchronous function response. */
  public enum Scheduling {
    /** Add the response to the context; do not interrupt and do not prompt a new turn. */
    SILENT,
    /** Act on the response once the model is idle. */
    WHEN_IDLE,
    /** Interrupt the current generation and act on the response now. */
    INTERRUPT
  }

  /**
   * @throws IllegalArgumentException when a response value is not JSON, or a part is neither bytes
   *     nor a file reference
   */
  // Not a compact constructor: javac writes the @Nullable of a compact constructor's type argument
  // as a field annotation, so nullness checkers reading this class file would not see it.
  public FunctionResponse(
      @Nullable String id,
      @Nullable String name,
      @Nullable Map<String, @Nullable Object> response,
      List<ProcessorPart> parts,
      @Nullable Boolean willContinue,
      @Nullable Scheduling scheduling) {
    this.id = id;
    this.name = name;
    this.response =
        response == null
            ? null
            : JsonValues.freezeObject(
                response,
                "response of function " + (name == null ? null : Strings.truncated(name)));
    this.parts = List.copyOf(Objects.requireNonNull(parts, "parts"));
    this.willContinue = willContinue;
    this.scheduling = scheduling;
    for (ProcessorPart part : this.parts) {
      if (!(part.data() instanceof PartData.Blob) && !(part.data() instanceof PartData.FileData)) {
        throw new IllegalArgumentException(
            "parts of a function response must be bytes or file references but one was "
                + part.mimeType());
      }
    }
  }

  /** A successful result of the function {@code name} (see the class comment for the rules). */
  public static FunctionResponse result(@Nullable String name, @Nullable Object value) {
    return build(name, value, "result");
  }

  /** A failed result of the function {@code name}: like {@link #result} under the key "error". */
  public static FunctionResponse error(@Nullable String name, @Nullable Object value) {
    return build(name, value, "error");
  }

  /** The response to a cancellation request for the call {@code functionCallId}. */
  public static FunctionResponse toolCancellation(String functionCallId) {
    Objects.requireNonNull(functionCallId, "functionCallId");
    return new FunctionResponse(
        null, TOOL_CANCELLATION, Map.of("function_call_id", functionCallId), List.of(), null, null);
  }

  /** A copy answering the call with this id. */
  public FunctionResponse withId(@Nullable String id) {
    return new FunctionResponse(id, name, response, parts, willContinue, scheduling);
  }

  /** A copy with {@code willContinue} set. */
  public FunctionResponse withWillContinue(@Nullable Boolean willContinue) {
    return new FunctionResponse(id, name, response, parts, willContinue, scheduling);
  }

  /** A copy with {@code scheduling} set. */
  public FunctionResponse withScheduling(@Nullable Scheduling scheduling) {
    return new FunctionResponse(id, name, response, parts, willContinue, scheduling);
  }

  /** Whether this response reports an error (its JSON object has the key {@code "error"}). */
  public boolean isError() {
    return response != null && response.containsKey("error");
  }

  /** The id of the call to cancel when this is a tool-cancellation response, else {@code null}. */
  public @Nullable String cancelledCallId() {
    if (TOOL_CANCELLATION.equals(name)
        && response != null
        && response.get("function_call_id") instanceof String callId) {
      return callId;
    }
    return null;
  }

  private static FunctionResponse build(@Nullable String name, @Nullable Object value, String key) {
    if (value instanceof ProcessorPart part) {
      value = ProcessorContent.of(part);
    }
    if (value instanceof ProcessorContent content) {
      boolean allText = content.stream().allMatch(p -> p.data() instanceof PartData.Text);
      if (allText) {
        return withResponse(name, key, content.text());
      }
      List<ProcessorPart> blobs = new ArrayList<>(content.size());
      for (ProcessorPart p : content) {
        // Bare parts: the JSON form of a function response has no room for a role or metadata.
        blobs.add(
            p.data() instanceof PartData.FileData
                ? new ProcessorPart(p.data(), p.mimeType(), "", "", Map.of(), false, null)
                : ProcessorPart.blob(p.bytes(), p.mimeType()));
      }
      return new FunctionResponse(null, name, null, blobs, null, null);
    }
    if (JsonValues.isJsonValue(value)) {
      return withResponse(name, key, value);
    }
    // Records and beans: their JSON form, as the Python library stores a dataclass.
    Object converted = JsonValues.MAPPER.convertValue(value, Object.class);
    return withResponse(name, key, converted);
  }

  private static FunctionResponse withResponse(
      @Nullable String name, String key, @Nullable Object value) {
    Map<String, @Nullable Object> response = new LinkedHashMap<>();
    response.put(key, value);
    return new FunctionResponse(null, name, response, List.of(), null, null);
  }
}
