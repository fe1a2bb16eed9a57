package dev.genaiprocessors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests (fuzzing) of the part JSON codec: any part built from generated content
 * equals its own round trip, and any input, a part's JSON mutated or plain random bytes, either
 * reads as a part (which round-trips in turn) or throws the documented {@link
 * IllegalArgumentException}, from every reader alike: never a {@code NullPointerException}, {@code
 * ClassCastException}, {@code StackOverflowError}, an {@code IOException} or anything else.
 *
 * <p>The ordinary build tries each property 500 times ({@link Fuzz}). For a long run by hand, about
 * a million inputs over the fuzz tests of the readers ({@code PartJsonFuzzTest}, {@code
 * SseReaderFuzzTest} and {@code MimeTypesFuzzTest}: 7 properties), from the repository's root, with
 * a new first seed each time:
 *
 * <pre>{@code
 * ./mvnw -B -o -pl core test -Dtest='*FuzzTest' -Dfuzz.tries=150000 -Dfuzz.seed=$RANDOM$RANDOM
 * }</pre>
 *
 * <p>A failure names the seed that reproduces it and the input.
 */
class PartJsonFuzzTest {

  // ---------------------------------------------------------------- properties

  @Test
  void anyPartBuiltFromGeneratedContent_equalsItsRoundTrip() {
    Fuzz.check(
        "round trip",
        PartJsonFuzzTest::part,
        part -> {
          assertThat(PartJson.fromJson(PartJson.toJson(part))).isEqualTo(part);
          assertThat(PartJson.fromJson(PartJson.toJsonBytes(part))).isEqualTo(part);
          assertThat(PartJson.fromDict(PartJson.toDict(part, true))).isEqualTo(part);
          assertThat(PartJson.fromDict(PartJson.toDict(part))).isEqualTo(part);

          ByteArrayOutputStream out = new ByteArrayOutputStream();
          PartJson.write(List.of(part, part), out);
          Iterator<ProcessorPart> parts =
              PartJson.readParts(new ByteArrayInputStream(out.toByteArray()));
          assertThat(parts).toIterable().containsExactly(part, part);
        });
  }

  @Test
  void anyMutationOfAPartsJson_readsAsAPartThatRoundTrips_orThrowsIllegalArgumentException() {
    Fuzz.check(
        "mutated JSON",
        random -> mutate(PartJson.toJson(part(random)), random),
        json -> {
          readsOrFailsAsDocumented(json);
          readsOrFailsAsDocumented(json.getBytes(UTF_8));
          contentReadsOrFailsAsDocumented("[" + json + "]");
        });
  }

  @Test
  void anyBytes_readAsAPartThatRoundTrips_orThrowIllegalArgumentException() {
    Fuzz.check(
        "random bytes",
        PartJsonFuzzTest::noise,
        bytes -> {
          readsOrFailsAsDocumented(bytes);
          readsOrFailsAsDocumented(new String(bytes, UTF_8));
        });
  }

  // ---------------------------------------------------------------- checks

  private static void readsOrFailsAsDocumented(String json) {
    ProcessorPart read;
    try {
      read = PartJson.fromJson(json);
    } catch (IllegalArgumentException documented) {
      return;
    }
    assertThat(PartJson.fromJson(PartJson.toJson(read)))
        .as("round trip of %s", json)
        .isEqualTo(read);
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
    List<ProcessorPart> parts = new ArrayList<>();
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
          "part",
          "role",
          "substream_name",
          "mimetype",
          "metadata",
          "text",
          "thought",
          "thought_signature",
          "inline_data",
          "file_data",
          "function_call",
          "function_response",
          "executable_code",
          "code_execution_result",
          "data",
          "mime_type",
          "display_name",
          "file_uri",
          "id",
          "name",
          "args",
          "response",
          "parts",
          "will_continue",
          "scheduling",
          "code",
          "language",
          "outcome",
          "output");

  private static final List<String> VALUES =
      List.of(
          "null",
          "true",
          "false",
          "0",
          "-0.0",
          "1",
          "1e999",
          "-1E+999",
          "1e-999",
          "NaN",
          "Infinity",
          "0.1000000000000000000001",
          "123456789012345678901234567890",
          "\"\"",
          "\"x\"",
          "\"YWI=\"",
          "\"image/png\"",
          "\"a/b; rate=99999999999\"",
          "[]",
          "{}",
          "[{}]",
          "{\"a\": {\"b\": [1, 2.5, null]}}",
          "\"\\ud800\"",
          "\"\\u0000\"",
          "\"SILENT\"",
          "9".repeat(1200),
          "[".repeat(1100) + "]".repeat(1100),
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

  /** Random bytes; now and then led by zero bytes (read as UTF-32) or shaped like JSON. */
  private static byte[] noise(Random random) {
    return switch (random.nextInt(3)) {
      case 0 -> Fuzz.bytes(random, 200);
      case 1 -> concat(new byte[] {0, 0, 0}, Fuzz.bytes(random, 200));
      default ->
          ("{\"part\": " + Fuzz.chars(random, 120, "{}[]\":,0123456789.eE+-tnrufalsx\\ "))
              .getBytes(UTF_8);
    };
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** A part of any kind, with any role, substream, metadata, thought flags and MIME type. */
  static ProcessorPart part(Random random) {
    ProcessorPart part =
        switch (random.nextInt(9)) {
          case 0 -> ProcessorPart.text(Fuzz.text(random));
          case 1 -> bare(new PartData.Blob(Fuzz.bytes(random, 16), optionalText(random)), random);
          case 2 -> bare(new PartData.FileData(Fuzz.text(random), optionalText(random)), random);
          case 3 ->
              ProcessorPart.functionCall(
                  new FunctionCall(optionalText(random), name(random), object(random, 3)));
          case 4 -> ProcessorPart.functionResponse(functionResponse(random));
          case 5 -> ProcessorPart.executableCode(Fuzz.text(random), Fuzz.text(random));
          case 6 -> ProcessorPart.codeExecutionResult(Fuzz.text(random), Fuzz.text(random));
          case 7 -> ProcessorPart.json(value(random, 3));
          default -> ProcessorPart.toolCancellation(Fuzz.text(random));
        };
    part =
        part.withRole(
                random.nextBoolean()
                    ? Fuzz.pick(random, List.of("", "user", "model", "USER"))
                    : Fuzz.text(random))
            .withSubstreamName(
                random.nextBoolean()
                    ? Fuzz.pick(random, List.of("", "audio", "Realtime"))
                    : Fuzz.text(random))
            .withMetadata(object(random, 3))
            .withThought(random.nextBoolean())
            .withThoughtSignature(random.nextBoolean() ? null : Fuzz.bytes(random, 16));
    return random.nextInt(4) == 0 ? part.withMimeType(mimeType(random)) : part;
  }

  private static ProcessorPart bare(PartData data, Random random) {
    return new ProcessorPart(data, mimeType(random), "", "", Map.of(), false, null);
  }

  private static @Nullable String optionalText(Random random) {
    return random.nextBoolean() ? null : Fuzz.text(random);
  }

  private static String name(Random random) {
    String name = Fuzz.text(random);
    return name.isBlank() ? "f" + name : name;
  }

  private static FunctionResponse functionResponse(Random random) {
    List<ProcessorPart> blobs = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      blobs.add(ProcessorPart.blob(Fuzz.bytes(random, 16), mimeType(random)));
    }
    FunctionResponse.Scheduling[] schedulings = FunctionResponse.Scheduling.values();
    return new FunctionResponse(
        optionalText(random),
        optionalText(random),
        random.nextBoolean() ? null : object(random, 3),
        blobs,
        random.nextInt(3) == 0 ? null : random.nextBoolean(),
        random.nextInt(3) == 0 ? null : schedulings[random.nextInt(schedulings.length)]);
  }

  /** MIME types of the form type/subtype (RFC 6838 names), with parameters now and then. */
  static String mimeType(Random random) {
    if (random.nextBoolean()) {
      return Fuzz.pick(
          random,
          List.of(
              MimeTypes.TEXT_PLAIN,
              MimeTypes.APPLICATION_JSON,
              "application/json; type=Forecast",
              MimeTypes.IMAGE_PNG,
              "audio/l16; rate=24000",
              MimeTypes.FUNCTION_CALL,
              MimeTypes.TEXT_EXCEPTION));
    }
    StringBuilder mime =
        new StringBuilder(restrictedName(random)).append('/').append(restrictedName(random));
    for (int i = random.nextInt(3); i > 0; i--) {
      mime.append("; ")
          .append(Fuzz.chars(random, 6, "abcxyz"))
          .append('=')
          .append(Fuzz.text(random).replace(";", ""));
    }
    return mime.toString();
  }

  private static String restrictedName(Random random) {
    String alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    return alphanumeric.charAt(random.nextInt(alphanumeric.length()))
        + Fuzz.chars(random, 8, alphanumeric + "!#$&^_.+-");
  }

  /** Any JSON value nested at most {@code depth} deep, with numbers of every form. */
  static @Nullable Object value(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 14 : 12);
    return switch (kind) {
      case 0 -> null;
      case 1, 2 -> Fuzz.text(random);
      case 3 -> random.nextBoolean();
      case 4 -> random.nextLong();
      case 5 -> random.nextInt();
      case 6 ->
          new BigInteger(64 + random.nextInt(140), random)
              .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1));
      case 7 -> {
        double any = Double.longBitsToDouble(random.nextLong()); // any bits: subnormals too
        yield Double.isFinite(any) ? any : 0.0;
      }
      case 8 -> random.nextDouble() * Math.pow(10, random.nextInt(600) - 300);
      case 9 ->
          Fuzz.pick(
              random, List.of(-0.0, 0.1, 1e-300, Double.MIN_VALUE, Double.MAX_VALUE, 1e21, 0.5f));
      case 10 -> random.nextFloat();
      case 11 ->
          new BigDecimal(
              new BigInteger(1 + random.nextInt(120), random), random.nextInt(2401) - 1200);
      case 12 -> {
        List<@Nullable Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(value(random, depth - 1));
        }
        yield list;
      }
      default -> object(random, depth - 1);
    };
  }

  static Map<String, @Nullable Object> object(Random random, int depth) {
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      map.put(Fuzz.text(random), value(random, depth));
    }
    return map;
  }
}
