package dev.genaiprocessors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

/**
 * Property-based tests (fuzzing) of the part JSON codec: any part built from generated content
 * equals its own round trip, and any input, a part's JSON mutated or plain random bytes, either
 * reads as a part (which round-trips in turn) or throws the documented {@link
 * IllegalArgumentException}: never a {@code NullPointerException}, {@code ClassCastException},
 * {@code StackOverflowError} or any other exception.
 *
 * <p>The ordinary build tries each property {@code jqwik.tries.default} times (500, set in {@code
 * src/test/resources/junit-platform.properties}). For a long run by hand, about a million inputs
 * over the fuzz tests of the readers ({@code PartJsonFuzzTest}, {@code SseReaderFuzzTest} and
 * {@code MimeTypesFuzzTest}, 7 properties), from the repository's root:
 *
 * <pre>{@code
 * ./mvnw -B -o -pl core test -Dtest='*FuzzTest' -Djqwik.tries.default=150000
 * }</pre>
 *
 * <p>A failure prints the seed that found it; jqwik tries failing seeds first on the next run.
 */
class PartJsonFuzzTest {

  // ---------------------------------------------------------------- properties

  @Property
  void anyPartBuiltFromGeneratedContent_equalsItsRoundTrip(@ForAll("parts") ProcessorPart part)
      throws IOException {
    assertThat(PartJson.fromJson(PartJson.toJson(part))).isEqualTo(part);
    assertThat(PartJson.fromJson(PartJson.toJsonBytes(part))).isEqualTo(part);
    assertThat(PartJson.fromDict(PartJson.toDict(part, true))).isEqualTo(part);
    assertThat(PartJson.fromDict(PartJson.toDict(part))).isEqualTo(part);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PartJson.write(List.of(part, part), out);
    Iterator<ProcessorPart> parts = PartJson.readParts(new ByteArrayInputStream(out.toByteArray()));
    assertThat(parts).toIterable().containsExactly(part, part);
  }

  @Property
  void anyMutationOfAPartsJson_readsAsAPartThatRoundTrips_orThrowsIllegalArgumentException(
      @ForAll("parts") ProcessorPart part, @ForAll("seeds") long seed) {
    String json = mutate(PartJson.toJson(part), new Random(seed));

    readsOrFailsAsDocumented(json);
    readsOrFailsAsDocumented(json.getBytes(UTF_8));
    contentReadsOrFailsAsDocumented("[" + json + "]");
  }

  @Property
  void anyBytes_readAsAPartThatRoundTrips_orThrowIllegalArgumentException(
      @ForAll("noise") byte[] bytes) {
    readsOrFailsAsDocumented(bytes);
    readsOrFailsAsDocumented(new String(bytes, UTF_8));
  }

  // ---------------------------------------------------------------- checks

  private static void readsOrFailsAsDocumented(String json) {
    ProcessorPart read;
    try {
      read = PartJson.fromJson(json);
    } catch (IllegalArgumentException documented) {
      return;
    }
    assertThat(PartJson.fromJson(PartJson.toJson(read))).as("round trip of %s", json).isEqualTo(read);
  }

  private static void readsOrFailsAsDocumented(byte[] json) {
    ProcessorPart read;
    try {
      read = PartJson.fromJson(json);
    } catch (IllegalArgumentException documented) {
      // The stream readers must agree with the array reader: malformed input is no I/O failure.
      assertThatThrownBy(() -> PartJson.read(new ByteArrayInputStream(json)))
          .isInstanceOf(IllegalArgumentException.class);
      try {
        readAll("[".getBytes(UTF_8), json, "]".getBytes(UTF_8)); // "[]" or two parts read well
      } catch (IllegalArgumentException alsoDocumented) {
        // as expected
      } catch (IOException e) {
        throw new AssertionError("malformed input read as an I/O failure", e);
      }
      return;
    }
    assertThat(PartJson.fromJson(PartJson.toJsonBytes(read))).isEqualTo(read);
    try {
      assertThat(PartJson.read(new ByteArrayInputStream(json))).isEqualTo(read);
      assertThat(readAll("[".getBytes(UTF_8), json, "]".getBytes(UTF_8))).containsExactly(read);
    } catch (IOException e) {
      throw new AssertionError("a byte array cannot fail to be read", e);
    }
  }

  /** The parts of the array written in {@code pieces}, read by {@link PartJson#readParts}. */
  private static List<ProcessorPart> readAll(byte[]... pieces) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] piece : pieces) {
      bytes.writeBytes(piece);
    }
    List<ProcessorPart> parts = new java.util.ArrayList<>();
    PartJson.readParts(new ByteArrayInputStream(bytes.toByteArray())).forEachRemaining(parts::add);
    return parts;
  }

  private static void contentReadsOrFailsAsDocumented(String json) {
    ProcessorContent content;
    try {
      content = PartJson.contentFromJson(json);
    } catch (IllegalArgumentException documented) {
      return;
    }
    assertThat(PartJson.contentFromJson(PartJson.toJson(content))).isEqualTo(content);
  }

  // ---------------------------------------------------------------- mutations

  private static final List<String> FIELDS =
      List.of(
          "part", "role", "substream_name", "mimetype", "metadata", "text", "thought",
          "thought_signature", "inline_data", "file_data", "function_call", "function_response",
          "executable_code", "code_execution_result", "data", "mime_type", "display_name",
          "file_uri", "id", "name", "args", "response", "parts", "will_continue", "scheduling",
          "code", "language", "outcome", "output");

  private static final List<String> VALUES =
      List.of(
          "null", "true", "false", "0", "-0.0", "1", "1e999", "-1E+999", "1e-999", "NaN",
          "Infinity", "0.1000000000000000000001", "123456789012345678901234567890", "\"\"",
          "\"x\"", "\"YWI=\"", "\"image/png\"", "\"a/b; rate=99999999999\"", "[]", "{}", "[{}]",
          "{\"a\": {\"b\": [1, 2.5, null]}}", "\"\\ud800\"", "\"\\u0000\"", "\"SILENT\"",
          "9".repeat(1200), "[".repeat(1100) + "]".repeat(1100),
          "{\"inline_data\": {\"data\": \"YWI=\", \"mime_type\": \"image/png\"}}",
          "{\"text\": \"a\", \"inline_data\": {\"data\": \"YWI=\"}}");

  private static final String JSON_CHARS = "{}[]\",:\\ 0e-.\u0000\ud800\u00e9tn";

  /** {@code json} with one to three random edits: bytes, field names and values changed. */
  static String mutate(String json, Random random) {
    StringBuilder s = new StringBuilder(json);
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int at = s.isEmpty() ? 0 : random.nextInt(s.length() + 1);
      switch (random.nextInt(7)) {
        case 0 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(8)));
        case 1 -> s.insert(at, JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length())));
        case 2 -> {
          if (at < s.length()) {
            s.setCharAt(at, (char) random.nextInt(128));
          }
        }
        case 3 -> {
          int end = Math.min(s.length(), at + random.nextInt(40));
          s.insert(at, s.substring(at, end));
        }
        case 4 -> replaceQuoted(s, random, FIELDS);
        case 5 -> replaceValue(s, random);
        default -> s.insert(at, ",\"" + pick(FIELDS, random) + "\": " + pick(VALUES, random));
      }
    }
    return s.toString();
  }

  /** Replaces one quoted field name of {@code s} by another field's name. */
  private static void replaceQuoted(StringBuilder s, Random random, List<String> names) {
    String from = "\"" + pick(names, random) + "\"";
    int at = s.indexOf(from);
    if (at >= 0) {
      s.replace(at, at + from.length(), "\"" + pick(names, random) + "\"");
    }
  }

  /** Replaces the value after one colon of {@code s} (up to the next comma or brace). */
  private static void replaceValue(StringBuilder s, Random random) {
    int colon = s.indexOf(":", s.isEmpty() ? 0 : random.nextInt(s.length()));
    if (colon < 0) {
      return;
    }
    int end = colon + 1;
    while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
      end++;
    }
    s.replace(colon + 1, end, " " + pick(VALUES, random));
  }

  private static String pick(List<String> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }

  // ---------------------------------------------------------------- generators

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  @Provide
  Arbitrary<byte[]> noise() {
    Arbitrary<byte[]> anyBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    // Zero bytes first: Jackson then reads the input as UTF-16 or UTF-32.
    Arbitrary<byte[]> wide = anyBytes.map(b -> concat(new byte[] {0, 0, 0}, b));
    // Bytes that look like JSON make it past the tokenizer more often.
    Arbitrary<byte[]> jsonish =
        Arbitraries.strings()
            .withChars("{}[]\":,0123456789.eE+-tnrufalsx\\ ")
            .ofMaxLength(120)
            .map(s -> ("{\"part\": " + s).getBytes(UTF_8));
    return Arbitraries.oneOf(anyBytes, wide, jsonish);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  @Provide
  static Arbitrary<ProcessorPart> parts() {
    Arbitrary<ProcessorPart> bare =
        Arbitraries.oneOf(
            texts().map(ProcessorPart::text),
            Combinators.combine(bytes(), mimeTypes(), Arbitraries.oneOf(Arbitraries.just(null), texts()))
                .as((data, mime, name) -> part(new PartData.Blob(data, name), mime)),
            Combinators.combine(texts(), mimeTypes(), Arbitraries.oneOf(Arbitraries.just(null), texts()))
                .as((uri, mime, name) -> part(new PartData.FileData(uri, name), mime)),
            Combinators.combine(Arbitraries.oneOf(Arbitraries.just(null), texts()), names(), objects())
                .as((id, name, args) -> ProcessorPart.functionCall(new FunctionCall(id, name, args))),
            functionResponses().map(ProcessorPart::functionResponse),
            Combinators.combine(texts(), texts()).as(ProcessorPart::executableCode),
            Combinators.combine(texts(), texts()).as(ProcessorPart::codeExecutionResult),
            values().map(ProcessorPart::json),
            texts().map(ProcessorPart::toolCancellation));
    return Combinators.combine(
            bare,
            Arbitraries.oneOf(Arbitraries.of("", "user", "model", "USER"), texts()),
            Arbitraries.oneOf(Arbitraries.of("", "audio", "Realtime"), texts()),
            objects(),
            Arbitraries.of(false, true),
            Arbitraries.oneOf(Arbitraries.just(null), bytes()),
            Arbitraries.oneOf(Arbitraries.just(null), mimeTypes()))
        .as(
            (part, role, substream, metadata, thought, signature, mime) -> {
              ProcessorPart p =
                  part.withRole(role)
                      .withSubstreamName(substream)
                      .withMetadata(metadata)
                      .withThought(thought)
                      .withThoughtSignature(signature);
              return mime == null ? p : p.withMimeType(mime);
            })
        .withoutEdgeCases(); // see values()
  }

  private static ProcessorPart part(PartData data, String mimeType) {
    return new ProcessorPart(data, mimeType, "", "", Map.of(), false, null);
  }

  private static Arbitrary<FunctionResponse> functionResponses() {
    Arbitrary<@Nullable String> optionalText = Arbitraries.oneOf(Arbitraries.just(null), texts());
    Arbitrary<List<ProcessorPart>> blobs =
        Combinators.combine(bytes(), mimeTypes())
            .as((data, mime) -> ProcessorPart.bytes(data, mime))
            .list()
            .ofMaxSize(2);
    return Combinators.combine(
            optionalText,
            optionalText,
            Arbitraries.oneOf(Arbitraries.just(null), objects()),
            blobs,
            Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.4),
            Arbitraries.of(FunctionResponse.Scheduling.class).injectNull(0.4))
        .as(FunctionResponse::new);
  }

  /** Any string, lone surrogates and control characters included. */
  static Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(12),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12),
        Arbitraries.of("", "\ud83d\ude00", "\u0000", "\\\"", "\r\n"));
  }

  private static Arbitrary<String> names() {
    return texts().filter(s -> !s.isBlank());
  }

  private static Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(16);
  }

  /** MIME types of the form type/subtype (RFC 6838 names), with parameters now and then. */
  static Arbitrary<String> mimeTypes() {
    Arbitrary<String> name =
        Combinators.combine(
                Arbitraries.chars().alpha().numeric(),
                Arbitraries.strings().alpha().numeric().withChars("!#$&^_.+-").ofMaxLength(8))
            .as((first, rest) -> first + rest);
    Arbitrary<String> parameters =
        Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(6), texts())
            .as((k, v) -> "; " + k + "=" + v.replace(";", ""))
            .list()
            .ofMaxSize(2)
            .map(list -> String.join("", list));
    return Arbitraries.oneOf(
        Arbitraries.of(
            MimeTypes.TEXT_PLAIN, MimeTypes.APPLICATION_JSON, "application/json; type=Forecast",
            MimeTypes.IMAGE_PNG, "audio/l16; rate=24000", MimeTypes.FUNCTION_CALL,
            MimeTypes.TEXT_EXCEPTION),
        Combinators.combine(name, name, parameters).as((t, s, p) -> t + "/" + s + p));
  }

  /** Any JSON value, with numbers of every form PartJson holds. */
  static Arbitrary<@Nullable Object> values() {
    return Arbitraries.recursive(
        JsonFuzz::scalars,
        inner ->
            Arbitraries.oneOf(
                JsonFuzz.scalars(),
                inner.list().ofMaxSize(3).map(l -> (Object) l),
                Arbitraries.maps(texts(), inner).ofMaxSize(3).map(m -> (Object) m)),
            3)
        // jqwik's edge cases of nested collections cost more than all the rest of a try; the
        // scalars' edge values (-0.0, MIN_VALUE, ...) are among the scalars chosen from anyway.
        .withoutEdgeCases();
  }

  static Arbitrary<Map<String, @Nullable Object>> objects() {
    return Arbitraries.maps(texts(), values())
        .ofMaxSize(3)
        .withoutEdgeCases()
        .map(LinkedHashMap::new);
  }

  /** Scalar JSON values. */
  static final class JsonFuzz {
    private JsonFuzz() {}

    static Arbitrary<@Nullable Object> scalars() {
      return Arbitraries.oneOf(
          Arbitraries.just(null),
          texts().map(s -> (Object) s),
          Arbitraries.of(true, false).map(b -> (Object) b),
          Arbitraries.longs().map(l -> (Object) l),
          Arbitraries.integers().map(i -> (Object) i),
          Arbitraries.bigIntegers()
              .between(BigInteger.TWO.pow(200).negate(), BigInteger.TWO.pow(200))
              .map(b -> (Object) b),
          Arbitraries.doubles().map(d -> (Object) d),
          Arbitraries.of(-0.0, 0.1, 1e-300, Double.MIN_VALUE, Double.MAX_VALUE, 4.9e-324, 1e21)
              .map(d -> (Object) d),
          Arbitraries.floats().map(f -> (Object) f),
          Combinators.combine(
                  Arbitraries.bigIntegers().between(BigInteger.TWO.pow(100).negate(), BigInteger.TWO.pow(100)),
                  Arbitraries.integers().between(-1200, 1200))
              .as((unscaled, scale) -> (Object) new BigDecimal(unscaled, scale)));
    }
  }
}
