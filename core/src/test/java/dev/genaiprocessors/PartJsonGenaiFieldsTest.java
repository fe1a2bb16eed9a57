package dev.genaiprocessors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parts as the Python library writes them ({@code to_dict()}, so the Gemini SDK's {@code
 * model_dump(mode='json', exclude_none=True)}), with every field of the Gemini {@code Part}: read
 * by Java and written back, each comes out as the same JSON tree.
 */
class PartJsonGenaiFieldsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CALL = MimeTypes.FUNCTION_CALL;
  private static final String RESPONSE = MimeTypes.FUNCTION_RESPONSE;

  /** One dict per field of the Gemini Part (and of its nested objects), as Python writes it. */
  static Stream<Arguments> pythonDicts() {
    return Stream.of(
        python(
            "text",
            """
            {"part": {"text": "hi"}, "role": "user", "substream_name": "", "mimetype": "text/plain",
             "metadata": {}}"""),
        python(
            "thought and thought_signature in pydantic's URL-safe base64",
            """
            {"part": {"text": "hmm", "thought": true, "thought_signature": "-_8="}, "role": "model",
             "substream_name": "", "mimetype": "text/plain", "metadata": {}}"""),
        python(
            "thought false",
            """
            {"part": {"text": "the answer", "thought": false}, "role": "model",
             "substream_name": "", "mimetype": "text/plain", "metadata": {}}"""),
        python(
            "inline_data with display_name",
            """
            {"part": {"inline_data": {"display_name": "cat.png", "data": "-_8=",
                                      "mime_type": "image/png"}},
             "role": "", "substream_name": "", "mimetype": "image/png", "metadata": {}}"""),
        python(
            "inline_data.mime_type other than the part's",
            """
            {"part": {"inline_data": {"data": "YWI=", "mime_type": "image/png"}}, "role": "",
             "substream_name": "", "mimetype": "application/octet-stream", "metadata": {}}"""),
        python(
            "inline_data without mime_type",
            """
            {"part": {"inline_data": {"data": "YWI="}}, "role": "", "substream_name": "",
             "mimetype": "application/octet-stream", "metadata": {}}"""),
        python(
            "file_data of a PDF in a part Python labels text/plain",
            """
            {"part": {"file_data": {"display_name": "report", "file_uri": "gs://b/report.pdf",
                                    "mime_type": "application/pdf"}},
             "role": "", "substream_name": "", "mimetype": "text/plain", "metadata": {}}"""),
        python(
            "file_data without mime_type",
            """
            {"part": {"file_data": {"file_uri": "gs://b/x"}}, "role": "", "substream_name": "",
             "mimetype": "text/plain", "metadata": {}}"""),
        python(
            "function_call with every field",
            """
            {"part": {"function_call": {"id": "c1", "args": {"city": "Paris", "days": 3},
                "name": "get_weather",
                "partial_args": [{"json_path": "$.city", "string_value": "Par",
                                  "will_continue": true},
                                 {"json_path": "$.days", "number_value": 3.0},
                                 {"json_path": "$.hourly", "bool_value": false},
                                 {"json_path": "$.unit", "null_value": "NULL_VALUE"}],
                "will_continue": true}},
             "role": "model", "substream_name": "", "mimetype": "%s", "metadata": {}}"""
                .formatted(CALL)),
        python(
            "function_call without args",
            """
            {"part": {"function_call": {"name": "now"}}, "role": "model", "substream_name": "",
             "mimetype": "%s", "metadata": {}}"""
                .formatted(CALL)),
        python(
            "function_response with every field",
            """
            {"part": {"function_response": {"will_continue": true, "scheduling": "WHEN_IDLE",
                "parts": [{"inline_data": {"mime_type": "image/png", "data": "-_8=",
                                           "display_name": "chart"}},
                          {"file_data": {"file_uri": "gs://b/t.csv", "mime_type": "text/csv",
                                         "display_name": "table"}},
                          {"inline_data": {"mime_type": "image/png", "data": "AQID"},
                           "media_processing": {}}],
                "id": "c1", "name": "plot", "response": {"result": "done"}}},
             "role": "user", "substream_name": "", "mimetype": "%s", "metadata": {}}"""
                .formatted(RESPONSE)),
        python(
            "function_response scheduling the Java enum lacks",
            """
            {"part": {"function_response": {"scheduling": "SCHEDULING_UNSPECIFIED", "name": "f",
                                            "response": {}}},
             "role": "user", "substream_name": "", "mimetype": "%s", "metadata": {}}"""
                .formatted(RESPONSE)),
        python(
            "executable_code with id",
            """
            {"part": {"executable_code": {"code": "print(1)", "language": "PYTHON", "id": "e1"}},
             "role": "model", "substream_name": "", "mimetype": "text/plain", "metadata": {}}"""),
        python(
            "executable_code without language",
            """
            {"part": {"executable_code": {"code": "print(1)"}}, "role": "model",
             "substream_name": "", "mimetype": "text/plain", "metadata": {}}"""),
        python(
            "code_execution_result with id",
            """
            {"part": {"code_execution_result": {"outcome": "OUTCOME_OK", "output": "1\\n",
                                                "id": "e1"}},
             "role": "model", "substream_name": "", "mimetype": "text/plain", "metadata": {}}"""),
        python(
            "video_metadata",
            """
            {"part": {"video_metadata": {"fps": 2.5, "start_offset": "1.5s", "end_offset": "10s"},
                      "file_data": {"file_uri": "gs://b/v.mp4", "mime_type": "video/mp4"}},
             "role": "user", "substream_name": "", "mimetype": "video/mp4", "metadata": {}}"""),
        python(
            "media_resolution",
            """
            {"part": {"inline_data": {"data": "AQID", "mime_type": "image/png"},
                      "media_resolution": {"level": "MEDIA_RESOLUTION_HIGH", "num_tokens": 280}},
             "role": "user", "substream_name": "", "mimetype": "image/png", "metadata": {}}"""),
        python(
            "part_metadata",
            """
            {"part": {"text": "x", "part_metadata": {"source": "doc-1", "page": 3, "tags": ["a"]}},
             "role": "", "substream_name": "", "mimetype": "text/plain", "metadata": {}}"""),
        python(
            "tool_call, a part with no content field this library models",
            """
            {"part": {"tool_call": {"id": "t1", "tool_type": "GOOGLE_SEARCH_WEB",
                                    "args": {"q": "cats"}}},
             "role": "model", "substream_name": "", "mimetype": "text/plain", "metadata": {}}"""),
        python(
            "tool_response",
            """
            {"part": {"tool_response": {"id": "t1", "tool_type": "GOOGLE_SEARCH_WEB",
                                        "response": {"hits": [1, 2]}}},
             "role": "user", "substream_name": "", "mimetype": "text/plain", "metadata": {}}"""),
        python(
            "audio_transcription and speech_metadata",
            """
            {"part": {"text": "hello", "audio_transcription": {"text": "hello", "finished": true,
                                                               "language_code": "en"},
                      "speech_metadata": {"speaker": "A", "style": "calm"}},
             "role": "model", "substream_name": "", "mimetype": "text/plain", "metadata": {}}"""),
        python(
            "media_processing",
            """
            {"part": {"inline_data": {"data": "AQID", "mime_type": "video/mp4"},
                      "media_processing": {}},
             "role": "user", "substream_name": "", "mimetype": "video/mp4", "metadata": {}}"""),
        python(
            "a field no Gemini version has yet, nested too",
            """
            {"part": {"text": "x", "future_field": {"a": [1, {"b": null}]},
                      "thought_signature": "AQID"},
             "role": "", "substream_name": "", "mimetype": "text/plain",
             "metadata": {"k": "v"}}"""),
        python(
            "no field at all",
            """
            {"part": {}, "role": "", "substream_name": "", "mimetype": "text/plain",
             "metadata": {}}"""));
  }

  private static Arguments python(String name, String json) {
    return Arguments.of(name, json);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pythonDicts")
  void aPythonDict_readAndWrittenBack_isTheSameJsonTree(String name, String python) {
    ProcessorPart part = PartJson.fromJson(python);

    assertThat(tree(PartJson.toJson(part))).isEqualTo(tree(python));
    assertThat(tree(new String(PartJson.toJsonBytes(part), UTF_8))).isEqualTo(tree(python));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pythonDicts")
  void aPythonDict_throughFromDictAndToDict_isTheSameJsonTree(String name, String python)
      throws IOException {
    Map<String, Object> dict = MAPPER.readValue(python, new TypeReference<>() {});

    ProcessorPart part = PartJson.fromDict(dict);

    // Through text, as Python's json.dumps would: a tree made from a Long differs from one from 3.
    assertThat(tree(MAPPER.writeValueAsString(PartJson.toDict(part)))).isEqualTo(tree(python));
    assertThat(PartJson.fromDict(PartJson.toDict(part, true))).isEqualTo(part);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pythonDicts")
  void aPythonDict_readTwice_givesEqualParts_andItsCopiesKeepTheExtraFields(
      String name, String python) {
    ProcessorPart part = PartJson.fromJson(python);

    assertThat(PartJson.fromJson(python)).isEqualTo(part).hasSameHashCodeAs(part);
    ProcessorPart copy = part.withRole("other").withSubstreamName("s").withMetadata("k2", 1);
    assertThat(copy.extraFields()).isEqualTo(part.extraFields());
    assertThat(tree(PartJson.toJson(copy)).get("part")).isEqualTo(tree(python).get("part"));
  }

  @Test
  void fieldsThisLibraryDoesNotModel_areKeptAsExtraFields_andTakePartInEquality() {
    ProcessorPart withMetadata =
        PartJson.fromJson("{\"part\": {\"text\": \"x\", \"video_metadata\": {\"fps\": 1.0}}}");
    ProcessorPart withCallFields =
        PartJson.fromJson(
            "{\"part\": {\"function_call\": {\"name\": \"f\", \"args\": {},"
                + " \"will_continue\": false}}}");

    assertThat(withMetadata.extraFields())
        .containsExactly(entry("video_metadata", Map.of("fps", 1.0)));
    assertThat(withMetadata.text()).isEqualTo("x");
    assertThat(withMetadata).isNotEqualTo(ProcessorPart.text("x"));
    assertThat(withCallFields.extraFields())
        .containsExactly(entry("function_call", Map.of("will_continue", false)));
    assertThat(withCallFields.functionCall()).isEqualTo(FunctionCall.of("f", Map.of()));
  }

  @Test
  void aFileReference_keepsItsOwnMimeType_nextToThePartsOwn() throws IOException {
    String python =
        "{\"part\": {\"file_data\": {\"file_uri\": \"gs://b/r.pdf\","
            + " \"mime_type\": \"application/pdf\"}}, \"mimetype\": \"text/plain\"}";

    ProcessorPart part = PartJson.fromJson(python);

    assertThat(part.mimeType()).isEqualTo(MimeTypes.TEXT_PLAIN);
    assertThat(part.data()).isEqualTo(new PartData.FileData("gs://b/r.pdf", null));
    assertThat(tree(PartJson.toJson(part)).at("/part/file_data/mime_type").asText())
        .isEqualTo("application/pdf");
  }

  @Test
  void aFileReference_withoutAPartMimeType_isTextPlain_asInPython() {
    ProcessorPart part =
        PartJson.fromJson(
            "{\"part\": {\"file_data\": {\"file_uri\": \"gs://b/r.pdf\", \"mime_type\":"
                + " \"application/pdf\"}}}");

    assertThat(part.mimeType()).isEqualTo(MimeTypes.TEXT_PLAIN);
  }

  @Test
  void withThought_andWithThoughtSignature_replaceWhatTheExtraFieldsHeldForThem() {
    ProcessorPart read = PartJson.fromJson("{\"part\": {\"text\": \"x\", \"thought\": false}}");

    ProcessorPart thought = read.withThought(true);

    assertThat(read.isThought()).isFalse();
    assertThat(tree(PartJson.toJson(read)).at("/part/thought").asBoolean(true)).isFalse();
    assertThat(thought.isThought()).isTrue();
    assertThat(thought.extraFields()).isEmpty();
    assertThat(tree(PartJson.toJson(thought)).at("/part/thought").asBoolean()).isTrue();
    assertThat(PartJson.fromJson(PartJson.toJson(thought))).isEqualTo(thought);
  }

  @Test
  void bytesAreWrittenInTheUrlSafeAlphabetWithPadding_asTheGeminiSdkWritesThem() {
    ProcessorPart part =
        ProcessorPart.blob(new byte[] {(byte) 0xfb, (byte) 0xff}, MimeTypes.IMAGE_PNG)
            .withThoughtSignature(new byte[] {(byte) 0xfb, (byte) 0xef, (byte) 0xbe});

    JsonNode json = tree(PartJson.toJson(part));
    Map<String, Object> dict = PartJson.toDict(part);

    assertThat(json.at("/part/inline_data/data").asText()).isEqualTo("-_8=");
    assertThat(json.at("/part/thought_signature").asText()).isEqualTo("----");
    assertThat(MAPPER.valueToTree(dict).at("/part/inline_data/data").asText()).isEqualTo("-_8=");
  }

  @Test
  void bytesWithATextMimeType_areWrittenAsText_asPythonWritesThem() {
    ProcessorPart part = ProcessorPart.bytes("hello".getBytes(UTF_8), MimeTypes.TEXT_PLAIN);

    assertThat(tree(PartJson.toJson(part)))
        .isEqualTo(
            tree(
                "{\"part\": {\"text\": \"hello\"}, \"role\": \"\", \"substream_name\": \"\","
                    + " \"mimetype\": \"text/plain\", \"metadata\": {}}"));
  }

  @Test
  void twoContentFields_stillFail_evenNextToFieldsThisLibraryDoesNotModel() {
    assertThatThrownBy(
            () ->
                PartJson.fromJson(
                    "{\"part\": {\"video_metadata\": {}, \"text\": \"a\", \"file_data\":"
                        + " {\"file_uri\": \"gs://b/f\"}}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "part dict.part holds more than one content field: text and file_data");
  }

  @Test
  void aKnownNestedFieldOfTheWrongType_stillFails_namingIt() {
    assertThatThrownBy(
            () ->
                PartJson.fromJson(
                    "{\"part\": {\"function_call\": {\"name\": \"f\", \"will_continue\": true,"
                        + " \"id\": 7}}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "part dict.part.function_call.id must be a string but was the number 7");
  }

  private static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
