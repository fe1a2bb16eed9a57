package dev.genaiprocessors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One immutable piece of content flowing through a pipeline: a payload ({@link PartData}) with a
 * MIME type, plus a role, a substream name, metadata and the model-reasoning flags.
 *
 * <p>Make parts with the static factories and change them with the {@code with...} methods, which
 * return copies:
 *
 * <pre>{@code
 * ProcessorPart question = ProcessorPart.text("What is in this picture?").withRole("user");
 * ProcessorPart picture = ProcessorPart.bytes(png, MimeTypes.IMAGE_PNG);
 * ProcessorPart call = ProcessorPart.functionCall("get_weather", Map.of("city", "Paris"));
 * ProcessorPart json = ProcessorPart.json(new Forecast("Paris", 21.5));
 * }</pre>
 *
 * <p><b>MIME type.</b> Every part has one: {@code text/plain} for text unless set otherwise, the
 * given type for bytes and files, {@link MimeTypes#FUNCTION_CALL} and {@link
 * MimeTypes#FUNCTION_RESPONSE} for function calls and responses (the Python library's strings).
 *
 * <p><b>Metadata</b> holds JSON values only ({@code null}, {@code String}, {@code Boolean},
 * numbers, {@code List}, {@code Map} with string keys), deep-copied and unmodifiable, so every part
 * can cross a process boundary through {@link PartJson} and come back equal. Integers are held as
 * {@code Long} ({@code BigInteger} beyond it), other numbers as {@code Double} ({@code BigDecimal}
 * when a double would change them); NaN and the infinities, which JSON cannot carry, are rejected,
 * and so is a map or list that contains itself, or maps and lists nested more than 990 deep. The
 * exception is an {@link IllegalArgumentException} naming the path to the bad value ({@code
 * metadata.a.b[2]}) when the part is built.
 *
 * <p><b>Equality</b> follows the Python library, with one deliberate difference: the payload, the
 * thought flags and the metadata (ignoring the key {@code capture_time}) must be equal, and the
 * role and substream name equal ignoring case; unlike Python, the MIME type is compared too, so
 * {@code "{}"} as JSON is not equal to {@code "{}"} as plain text. The {@link #extraFields()} kept
 * from a part's JSON are compared too, as Python compares the whole Gemini part.
 *
 * <p>Parts are safe to share between threads.
 */
public final class ProcessorPart {
  /** The metadata key that marks the end of a turn (see {@link #endOfTurn()}). */
  public static final String TURN_COMPLETE = "turn_complete";

  /** The metadata key for the time a part was captured; ignored by {@link #equals}. */
  public static final String CAPTURE_TIME = "capture_time";

  private final PartData data;
  private final String mimeType;
  private final boolean text; // MimeTypes.isText(mimeType), computed once
  private final String role;
  private final String substreamName;
  private final Map<String, @Nullable Object> metadata;
  private final boolean thought;
  private final byte @Nullable [] thoughtSignature;
  private final Map<String, @Nullable Object> extraFields;

  // Every factory ends here; metadata must already be frozen, thoughtSignature owned.
  ProcessorPart(
      PartData data,
      String mimeType,
      String role,
      String substreamName,
      Map<String, @Nullable Object> metadata,
      boolean thought,
      byte @Nullable [] thoughtSignature) {
    this(data, mimeType, role, substreamName, metadata, thought, thoughtSignature, Map.of());
  }

  // For PartJson: extraFields must already be frozen.
  ProcessorPart(
      PartData data,
      String mimeType,
      String role,
      String substreamName,
      Map<String, @Nullable Object> metadata,
      boolean thought,
      byte @Nullable [] thoughtSignature,
      Map<String, @Nullable Object> extraFields) {
    this(
        data,
        MimeTypes.requireValid(mimeType),
        MimeTypes.isText(mimeType),
        role,
        substreamName,
        metadata,
        thought,
        thoughtSignature,
        extraFields);
  }

  // For copies and constants: the MIME type is known to be valid and its text-ness known.
  private ProcessorPart(
      PartData data,
      String mimeType,
      boolean text,
      String role,
      String substreamName,
      Map<String, @Nullable Object> metadata,
      boolean thought,
      byte @Nullable [] thoughtSignature,
      Map<String, @Nullable Object> extraFields) {
    this.data = Objects.requireNonNull(data, "data");
    this.mimeType = mimeType;
    this.text = text;
    this.role = Objects.requireNonNull(role, "role");
    this.substreamName = Objects.requireNonNull(substreamName, "substreamName");
    this.metadata = metadata;
    this.thought = thought;
    this.thoughtSignature = thoughtSignature;
    this.extraFields = Objects.requireNonNull(extraFields, "extraFields");
  }

  private static ProcessorPart of(PartData data, String mimeType) {
    return new ProcessorPart(data, mimeType, "", "", Map.of(), false, null);
  }

  /** A copy with other fields; the MIME type is this part's, already checked. */
  private ProcessorPart copy(
      String role,
      String substreamName,
      Map<String, @Nullable Object> metadata,
      boolean thought,
      byte @Nullable [] thoughtSignature) {
    return copy(role, substreamName, metadata, thought, thoughtSignature, extraFields);
  }

  private ProcessorPart copy(
      String role,
      String substreamName,
      Map<String, @Nullable Object> metadata,
      boolean thought,
      byte @Nullable [] thoughtSignature,
      Map<String, @Nullable Object> extraFields) {
    return new ProcessorPart(
        data,
        mimeType,
        text,
        role,
        substreamName,
        metadata,
        thought,
        thoughtSignature,
        extraFields);
  }

  // ---------------------------------------------------------------- factories

  /** A {@code text/plain} part. */
  public static ProcessorPart text(CharSequence text) {
    return new ProcessorPart(
        new PartData.Text(Objects.requireNonNull(text, "text").toString()),
        MimeTypes.TEXT_PLAIN,
        true,
        "",
        "",
        Map.of(),
        false,
        null,
        Map.of());
  }

  /**
   * A part holding {@code data} of the given MIME type, as Python's {@code ProcessorPart(bytes,
   * mimetype=...)} makes it: for a text MIME type ({@link MimeTypes#isText}) whose bytes are valid
   * UTF-8, a text part holding the decoded text (its JSON is {@code {"text": ...}}); otherwise
   * inline bytes, the array copied. Where Python fails on bytes that are not valid UTF-8, this
   * keeps them as inline bytes, so nothing is lost ({@link #text()} then decodes them with
   * replacement characters). Use {@link #blob} for inline bytes whatever the MIME type.
   *
   * @throws IllegalArgumentException if {@code mimeType} is not of the form {@code type/subtype}
   */
  public static ProcessorPart bytes(byte[] data, String mimeType) {
    Objects.requireNonNull(data, "data");
    if (MimeTypes.isText(MimeTypes.requireValid(mimeType))) {
      String decoded = utf8(data);
      if (decoded != null) {
        return of(new PartData.Text(decoded), mimeType);
      }
    }
    return blob(data, mimeType);
  }

  /**
   * A part holding {@code data} as inline bytes of the given MIME type, even a text one: Python's
   * {@code ProcessorPart.from_bytes}. The array is copied; {@link #text()} decodes text types as
   * UTF-8.
   *
   * @throws IllegalArgumentException if {@code mimeType} is not of the form {@code type/subtype}
   */
  public static ProcessorPart blob(byte[] data, String mimeType) {
    return of(new PartData.Blob(data, null), mimeType);
  }

  private static @Nullable String utf8(byte[] data) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** A reference to content at {@code uri} (for example an uploaded file), of the given type. */
  public static ProcessorPart fromUri(String uri, String mimeType) {
    return of(new PartData.FileData(uri, null), mimeType);
  }

  /** A function call with no id. */
  public static ProcessorPart functionCall(String name, Map<String, ?> args) {
    return functionCall(FunctionCall.of(name, args));
  }

  /** A part carrying {@code call}. */
  public static ProcessorPart functionCall(FunctionCall call) {
    return of(Objects.requireNonNull(call, "call"), MimeTypes.FUNCTION_CALL);
  }

  /**
   * A part carrying {@code response}; see {@link FunctionResponse#result} and {@link
   * FunctionResponse#error} to build one.
   */
  public static ProcessorPart functionResponse(FunctionResponse response) {
    return of(Objects.requireNonNull(response, "response"), MimeTypes.FUNCTION_RESPONSE);
  }

  /** The successful result of the function {@code name}: {@link FunctionResponse#result}. */
  public static ProcessorPart functionResponse(String name, @Nullable Object result) {
    return functionResponse(FunctionResponse.result(name, result));
  }

  /**
   * A request to cancel the running function call {@code functionCallId}; its role is {@code
   * model}, as in the Python library.
   */
  public static ProcessorPart toolCancellation(String functionCallId) {
    return functionResponse(FunctionResponse.toolCancellation(functionCallId)).withRole("model");
  }

  /**
   * {@code value} as JSON text. A record or other object (anything but a {@code Map}, a {@code
   * List}, a {@code String}, a number, a boolean, a Jackson {@code JsonNode} or null) gets the MIME
   * type {@code application/json; type=<simple class name>}, as the Python library does for
   * dataclasses; everything else {@code application/json}. Read it back with {@link #json()} or
   * {@link #as(Class)}.
   *
   * @throws IllegalArgumentException if Jackson cannot serialise {@code value}
   */
  public static ProcessorPart json(@Nullable Object value) {
    String text;
    try {
      text = JsonValues.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write " + JsonValues.describe(value) + " as JSON: " + e.getOriginalMessage(), e);
    }
    String mimeType =
        value != null && !JsonValues.isJsonValue(value) && !(value instanceof JsonNode)
            ? MimeTypes.APPLICATION_JSON + "; type=" + value.getClass().getSimpleName()
            : MimeTypes.APPLICATION_JSON;
    return of(new PartData.Text(text), mimeType);
  }

  /** Code for the model's code-execution tool. */
  public static ProcessorPart executableCode(String code, String language) {
    return of(new PartData.ExecutableCode(code, language), MimeTypes.TEXT_PLAIN);
  }

  /** The outcome and output of running code. */
  public static ProcessorPart codeExecutionResult(String outcome, String output) {
    return of(new PartData.CodeExecutionResult(outcome, output), MimeTypes.TEXT_PLAIN);
  }

  /** An empty {@code user} part whose metadata marks the end of a turn. */
  public static ProcessorPart endOfTurn() {
    return text("").withRole("user").withMetadata(TURN_COMPLETE, true);
  }

  /** {@link #endOfTurn()} on the given substream. */
  public static ProcessorPart endOfTurn(String substreamName) {
    return endOfTurn().withSubstreamName(substreamName);
  }

  /**
   * A {@code text/x-exception} part describing {@code error} (its class and message, never its
   * stack trace), for pipelines that report failures as parts instead of throwing. Its metadata
   * {@code exception_type} is the simple class name, as in Python, and {@code exception_class} the
   * fully qualified one.
   */
  public static ProcessorPart exception(Throwable error) {
    Objects.requireNonNull(error, "error");
    String message = error.getMessage();
    String text = error.getClass().getName() + (message == null ? "" : ": " + message);
    return of(new PartData.Text(text), MimeTypes.TEXT_EXCEPTION)
        .withMetadata(ErrorStrategies.EXCEPTION_TYPE, ErrorStrategies.simpleName(error.getClass()))
        .withMetadata(ErrorStrategies.EXCEPTION_CLASS, error.getClass().getName());
  }

  // ---------------------------------------------------------------- accessors

  /** The payload; switch over it to handle each kind. */
  public PartData data() {
    return data;
  }

  /** The MIME type; never empty. */
  public String mimeType() {
    return mimeType;
  }

  /** Who produced the part ({@code "user"}, {@code "model"}, ...); empty when unset. */
  public String role() {
    return role;
  }

  /** The logical substream the part belongs to; empty for the default stream. */
  public String substreamName() {
    return substreamName;
  }

  /** The metadata: an unmodifiable map of JSON values. */
  public Map<String, @Nullable Object> metadata() {
    return metadata;
  }

  /** One metadata value, or {@code null} when the key is absent. */
  public @Nullable Object metadata(String key) {
    return metadata.get(key);
  }

  /** Whether the part is model reasoning (a "thought") rather than an answer. */
  public boolean isThought() {
    return thought;
  }

  /** The model's opaque signature of its reasoning, copied; {@code null} when there is none. */
  public byte @Nullable [] thoughtSignature() {
    return thoughtSignature == null ? null : thoughtSignature.clone();
  }

  byte @Nullable [] unsafeThoughtSignature() {
    return thoughtSignature;
  }

  /**
   * The fields of the part's Gemini {@code Part} JSON that this part does not model, kept so that a
   * part read by {@link PartJson} is written back as it came: usually empty. It is a JSON Merge
   * Patch (RFC 7396) over the Gemini part {@link PartJson} writes: a field this library does not
   * know ({@code video_metadata}, {@code media_resolution}, {@code part_metadata}, {@code
   * function_call.will_continue}, fields newer Gemini versions add) with its value; a payload's own
   * {@code mime_type} where it differs from {@link #mimeType()}; {@code "thought": false}; and a
   * {@code null} for a field the part writes but the JSON read did not hold (say {@code args} of a
   * call that had none). Unmodifiable; every {@code with...} copy keeps it, except that {@link
   * #withThought} and {@link #withThoughtSignature} drop their own field from it, and it is part of
   * {@link #equals}.
   */
  public Map<String, @Nullable Object> extraFields() {
    return extraFields;
  }

  /** Whether the MIME type is a text type ({@link MimeTypes#isText}): {@link #text()} works. */
  public boolean isText() {
    return text;
  }

  /** Whether the part carries a function call. */
  public boolean isFunctionCall() {
    return data instanceof FunctionCall;
  }

  /** Whether the part carries a function response. */
  public boolean isFunctionResponse() {
    return data instanceof FunctionResponse;
  }

  /** Whether the metadata marks the end of a turn. */
  public boolean isEndOfTurn() {
    return Boolean.TRUE.equals(metadata.get(TURN_COMPLETE));
  }

  /** Whether this is a {@code text/x-exception} part (see {@link #exception(Throwable)}). */
  public boolean isException() {
    return MimeTypes.isException(mimeType);
  }

  /**
   * The text: the text payload, or inline bytes decoded as UTF-8.
   *
   * @throws IllegalStateException when the MIME type is not a text type, naming it
   */
  public String text() {
    if (!isText()) {
      throw notA("text");
    }
    return switch (data) {
      case PartData.Text t -> t.text();
      case PartData.Blob b -> new String(b.unsafeData(), StandardCharsets.UTF_8);
      default -> "";
    };
  }

  /**
   * The bytes: text encoded as UTF-8, or a copy of the inline bytes.
   *
   * @throws IllegalStateException when the part holds neither (a function call, a file reference,
   *     ...)
   */
  public byte[] bytes() {
    return switch (data) {
      case PartData.Text t -> t.text().getBytes(StandardCharsets.UTF_8);
      case PartData.Blob b -> b.data();
      default -> throw notA("bytes");
    };
  }

  /**
   * The function call.
   *
   * @throws IllegalStateException when the part is not a function call
   */
  public FunctionCall functionCall() {
    if (data instanceof FunctionCall call) {
      return call;
    }
    throw notA("function call");
  }

  /**
   * The function response.
   *
   * @throws IllegalStateException when the part is not a function response
   */
  public FunctionResponse functionResponse() {
    if (data instanceof FunctionResponse response) {
      return response;
    }
    throw notA("function response");
  }

  /**
   * The text parsed as a JSON tree.
   *
   * @throws IllegalStateException when the MIME type is not JSON
   * @throws IllegalArgumentException when the text is not valid JSON
   */
  public JsonNode json() {
    if (!MimeTypes.isJson(mimeType)) {
      throw notA("JSON");
    }
    try {
      return JsonValues.MAPPER.readTree(text());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "part of type "
              + Strings.truncated(mimeType)
              + " does not hold valid JSON: "
              + e.getOriginalMessage(),
          e);
    }
  }

  /**
   * The text parsed as JSON into {@code type} (a record, a bean, a {@code Map}, ...): the inverse
   * of {@link #json(Object)}.
   *
   * <p>A part typed by {@link #json(Object)} ({@code application/json; type=Forecast}) is read only
   * as a class of that simple name: reading a {@code Forecast} part as an {@code Invoice} is a bug,
   * and refused, as in the Python library; a generic target ({@code Object}, a {@code Map}, a
   * {@code Collection}, a {@code JsonNode}) reads any JSON. Unlike Python, JSON with no {@code
   * type} parameter is read as any class: a model's structured output and an HTTP API's answer come
   * untyped, and the binding itself fails when the JSON does not fit.
   *
   * @throws IllegalStateException when the MIME type is not JSON, or names another type
   * @throws IllegalArgumentException when the JSON does not fit {@code type}
   */
  public <T> T as(Class<T> type) {
    Objects.requireNonNull(type, "type");
    if (!MimeTypes.isJson(mimeType)) {
      throw notA(type.getSimpleName() + " (JSON)");
    }
    String named = MimeTypes.typeParameter(mimeType);
    if (named != null
        && !named.isEmpty()
        && !named.equals(type.getSimpleName())
        && !(type == Object.class
            || Map.class.isAssignableFrom(type)
            || Collection.class.isAssignableFrom(type)
            || JsonNode.class.isAssignableFrom(type))) {
      throw notA(type.getSimpleName() + " (JSON)");
    }
    try {
      return JsonValues.MAPPER.readValue(text(), type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "part of type "
              + Strings.truncated(mimeType)
              + " cannot be read as "
              + type.getName()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  private IllegalStateException notA(String kind) {
    // An exception part may hold bytes (or anything, via withMimeType), so ask text(), not the
    // payload.
    String what =
        isException() ? "an exception: " + Strings.truncated(text()) : Strings.truncated(mimeType);
    return new IllegalStateException("Part is not " + kind + " but " + what);
  }

  // ---------------------------------------------------------------- copies

  /** A copy with the given role. */
  public ProcessorPart withRole(String role) {
    return copy(role, substreamName, metadata, thought, thoughtSignature);
  }

  /** A copy on the given substream ({@code ""} for the default stream). */
  public ProcessorPart withSubstreamName(String substreamName) {
    return copy(role, substreamName, metadata, thought, thoughtSignature);
  }

  /**
   * A copy with the given MIME type and the same payload.
   *
   * @throws IllegalArgumentException if {@code mimeType} is not of the form {@code type/subtype}
   */
  public ProcessorPart withMimeType(String mimeType) {
    return new ProcessorPart(
        data, mimeType, role, substreamName, metadata, thought, thoughtSignature, extraFields);
  }

  /**
   * A copy whose metadata is exactly {@code metadata}.
   *
   * @throws IllegalArgumentException if a value is not a JSON value (see the class comment), naming
   *     its path
   */
  public ProcessorPart withMetadata(Map<String, ?> metadata) {
    return copy(role, substreamName, freezeMetadata(metadata), thought, thoughtSignature);
  }

  /**
   * A copy with one metadata entry added or replaced.
   *
   * @throws IllegalArgumentException if {@code value} is not a JSON value (see the class comment),
   *     naming its path
   */
  public ProcessorPart withMetadata(String key, @Nullable Object value) {
    Objects.requireNonNull(key, "key");
    // The present entries are frozen already: only the new value needs checking and copying.
    Map<String, @Nullable Object> frozen =
        JsonValues.with(metadata, key, JsonValues.freeze(value, "metadata", key), "metadata");
    return copy(role, substreamName, frozen, thought, thoughtSignature);
  }

  /** A copy marked (or unmarked) as model reasoning. */
  public ProcessorPart withThought(boolean thought) {
    return copy(role, substreamName, metadata, thought, thoughtSignature, extraWithout("thought"));
  }

  /** A copy with the given reasoning signature (copied), or none for {@code null}. */
  public ProcessorPart withThoughtSignature(byte @Nullable [] signature) {
    byte @Nullable [] owned = signature == null ? null : signature.clone();
    return copy(role, substreamName, metadata, thought, owned, extraWithout("thought_signature"));
  }

  // A field set through a with... method is the model's again: the patch must not override it.
  private Map<String, @Nullable Object> extraWithout(String field) {
    if (!extraFields.containsKey(field)) {
      return extraFields;
    }
    Map<String, @Nullable Object> rest = new LinkedHashMap<>(extraFields);
    rest.remove(field);
    return rest.isEmpty() ? Map.of() : JsonValues.frozen(rest, "extraFields");
  }

  static Map<String, @Nullable Object> freezeMetadata(Map<?, ?> metadata) {
    Objects.requireNonNull(metadata, "metadata");
    return metadata.isEmpty() ? Map.of() : JsonValues.freezeObject(metadata, "metadata");
  }

  // ---------------------------------------------------------------- identity

  @Override
  public boolean equals(Object o) {
    return o instanceof ProcessorPart other
        && data.equals(other.data)
        && mimeType.equals(other.mimeType)
        && role.equalsIgnoreCase(other.role)
        && substreamName.equalsIgnoreCase(other.substreamName)
        && thought == other.thought
        && Arrays.equals(thoughtSignature, other.thoughtSignature)
        && extraFields.equals(other.extraFields)
        && comparableMetadata().equals(other.comparableMetadata());
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        data,
        mimeType,
        caseFolded(role),
        caseFolded(substreamName),
        thought,
        Arrays.hashCode(thoughtSignature),
        extraFields,
        comparableMetadata());
  }

  // The key equalsIgnoreCase compares by, code point by code point; String.toLowerCase is not
  // (it maps "İ" to two characters and a final "Σ" to "ς"), so hashing it would break equals.
  private static String caseFolded(String s) {
    StringBuilder folded = new StringBuilder(s.length());
    s.codePoints()
        .forEach(c -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
    return folded.toString();
  }

  private Map<String, @Nullable Object> comparableMetadata() {
    if (!metadata.containsKey(CAPTURE_TIME)) {
      return metadata;
    }
    Map<String, @Nullable Object> copy = new LinkedHashMap<>(metadata);
    copy.remove(CAPTURE_TIME);
    return Collections.unmodifiableMap(copy);
  }

  /**
   * A short description for logs: the payload abbreviated (bytes by their count, never their
   * content), the MIME type, and the role, substream and metadata when set.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ProcessorPart[");
    s.append(data).append(", ").append(mimeType);
    if (!role.isEmpty()) {
      s.append(", role=").append(role);
    }
    if (!substreamName.isEmpty()) {
      s.append(", substream=").append(substreamName);
    }
    if (thought) {
      s.append(", thought");
    }
    if (!metadata.isEmpty()) {
      s.append(", metadata=").append(metadata.keySet());
    }
    if (!extraFields.isEmpty()) {
      s.append(", extraFields=").append(extraFields.keySet());
    }
    return s.append(']').toString();
  }
}
