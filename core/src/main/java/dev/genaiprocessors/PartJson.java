package dev.genaiprocessors;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes parts as JSON in the Python library's dict shape, the wire format every module
 * uses to send parts across a process boundary (queues, databases, HTTP).
 *
 * <p>A part is a JSON object with five keys, as written by Python's {@code
 * ProcessorPart.to_dict()} and read by {@code from_dict()}:
 *
 * <pre>{@code
 * {"part": {"text": "hi"}, "role": "user", "substream_name": "", "mimetype": "text/plain", "metadata": {}}
 * }</pre>
 *
 * <p>{@code part} uses the Gemini SDK's snake_case fields ({@code text}, {@code thought}, {@code
 * thought_signature}, {@code inline_data}, {@code file_data}, {@code function_call}, {@code
 * function_response}, {@code executable_code}, {@code code_execution_result}) with bytes as base64
 * strings; a content is a JSON array of such objects. Reading is strict: a missing {@code part},
 * an unknown field, a value of the wrong JSON type, a {@code part} holding two content fields (say
 * {@code text} and {@code inline_data}) or a MIME type that is not {@code type/subtype} is an
 * {@link IllegalArgumentException} naming the field and the value (cut to a readable length),
 * never a silently dropped field. Malformed JSON is an {@code IllegalArgumentException} too:
 * reading throws nothing else for any input, except {@link IOException} from the stream read.
 * Base64 in both the standard and the URL-safe alphabet is accepted.
 *
 * <p><b>Numbers</b> in metadata, function-call arguments and function responses are read exactly:
 * an integer as a {@code Long}, or a {@code BigInteger} when it does not fit one; any other number
 * as a {@code Double} when a double holds it exactly (its shortest decimal form is the number, as
 * for every number Python or Java writes from a float), otherwise as a {@code BigDecimal}, so that
 * {@code 1e999} stays that number instead of becoming Infinity, and no digit is lost. Parts hold
 * their values in the same forms (see {@link ProcessorPart#metadata()}), and JSON cannot carry NaN
 * or Infinity, so parts reject them when they are built; together this makes every part equal to
 * its own round trip: {@code fromJson(toJson(part)).equals(part)}.
 *
 * <p>Bytes are encoded straight into the output, never through an intermediate {@code String};
 * a base64 string is read whole before it is decoded, so that either alphabet can be tried. {@link
 * #readParts(InputStream)} reads a large content one part at a time.
 *
 * <p>Differences from Python: the MIME type of a part's {@code inline_data} or {@code file_data} is
 * always the part's own {@code mimetype}; parts whose Gemini payload is empty are read as empty text.
 */
public final class PartJson {
  /** The longest string a part's JSON may hold: 1 Gi characters (768 MiB of base64 bytes). */
  public static final int MAX_STRING_CHARS = 1 << 30;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          // Parts carry whole files as base64 strings: Jackson's 20M-character default (15 MB of
          // bytes) is too small. A bound stays, against hostile input: 1 Gi characters, 768 MiB.
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(MAX_STRING_CHARS).build())
          .build();

  static {
    // Metadata, args and responses are written by the shared mapper (gen.writeObject); its
    // trailing-token check is for whole documents read alone, so it is off here.
    FACTORY.setCodec(
        JsonValues.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
  }

  private PartJson() {}

  // ---------------------------------------------------------------- writing

  /** {@code part} as a JSON string. */
  public static String toJson(ProcessorPart part) {
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = FACTORY.createGenerator((Writer) out)) {
      writePart(gen, part);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** {@code content} as a JSON array string. */
  public static String toJson(Iterable<ProcessorPart> content) {
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = FACTORY.createGenerator((Writer) out)) {
      writeArray(gen, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** {@code part} as UTF-8 JSON bytes. */
  public static byte[] toJsonBytes(ProcessorPart part) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(part, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes {@code part} as UTF-8 JSON to {@code out}, which is flushed but not closed. */
  public static void write(ProcessorPart part, OutputStream out) throws IOException {
    try (JsonGenerator gen = generator(out)) {
      writePart(gen, part);
    }
  }

  /**
   * Writes {@code parts} as a UTF-8 JSON array to {@code out}, which is flushed but not closed.
   * Parts are written as they are iterated, so the iterable may be a stream that never fits in
   * memory.
   */
  public static void write(Iterable<ProcessorPart> parts, OutputStream out) throws IOException {
    try (JsonGenerator gen = generator(out)) {
      writeArray(gen, parts);
    }
  }

  /**
   * {@code part} as a map of the Python dict shape ({@code to_dict(mode='json')}): bytes as base64
   * strings. With {@code rawBytes}, bytes stay {@code byte[]} ({@code mode='python'}).
   */
  public static Map<String, Object> toDict(ProcessorPart part, boolean rawBytes) {
    Map<String, Object> dict = new LinkedHashMap<>();
    dict.put("part", partDict(part, rawBytes));
    dict.put("role", part.role());
    dict.put("substream_name", part.substreamName());
    dict.put("mimetype", part.mimeType());
    dict.put("metadata", new LinkedHashMap<>(part.metadata()));
    return dict;
  }

  /** {@link #toDict(ProcessorPart, boolean)} with bytes as base64 strings. */
  public static Map<String, Object> toDict(ProcessorPart part) {
    return toDict(part, false);
  }

  private static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator gen = FACTORY.createGenerator(Objects.requireNonNull(out, "out"));
    gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return gen;
  }

  private static void writeArray(JsonGenerator gen, Iterable<ProcessorPart> parts) throws IOException {
    gen.writeStartArray();
    for (ProcessorPart part : parts) {
      writePart(gen, part);
    }
    gen.writeEndArray();
  }

  private static void writePart(JsonGenerator gen, ProcessorPart part) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName("part");
    gen.writeStartObject();
    writePayload(gen, part.data(), part.mimeType());
    if (part.isThought()) {
      gen.writeBooleanField("thought", true);
    }
    byte[] signature = part.unsafeThoughtSignature();
    if (signature != null) {
      gen.writeFieldName("thought_signature");
      gen.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, signature, 0, signature.length);
    }
    gen.writeEndObject();
    gen.writeStringField("role", part.role());
    gen.writeStringField("substream_name", part.substreamName());
    gen.writeStringField("mimetype", part.mimeType());
    gen.writeFieldName("metadata");
    gen.writeObject(part.metadata());
    gen.writeEndObject();
  }

  private static void writePayload(JsonGenerator gen, PartData data, String mimeType)
      throws IOException {
    switch (data) {
      case PartData.Text t -> gen.writeStringField("text", t.text());
      case PartData.Blob b -> {
        gen.writeObjectFieldStart("inline_data");
        writeBlob(gen, b, mimeType);
        gen.writeEndObject();
      }
      case PartData.FileData f -> {
        gen.writeObjectFieldStart("file_data");
        writeFile(gen, f, mimeType);
        gen.writeEndObject();
      }
      case FunctionCall call -> {
        gen.writeObjectFieldStart("function_call");
        if (call.id() != null) {
          gen.writeStringField("id", call.id());
        }
        gen.writeObjectField("args", call.args());
        gen.writeStringField("name", call.name());
        gen.writeEndObject();
      }
      case FunctionResponse response -> {
        gen.writeObjectFieldStart("function_response");
        if (response.willContinue() != null) {
          gen.writeBooleanField("will_continue", response.willContinue());
        }
        if (response.scheduling() != null) {
          gen.writeStringField("scheduling", response.scheduling().name());
        }
        if (!response.parts().isEmpty()) {
          gen.writeArrayFieldStart("parts");
          for (ProcessorPart p : response.parts()) {
            gen.writeStartObject();
            if (p.data() instanceof PartData.Blob b) {
              gen.writeObjectFieldStart("inline_data");
              writeBlob(gen, b, p.mimeType());
            } else {
              gen.writeObjectFieldStart("file_data");
              writeFile(gen, (PartData.FileData) p.data(), p.mimeType());
            }
            gen.writeEndObject();
            gen.writeEndObject();
          }
          gen.writeEndArray();
        }
        if (response.id() != null) {
          gen.writeStringField("id", response.id());
        }
        if (response.name() != null) {
          gen.writeStringField("name", response.name());
        }
        if (response.response() != null) {
          gen.writeObjectField("response", response.response());
        }
        gen.writeEndObject();
      }
      case PartData.ExecutableCode code -> {
        gen.writeObjectFieldStart("executable_code");
        gen.writeStringField("code", code.code());
        gen.writeStringField("language", code.language());
        gen.writeEndObject();
      }
      case PartData.CodeExecutionResult result -> {
        gen.writeObjectFieldStart("code_execution_result");
        gen.writeStringField("outcome", result.outcome());
        gen.writeStringField("output", result.output());
        gen.writeEndObject();
      }
    }
  }

  private static void writeBlob(JsonGenerator gen, PartData.Blob blob, String mimeType)
      throws IOException {
    byte[] data = blob.unsafeData();
    if (blob.displayName() != null) {
      gen.writeStringField("display_name", blob.displayName());
    }
    gen.writeFieldName("data");
    gen.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, data, 0, data.length);
    gen.writeStringField("mime_type", mimeType);
  }

  private static void writeFile(JsonGenerator gen, PartData.FileData file, String mimeType)
      throws IOException {
    if (file.displayName() != null) {
      gen.writeStringField("display_name", file.displayName());
    }
    gen.writeStringField("file_uri", file.uri());
    gen.writeStringField("mime_type", mimeType);
  }

  private static Map<String, Object> partDict(ProcessorPart part, boolean rawBytes) {
    Map<String, Object> dict = new LinkedHashMap<>();
    switch (part.data()) {
      case PartData.Text t -> dict.put("text", t.text());
      case PartData.Blob b -> dict.put("inline_data", blobDict(b, part.mimeType(), rawBytes));
      case PartData.FileData f -> dict.put("file_data", fileDict(f, part.mimeType()));
      case FunctionCall call -> {
        Map<String, Object> c = new LinkedHashMap<>();
        putIfNotNull(c, "id", call.id());
        c.put("args", call.args());
        c.put("name", call.name());
        dict.put("function_call", c);
      }
      case FunctionResponse response -> {
        Map<String, Object> r = new LinkedHashMap<>();
        putIfNotNull(r, "will_continue", response.willContinue());
        if (response.scheduling() != null) {
          r.put("scheduling", response.scheduling().name());
        }
        if (!response.parts().isEmpty()) {
          List<Object> parts = new ArrayList<>();
          for (ProcessorPart p : response.parts()) {
            parts.add(
                p.data() instanceof PartData.Blob b
                    ? Map.of("inline_data", blobDict(b, p.mimeType(), rawBytes))
                    : Map.of("file_data", fileDict((PartData.FileData) p.data(), p.mimeType())));
          }
          r.put("parts", parts);
        }
        putIfNotNull(r, "id", response.id());
        putIfNotNull(r, "name", response.name());
        putIfNotNull(r, "response", response.response());
        dict.put("function_response", r);
      }
      case PartData.ExecutableCode code ->
          dict.put("executable_code", Map.of("code", code.code(), "language", code.language()));
      case PartData.CodeExecutionResult result ->
          dict.put(
              "code_execution_result",
              Map.of("outcome", result.outcome(), "output", result.output()));
    }
    if (part.isThought()) {
      dict.put("thought", true);
    }
    byte[] signature = part.unsafeThoughtSignature();
    if (signature != null) {
      dict.put("thought_signature", rawBytes ? signature.clone() : base64(signature));
    }
    return dict;
  }

  private static Map<String, Object> blobDict(PartData.Blob blob, String mimeType, boolean raw) {
    Map<String, Object> b = new LinkedHashMap<>();
    putIfNotNull(b, "display_name", blob.displayName());
    b.put("data", raw ? blob.data() : base64(blob.unsafeData()));
    b.put("mime_type", mimeType);
    return b;
  }

  private static Map<String, Object> fileDict(PartData.FileData file, String mimeType) {
    Map<String, Object> f = new LinkedHashMap<>();
    putIfNotNull(f, "display_name", file.displayName());
    f.put("file_uri", file.uri());
    f.put("mime_type", mimeType);
    return f;
  }

  private static void putIfNotNull(Map<String, Object> map, String key, @Nullable Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static String base64(byte[] data) {
    return Base64.getEncoder().encodeToString(data);
  }

  // ---------------------------------------------------------------- reading

  /**
   * The part written in {@code json}.
   *
   * @throws IllegalArgumentException when the JSON is malformed or not a part, naming the field
   */
  public static ProcessorPart fromJson(String json) {
    Objects.requireNonNull(json, "json");
    try (JsonParser parser = FACTORY.createParser(json)) {
      return readSingle(parser);
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /** The part written as UTF-8 JSON in {@code json}. */
  public static ProcessorPart fromJson(byte[] json) {
    Objects.requireNonNull(json, "json");
    try (JsonParser parser = FACTORY.createParser(json)) {
      return readSingle(parser);
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /**
   * The content written as a JSON array of parts in {@code json}.
   *
   * @throws IllegalArgumentException when the JSON is malformed or an element is not a part
   */
  public static ProcessorContent contentFromJson(String json) {
    Objects.requireNonNull(json, "json");
    List<ProcessorPart> parts = new ArrayList<>();
    try (JsonParser parser = FACTORY.createParser(json)) {
      expect(parser, parser.nextToken(), JsonToken.START_ARRAY, "content");
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        parts.add(readPart(parser, "content[" + parts.size() + "]"));
      }
      requireEnd(parser);
    } catch (IOException e) {
      throw malformed(e);
    }
    return ProcessorContent.ofParts(parts);
  }

  /**
   * Reads one part from {@code in}, which must hold exactly one JSON object; {@code in} is not
   * closed.
   *
   * @throws IllegalArgumentException when the JSON is malformed or not a part, as {@link
   *     #fromJson(byte[])} does
   * @throws IOException when reading {@code in} fails
   */
  public static ProcessorPart read(InputStream in) throws IOException {
    try (JsonParser parser = FACTORY.createParser(Objects.requireNonNull(in, "in"))) {
      parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
      return readSingle(parser);
    } catch (JsonProcessingException | CharConversionException e) {
      throw malformed(e);
    }
  }

  /**
   * Reads a JSON array of parts from {@code in} one part at a time, so a content larger than memory
   * can be processed as it arrives. The iterator throws {@link IllegalArgumentException} for a
   * malformed part and {@link UncheckedIOException} when reading fails; {@code in} is not closed.
   */
  public static Iterator<ProcessorPart> readParts(InputStream in) throws IOException {
    JsonParser parser = FACTORY.createParser(Objects.requireNonNull(in, "in"));
    parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    try {
      expect(parser, parser.nextToken(), JsonToken.START_ARRAY, "content");
    } catch (JsonProcessingException | CharConversionException e) {
      throw malformed(e);
    }
    return new Iterator<>() {
      private int index;
      private @Nullable JsonToken next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          try {
            next = parser.nextToken();
          } catch (JsonProcessingException | CharConversionException e) {
            throw malformed(e);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          if (next == null) {
            throw new IllegalArgumentException("content: the JSON array is not closed");
          }
        }
        return next != JsonToken.END_ARRAY;
      }

      @Override
      public ProcessorPart next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        next = null;
        try {
          return readPart(parser, "content[" + index++ + "]");
        } catch (JsonProcessingException | CharConversionException e) {
          throw malformed(e);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /**
   * The part described by a map of the Python dict shape ({@code from_dict}). Bytes may be {@code
   * byte[]} or base64 strings.
   *
   * @throws IllegalArgumentException when {@code part} is missing or a field is unknown or invalid
   */
  public static ProcessorPart fromDict(Map<String, ?> dict) {
    Objects.requireNonNull(dict, "dict");
    Object jsonReady = base64Bytes(dict, "part dict", new IdentityHashMap<>(), 1);
    String json;
    try {
      json = JsonValues.MAPPER.writeValueAsString(jsonReady);
    } catch (IOException e) {
      throw new IllegalArgumentException("part dict is not JSON-compatible: " + e.getMessage(), e);
    }
    return fromJson(json);
  }

  /**
   * {@code value} with every {@code byte[]} as a base64 string, checked for what the mapper would
   * otherwise get wrong: a map or list that contains itself (a StackOverflowError), nesting deeper
   * than JSON is read, and NaN or Infinity (which it would write as strings).
   */
  private static @Nullable Object base64Bytes(
      @Nullable Object value, String path, Map<Object, String> open, int depth) {
    if (value instanceof byte[] bytes) {
      return base64(bytes);
    }
    if (value instanceof Double || value instanceof Float) {
      return JsonValues.number((Number) value, path);
    }
    if (!(value instanceof Map<?, ?>) && !(value instanceof List<?>)) {
      return value;
    }
    String outer = open.putIfAbsent(value, path);
    if (outer != null) {
      throw new IllegalArgumentException(
          path + " is " + outer + " again: a map or list that contains itself cannot be JSON");
    }
    if (depth > JsonValues.MAX_DEPTH) {
      throw new IllegalArgumentException(
          Strings.truncated(path) + " nests maps and lists more than " + JsonValues.MAX_DEPTH
              + " deep");
    }
    Object copy;
    if (value instanceof Map<?, ?> map) {
      Map<Object, @Nullable Object> entries = new LinkedHashMap<>();
      map.forEach(
          (k, v) ->
              entries.put(
                  k, base64Bytes(v, path + "." + Strings.truncated(String.valueOf(k)), open, depth + 1)));
      copy = entries;
    } else {
      List<?> list = (List<?>) value;
      List<@Nullable Object> elements = new ArrayList<>(list.size());
      for (Object element : list) {
        elements.add(base64Bytes(element, path + "[" + elements.size() + "]", open, depth + 1));
      }
      copy = elements;
    }
    open.remove(value);
    return copy;
  }

  private static ProcessorPart readSingle(JsonParser parser) throws IOException {
    parser.nextToken();
    ProcessorPart part = readPart(parser, "part dict");
    requireEnd(parser);
    return part;
  }

  private static void requireEnd(JsonParser parser) throws IOException {
    JsonToken trailing = parser.nextToken();
    if (trailing != null) {
      throw new IllegalArgumentException(
          "unexpected " + trailing + " after the end of the JSON value at " + where(parser));
    }
  }

  /** Reads the object at the current token (which must be START_OBJECT). */
  private static ProcessorPart readPart(JsonParser parser, String path) throws IOException {
    expect(parser, parser.currentToken(), JsonToken.START_OBJECT, path);
    PayloadReader payload = null;
    String role = "";
    String substreamName = "";
    String mimeType = null;
    Map<String, @Nullable Object> metadata = Map.of();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "part" -> payload = PayloadReader.read(parser, path + ".part");
        case "role" -> role = stringOrEmpty(parser, value, path + ".role");
        case "substream_name" -> substreamName = stringOrEmpty(parser, value, path + ".substream_name");
        case "mimetype" -> mimeType = value == JsonToken.VALUE_NULL ? null : string(parser, value, path + ".mimetype");
        case "metadata" -> {
          if (value != JsonToken.VALUE_NULL) {
            expect(parser, value, JsonToken.START_OBJECT, path + ".metadata");
            metadata =
                ProcessorPart.freezeMetadata(JsonValues.readObject(parser, path + ".metadata", 1));
          }
        }
        default ->
            throw new IllegalArgumentException(
                path + " has an unknown field " + Strings.quoted(field)
                    + " (expected part, role, substream_name, mimetype, metadata)");
      }
    }
    if (payload == null) {
      throw new IllegalArgumentException(path + " has no 'part' field");
    }
    String resolved = mimeType != null && !mimeType.isEmpty() ? mimeType : payload.derivedMimeType();
    if (!MimeTypes.isValid(resolved)) {
      throw new IllegalArgumentException(
          path + ".mimetype must have the form type/subtype but was " + Strings.quoted(resolved));
    }
    return new ProcessorPart(
        payload.build(path + ".part", resolved),
        resolved,
        role,
        substreamName,
        metadata,
        payload.thought,
        payload.thoughtSignature);
  }

  /** Collects the fields of a Gemini part object. */
  private static final class PayloadReader {
    private final List<String> kinds = new ArrayList<>(1);
    private @Nullable String text;
    private byte @Nullable [] blobData;
    private @Nullable String blobMimeType;
    private @Nullable String displayName;
    private @Nullable String fileUri;
    private @Nullable FunctionCall call;
    private @Nullable FunctionResponse response;
    private PartData.@Nullable ExecutableCode code;
    private PartData.@Nullable CodeExecutionResult result;
    private boolean thought;
    private byte @Nullable [] thoughtSignature;

    static PayloadReader read(JsonParser parser, String path) throws IOException {
      expect(parser, parser.currentToken(), JsonToken.START_OBJECT, path);
      PayloadReader r = new PayloadReader();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        String at = path + "." + field;
        if (value == JsonToken.VALUE_NULL) {
          continue; // Python's exclude_none: a null field is an absent field.
        }
        switch (field) {
          case "text" -> {
            r.text = string(parser, value, at);
            r.addKind(field, path);
          }
          case "thought" -> r.thought = bool(parser, value, at);
          case "thought_signature" -> r.thoughtSignature = binary(parser, value, at);
          case "inline_data" -> {
            r.readBlob(parser, at);
            r.addKind(field, path);
          }
          case "file_data" -> {
            r.readFile(parser, at);
            r.addKind(field, path);
          }
          case "function_call" -> {
            r.call = readCall(parser, at);
            r.addKind(field, path);
          }
          case "function_response" -> {
            r.response = readResponse(parser, at);
            r.addKind(field, path);
          }
          case "executable_code" -> {
            Map<String, String> m = readStrings(parser, at, "code", "language");
            r.code = new PartData.ExecutableCode(m.getOrDefault("code", ""), m.getOrDefault("language", ""));
            r.addKind(field, path);
          }
          case "code_execution_result" -> {
            Map<String, String> m = readStrings(parser, at, "outcome", "output");
            r.result = new PartData.CodeExecutionResult(m.getOrDefault("outcome", ""), m.getOrDefault("output", ""));
            r.addKind(field, path);
          }
          default -> throw unknownField(path, field);
        }
      }
      return r;
    }

    // One content field per part, as the Gemini SDK's Part holds one: dropping either would lose
    // content (the bytes of an inline_data next to a text, say) without a word.
    private void addKind(String field, String path) {
      if (kinds.contains(field)) {
        throw new IllegalArgumentException(path + " has the field '" + field + "' twice");
      }
      kinds.add(field);
      if (kinds.size() > 1) {
        throw new IllegalArgumentException(
            path + " holds more than one content field: " + String.join(" and ", kinds)
                + " (a part holds exactly one)");
      }
    }

    private void readBlob(JsonParser parser, String path) throws IOException {
      expect(parser, parser.currentToken(), JsonToken.START_OBJECT, path);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "data" -> blobData = value == JsonToken.VALUE_NULL ? null : binary(parser, value, path + ".data");
          case "mime_type" -> blobMimeType = nullableString(parser, value, path + ".mime_type");
          case "display_name" -> displayName = nullableString(parser, value, path + ".display_name");
          default -> throw unknownField(path, field);
        }
      }
    }

    private void readFile(JsonParser parser, String path) throws IOException {
      expect(parser, parser.currentToken(), JsonToken.START_OBJECT, path);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "file_uri" -> fileUri = nullableString(parser, value, path + ".file_uri");
          case "mime_type" -> blobMimeType = nullableString(parser, value, path + ".mime_type");
          case "display_name" -> displayName = nullableString(parser, value, path + ".display_name");
          default -> throw unknownField(path, field);
        }
      }
      if (fileUri == null) {
        fileUri = "";
      }
    }

    String derivedMimeType() {
      if (blobMimeType != null && !blobMimeType.isEmpty()) {
        return blobMimeType;
      }
      if (call != null) {
        return MimeTypes.FUNCTION_CALL;
      }
      if (response != null) {
        return MimeTypes.FUNCTION_RESPONSE;
      }
      return MimeTypes.TEXT_PLAIN;
    }

    PartData build(String path, String mimeType) {
      if (call != null) {
        return call;
      }
      if (response != null) {
        return response;
      }
      if (code != null) {
        return code;
      }
      if (result != null) {
        return result;
      }
      if (fileUri != null) {
        return new PartData.FileData(fileUri, displayName);
      }
      if (text != null) {
        return new PartData.Text(text);
      }
      if (blobData != null) {
        return new PartData.Blob(blobData, displayName, true);
      }
      if (kinds.contains("inline_data")) {
        throw new IllegalArgumentException(path + ".inline_data has no 'data'");
      }
      return new PartData.Text("");
    }
  }

  private static FunctionCall readCall(JsonParser parser, String path) throws IOException {
    expect(parser, parser.currentToken(), JsonToken.START_OBJECT, path);
    String id = null;
    String name = null;
    Map<?, ?> args = Map.of();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "id" -> id = nullableString(parser, value, path + ".id");
        case "name" -> name = nullableString(parser, value, path + ".name");
        case "args" -> {
          if (value != JsonToken.VALUE_NULL) {
            expect(parser, value, JsonToken.START_OBJECT, path + ".args");
            args = JsonValues.readObject(parser, path + ".args", 1);
          }
        }
        default -> throw unknownField(path, field);
      }
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          path + ".name must be a non-blank string but was "
              + (name == null ? "missing" : Strings.quoted(name)));
    }
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> typed = (Map<String, @Nullable Object>) args;
    return new FunctionCall(id, name, typed);
  }

  private static FunctionResponse readResponse(JsonParser parser, String path) throws IOException {
    expect(parser, parser.currentToken(), JsonToken.START_OBJECT, path);
    String id = null;
    String name = null;
    Map<String, @Nullable Object> response = null;
    List<ProcessorPart> parts = new ArrayList<>();
    Boolean willContinue = null;
    FunctionResponse.Scheduling scheduling = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      String at = path + "." + field;
      if (value == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "id" -> id = string(parser, value, at);
        case "name" -> name = string(parser, value, at);
        case "will_continue" -> willContinue = bool(parser, value, at);
        case "scheduling" -> {
          String s = string(parser, value, at);
          try {
            scheduling = FunctionResponse.Scheduling.valueOf(s.replace("SCHEDULING_", ""));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                at + " must be one of SILENT, WHEN_IDLE, INTERRUPT but was " + Strings.quoted(s),
                e);
          }
        }
        case "response" -> {
          expect(parser, value, JsonToken.START_OBJECT, at);
          response = JsonValues.readObject(parser, at, 1);
        }
        case "parts" -> {
          expect(parser, value, JsonToken.START_ARRAY, at);
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            String element = at + "[" + parts.size() + "]";
            PayloadReader r = PayloadReader.read(parser, element);
            if (r.blobData == null && r.fileUri == null) {
              throw new IllegalArgumentException(element + " must hold inline_data or file_data");
            }
            String mime = r.derivedMimeType();
            if (r.blobMimeType == null) {
              throw new IllegalArgumentException(element + " has no mime_type");
            }
            MimeTypes.requireValid(mime);
            parts.add(new ProcessorPart(r.build(element, mime), mime, "", "", Map.of(), false, null));
          }
        }
        default -> throw unknownField(path, field);
      }
    }
    return new FunctionResponse(id, name, response, parts, willContinue, scheduling);
  }

  private static Map<String, String> readStrings(JsonParser parser, String path, String... allowed)
      throws IOException {
    expect(parser, parser.currentToken(), JsonToken.START_OBJECT, path);
    Map<String, String> values = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (!List.of(allowed).contains(field)) {
        throw unknownField(path, field);
      }
      String s = nullableString(parser, value, path + "." + field);
      if (s != null) {
        values.put(field, s);
      }
    }
    return values;
  }

  private static void expect(JsonParser parser, @Nullable JsonToken actual, JsonToken expected, String path) {
    if (actual != expected) {
      String want = expected == JsonToken.START_OBJECT ? "a JSON object" : "a JSON array";
      throw new IllegalArgumentException(
          path + " must be " + want + " but was " + describe(parser, actual) + " at " + where(parser));
    }
  }

  private static String string(JsonParser parser, JsonToken token, String path) throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      throw new IllegalArgumentException(path + " must be a string but was " + describe(parser, token));
    }
    return parser.getText();
  }

  private static @Nullable String nullableString(JsonParser parser, JsonToken token, String path)
      throws IOException {
    return token == JsonToken.VALUE_NULL ? null : string(parser, token, path);
  }

  private static String stringOrEmpty(JsonParser parser, JsonToken token, String path) throws IOException {
    return token == JsonToken.VALUE_NULL ? "" : string(parser, token, path);
  }

  private static boolean bool(JsonParser parser, JsonToken token, String path) throws IOException {
    if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
      throw new IllegalArgumentException(path + " must be a boolean but was " + describe(parser, token));
    }
    return token == JsonToken.VALUE_TRUE;
  }

  private static byte[] binary(JsonParser parser, JsonToken token, String path) throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      throw new IllegalArgumentException(path + " must be a base64 string but was " + describe(parser, token));
    }
    // Read the whole string before decoding: Jackson's getBinaryValue decodes straight from the
    // input, so after it fails on a URL-safe character only the rest of the string would be left.
    String text = parser.getText().strip();
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException standardFailed) {
      // Not the standard alphabet: try the URL-safe one before giving up.
      try {
        return Base64.getUrlDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            path + " must be base64 but was " + Strings.quoted(text) + ": " + e.getMessage(), e);
      }
    }
  }

  private static String describe(JsonParser parser, @Nullable JsonToken token) throws IllegalArgumentException {
    if (token == null) {
      return "the end of the input";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> {
        try {
          yield "the string " + Strings.quoted(parser.getText());
        } catch (IOException e) {
          yield "a string";
        }
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        try {
          yield "the number " + Strings.truncated(parser.getText());
        } catch (IOException e) {
          yield "a number";
        }
      }
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }

  private static IllegalArgumentException unknownField(String path, String field) {
    return new IllegalArgumentException(path + " has an unknown field " + Strings.quoted(field));
  }

  private static String where(JsonParser parser) {
    var loc = parser.currentLocation();
    return "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  // Every JsonProcessingException (a parse error, a value over a StreamReadConstraints limit) and
  // a CharConversionException (bytes that are not valid UTF-16 or UTF-32) is about the input, not
  // the stream: callers of the stream readers get IllegalArgumentException for them, as for arrays.
  private static IllegalArgumentException malformed(IOException e) {
    // The original message: the full one adds the location with up to 500 characters of the input.
    String message =
        e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
    return new IllegalArgumentException("malformed JSON: " + message, e);
  }
}
