package dev.genaiprocessors;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
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
 * <p>A part is a JSON object with five keys, as written by Python's {@code ProcessorPart.to_dict()}
 * and read by {@code from_dict()}:
 *
 * <pre>{@code
 * {"part": {"text": "hi"}, "role": "user", "substream_name": "", "mimetype": "text/plain", "metadata": {}}
 * }</pre>
 *
 * <p>{@code part} is the Gemini SDK's {@code Part} as Python's {@code to_dict()} writes it ({@code
 * model_dump(mode='json', exclude_none=True)}): snake_case fields, bytes as base64 strings; a
 * content is a JSON array of such objects. The fields this library models ({@code text}, {@code
 * thought}, {@code thought_signature}, {@code inline_data}, {@code file_data}, {@code
 * function_call}, {@code function_response}, {@code executable_code}, {@code code_execution_result}
 * and their usual nested fields) become the part's {@link PartData} and flags.
 *
 * <p><b>Forward compatible.</b> Every other field of the Gemini part, at the top ({@code
 * video_metadata}, {@code media_resolution}, {@code part_metadata}, {@code tool_call}, fields newer
 * Gemini versions add) or nested ({@code function_call.will_continue}, {@code partial_args}, ...),
 * is kept in {@link ProcessorPart#extraFields()} and written back as it came, and so is what the
 * model would otherwise write differently: a payload's own {@code mime_type} that differs from the
 * part's {@code mimetype} (Python allows both: a PDF file reference in a part labelled {@code
 * text/plain} stays a PDF reference), an explicit {@code "thought": false}, a function call with no
 * {@code args}, a {@code scheduling} value the Java enum lacks, a part with no content field. So a
 * dict written by Python, read and written back here, is the same JSON tree (key order aside); a
 * part built in Java has no extra fields and writes what Python would write for it.
 *
 * <p><b>Strict where it protects.</b> A missing {@code part}, an unknown top-level key (beside
 * {@code part}, {@code role}, {@code substream_name}, {@code mimetype}, {@code metadata}), a known
 * field of the wrong JSON type, a {@code part} holding two content fields (say {@code text} and
 * {@code inline_data}), or a MIME type that is not {@code type/subtype} is an {@link
 * IllegalArgumentException} naming the field and the value (cut to a readable length), never a
 * silently dropped field. Malformed JSON is an {@code IllegalArgumentException} too: reading throws
 * nothing else for any input, except {@link IOException} from the stream read. A JSON {@code null}
 * is an absent field, as Python never writes one.
 *
 * <p><b>MIME type.</b> When {@code mimetype} is missing or empty it is derived as Python derives
 * it: the {@code inline_data}'s type, else the function-call or function-response type, else {@code
 * text/plain} (a file reference's own type does not count, as in Python).
 *
 * <p><b>Base64.</b> Bytes ({@code inline_data.data}, {@code thought_signature}) are written in the
 * URL-safe alphabet with padding, as the Gemini SDK writes them (pydantic's {@code
 * ser_json_bytes='base64'}); the standard and the URL-safe alphabets, padded or not, are read.
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
 * <p>Bytes are encoded straight into the output, never through an intermediate {@code String}; a
 * base64 string is read whole before it is decoded, so that either alphabet can be tried. {@link
 * #readParts(InputStream)} reads a large content one part at a time.
 *
 * <p>Differences from Python: Python's {@code from_dict} refuses a Gemini field its SDK version
 * does not know; this reader keeps it. A part whose Gemini payload has no content field is read as
 * empty text (with an extra field recording that {@code text} was absent, so it is written back
 * without one).
 */
public final class PartJson {
  /** The longest string a part's JSON may hold: 1 Gi characters (768 MiB of base64 bytes). */
  public static final int MAX_STRING_CHARS = 1 << 30;

  // pydantic's base64 (see base64(byte[])), for the streaming writer.
  private static final Base64Variant URL_SAFE =
      new Base64Variant(
          Base64Variants.MODIFIED_FOR_URL, "URL-SAFE-PADDED", true, '=', Integer.MAX_VALUE);

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
    dict.put("part", detached(geminiPart(part), rawBytes));
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

  private static void writeArray(JsonGenerator gen, Iterable<ProcessorPart> parts)
      throws IOException {
    gen.writeStartArray();
    for (ProcessorPart part : parts) {
      writePart(gen, part);
    }
    gen.writeEndArray();
  }

  private static void writePart(JsonGenerator gen, ProcessorPart part) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName("part");
    writeTree(gen, geminiPart(part));
    gen.writeStringField("role", part.role());
    gen.writeStringField("substream_name", part.substreamName());
    gen.writeStringField("mimetype", part.mimeType());
    gen.writeFieldName("metadata");
    gen.writeObject(part.metadata());
    gen.writeEndObject();
  }

  // A tree of maps, lists, byte arrays and JSON scalars; bytes are written straight as base64.
  private static void writeTree(JsonGenerator gen, @Nullable Object value) throws IOException {
    switch (value) {
      case Map<?, ?> map -> {
        gen.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          gen.writeFieldName((String) e.getKey());
          writeTree(gen, e.getValue());
        }
        gen.writeEndObject();
      }
      case List<?> list -> {
        gen.writeStartArray();
        for (Object element : list) {
          writeTree(gen, element);
        }
        gen.writeEndArray();
      }
      case byte[] bytes -> gen.writeBinary(URL_SAFE, bytes, 0, bytes.length);
      case null -> gen.writeNull();
      default -> gen.writeObject(value);
    }
  }

  /**
   * The Gemini part of {@code part} as Python's {@code model_dump(exclude_none=True)} has it, with
   * bytes as the arrays themselves (not copied) and the part's extra fields applied.
   */
  private static Map<String, @Nullable Object> geminiPart(ProcessorPart part) {
    Map<String, @Nullable Object> dict = new LinkedHashMap<>();
    switch (part.data()) {
      case PartData.Text t -> dict.put("text", t.text());
      case PartData.Blob b -> {
        Map<String, @Nullable Object> blob = new LinkedHashMap<>();
        putIfNotNull(blob, "display_name", b.displayName());
        blob.put("data", b.unsafeData());
        blob.put("mime_type", part.mimeType());
        dict.put("inline_data", blob);
      }
      case PartData.FileData f -> {
        Map<String, @Nullable Object> file = new LinkedHashMap<>();
        putIfNotNull(file, "display_name", f.displayName());
        file.put("file_uri", f.uri());
        file.put("mime_type", part.mimeType());
        dict.put("file_data", file);
      }
      case FunctionCall call -> {
        Map<String, @Nullable Object> c = new LinkedHashMap<>();
        putIfNotNull(c, "id", call.id());
        c.put("args", call.args());
        c.put("name", call.name());
        dict.put("function_call", c);
      }
      case FunctionResponse response -> {
        Map<String, @Nullable Object> r = new LinkedHashMap<>();
        putIfNotNull(r, "will_continue", response.willContinue());
        if (response.scheduling() != null) {
          r.put("scheduling", response.scheduling().name());
        }
        if (!response.parts().isEmpty()) {
          List<Object> parts = new ArrayList<>(response.parts().size());
          for (ProcessorPart p : response.parts()) {
            parts.add(geminiPart(p));
          }
          r.put("parts", parts);
        }
        putIfNotNull(r, "id", response.id());
        putIfNotNull(r, "name", response.name());
        putIfNotNull(r, "response", response.response());
        dict.put("function_response", r);
      }
      case PartData.ExecutableCode code -> {
        Map<String, @Nullable Object> c = new LinkedHashMap<>();
        c.put("code", code.code());
        c.put("language", code.language());
        dict.put("executable_code", c);
      }
      case PartData.CodeExecutionResult result -> {
        Map<String, @Nullable Object> r = new LinkedHashMap<>();
        r.put("outcome", result.outcome());
        r.put("output", result.output());
        dict.put("code_execution_result", r);
      }
    }
    if (part.isThought()) {
      dict.put("thought", true);
    }
    putIfNotNull(dict, "thought_signature", part.unsafeThoughtSignature());
    return part.extraFields().isEmpty() ? dict : merge(dict, part.extraFields());
  }

  /**
   * {@code patch} applied to {@code target} as a JSON Merge Patch (RFC 7396): a null removes a
   * field, an object merges into an object, anything else replaces. Neither argument is changed.
   */
  private static Map<String, @Nullable Object> merge(
      Map<String, @Nullable Object> target, Map<String, @Nullable Object> patch) {
    Map<String, @Nullable Object> merged = new LinkedHashMap<>(target);
    patch.forEach(
        (field, value) -> {
          if (value == null) {
            merged.remove(field);
          } else if (value instanceof Map<?, ?> p && merged.get(field) instanceof Map<?, ?> t) {
            @SuppressWarnings("unchecked")
            Map<String, @Nullable Object> typedT = (Map<String, @Nullable Object>) t;
            @SuppressWarnings("unchecked")
            Map<String, @Nullable Object> typedP = (Map<String, @Nullable Object>) p;
            merged.put(field, merge(typedT, typedP));
          } else {
            merged.put(field, value);
          }
        });
    return merged;
  }

  /** A fresh copy of a tree: maps and lists mutable, bytes copied or as base64 strings. */
  private static @Nullable Object detached(@Nullable Object value, boolean rawBytes) {
    return switch (value) {
      case Map<?, ?> map -> {
        Map<String, @Nullable Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put((String) k, detached(v, rawBytes)));
        yield copy;
      }
      case List<?> list -> {
        List<@Nullable Object> copy = new ArrayList<>(list.size());
        for (Object element : list) {
          copy.add(detached(element, rawBytes));
        }
        yield copy;
      }
      case byte[] bytes -> rawBytes ? bytes.clone() : base64(bytes);
      case null -> null;
      default -> value;
    };
  }

  private static void putIfNotNull(
      Map<String, @Nullable Object> map, String key, @Nullable Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  // What the Gemini SDK writes: pydantic's ser_json_bytes='base64' is the URL-safe alphabet with
  // padding. Both alphabets are read.
  private static String base64(byte[] data) {
    return Base64.getUrlEncoder().encodeToString(data);
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
          Strings.truncated(path)
              + " nests maps and lists more than "
              + JsonValues.MAX_DEPTH
              + " deep");
    }
    Object copy;
    if (value instanceof Map<?, ?> map) {
      Map<Object, @Nullable Object> entries = new LinkedHashMap<>();
      map.forEach(
          (k, v) ->
              entries.put(
                  k,
                  base64Bytes(
                      v, path + "." + Strings.truncated(String.valueOf(k)), open, depth + 1)));
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
        case "substream_name" ->
            substreamName = stringOrEmpty(parser, value, path + ".substream_name");
        case "mimetype" ->
            mimeType =
                value == JsonToken.VALUE_NULL ? null : string(parser, value, path + ".mimetype");
        case "metadata" -> {
          if (value != JsonToken.VALUE_NULL) {
            expect(parser, value, JsonToken.START_OBJECT, path + ".metadata");
            metadata =
                ProcessorPart.freezeMetadata(JsonValues.readObject(parser, path + ".metadata", 1));
          }
        }
        default ->
            throw new IllegalArgumentException(
                path
                    + " has an unknown field "
                    + Strings.quoted(field)
                    + " (expected part, role, substream_name, mimetype, metadata)");
      }
    }
    if (payload == null) {
      throw new IllegalArgumentException(path + " has no 'part' field");
    }
    String resolved =
        mimeType != null && !mimeType.isEmpty() ? mimeType : payload.derivedMimeType();
    if (!MimeTypes.isValid(resolved)) {
      throw new IllegalArgumentException(
          path + ".mimetype must have the form type/subtype but was " + Strings.quoted(resolved));
    }
    return new ProcessorPart(
        payload.build(path + ".part"),
        resolved,
        role,
        substreamName,
        metadata,
        payload.thought,
        payload.thoughtSignature,
        payload.extraFields(resolved, path + ".part"));
  }

  /**
   * Collects the fields of a Gemini part object: the modelled ones into the payload, the rest (and
   * what the payload would write differently) into the extra fields, a JSON Merge Patch.
   */
  private static final class PayloadReader {
    private final List<String> kinds = new ArrayList<>(1);
    private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();
    private final Map<String, Map<String, @Nullable Object>> nestedExtra = new LinkedHashMap<>();
    private @Nullable String text;
    private byte @Nullable [] blobData;
    private @Nullable String payloadMimeType; // inline_data's or file_data's own
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
          case "thought" -> {
            r.thought = bool(parser, value, at);
            if (!r.thought) {
              r.extra.put(field, false); // Python writes an explicit false back; so do we.
            }
          }
          case "thought_signature" -> r.thoughtSignature = binary(parser, value, at);
          case "inline_data" -> {
            r.addKind(field, path);
            r.readBlob(parser, at, r.nested(field));
          }
          case "file_data" -> {
            r.addKind(field, path);
            r.readFile(parser, at, r.nested(field));
          }
          case "function_call" -> {
            r.addKind(field, path);
            r.call = readCall(parser, at, r.nested(field));
          }
          case "function_response" -> {
            r.addKind(field, path);
            r.response = readResponse(parser, at, r.nested(field));
          }
          case "executable_code" -> {
            r.addKind(field, path);
            Map<String, String> m = readStrings(parser, at, r.nested(field), "code", "language");
            r.code =
                new PartData.ExecutableCode(
                    m.getOrDefault("code", ""), m.getOrDefault("language", ""));
          }
          case "code_execution_result" -> {
            r.addKind(field, path);
            Map<String, String> m = readStrings(parser, at, r.nested(field), "outcome", "output");
            r.result =
                new PartData.CodeExecutionResult(
                    m.getOrDefault("outcome", ""), m.getOrDefault("output", ""));
          }
          // A field this library does not know (video_metadata, media_resolution, part_metadata,
          // whatever a newer Gemini adds): kept as it came, written back unchanged.
          default -> r.extra.put(field, JsonValues.read(parser, at, 2));
        }
      }
      return r;
    }

    private Map<String, @Nullable Object> nested(String field) {
      return nestedExtra.computeIfAbsent(field, f -> new LinkedHashMap<>());
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
            path
                + " holds more than one content field: "
                + String.join(" and ", kinds)
                + " (a part holds exactly one)");
      }
    }

    private void readBlob(JsonParser parser, String path, Map<String, @Nullable Object> unknown)
        throws IOException {
      expect(parser, parser.currentToken(), JsonToken.START_OBJECT, path);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "data" ->
              blobData =
                  value == JsonToken.VALUE_NULL ? null : binary(parser, value, path + ".data");
          case "mime_type" -> payloadMimeType = nullableString(parser, value, path + ".mime_type");
          case "display_name" ->
              displayName = nullableString(parser, value, path + ".display_name");
          default -> putUnknown(parser, value, path, field, unknown);
        }
      }
    }

    private void readFile(JsonParser parser, String path, Map<String, @Nullable Object> unknown)
        throws IOException {
      expect(parser, parser.currentToken(), JsonToken.START_OBJECT, path);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "file_uri" -> fileUri = nullableString(parser, value, path + ".file_uri");
          case "mime_type" -> payloadMimeType = nullableString(parser, value, path + ".mime_type");
          case "display_name" ->
              displayName = nullableString(parser, value, path + ".display_name");
          default -> putUnknown(parser, value, path, field, unknown);
        }
      }
      if (fileUri == null) {
        fileUri = "";
        unknown.put("file_uri", null); // absent in the JSON read: left out when written
      }
    }

    // Python's rule: the inline data's MIME type, else a call's or response's, else text/plain. A
    // file reference's own type does not count (Python reports such a part as text/plain).
    String derivedMimeType() {
      if (kinds.contains("inline_data") && payloadMimeType != null && !payloadMimeType.isEmpty()) {
        return payloadMimeType;
      }
      if (call != null) {
        return MimeTypes.FUNCTION_CALL;
      }
      if (response != null) {
        return MimeTypes.FUNCTION_RESPONSE;
      }
      return MimeTypes.TEXT_PLAIN;
    }

    /** What the payload built for a part of {@code mimeType} would not write as it was read. */
    Map<String, @Nullable Object> extraFields(String mimeType, String path) {
      if (kinds.isEmpty()) {
        extra.put("text", null); // no content field: read as empty text, written without one
      }
      String kind = kinds.isEmpty() ? "" : kinds.get(0);
      if ((kind.equals("inline_data") || kind.equals("file_data"))
          && !mimeType.equals(payloadMimeType)) {
        // The payload's own type differs from the part's (Python allows it): keep both.
        nested(kind).put("mime_type", payloadMimeType);
      }
      nestedExtra.forEach(
          (field, fields) -> {
            if (!fields.isEmpty()) {
              extra.put(field, fields);
            }
          });
      return extra.isEmpty() ? Map.of() : JsonValues.freezeObject(extra, path);
    }

    PartData build(String path) {
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

  // A field of a Gemini object this library does not model: kept as it came. A null is an absent
  // field, as for the known ones.
  private static void putUnknown(
      JsonParser parser,
      JsonToken value,
      String path,
      String field,
      Map<String, @Nullable Object> unknown)
      throws IOException {
    if (value != JsonToken.VALUE_NULL) {
      unknown.put(field, JsonValues.read(parser, path + "." + Strings.truncated(field), 3));
    }
  }

  private static FunctionCall readCall(
      JsonParser parser, String path, Map<String, @Nullable Object> unknown) throws IOException {
    expect(parser, parser.currentToken(), JsonToken.START_OBJECT, path);
    String id = null;
    String name = null;
    Map<?, ?> args = null;
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
        // will_continue, partial_args and any newer field
        default -> putUnknown(parser, value, path, field, unknown);
      }
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          path
              + ".name must be a non-blank string but was "
              + (name == null ? "missing" : Strings.quoted(name)));
    }
    if (args == null) {
      args = Map.of();
      unknown.put("args", null); // a call without arguments is written without them, as it came
    }
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> typed = (Map<String, @Nullable Object>) args;
    return new FunctionCall(id, name, typed);
  }

  private static FunctionResponse readResponse(
      JsonParser parser, String path, Map<String, @Nullable Object> unknown) throws IOException {
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
          scheduling = scheduling(s);
          if (scheduling == null || !s.equals(scheduling.name())) {
            // SCHEDULING_UNSPECIFIED, an older spelling or a newer value: written back as it came.
            unknown.put(field, s);
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
            String mime = r.payloadMimeType;
            if (mime == null) {
              throw new IllegalArgumentException(element + " has no mime_type");
            }
            MimeTypes.requireValid(mime);
            parts.add(
                new ProcessorPart(
                    r.build(element),
                    mime,
                    "",
                    "",
                    Map.of(),
                    r.thought,
                    r.thoughtSignature,
                    r.extraFields(mime, element)));
          }
        }
        default -> putUnknown(parser, value, path, field, unknown);
      }
    }
    return new FunctionResponse(id, name, response, parts, willContinue, scheduling);
  }

  // The enum value named s (Gemini's SCHEDULING_SILENT spelling too), or null for one it lacks.
  private static FunctionResponse.@Nullable Scheduling scheduling(String s) {
    for (FunctionResponse.Scheduling value : FunctionResponse.Scheduling.values()) {
      if (s.equals(value.name()) || s.equals("SCHEDULING_" + value.name())) {
        return value;
      }
    }
    return null;
  }

  // The fields of a Gemini object of strings; a missing one is read as "" and written as absent.
  private static Map<String, String> readStrings(
      JsonParser parser, String path, Map<String, @Nullable Object> unknown, String... known)
      throws IOException {
    expect(parser, parser.currentToken(), JsonToken.START_OBJECT, path);
    Map<String, String> values = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (!List.of(known).contains(field)) {
        putUnknown(parser, value, path, field, unknown);
        continue;
      }
      String s = nullableString(parser, value, path + "." + field);
      if (s != null) {
        values.put(field, s);
      }
    }
    for (String field : known) {
      if (!values.containsKey(field)) {
        values.put(field, "");
        unknown.put(field, null);
      }
    }
    return values;
  }

  private static void expect(
      JsonParser parser, @Nullable JsonToken actual, JsonToken expected, String path) {
    if (actual != expected) {
      String want = expected == JsonToken.START_OBJECT ? "a JSON object" : "a JSON array";
      throw new IllegalArgumentException(
          path
              + " must be "
              + want
              + " but was "
              + describe(parser, actual)
              + " at "
              + where(parser));
    }
  }

  private static String string(JsonParser parser, JsonToken token, String path) throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      throw new IllegalArgumentException(
          path + " must be a string but was " + describe(parser, token));
    }
    return parser.getText();
  }

  private static @Nullable String nullableString(JsonParser parser, JsonToken token, String path)
      throws IOException {
    return token == JsonToken.VALUE_NULL ? null : string(parser, token, path);
  }

  private static String stringOrEmpty(JsonParser parser, JsonToken token, String path)
      throws IOException {
    return token == JsonToken.VALUE_NULL ? "" : string(parser, token, path);
  }

  private static boolean bool(JsonParser parser, JsonToken token, String path) throws IOException {
    if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
      throw new IllegalArgumentException(
          path + " must be a boolean but was " + describe(parser, token));
    }
    return token == JsonToken.VALUE_TRUE;
  }

  private static byte[] binary(JsonParser parser, JsonToken token, String path) throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      throw new IllegalArgumentException(
          path + " must be a base64 string but was " + describe(parser, token));
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

  private static String describe(JsonParser parser, @Nullable JsonToken token)
      throws IllegalArgumentException {
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
