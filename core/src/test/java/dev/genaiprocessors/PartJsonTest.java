package dev.genaiprocessors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PartJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A few hundred parts of every kind, the same on every run. */
  private static final List<ProcessorPart> RANDOM_PARTS = new RandomParts(20_240_611L).parts(300);

  // ---------------------------------------------------------------- (a) round trips

  @Nested
  class RoundTrip {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.genaiprocessors.PartJsonTest#partRoundTrips")
    void everyRandomPart_survivesTheRoundTrip(
        String name, Function<ProcessorPart, ProcessorPart> roundTrip) {
      for (int i = 0; i < RANDOM_PARTS.size(); i++) {
        ProcessorPart part = RANDOM_PARTS.get(i);

        assertThat(roundTrip.apply(part)).as("random part #%d: %s", i, part).isEqualTo(part);
      }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.genaiprocessors.PartJsonTest#contentRoundTrips")
    void allRandomPartsAsOneContent_surviveTheRoundTrip(
        String name, Function<List<ProcessorPart>, List<ProcessorPart>> roundTrip) {
      assertThat(roundTrip.apply(RANDOM_PARTS)).containsExactlyElementsOf(RANDOM_PARTS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.genaiprocessors.PartJsonTest#contentRoundTrips")
    void emptyContent_survivesTheRoundTrip(
        String name, Function<List<ProcessorPart>, List<ProcessorPart>> roundTrip) {
      assertThat(roundTrip.apply(List.of())).isEmpty();
    }

    @Test
    void randomParts_coverEveryKindOfPayload() {
      assertThat(RANDOM_PARTS.stream().map(p -> p.data().getClass()).distinct()).hasSize(7);
      assertThat(RANDOM_PARTS).anyMatch(p -> p.data() instanceof PartData.Blob b && b.size() == 0);
      assertThat(RANDOM_PARTS)
          .anyMatch(p -> p.data() instanceof PartData.Blob b && b.size() >= 1 << 20);
      assertThat(RANDOM_PARTS).anyMatch(ProcessorPart::isThought);
      assertThat(RANDOM_PARTS).anyMatch(p -> p.thoughtSignature() != null);
      assertThat(RANDOM_PARTS)
          .anyMatch(p -> p.data() instanceof FunctionResponse r && !r.parts().isEmpty());
    }

    @Test
    void write_flushesButDoesNotCloseTheStream_andReadDoesNotCloseItEither() throws IOException {
      CloseTrackingOutputStream out = new CloseTrackingOutputStream();
      ProcessorPart part = ProcessorPart.text("x");

      PartJson.write(part, out);
      PartJson.write(List.of(part), out);

      assertThat(out.closed).isFalse();
      assertThat(out.toString(UTF_8)).startsWith("{\"part\"").endsWith("]");
      CloseTrackingInputStream in = new CloseTrackingInputStream(PartJson.toJsonBytes(part));
      assertThat(PartJson.read(in)).isEqualTo(part);
      assertThat(in.closed).isFalse();
    }

    @Test
    void readParts_readsOnePartAtATime() throws IOException {
      byte[] json =
          PartJson.toJson(List.of(ProcessorPart.text("a"), ProcessorPart.text("b")))
              .getBytes(UTF_8);

      Iterator<ProcessorPart> parts = PartJson.readParts(new ByteArrayInputStream(json));

      assertThat(parts.hasNext()).isTrue();
      assertThat(parts.hasNext()).isTrue();
      assertThat(parts.next()).isEqualTo(ProcessorPart.text("a"));
      assertThat(parts.next()).isEqualTo(ProcessorPart.text("b"));
      assertThat(parts.hasNext()).isFalse();
      assertThatThrownBy(parts::next).isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    void toDict_returnsAFreshMapThatCallersMayChange() {
      ProcessorPart part = ProcessorPart.text("a").withMetadata("k", 1);

      Map<String, Object> dict = PartJson.toDict(part);
      @SuppressWarnings("unchecked")
      Map<String, Object> metadata = (Map<String, Object>) dict.get("metadata");
      metadata.put("k", 2);
      dict.put("role", "changed");

      assertThat(PartJson.toDict(part).get("metadata")).isEqualTo(Map.of("k", 1L));
      assertThat(part.metadata("k")).isEqualTo(1L);
    }

    @Test
    void toDict_withRawBytes_keepsBytesAsByteArrays() {
      ProcessorPart part =
          ProcessorPart.bytes(new byte[] {'a', 'b'}, MimeTypes.IMAGE_PNG)
              .withThoughtSignature(new byte[] {1});

      Map<String, Object> raw = PartJson.toDict(part, true);
      Map<String, Object> json = PartJson.toDict(part, false);

      assertThat(nested(raw, "part", "inline_data", "data")).isEqualTo(new byte[] {'a', 'b'});
      assertThat(nested(raw, "part", "thought_signature")).isEqualTo(new byte[] {1});
      assertThat(nested(json, "part", "inline_data", "data")).isEqualTo("YWI=");
      assertThat(nested(json, "part", "thought_signature")).isEqualTo("AQ==");
      assertThat(PartJson.toDict(part)).isEqualTo(json);
    }
  }

  static Stream<Arguments> partRoundTrips() {
    return Stream.of(
        roundTrip("toJson -> fromJson(String)", p -> PartJson.fromJson(PartJson.toJson(p))),
        roundTrip(
            "toJsonBytes -> fromJson(byte[])", p -> PartJson.fromJson(PartJson.toJsonBytes(p))),
        roundTrip(
            "toJson -> fromJson(UTF-8 bytes)",
            p -> PartJson.fromJson(PartJson.toJson(p).getBytes(UTF_8))),
        roundTrip("write(OutputStream) -> read(InputStream)", PartJsonTest::viaStreams),
        roundTrip(
            "toDict(json mode) -> fromDict", p -> PartJson.fromDict(PartJson.toDict(p, false))),
        roundTrip(
            "toDict(python mode) -> fromDict", p -> PartJson.fromDict(PartJson.toDict(p, true))),
        roundTrip(
            "toDict -> JSON text -> fromJson",
            p -> PartJson.fromJson(writeJson(PartJson.toDict(p)))));
  }

  private static Arguments roundTrip(
      String name, Function<ProcessorPart, ProcessorPart> roundTrip) {
    return Arguments.of(name, roundTrip);
  }

  static Stream<Arguments> contentRoundTrips() {
    Function<List<ProcessorPart>, List<ProcessorPart>> viaString =
        parts -> PartJson.contentFromJson(PartJson.toJson(parts)).parts();
    Function<List<ProcessorPart>, List<ProcessorPart>> viaReadParts =
        parts -> readAll(new ByteArrayInputStream(writeAll(parts)));
    Function<List<ProcessorPart>, List<ProcessorPart>> stringThenReadParts =
        parts -> readAll(new ByteArrayInputStream(PartJson.toJson(parts).getBytes(UTF_8)));
    Function<List<ProcessorPart>, List<ProcessorPart>> contentThenString =
        parts -> PartJson.contentFromJson(PartJson.toJson(ProcessorContent.ofParts(parts))).parts();
    return Stream.of(
        Arguments.of("toJson(Iterable) -> contentFromJson", viaString),
        Arguments.of("write(Iterable, OutputStream) -> readParts(InputStream)", viaReadParts),
        Arguments.of("toJson(Iterable) -> readParts(InputStream)", stringThenReadParts),
        Arguments.of("toJson(ProcessorContent) -> contentFromJson", contentThenString));
  }

  private static ProcessorPart viaStreams(ProcessorPart part) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PartJson.write(part, out);
      return PartJson.read(new ByteArrayInputStream(out.toByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] writeAll(List<ProcessorPart> parts) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PartJson.write(parts, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<ProcessorPart> readAll(InputStream in) {
    try {
      List<ProcessorPart> parts = new ArrayList<>();
      PartJson.readParts(in).forEachRemaining(parts::add);
      return parts;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String writeJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static @Nullable Object nested(Map<String, Object> map, String... keys) {
    Object value = map;
    for (String key : keys) {
      value = ((Map<?, ?>) value).get(key);
    }
    return value;
  }

  // ---------------------------------------------------------------- (b) the Python dict shape

  @Nested
  class PythonShape {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.genaiprocessors.PartJsonTest#pythonDicts")
    void toJson_writesWhatPythonsToDictWrites(String name, ProcessorPart part, String python)
        throws IOException {
      assertThat(MAPPER.readTree(PartJson.toJson(part))).isEqualTo(MAPPER.readTree(python));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.genaiprocessors.PartJsonTest#pythonDicts")
    void toDict_hasThePythonShape(String name, ProcessorPart part, String python)
        throws IOException {
      JsonNode dict = MAPPER.readTree(writeJson(PartJson.toDict(part)));

      assertThat(dict).isEqualTo(MAPPER.readTree(python));
      assertThat(dict.properties())
          .extracting(Map.Entry::getKey)
          .containsExactly("part", "role", "substream_name", "mimetype", "metadata");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.genaiprocessors.PartJsonTest#pythonDicts")
    void fromJson_readsWhatPythonWrites(String name, ProcessorPart part, String python) {
      assertThat(PartJson.fromJson(python)).isEqualTo(part);
      Map<String, Object> dict = MAPPER.convertValue(readTree(python), new TypeReference<>() {});
      assertThat(PartJson.fromDict(dict)).isEqualTo(part);
    }

    @Test
    void fromJson_readsPythonsDataclassPart_asTheRecord() {
      String python =
          """
          {"part": {"text": "{\\"city\\": \\"Paris\\", \\"temperature\\": 21.5, \\"tags\\": [\\"sunny\\"]}"},
           "role": "", "substream_name": "", "mimetype": "application/json; type=Forecast", "metadata": {}}
          """;

      ProcessorPart part = PartJson.fromJson(python);

      assertThat(part.as(ProcessorPartTest.Forecast.class))
          .isEqualTo(new ProcessorPartTest.Forecast("Paris", 21.5, List.of("sunny")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.genaiprocessors.PartJsonTest#derivedMimeTypes")
    void fromJson_derivesTheMimeType_whenItIsMissingOrEmpty(String partJson, String expected) {
      for (String mimetype : List.of("", ", \"mimetype\": null", ", \"mimetype\": \"\"")) {
        ProcessorPart part = PartJson.fromJson("{\"part\": " + partJson + mimetype + "}");

        assertThat(part.mimeType()).as("with %s", mimetype).isEqualTo(expected);
      }
    }

    @Test
    void fromJson_defaultsRoleSubstreamAndMetadata() {
      assertThat(PartJson.fromJson("{\"part\": {\"text\": \"a\"}}"))
          .isEqualTo(ProcessorPart.text("a"));
      assertThat(
              PartJson.fromJson(
                  "{\"part\": {\"text\": \"a\"}, \"role\": null, \"substream_name\": null,"
                      + " \"metadata\": null}"))
          .isEqualTo(ProcessorPart.text("a"));
    }

    @Test
    void fromJson_treatsNullPayloadFieldsAsAbsent_likePythonsExcludeNone() {
      assertThat(
              PartJson.fromJson(
                  "{\"part\": {\"text\": \"a\", \"thought\": null, \"inline_data\": null,"
                      + " \"function_call\": null}}"))
          .isEqualTo(ProcessorPart.text("a"));
    }

    @Test
    void fromJson_readsAnEmptyPayloadAsEmptyText_writtenBackWithoutATextField() {
      ProcessorPart part = PartJson.fromJson("{\"part\": {}}");

      assertThat(part.data()).isEqualTo(new PartData.Text(""));
      assertThat(part.mimeType()).isEqualTo(MimeTypes.TEXT_PLAIN);
      assertThat(PartJson.toDict(part).get("part")).isEqualTo(Map.of());
    }

    @ParameterizedTest
    @MethodSource("dev.genaiprocessors.PartJsonTest#base64Variants")
    void fromJson_acceptsStandardAndUrlSafeBase64_paddedOrNot(String base64, byte[] expected) {
      String json =
          "{\"part\": {\"inline_data\": {\"data\": \""
              + base64
              + "\", \"mime_type\": \"image/png\"}, "
              + "\"thought_signature\": \""
              + base64
              + "\"}}";

      for (ProcessorPart part :
          List.of(PartJson.fromJson(json), PartJson.fromJson(json.getBytes(UTF_8)))) {
        assertThat(part.bytes()).isEqualTo(expected);
        assertThat(part.thoughtSignature()).isEqualTo(expected);
      }
    }

    @Test
    void fromJson_acceptsUrlSafeBase64_inALargePayload() {
      byte[] data = new RandomParts(7).bytes(300_000);
      String urlSafe = java.util.Base64.getUrlEncoder().encodeToString(data);
      assertThat(urlSafe).contains("-", "_");

      ProcessorPart part =
          PartJson.fromJson(
              "{\"part\": {\"inline_data\": {\"data\": \""
                  + urlSafe
                  + "\", \"mime_type\": \"image/png\"}}}");

      assertThat(part.bytes()).isEqualTo(data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SILENT", "SCHEDULING_SILENT"})
    void fromJson_readsSchedulingByName(String scheduling) {
      ProcessorPart part =
          PartJson.fromJson(
              "{\"part\": {\"function_response\": {\"name\": \"f\", \"scheduling\": \""
                  + scheduling
                  + "\"}}}");

      assertThat(part.functionResponse().scheduling())
          .isEqualTo(FunctionResponse.Scheduling.SILENT);
    }

    @Test
    void fromDict_acceptsRawBytesAndBase64Strings() {
      Map<String, Object> raw =
          Map.of(
              "part",
              Map.of(
                  "inline_data", Map.of("data", new byte[] {'a', 'b'}, "mime_type", "image/png")));
      Map<String, Object> base64 =
          Map.of("part", Map.of("inline_data", Map.of("data", "YWI=", "mime_type", "image/png")));

      assertThat(PartJson.fromDict(raw))
          .isEqualTo(PartJson.fromDict(base64))
          .isEqualTo(ProcessorPart.bytes(new byte[] {'a', 'b'}, MimeTypes.IMAGE_PNG));
    }
  }

  private static final String FUNCTION_CALL = MimeTypes.FUNCTION_CALL;
  private static final String FUNCTION_RESPONSE = MimeTypes.FUNCTION_RESPONSE;

  static Stream<Arguments> pythonDicts() {
    return Stream.of(
        python(
            "text with role, substream and metadata",
            ProcessorPart.text("ab").withRole("user").withSubstreamName("a").withMetadata("k", 1),
            """
            {"part": {"text": "ab"}, "role": "user", "substream_name": "a", "mimetype": "text/plain", "metadata": {"k": 1}}
            """),
        python(
            "empty text",
            ProcessorPart.text(""),
            """
            {"part": {"text": ""}, "role": "", "substream_name": "", "mimetype": "text/plain", "metadata": {}}
            """),
        python(
            "end of turn",
            ProcessorPart.endOfTurn(),
            """
            {"part": {"text": ""}, "role": "user", "substream_name": "", "mimetype": "text/plain",
             "metadata": {"turn_complete": true}}
            """),
        python(
            "png bytes",
            ProcessorPart.bytes(new byte[] {'a', 'b'}, MimeTypes.IMAGE_PNG),
            """
            {"part": {"inline_data": {"data": "YWI=", "mime_type": "image/png"}}, "role": "", "substream_name": "",
             "mimetype": "image/png", "metadata": {}}
            """),
        python(
            "octet-stream bytes with a display name",
            new ProcessorPart(
                new PartData.Blob(new byte[] {0, (byte) 0xff}, "blob.bin"),
                "application/octet-stream",
                "",
                "",
                Map.of(),
                false,
                null),
            """
            {"part": {"inline_data": {"display_name": "blob.bin", "data": "AP8=", "mime_type": "application/octet-stream"}},
             "role": "", "substream_name": "", "mimetype": "application/octet-stream", "metadata": {}}
            """),
        python(
            "file reference",
            ProcessorPart.fromUri("gs://bucket/cat.png", MimeTypes.IMAGE_PNG),
            """
            {"part": {"file_data": {"file_uri": "gs://bucket/cat.png", "mime_type": "image/png"}}, "role": "",
             "substream_name": "", "mimetype": "image/png", "metadata": {}}
            """),
        python(
            "function call with id",
            ProcessorPart.functionCall(
                FunctionCall.of(
                        "get_weather", Map.of("city", "Paris", "days", 3, "units", List.of("C")))
                    .withId("call-1")),
            """
            {"part": {"function_call": {"id": "call-1", "args": {"city": "Paris", "days": 3, "units": ["C"]},
                                        "name": "get_weather"}},
             "role": "", "substream_name": "", "mimetype": "%s", "metadata": {}}
            """
                .formatted(FUNCTION_CALL)),
        python(
            "function response",
            ProcessorPart.functionResponse(
                FunctionResponse.result("get_weather", "sunny")
                    .withId("call-1")
                    .withWillContinue(true)
                    .withScheduling(FunctionResponse.Scheduling.SILENT)),
            """
            {"part": {"function_response": {"will_continue": true, "scheduling": "SILENT", "id": "call-1",
                                            "name": "get_weather", "response": {"result": "sunny"}}},
             "role": "", "substream_name": "", "mimetype": "%s", "metadata": {}}
            """
                .formatted(FUNCTION_RESPONSE)),
        python(
            "function response error",
            ProcessorPart.functionResponse(FunctionResponse.error("get_weather", "no such city")),
            """
            {"part": {"function_response": {"name": "get_weather", "response": {"error": "no such city"}}},
             "role": "", "substream_name": "", "mimetype": "%s", "metadata": {}}
            """
                .formatted(FUNCTION_RESPONSE)),
        python(
            "function response with blob parts",
            ProcessorPart.functionResponse(
                FunctionResponse.result(
                    "draw",
                    ProcessorContent.of(
                        "cat: ", ProcessorPart.bytes(new byte[] {1, 2, 3}, MimeTypes.IMAGE_PNG)))),
            """
            {"part": {"function_response": {"parts": [
                        {"inline_data": {"data": "Y2F0OiA=", "mime_type": "text/plain"}},
                        {"inline_data": {"data": "AQID", "mime_type": "image/png"}}],
                      "name": "draw"}},
             "role": "", "substream_name": "", "mimetype": "%s", "metadata": {}}
            """
                .formatted(FUNCTION_RESPONSE)),
        python(
            "tool cancellation",
            ProcessorPart.toolCancellation("call-1"),
            """
            {"part": {"function_response": {"name": "tool_cancellation", "response": {"function_call_id": "call-1"}}},
             "role": "model", "substream_name": "", "mimetype": "%s", "metadata": {}}
            """
                .formatted(FUNCTION_RESPONSE)),
        python(
            "thought with signature",
            ProcessorPart.text("hmm")
                .withRole("model")
                .withThought(true)
                .withThoughtSignature(new byte[] {1, 2, 3}),
            """
            {"part": {"text": "hmm", "thought": true, "thought_signature": "AQID"}, "role": "model",
             "substream_name": "", "mimetype": "text/plain", "metadata": {}}
            """),
        python(
            "executable code",
            ProcessorPart.executableCode("print(1)", "PYTHON"),
            """
            {"part": {"executable_code": {"code": "print(1)", "language": "PYTHON"}}, "role": "",
             "substream_name": "", "mimetype": "text/plain", "metadata": {}}
            """),
        python(
            "code execution result",
            ProcessorPart.codeExecutionResult("OUTCOME_OK", "1\n"),
            """
            {"part": {"code_execution_result": {"outcome": "OUTCOME_OK", "output": "1\\n"}}, "role": "",
             "substream_name": "", "mimetype": "text/plain", "metadata": {}}
            """),
        python(
            "nested metadata",
            ProcessorPart.text("x")
                .withMimeType("text/markdown")
                .withMetadata(Map.of("a", List.of(1, 2.5, "s", true), "b", Map.of("c", "ü"))),
            """
            {"part": {"text": "x"}, "role": "", "substream_name": "", "mimetype": "text/markdown",
             "metadata": {"a": [1, 2.5, "s", true], "b": {"c": "ü"}}}
            """));
  }

  private static Arguments python(String name, ProcessorPart part, String json) {
    return Arguments.of(name, part, json);
  }

  static Stream<Arguments> derivedMimeTypes() {
    return Stream.of(
        Arguments.of("{\"text\": \"a\"}", MimeTypes.TEXT_PLAIN),
        Arguments.of("{}", MimeTypes.TEXT_PLAIN),
        Arguments.of(
            "{\"inline_data\": {\"data\": \"YWI=\", \"mime_type\": \"image/png\"}}",
            MimeTypes.IMAGE_PNG),
        // Python's rule: a file reference's own type does not count.
        Arguments.of(
            "{\"file_data\": {\"file_uri\": \"gs://a\", \"mime_type\": \"video/mp4\"}}",
            MimeTypes.TEXT_PLAIN),
        Arguments.of(
            "{\"function_call\": {\"name\": \"f\", \"args\": {}}}", MimeTypes.FUNCTION_CALL),
        Arguments.of(
            "{\"function_response\": {\"name\": \"f\", \"response\": {}}}",
            MimeTypes.FUNCTION_RESPONSE));
  }

  static Stream<Arguments> base64Variants() {
    return Stream.of(
        Arguments.of("YWI=", new byte[] {'a', 'b'}),
        Arguments.of("YWI", new byte[] {'a', 'b'}),
        Arguments.of("+/8=", new byte[] {(byte) 0xfb, (byte) 0xff}),
        Arguments.of("-_8=", new byte[] {(byte) 0xfb, (byte) 0xff}),
        Arguments.of("-_8", new byte[] {(byte) 0xfb, (byte) 0xff}),
        Arguments.of("", new byte[0]));
  }

  private static JsonNode readTree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- (c) bad input

  @Nested
  class BadInput {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.genaiprocessors.PartJsonTest#badParts")
    void fromJson_failsNamingTheFieldAndValue(String name, String json, String expectedMessage) {
      assertThatThrownBy(() -> PartJson.fromJson(json))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(expectedMessage);
      assertThatThrownBy(() -> PartJson.fromJson(json.getBytes(UTF_8)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(expectedMessage);
      assertThatThrownBy(() -> PartJson.read(new ByteArrayInputStream(json.getBytes(UTF_8))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(expectedMessage);
    }

    @Test
    void fromDict_failsWithMissingPart() {
      assertThatThrownBy(() -> PartJson.fromDict(Map.of("role", "user")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("part dict has no 'part' field");
    }

    @Test
    void fromDict_keepsAnUnknownPartField_andWritesItBack() {
      ProcessorPart part =
          PartJson.fromDict(Map.of("part", Map.of("text", "a", "this_is_not_a_part_field", 1)));

      assertThat(part.extraFields()).containsExactly(entry("this_is_not_a_part_field", 1L));
      assertThat(PartJson.toDict(part).get("part"))
          .isEqualTo(Map.of("text", "a", "this_is_not_a_part_field", 1L));
    }

    @Test
    void fromDict_failsNamingTheType_whenAValueIsNotJson() {
      assertThatThrownBy(
              () ->
                  PartJson.fromDict(
                      Map.of("part", Map.of("text", "a"), "metadata", Map.of("t", Instant.EPOCH))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("part dict is not JSON-compatible")
          .hasMessageContaining("java.time.Instant");
    }

    @Test
    void contentFromJson_failsNamingTheElement() {
      assertThatThrownBy(
              () ->
                  PartJson.contentFromJson("[{\"part\": {\"text\": \"a\"}}, {\"role\": \"user\"}]"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("content[1] has no 'part' field");
      assertThatThrownBy(() -> PartJson.contentFromJson("[{\"part\": {\"text\": \"a\"}}, 5]"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("content[1] must be a JSON object but was the number 5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "\"parts\"", ""})
    void contentFromJson_failsUnlessTheJsonIsAnArray(String json) {
      assertThatThrownBy(() -> PartJson.contentFromJson(json))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("content must be a JSON array but was");
    }

    @Test
    void contentFromJson_failsOnTrailingGarbage() {
      assertThatThrownBy(() -> PartJson.contentFromJson("[] []"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("unexpected START_ARRAY after the end of the JSON value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"part\": {\"text\": \"a\"}}", "[{\"part\": {\"text\": \"a\"}},"})
    void readParts_failsAfterTheLastPart_whenTheArrayIsNotClosed(String json) throws IOException {
      Iterator<ProcessorPart> parts =
          PartJson.readParts(new ByteArrayInputStream(json.getBytes(UTF_8)));

      assertThat(parts.next()).isEqualTo(ProcessorPart.text("a"));
      assertThatThrownBy(parts::hasNext)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("malformed JSON: Unexpected end-of-input");
    }

    @Test
    void readParts_failsNamingTheElement_whenAPartIsInvalid() throws IOException {
      String json =
          "[{\"part\": {\"text\": \"a\"}}, {\"part\": {\"text\": \"b\"}, \"mimetype\":"
              + " \"notamime\"}]";
      Iterator<ProcessorPart> parts =
          PartJson.readParts(new ByteArrayInputStream(json.getBytes(UTF_8)));

      assertThat(parts.next()).isEqualTo(ProcessorPart.text("a"));
      assertThatThrownBy(parts::next)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("content[1].mimetype must have the form type/subtype but was 'notamime'");
    }

    @Test
    void readParts_failsAtOnce_whenTheInputIsNotAnArray() {
      assertThatThrownBy(() -> PartJson.readParts(new ByteArrayInputStream("{}".getBytes(UTF_8))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("content must be a JSON array but was an object");
    }

    @Test
    void readParts_failsAsMalformed_whenAPartIsCutOff() throws IOException {
      Iterator<ProcessorPart> parts =
          PartJson.readParts(new ByteArrayInputStream("[{\"part\": {\"te".getBytes(UTF_8)));

      assertThatThrownBy(parts::next)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("malformed JSON: Unexpected end-of-input");
    }
  }

  static Stream<Arguments> badParts() {
    return Stream.of(
        bad("missing part", "{\"role\": \"user\"}", "part dict has no 'part' field"),
        bad(
            "unknown top-level field",
            "{\"part\": {\"text\": \"a\"}, \"colour\": \"red\"}",
            "part dict has an unknown field 'colour'"),
        bad(
            "invalid mimetype",
            "{\"part\": {\"text\": \"a\"}, \"mimetype\": \"notamime\"}",
            "part dict.mimetype must have the form type/subtype but was 'notamime'"),
        bad(
            "invalid inline mime type",
            "{\"part\": {\"inline_data\": {\"data\": \"YWI=\", \"mime_type\": \"png\"}}}",
            "part dict.mimetype must have the form type/subtype but was 'png'"),
        bad(
            "function call without name",
            "{\"part\": {\"function_call\": {\"args\": {\"a\": 1}}}}",
            "part dict.part.function_call.name must be a non-blank string but was missing"),
        bad(
            "function call with blank name",
            "{\"part\": {\"function_call\": {\"name\": \" \"}}}",
            "part dict.part.function_call.name must be a non-blank string but was ' '"),
        bad(
            "function call args not an object",
            "{\"part\": {\"function_call\": {\"name\": \"f\", \"args\": [1]}}}",
            "part dict.part.function_call.args must be a JSON object but was an array"),
        bad("malformed JSON", "{\"part\": ", "malformed JSON: Unexpected end-of-input"),
        bad("not JSON at all", "hello", "malformed JSON: Unrecognized token 'hello'"),
        bad("empty input", "", "part dict must be a JSON object but was the end of the input"),
        bad("array instead of object", "[]", "part dict must be a JSON object but was an array"),
        bad(
            "role is a number",
            "{\"part\": {\"text\": \"a\"}, \"role\": 5}",
            "part dict.role must be a string but was the number 5"),
        bad(
            "substream is a boolean",
            "{\"part\": {\"text\": \"a\"}, \"substream_name\": true}",
            "part dict.substream_name must be a string but was true"),
        bad(
            "text is an object",
            "{\"part\": {\"text\": {}}}",
            "part dict.part.text must be a string but was an object"),
        bad(
            "thought is a string",
            "{\"part\": {\"text\": \"a\", \"thought\": \"yes\"}}",
            "part dict.part.thought must be a boolean but was the string 'yes'"),
        bad(
            "metadata is an array",
            "{\"part\": {\"text\": \"a\"}, \"metadata\": []}",
            "part dict.metadata must be a JSON object but was an array"),
        bad(
            "part is a string",
            "{\"part\": \"hello\"}",
            "part dict.part must be a JSON object but was the string 'hello'"),
        bad(
            "bad base64",
            "{\"part\": {\"inline_data\": {\"data\": \"!!!!\", \"mime_type\": \"image/png\"}}}",
            "part dict.part.inline_data.data must be base64 but was '!!!!'"),
        bad(
            "base64 data is a number",
            "{\"part\": {\"inline_data\": {\"data\": 12, \"mime_type\": \"image/png\"}}}",
            "part dict.part.inline_data.data must be a base64 string but was the number 12"),
        bad(
            "bad base64 signature",
            "{\"part\": {\"text\": \"a\", \"thought_signature\": \"a*b\"}}",
            "part dict.part.thought_signature must be base64 but was 'a*b'"),
        bad(
            "inline data without data",
            "{\"part\": {\"inline_data\": {\"mime_type\": \"image/png\"}}}",
            "part dict.part.inline_data has no 'data'"),
        bad(
            "two payloads",
            "{\"part\": {\"text\": \"a\", \"function_call\": {\"name\": \"f\"}}}",
            "part dict.part holds more than one content field: text and function_call"),
        bad(
            "text next to inline data",
            "{\"part\": {\"text\": \"foo\", \"inline_data\": {\"data\": \"YWI=\", \"mime_type\":"
                + " \"application/json\"}}}",
            "part dict.part holds more than one content field: text and inline_data"),
        bad(
            "inline data next to file data",
            "{\"part\": {\"inline_data\": {\"data\": \"YWI=\"}, \"file_data\": {\"file_uri\":"
                + " \"gs://b/f\"}}, \"mimetype\": \"image/png\"}",
            "part dict.part holds more than one content field: inline_data and file_data"),
        bad(
            "the same content field twice",
            "{\"part\": {\"text\": \"a\", \"text\": \"b\"}}",
            "part dict.part has the field 'text' twice"),
        bad(
            "metadata nested deeper than a part can hold",
            "{\"part\": {}, \"metadata\": {\"a\": " + "[".repeat(990) + "]".repeat(990) + "}}",
            "nests maps and lists more than 990 deep"),
        bad(
            "function response part without mime type",
            "{\"part\": {\"function_response\": {\"parts\": [{\"inline_data\": {\"data\":"
                + " \"YWI=\"}}]}}}",
            "part dict.part.function_response.parts[0] has no mime_type"),
        bad(
            "function response text part",
            "{\"part\": {\"function_response\": {\"parts\": [{\"text\": \"a\"}]}}}",
            "part dict.part.function_response.parts[0] must hold inline_data or file_data"),
        bad(
            "trailing garbage",
            "{\"part\": {\"text\": \"a\"}} x",
            "malformed JSON: Unrecognized token 'x'"),
        bad(
            "trailing second value",
            "{\"part\": {\"text\": \"a\"}} {}",
            "unexpected START_OBJECT after the end of the JSON value"));
  }

  @Nested
  class StreamReaders {
    @ParameterizedTest
    @MethodSource("dev.genaiprocessors.PartJsonTest#inputOverJacksonsLimits")
    void readAndReadParts_throwIllegalArgumentException_notIOException_forInputOverALimit(
        String json) {
      byte[] bytes = json.getBytes(UTF_8);
      byte[] array = ("[" + json + "]").getBytes(UTF_8);

      assertThatThrownBy(() -> PartJson.fromJson(bytes))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> PartJson.read(new ByteArrayInputStream(bytes)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> PartJson.readParts(new ByteArrayInputStream(array)).next())
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void read_throwsIllegalArgumentException_forBytesThatAreNotUtf32() {
      byte[] notUtf32 = {0, 0, 0, '{', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

      assertThatThrownBy(() -> PartJson.read(new ByteArrayInputStream(notUtf32)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Dicts {
    @Test
    void fromDict_failsNamingThePath_whenTheDictContainsItself() {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("self", List.of(metadata));
      Map<String, Object> dict = Map.of("part", Map.of("text", "a"), "metadata", metadata);

      assertThatThrownBy(() -> PartJson.fromDict(dict))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("part dict.metadata.self[0] is part dict.metadata again");
    }

    @Test
    void fromDict_rejectsNaN_insteadOfReadingItAsAString() {
      Map<String, Object> dict =
          Map.of("part", Map.of("text", "a"), "metadata", Map.of("x", Double.NaN));

      assertThatThrownBy(() -> PartJson.fromDict(dict))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("part dict.metadata.x must be a finite number");
    }
  }

  static Stream<String> inputOverJacksonsLimits() {
    return Stream.of(
        "{\"part\": {}, \"metadata\": {\"n\": " + "9".repeat(1200) + "}}",
        "{\"part\": {}, \"metadata\": {\"n\": " + "[".repeat(1100) + "]".repeat(1100) + "}}");
  }

  @Nested
  class Numbers {
    @Test
    void fromJson_keepsNumbersADoubleCannotHold_exactly_soThePartEqualsItsRoundTrip() {
      ProcessorPart part =
          PartJson.fromJson(
              "{\"part\": {\"function_call\": {\"name\": \"f\", \"args\": {\"n\": -1E+999}}},"
                  + " \"metadata\": {\"big\": 1e999, \"tiny\": 1e-999, \"digits\":"
                  + " 0.1000000000000000000001, \"zero\": -0.0, \"plain\": 0.1, \"one\": 1e0}}");

      assertThat(part.metadata())
          .containsEntry("big", new BigDecimal("1e999"))
          .containsEntry("tiny", new BigDecimal("1e-999"))
          .containsEntry("digits", new BigDecimal("0.1000000000000000000001"))
          .containsEntry("zero", -0.0)
          .containsEntry("plain", 0.1)
          .containsEntry("one", 1.0);
      assertThat(part.functionCall().args()).containsEntry("n", new BigDecimal("-1e999"));
      String json = PartJson.toJson(part);
      assertThat(json).doesNotContain("Infinity");
      assertThat(PartJson.fromJson(json)).isEqualTo(part);
    }

    @Test
    void fromJson_keepsAnIntegerBeyondLong_asABigInteger() {
      ProcessorPart part =
          PartJson.fromJson(
              "{\"part\": {}, \"metadata\": {\"n\": 123456789012345678901234567890}}");

      assertThat(part.metadata("n")).isEqualTo(new BigInteger("123456789012345678901234567890"));
      assertThat(PartJson.fromJson(PartJson.toJson(part))).isEqualTo(part);
    }

    @Test
    void fromJson_quotesAHugeValueCutToAReadableLength() {
      String huge = "x".repeat(10_000_000);

      assertThatThrownBy(() -> PartJson.fromJson("{\"part\": {}, \"mimetype\": \"" + huge + "\"}"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("(10000000 chars)")
          .message()
          .hasSizeLessThan(400);
      assertThatThrownBy(() -> PartJson.fromJson("{\"part\": {}, \"" + huge + "\": 1}"))
          .isInstanceOf(IllegalArgumentException.class)
          .message()
          .hasSizeLessThan(400);
      assertThatThrownBy(
              () ->
                  PartJson.fromJson(
                      "{\"part\": {\"function_call\": {\"name\": \"f\","
                          + " \"args\": {\""
                          + huge
                          + "\": ["
                          + "[".repeat(990)
                          + "]".repeat(990)
                          + "]}}}}"))
          .isInstanceOf(IllegalArgumentException.class)
          .message()
          .hasSizeLessThan(400);
    }
  }

  private static Arguments bad(String name, String json, String expectedMessage) {
    return Arguments.of(name, json, expectedMessage);
  }

  // ---------------------------------------------------------------- (d) large payloads

  @Test
  void write_thenRead_keepsA20MegabytePart() throws IOException {
    byte[] data = new RandomParts(20).bytes(20 << 20);
    ProcessorPart part =
        ProcessorPart.bytes(data, "video/mp4").withRole("user").withMetadata("name", "clip");
    ByteArrayOutputStream out = new ByteArrayOutputStream(28 << 20);

    PartJson.write(part, out);
    ProcessorPart back = PartJson.read(new ByteArrayInputStream(out.toByteArray()));

    assertThat(out.size()).isGreaterThan(data.length * 4 / 3);
    assertThat(back.equals(part)).as("the 20 MB part read back equals the original").isTrue();
  }

  // ---------------------------------------------------------------- helpers

  /** Generates random parts of every kind from a seed. */
  static final class RandomParts {
    private static final List<String> MIME_TYPES =
        List.of(
            "image/png",
            "image/jpeg",
            "audio/l16; rate=24000",
            "audio/wav",
            "video/mp4",
            "application/octet-stream",
            "application/pdf",
            "text/plain",
            "text/csv",
            "application/json; type=Forecast",
            "application/x-custom+bin");

    private final Random random;

    RandomParts(long seed) {
      this.random = new Random(seed);
    }

    List<ProcessorPart> parts(int count) {
      List<ProcessorPart> parts = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        parts.add(part(i));
      }
      return parts;
    }

    private ProcessorPart part(int index) {
      ProcessorPart part =
          switch (index % 12) {
            case 0, 1 ->
                ProcessorPart.text(string(40))
                    .withMimeType(
                        pick(
                            List.of(
                                "text/plain", "text/markdown", "application/json", "image/png")));
            case 2 -> blobPart(index);
            case 3 -> fileDataPart();
            case 4 ->
                ProcessorPart.functionCall(
                    new FunctionCall(
                        random.nextBoolean() ? null : string(8), nonBlank(), object(3)));
            case 5 -> ProcessorPart.functionResponse(functionResponse());
            case 6 ->
                ProcessorPart.executableCode(
                    string(30), pick(List.of("PYTHON", "", "LANGUAGE_UNSPECIFIED")));
            case 7 ->
                ProcessorPart.codeExecutionResult(
                    pick(List.of("OUTCOME_OK", "OUTCOME_FAILED")), string(30));
            case 8 -> ProcessorPart.toolCancellation(string(10));
            case 9 -> ProcessorPart.exception(new IllegalStateException(string(20)));
            case 10 -> ProcessorPart.endOfTurn(string(5));
            default ->
                ProcessorPart.json(
                    new ProcessorPartTest.Forecast(
                        string(10), random.nextDouble(), List.of(string(5))));
          };
      if (random.nextInt(4) > 0) {
        part = part.withRole(pick(List.of("", "user", "model", "USER", string(6))));
      }
      if (random.nextInt(4) > 0) {
        part = part.withSubstreamName(pick(List.of("", "audio", "Realtime", string(6))));
      }
      if (random.nextBoolean()) {
        Map<String, Object> metadata = new LinkedHashMap<>(part.metadata());
        metadata.putAll(object(3));
        part = part.withMetadata(metadata);
      }
      if (random.nextInt(5) == 0) {
        part = part.withThought(true);
      }
      if (random.nextInt(5) == 0) {
        part =
            part.withThoughtSignature(bytes(random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(64)));
      }
      return part;
    }

    private ProcessorPart blobPart(int index) {
      int size =
          switch (index / 12 % 8) {
            case 0 -> 0;
            case 1 -> index < 200 ? (1 << 20) + random.nextInt(1000) : random.nextInt(5000);
            default -> random.nextInt(300);
          };
      String displayName = random.nextInt(3) == 0 ? string(10) : null;
      return new ProcessorPart(
          new PartData.Blob(bytes(size), displayName),
          pick(MIME_TYPES),
          "",
          "",
          Map.of(),
          false,
          null);
    }

    private ProcessorPart fileDataPart() {
      String displayName = random.nextBoolean() ? string(10) : null;
      return new ProcessorPart(
          new PartData.FileData("gs://bucket/" + string(12), displayName),
          pick(MIME_TYPES),
          "",
          "",
          Map.of(),
          false,
          null);
    }

    private FunctionResponse functionResponse() {
      FunctionResponse response =
          switch (random.nextInt(4)) {
            case 0 -> FunctionResponse.result(nonBlank(), value(2));
            case 1 -> FunctionResponse.error(random.nextBoolean() ? null : nonBlank(), string(20));
            case 2 ->
                FunctionResponse.result(
                    nonBlank(),
                    ProcessorContent.of(
                        string(10),
                        ProcessorPart.bytes(bytes(random.nextInt(200)), pick(MIME_TYPES)),
                        fileDataPart()));
            default -> new FunctionResponse(null, null, null, List.of(), null, null);
          };
      if (random.nextBoolean()) {
        response = response.withId(string(8));
      }
      if (random.nextBoolean()) {
        response = response.withWillContinue(random.nextBoolean());
      }
      if (random.nextBoolean()) {
        response = response.withScheduling(pick(List.of(FunctionResponse.Scheduling.values())));
      }
      return response;
    }

    private Map<String, Object> object(int depth) {
      Map<String, Object> map = new LinkedHashMap<>();
      int size = random.nextInt(5);
      for (int i = 0; i < size; i++) {
        map.put(string(8), value(depth - 1));
      }
      return map;
    }

    private @Nullable Object value(int depth) {
      int kind = random.nextInt(depth > 0 ? 10 : 8);
      return switch (kind) {
        case 0 -> null;
        case 1 -> string(20);
        case 2 -> random.nextBoolean();
        case 3 -> random.nextInt();
        case 4 -> pick(List.of(random.nextLong(), Long.MAX_VALUE, Long.MIN_VALUE, 0L, -1L));
        case 5 ->
            pick(
                List.of(random.nextDouble(), -random.nextDouble() * 1e300, 1e-300, 2.0, -0.0, 0.1));
        case 6 ->
            new BigInteger(65 + random.nextInt(100), random)
                .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1));
        case 7 -> "";
        case 8 -> object(depth);
        default -> {
          List<Object> list = new ArrayList<>();
          int size = random.nextInt(4);
          for (int i = 0; i < size; i++) {
            list.add(value(depth - 1));
          }
          yield list;
        }
      };
    }

    /**
     * A string of up to {@code maxLength} code points: ASCII, JSON escapes, accents, CJK, emoji.
     */
    String string(int maxLength) {
      int length = random.nextInt(maxLength + 1);
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < length; i++) {
        s.appendCodePoint(
            switch (random.nextInt(8)) {
              case 0 ->
                  pick(
                      List.of(
                          (int) '"', (int) '\\', (int) '/', (int) '\n', (int) '\t', 0, 0x1f, 0x7f));
              case 1 -> 0xa0 + random.nextInt(0x200); // Latin-1 supplement and extended Latin
              case 2 -> 0x4e00 + random.nextInt(0x5000); // CJK
              case 3 -> 0x1f300 + random.nextInt(0x300); // emoji: surrogate pairs in UTF-16
              case 4 -> 0x0370 + random.nextInt(0x90); // Greek, including final sigma
              default -> 0x20 + random.nextInt(0x5f); // printable ASCII
            });
      }
      return s.toString();
    }

    private String nonBlank() {
      return "f_" + string(10);
    }

    byte[] bytes(int size) {
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      return bytes;
    }

    private <T> T pick(List<T> choices) {
      return choices.get(random.nextInt(choices.size()));
    }
  }

  private static final class CloseTrackingOutputStream extends ByteArrayOutputStream {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  private static final class CloseTrackingInputStream extends ByteArrayInputStream {
    boolean closed;

    CloseTrackingInputStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
