package dev.genaiprocessors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessorPartTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};

  record Forecast(String city, double temperature, List<String> tags) {}

  @Nested
  class Construction {
    @Test
    void text_makesPlainTextPartWithEmptyRoleAndSubstream() {
      ProcessorPart part = ProcessorPart.text("hello");

      assertThat(part.data()).isEqualTo(new PartData.Text("hello"));
      assertThat(part.text()).isEqualTo("hello");
      assertThat(part.mimeType()).isEqualTo(MimeTypes.TEXT_PLAIN);
      assertThat(part.role()).isEmpty();
      assertThat(part.substreamName()).isEmpty();
      assertThat(part.metadata()).isEmpty();
      assertThat(part.isThought()).isFalse();
      assertThat(part.thoughtSignature()).isNull();
      assertThat(part.isText()).isTrue();
    }

    @Test
    void text_acceptsAnyCharSequence_andEmptyText() {
      assertThat(ProcessorPart.text(new StringBuilder("ab")).text()).isEqualTo("ab");
      assertThat(ProcessorPart.text("").text()).isEmpty();
      assertThat(ProcessorPart.text("").mimeType()).isEqualTo(MimeTypes.TEXT_PLAIN);
    }

    @Test
    void bytes_keepsBytesAsInlineData_forANonTextMimeType() {
      ProcessorPart image = ProcessorPart.bytes(PNG, MimeTypes.IMAGE_PNG);

      assertThat(image.data()).isInstanceOf(PartData.Blob.class);
      assertThat(image.bytes()).isEqualTo(PNG);
      assertThat(image.mimeType()).isEqualTo(MimeTypes.IMAGE_PNG);
      assertThat(image.isText()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {MimeTypes.TEXT_PLAIN, MimeTypes.TEXT_CSV, "application/json; type=X"})
    void bytes_ofValidUtf8WithATextMimeType_makeATextPart_asPythonsConstructorDoes(String mime) {
      ProcessorPart part = ProcessorPart.bytes("héllo".getBytes(UTF_8), mime);

      assertThat(part.data()).isEqualTo(new PartData.Text("héllo"));
      assertThat(part.mimeType()).isEqualTo(mime);
      assertThat(part.bytes()).isEqualTo("héllo".getBytes(UTF_8));
    }

    @Test
    void bytes_thatAreNotUtf8_stayInlineData_evenWithATextMimeType() {
      byte[] latin1 = {'h', (byte) 0xe9};

      ProcessorPart part = ProcessorPart.bytes(latin1, MimeTypes.TEXT_PLAIN);

      assertThat(part.data()).isEqualTo(new PartData.Blob(latin1, null));
      assertThat(part.bytes()).isEqualTo(latin1);
    }

    @Test
    void blob_keepsBytesAsInlineData_evenForATextMimeType_asPythonsFromBytesDoes() {
      ProcessorPart part = ProcessorPart.blob("héllo".getBytes(UTF_8), MimeTypes.TEXT_PLAIN);

      assertThat(part.data()).isInstanceOf(PartData.Blob.class);
      assertThat(part.text()).isEqualTo("héllo");
    }

    @Test
    void bytes_ofTextPart_areItsUtf8Encoding_evenWhenTheMimeTypeIsNotText() {
      ProcessorPart command = ProcessorPart.text("foo").withMimeType("application/x-command");

      assertThat(command.bytes()).isEqualTo("foo".getBytes(UTF_8));
      assertThat(ProcessorPart.text("é").bytes()).isEqualTo(new byte[] {(byte) 0xC3, (byte) 0xA9});
    }

    @Test
    void fromUri_makesFileReferenceOfTheGivenType() {
      ProcessorPart part = ProcessorPart.fromUri("gs://bucket/cat.png", MimeTypes.IMAGE_PNG);

      assertThat(part.data()).isEqualTo(new PartData.FileData("gs://bucket/cat.png", null));
      assertThat(part.mimeType()).isEqualTo(MimeTypes.IMAGE_PNG);
    }

    @Test
    void functionCall_makesCallWithNoIdAndTheFunctionCallMimeType() {
      ProcessorPart part = ProcessorPart.functionCall("get_weather", Map.of("city", "Paris"));

      assertThat(part.isFunctionCall()).isTrue();
      assertThat(part.functionCall().id()).isNull();
      assertThat(part.functionCall().name()).isEqualTo("get_weather");
      assertThat(part.functionCall().args()).containsExactly(entry("city", "Paris"));
      assertThat(part.mimeType())
          .isEqualTo(MimeTypes.FUNCTION_CALL)
          .isEqualTo(
              "application/x-protobuf; type=google.ai.generativelanguage.v1main.FunctionCall");
    }

    @Test
    void functionCall_keepsTheIdOfTheGivenCall() {
      FunctionCall call = FunctionCall.of("f", Map.of()).withId("call-1");

      assertThat(ProcessorPart.functionCall(call).functionCall().id()).isEqualTo("call-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void functionCall_failsNamingTheName_whenNameIsBlank(String name) {
      assertThatThrownBy(() -> ProcessorPart.functionCall(name, Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("function call name must not be blank")
          .hasMessageContaining("'" + name + "'");
    }

    @Test
    void functionCall_normalisesIntegerArgumentsToLong_deeply() {
      Map<String, Object> nested = new LinkedHashMap<>();
      nested.put("n", 2);
      nested.put("list", List.of((short) 3, (byte) 4));
      ProcessorPart part = ProcessorPart.functionCall("f", Map.of("a", 1, "nested", nested));

      assertThat(part.functionCall().args().get("a")).isEqualTo(1L);
      assertThat(part.functionCall().args().get("nested"))
          .isEqualTo(Map.of("n", 2L, "list", List.of(3L, 4L)));
    }

    @Test
    void functionCall_failsNamingTheArgument_whenAnArgumentIsNotJson() {
      assertThatThrownBy(() -> ProcessorPart.functionCall("f", Map.of("when", Instant.EPOCH)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("args of function call f.when")
          .hasMessageContaining("java.time.Instant");
    }

    @Test
    void functionResponse_makesResponsePartWithTheFunctionResponseMimeType() {
      ProcessorPart part = ProcessorPart.functionResponse("get_weather", "sunny");

      assertThat(part.isFunctionResponse()).isTrue();
      assertThat(part.functionResponse().name()).isEqualTo("get_weather");
      assertThat(part.functionResponse().response()).containsExactly(entry("result", "sunny"));
      assertThat(part.mimeType())
          .isEqualTo(MimeTypes.FUNCTION_RESPONSE)
          .isEqualTo(
              "application/x-protobuf; type=google.ai.generativelanguage.v1main.FunctionResponse");
    }

    @Test
    void functionResponse_keepsIdWillContinueAndScheduling() {
      FunctionResponse response =
          FunctionResponse.result("f", 1)
              .withId("call-1")
              .withWillContinue(true)
              .withScheduling(FunctionResponse.Scheduling.WHEN_IDLE);

      ProcessorPart part = ProcessorPart.functionResponse(response);

      assertThat(part.functionResponse().id()).isEqualTo("call-1");
      assertThat(part.functionResponse().willContinue()).isTrue();
      assertThat(part.functionResponse().scheduling())
          .isEqualTo(FunctionResponse.Scheduling.WHEN_IDLE);
      assertThat(part.functionResponse().response()).isEqualTo(Map.of("result", 1L));
    }

    @Test
    void toolCancellation_isModelFunctionResponseNamingTheCallToCancel() {
      ProcessorPart part = ProcessorPart.toolCancellation("call-7");

      assertThat(part.role()).isEqualTo("model");
      assertThat(part.mimeType()).isEqualTo(MimeTypes.FUNCTION_RESPONSE);
      assertThat(part.functionResponse().name()).isEqualTo(FunctionResponse.TOOL_CANCELLATION);
      assertThat(part.functionResponse().response())
          .containsExactly(entry("function_call_id", "call-7"));
      assertThat(part.functionResponse().cancelledCallId()).isEqualTo("call-7");
    }

    @Test
    void cancelledCallId_isNull_forOrdinaryResponses() {
      assertThat(FunctionResponse.result("f", Map.of("function_call_id", "x")).cancelledCallId())
          .isNull();
      assertThat(
              new FunctionResponse(
                      null, FunctionResponse.TOOL_CANCELLATION, Map.of(), List.of(), null, null)
                  .cancelledCallId())
          .isNull();
    }

    @Test
    void as_refusesAPartTypedAsAnotherRecord_butReadsUntypedJsonAsAny() {
      record Invoice(String city) {}
      ProcessorPart forecast = ProcessorPart.json(new Forecast("Paris", 21.5, List.of()));

      assertThatThrownBy(() -> forecast.as(Invoice.class))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Part is not Invoice (JSON) but application/json; type=Forecast");
      ProcessorPart untyped =
          ProcessorPart.text("{\"city\":\"Oslo\"}").withMimeType("application/json");
      assertThat(untyped.as(Invoice.class)).isEqualTo(new Invoice("Oslo"));
    }

    @Test
    void json_ofRecord_isTypedJsonThatReadsBackAsTheRecord() {
      Forecast forecast = new Forecast("Paris", 21.5, List.of("sunny", "warm"));

      ProcessorPart part = ProcessorPart.json(forecast);

      assertThat(part.mimeType()).isEqualTo("application/json; type=Forecast");
      assertThat(MimeTypes.isTypedJson(part.mimeType(), "Forecast")).isTrue();
      assertThat(part.isText()).isTrue();
      assertThat(part.as(Forecast.class)).isEqualTo(forecast);
      assertThat(part.json().get("city").asText()).isEqualTo("Paris");
      assertThat(part.as(Map.class).get("city")).isEqualTo("Paris");
      assertThat(part.json().get("temperature").asDouble()).isEqualTo(21.5);
    }

    @ParameterizedTest
    @MethodSource("dev.genaiprocessors.ProcessorPartTest#plainJsonValues")
    void json_ofPlainJsonValue_isUntypedJson(Object value, String expectedText) {
      ProcessorPart part = ProcessorPart.json(value);

      assertThat(part.mimeType()).isEqualTo(MimeTypes.APPLICATION_JSON);
      assertThat(part.text()).isEqualTo(expectedText);
    }

    @Test
    void as_readsUntypedJsonIntoAMap() {
      ProcessorPart part = ProcessorPart.json(Map.of("k", List.of(1, 2)));
      Map<?, ?> map = part.as(Map.class);

      assertThat(map).isEqualTo(Map.of("k", List.of(1, 2)));
    }

    @Test
    void as_failsNamingTheTargetType_whenJsonDoesNotFit() {
      ProcessorPart part = ProcessorPart.json(List.of(1, 2));

      assertThatThrownBy(() -> part.as(Forecast.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot be read as " + Forecast.class.getName());
    }

    @Test
    void json_failsNamingTheMimeType_whenTextIsNotValidJson() {
      ProcessorPart part = ProcessorPart.text("{not json").withMimeType(MimeTypes.APPLICATION_JSON);

      assertThatThrownBy(part::json)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("application/json does not hold valid JSON");
    }

    @Test
    void exception_describesClassAndMessage_neverTheStackTrace() {
      ProcessorPart part = ProcessorPart.exception(new IllegalStateException("boom"));

      assertThat(part.mimeType()).isEqualTo(MimeTypes.TEXT_EXCEPTION);
      assertThat(part.isException()).isTrue();
      assertThat(part.text()).isEqualTo("java.lang.IllegalStateException: boom");
      // Python peers read exception_type as the simple name; the Java name has a key of its own.
      assertThat(part.metadata("exception_type")).isEqualTo("IllegalStateException");
      assertThat(part.metadata("exception_class")).isEqualTo("java.lang.IllegalStateException");
      assertThat(ProcessorPart.exception(new RuntimeException() {}).metadata("exception_type"))
          .isEqualTo("ProcessorPartTest$Construction$1");
    }

    @Test
    void exception_withoutMessage_isJustTheClassName() {
      assertThat(ProcessorPart.exception(new RuntimeException()).text())
          .isEqualTo("java.lang.RuntimeException");
    }

    @Test
    void endOfTurn_isEmptyUserTextMarkedTurnComplete() {
      ProcessorPart part = ProcessorPart.endOfTurn();

      assertThat(part.text()).isEmpty();
      assertThat(part.role()).isEqualTo("user");
      assertThat(part.metadata()).containsExactly(entry(ProcessorPart.TURN_COMPLETE, true));
      assertThat(part.isEndOfTurn()).isTrue();
      assertThat(ProcessorPart.endOfTurn("audio").substreamName()).isEqualTo("audio");
      assertThat(ProcessorPart.endOfTurn("audio").isEndOfTurn()).isTrue();
    }

    @Test
    void isEndOfTurn_isFalse_unlessTurnCompleteIsTrue() {
      assertThat(ProcessorPart.text("").isEndOfTurn()).isFalse();
      assertThat(
              ProcessorPart.text("").withMetadata(ProcessorPart.TURN_COMPLETE, false).isEndOfTurn())
          .isFalse();
    }

    @Test
    void executableCodeAndCodeExecutionResult_carryTheirFields() {
      assertThat(ProcessorPart.executableCode("print(1)", "PYTHON").data())
          .isEqualTo(new PartData.ExecutableCode("print(1)", "PYTHON"));
      assertThat(ProcessorPart.codeExecutionResult("OUTCOME_OK", "1\n").data())
          .isEqualTo(new PartData.CodeExecutionResult("OUTCOME_OK", "1\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "notamime", "image", "/png", "image/", "image /png", " image/png"})
    void bytes_failsNamingTheValue_whenMimeTypeIsInvalid(String mimeType) {
      assertThatThrownBy(() -> ProcessorPart.bytes(PNG, mimeType))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("type/subtype")
          .hasMessageContaining("'" + mimeType + "'");
    }

    @Test
    void withMimeType_failsNamingTheValue_whenMimeTypeIsInvalid() {
      assertThatThrownBy(() -> ProcessorPart.text("a").withMimeType("notamime"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'notamime'");
    }

    @Test
    void fromUri_acceptsMimeTypeWithParameters() {
      assertThat(ProcessorPart.fromUri("x", "audio/l16; rate=24000").mimeType())
          .isEqualTo("audio/l16; rate=24000");
    }
  }

  static Stream<Arguments> plainJsonValues() {
    return Stream.of(
        Arguments.of(Map.of("a", 1), "{\"a\":1}"),
        Arguments.of(List.of(1, "b"), "[1,\"b\"]"),
        Arguments.of("s", "\"s\""),
        Arguments.of(42, "42"),
        Arguments.of(true, "true"),
        Arguments.of(null, "null"));
  }

  @Nested
  class FunctionResponses {
    @ParameterizedTest
    @MethodSource("dev.genaiprocessors.ProcessorPartTest#jsonResults")
    void result_wrapsJsonValueUnderResult(Object value, Object stored) {
      FunctionResponse response = FunctionResponse.result("f", value);

      assertThat(response.response()).isEqualTo(singleEntry("result", stored));
      assertThat(response.parts()).isEmpty();
      assertThat(response.isError()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("dev.genaiprocessors.ProcessorPartTest#jsonResults")
    void error_wrapsJsonValueUnderError(Object value, Object stored) {
      FunctionResponse response = FunctionResponse.error("f", value);

      assertThat(response.response()).isEqualTo(singleEntry("error", stored));
      assertThat(response.isError()).isTrue();
    }

    @Test
    void result_ofRecord_storesItsJsonFormAsAMap() {
      FunctionResponse response =
          FunctionResponse.result("f", new Forecast("Oslo", -3.0, List.of("snow")));

      assertThat(response.response())
          .isEqualTo(
              Map.of(
                  "result", Map.of("city", "Oslo", "temperature", -3.0, "tags", List.of("snow"))));
    }

    @Test
    void result_ofAllTextContent_isTheConcatenatedText() {
      FunctionResponse fromContent =
          FunctionResponse.result("f", ProcessorContent.of("bar", ProcessorPart.text("baz")));
      FunctionResponse fromPart = FunctionResponse.result("f", ProcessorPart.text("bar"));

      assertThat(fromContent.response()).isEqualTo(Map.of("result", "barbaz"));
      assertThat(fromContent.parts()).isEmpty();
      assertThat(fromPart.response()).isEqualTo(Map.of("result", "bar"));
    }

    @Test
    void error_ofAllTextContent_isTheTextUnderError() {
      assertThat(FunctionResponse.error("f", ProcessorContent.of("no such city")).response())
          .isEqualTo(Map.of("error", "no such city"));
    }

    @Test
    void result_ofContentWithNonTextPart_isOneBytePartPerPart_inOrder() {
      ProcessorContent content =
          ProcessorContent.of(
              ProcessorPart.text("Here is a black cat in a black room: ").withRole("user"),
              ProcessorPart.bytes(PNG, MimeTypes.IMAGE_PNG));

      FunctionResponse response = FunctionResponse.result("draw", content);

      assertThat(response.response()).isNull();
      assertThat(response.parts())
          .containsExactly(
              ProcessorPart.blob(
                  "Here is a black cat in a black room: ".getBytes(UTF_8), MimeTypes.TEXT_PLAIN),
              ProcessorPart.blob(PNG, MimeTypes.IMAGE_PNG));
    }

    @Test
    void result_ofContentWithFileReference_keepsTheBareReference() {
      ProcessorPart file =
          ProcessorPart.fromUri("gs://b/cat.png", MimeTypes.IMAGE_PNG)
              .withRole("user")
              .withMetadata("k", "v");

      FunctionResponse response = FunctionResponse.result("draw", ProcessorContent.of(file));

      assertThat(response.parts())
          .containsExactly(ProcessorPart.fromUri("gs://b/cat.png", MimeTypes.IMAGE_PNG));
    }

    @Test
    void constructor_rejectsTextParts_namingTheMimeType() {
      assertThatThrownBy(
              () ->
                  new FunctionResponse(
                      null, "f", null, List.of(ProcessorPart.text("x")), null, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bytes or file references")
          .hasMessageContaining("text/plain");
    }

    @Test
    void result_failsNamingTheKey_whenAMapValueIsNotJson() {
      assertThatThrownBy(() -> FunctionResponse.result("f", Map.of("when", Instant.EPOCH)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("response of function f.result.when")
          .hasMessageContaining("java.time.Instant");
    }
  }

  static Stream<Arguments> jsonResults() {
    return Stream.of(
        Arguments.of("bar", "bar"),
        Arguments.of(3, 3L),
        Arguments.of(2.5, 2.5),
        Arguments.of(true, true),
        Arguments.of(null, null),
        Arguments.of(List.of(1, "a"), List.of(1L, "a")),
        Arguments.of(Map.of("k", Map.of("n", 1)), Map.of("k", Map.of("n", 1L))));
  }

  private static Map<String, Object> singleEntry(String key, Object value) {
    Map<String, Object> map = new HashMap<>();
    map.put(key, value);
    return map;
  }

  @Nested
  class Accessors {
    @Test
    void text_failsWithMimeType_whenPartIsAnImage() {
      ProcessorPart image = ProcessorPart.bytes(PNG, MimeTypes.IMAGE_PNG);

      assertThatThrownBy(image::text)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Part is not text but image/png");
    }

    @Test
    void functionCall_failsWithMimeType_whenPartIsText() {
      assertThatThrownBy(() -> ProcessorPart.text("hi").functionCall())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Part is not function call but text/plain");
    }

    @Test
    void functionResponse_failsWithMimeType_whenPartIsAFunctionCall() {
      assertThatThrownBy(() -> ProcessorPart.functionCall("f", Map.of()).functionResponse())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Part is not function response but " + MimeTypes.FUNCTION_CALL);
    }

    @Test
    void bytes_failsWithMimeType_whenPartIsAFunctionCall() {
      assertThatThrownBy(() -> ProcessorPart.functionCall("f", Map.of()).bytes())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Part is not bytes but " + MimeTypes.FUNCTION_CALL);
    }

    @Test
    void bytes_failsWithMimeType_whenPartIsAFileReference() {
      assertThatThrownBy(() -> ProcessorPart.fromUri("gs://a", "video/mp4").bytes())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Part is not bytes but video/mp4");
    }

    @Test
    void json_failsWithMimeType_whenPartIsPlainText() {
      assertThatThrownBy(() -> ProcessorPart.text("{}").json())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Part is not JSON but text/plain");
      assertThatThrownBy(() -> ProcessorPart.text("{}").as(Forecast.class))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Part is not Forecast (JSON) but text/plain");
    }

    @Test
    void accessors_describeAnExceptionPartByItsText() {
      ProcessorPart failure = ProcessorPart.exception(new IllegalStateException("boom"));

      assertThatThrownBy(failure::functionCall)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Part is not function call but an exception: java.lang.IllegalStateException: boom");
      assertThatThrownBy(() -> failure.as(Forecast.class))
          .hasMessage(
              "Part is not Forecast (JSON) but an exception: java.lang.IllegalStateException:"
                  + " boom");
    }

    @Test
    void accessors_describeAnExceptionPartHoldingBytesByItsText() {
      ProcessorPart failure = ProcessorPart.bytes("boom".getBytes(UTF_8), MimeTypes.TEXT_EXCEPTION);

      assertThatThrownBy(failure::functionResponse)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Part is not function response but an exception: boom");
    }

    @Test
    void text_ofFileReferenceWithTextType_isEmpty() {
      assertThat(ProcessorPart.fromUri("gs://a.txt", MimeTypes.TEXT_PLAIN).text()).isEmpty();
    }

    @Test
    void metadata_ofMissingKey_isNull() {
      assertThat(ProcessorPart.text("a").metadata("absent")).isNull();
    }

    @Test
    void blob_asByteBuffer_isReadOnlyViewOfTheBytes() {
      PartData.Blob blob = (PartData.Blob) ProcessorPart.bytes(PNG, MimeTypes.IMAGE_PNG).data();

      assertThat(blob.size()).isEqualTo(PNG.length);
      assertThat(blob.asByteBuffer().isReadOnly()).isTrue();
      assertThat(blob.asByteBuffer().remaining()).isEqualTo(PNG.length);
    }

    @Test
    void toString_abbreviatesTextAndNeverShowsBytes() {
      String longText = "x".repeat(500);

      assertThat(ProcessorPart.text(longText).toString())
          .hasSizeLessThan(200)
          .contains("500 chars");
      assertThat(ProcessorPart.bytes(PNG, MimeTypes.IMAGE_PNG).withRole("user").toString())
          .contains("7 bytes", "image/png", "role=user");
    }
  }

  @Nested
  class Equality {
    @Test
    void equals_ignoresCaseOfRoleAndSubstream() {
      ProcessorPart a = ProcessorPart.text("x").withRole("User").withSubstreamName("Audio");
      ProcessorPart b = ProcessorPart.text("x").withRole("user").withSubstreamName("AUDIO");

      assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"İ|i", "ΟΔΟΣ|οδοσ", "ς|σ", "ſ|S", "K|k", "ǅ|ǆ", "𐐀|𐐨"})
    void hashCode_agreesWithEquals_forUnicodeCaseVariants(String pair) {
      String[] sides = pair.split("\\|");
      ProcessorPart a = ProcessorPart.text("x").withRole(sides[0]).withSubstreamName(sides[0]);
      ProcessorPart b = ProcessorPart.text("x").withRole(sides[1]).withSubstreamName(sides[1]);

      assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void equals_ignoresCaptureTime() {
      ProcessorPart a = ProcessorPart.text("x").withMetadata(ProcessorPart.CAPTURE_TIME, 1.5);
      ProcessorPart b = ProcessorPart.text("x").withMetadata(ProcessorPart.CAPTURE_TIME, 99.0);
      ProcessorPart none = ProcessorPart.text("x");

      assertThat(a).isEqualTo(b).isEqualTo(none).hasSameHashCodeAs(b).hasSameHashCodeAs(none);
    }

    @Test
    void equals_comparesMimeType_unlikePython() {
      // Python: ProcessorPart('foo') == ProcessorPart('foo', mimetype='application/json').
      ProcessorPart plain = ProcessorPart.text("{}");
      ProcessorPart json = plain.withMimeType(MimeTypes.APPLICATION_JSON);

      assertThat(plain).isNotEqualTo(json);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.genaiprocessors.ProcessorPartTest#differences")
    void equals_isFalse_whenOneFieldDiffers(
        String field, Function<ProcessorPart, ProcessorPart> change) {
      ProcessorPart base =
          ProcessorPart.text("x")
              .withRole("user")
              .withSubstreamName("s")
              .withMetadata("k", 1)
              .withThought(true)
              .withThoughtSignature(new byte[] {1});

      assertThat(change.apply(base)).isNotEqualTo(base);
      assertThat(base).isNotEqualTo(change.apply(base));
    }

    @Test
    void equals_comparesBytesByContent() {
      assertThat(ProcessorPart.bytes(PNG.clone(), MimeTypes.IMAGE_PNG))
          .isEqualTo(ProcessorPart.bytes(PNG.clone(), MimeTypes.IMAGE_PNG))
          .hasSameHashCodeAs(ProcessorPart.bytes(PNG.clone(), MimeTypes.IMAGE_PNG));
      assertThat(
              ProcessorPart.bytes(PNG, MimeTypes.IMAGE_PNG).withThoughtSignature(new byte[] {1, 2}))
          .isEqualTo(
              ProcessorPart.bytes(PNG, MimeTypes.IMAGE_PNG)
                  .withThoughtSignature(new byte[] {1, 2}));
    }

    @Test
    void equals_treatsIntAndLongMetadataAlike() {
      assertThat(ProcessorPart.text("x").withMetadata("n", 1))
          .isEqualTo(ProcessorPart.text("x").withMetadata("n", 1L))
          .hasSameHashCodeAs(ProcessorPart.text("x").withMetadata("n", 1L));
    }

    @Test
    void equals_isFalse_forNonParts() {
      assertThat(ProcessorPart.text("x")).isNotEqualTo("x").isNotEqualTo(null);
    }

    @Test
    void equals_comparesFunctionCallsAndResponsesStructurally() {
      assertThat(ProcessorPart.functionCall("f", Map.of("a", List.of(1))))
          .isEqualTo(ProcessorPart.functionCall("f", Map.of("a", List.of(1L))));
      assertThat(ProcessorPart.functionResponse("f", Map.of("a", 1)))
          .isEqualTo(ProcessorPart.functionResponse("f", Map.of("a", 1L)))
          .isNotEqualTo(
              ProcessorPart.functionResponse(FunctionResponse.error("f", Map.of("a", 1))));
    }
  }

  static Stream<Arguments> differences() {
    return Stream.of(
        difference(
            "text",
            p ->
                new ProcessorPart(
                    new PartData.Text("y"),
                    p.mimeType(),
                    p.role(),
                    p.substreamName(),
                    p.metadata(),
                    p.isThought(),
                    p.thoughtSignature())),
        difference("mime type", p -> p.withMimeType("text/markdown")),
        difference("role", p -> p.withRole("model")),
        difference("substream", p -> p.withSubstreamName("t")),
        difference("metadata value", p -> p.withMetadata("k", 2)),
        difference("metadata key", p -> p.withMetadata("other", 1)),
        difference("thought", p -> p.withThought(false)),
        difference("thought signature", p -> p.withThoughtSignature(new byte[] {2})),
        difference("no thought signature", p -> p.withThoughtSignature(null)));
  }

  private static Arguments difference(String field, Function<ProcessorPart, ProcessorPart> change) {
    return Arguments.of(field, change);
  }

  @Nested
  class CopiesAndImmutability {
    @Test
    void withMethods_returnCopies_andLeaveTheOriginalUnchanged() {
      ProcessorPart original = ProcessorPart.text("x");

      ProcessorPart changed =
          original
              .withRole("model")
              .withSubstreamName("s")
              .withMimeType("text/markdown")
              .withMetadata("k", "v")
              .withThought(true)
              .withThoughtSignature(new byte[] {9});

      assertThat(original.role()).isEmpty();
      assertThat(original.substreamName()).isEmpty();
      assertThat(original.mimeType()).isEqualTo(MimeTypes.TEXT_PLAIN);
      assertThat(original.metadata()).isEmpty();
      assertThat(original.isThought()).isFalse();
      assertThat(original.thoughtSignature()).isNull();
      assertThat(changed.role()).isEqualTo("model");
      assertThat(changed.substreamName()).isEqualTo("s");
      assertThat(changed.mimeType()).isEqualTo("text/markdown");
      assertThat(changed.metadata()).containsExactly(entry("k", "v"));
      assertThat(changed.isThought()).isTrue();
      assertThat(changed.thoughtSignature()).containsExactly(9);
      assertThat(changed.text()).isEqualTo("x");
    }

    @Test
    void withMetadata_addsOrReplacesOneKey_andKeepsTheOthers() {
      ProcessorPart part = ProcessorPart.text("x").withMetadata(Map.of("a", 1, "b", 2));

      assertThat(part.withMetadata("b", 3).metadata()).isEqualTo(Map.of("a", 1L, "b", 3L));
      assertThat(part.withMetadata("c", null).metadata()).containsEntry("c", null).hasSize(3);
      assertThat(part.metadata()).isEqualTo(Map.of("a", 1L, "b", 2L));
    }

    @Test
    void withMetadata_replacingAKey_keepsItsPlace_andAddingOne_goesLast() {
      ProcessorPart part = ProcessorPart.text("x").withMetadata("a", 1).withMetadata("b", 2);

      assertThat(part.withMetadata("a", 9).metadata())
          .containsExactly(entry("a", 9L), entry("b", 2L));
      assertThat(part.withMetadata("c", 3).metadata())
          .containsExactly(entry("a", 1L), entry("b", 2L), entry("c", 3L));
    }

    @Test
    void metadata_withManyKeys_keepsInsertionOrder_andFindsEveryKey() {
      Map<String, Object> source = new LinkedHashMap<>();
      for (int i = 40; i > 0; i--) {
        source.put("k" + i, i);
      }
      ProcessorPart part = ProcessorPart.text("x").withMetadata(source);
      for (int i = 0; i < 40; i++) {
        part = part.withMetadata("added" + i, i);
      }
      part = part.withMetadata("k7", "replaced");

      Map<String, Object> metadata = part.metadata();
      assertThat(metadata).hasSize(80);
      assertThat(metadata.keySet()).startsWith("k40", "k39").endsWith("added38", "added39");
      assertThat(metadata.get("k7")).isEqualTo("replaced");
      assertThat(metadata.get("k1")).isEqualTo(1L);
      assertThat(metadata.get("added39")).isEqualTo(39L);
      assertThat(metadata.containsKey("k41")).isFalse();
      assertThat(metadata.get("missing")).isNull();
      assertThat(metadata.get(7)).isNull();
      Map<String, Object> expected = new HashMap<>(metadata);
      assertThat(metadata).isEqualTo(expected);
      assertThat(metadata.hashCode()).isEqualTo(expected.hashCode());
    }

    @Test
    void metadata_fromAMapWithEqualKeysTwice_keepsOneEntry() {
      // An IdentityHashMap can hold two equal strings as different keys.
      Map<String, Object> source = new java.util.IdentityHashMap<>();
      source.put(new String("k"), 1);
      source.put(new String("k"), 1);

      Map<String, Object> metadata = ProcessorPart.text("x").withMetadata(source).metadata();

      assertThat(metadata).containsExactly(entry("k", 1L));
    }

    @Test
    void metadata_entries_cannotBeChangedThroughViewsOrIterators() {
      Map<String, Object> metadata =
          ProcessorPart.text("x").withMetadata(Map.of("a", 1)).metadata();

      assertThatThrownBy(() -> metadata.entrySet().iterator().next().setValue(2))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> metadata.keySet().iterator().remove())
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> metadata.values().clear())
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> metadata.remove("a"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(metadata).containsExactly(entry("a", 1L));
    }

    @Test
    void withMetadata_map_replacesAllMetadata() {
      ProcessorPart part =
          ProcessorPart.text("x").withMetadata("a", 1).withMetadata(Map.of("b", 2));

      assertThat(part.metadata()).containsExactly(entry("b", 2L));
    }

    @Test
    void metadata_isUnmodifiable_deeply() {
      Map<String, Object> nested = new HashMap<>();
      nested.put("list", new ArrayList<>(List.of(1)));
      ProcessorPart part = ProcessorPart.text("x").withMetadata(Map.of("nested", nested));

      assertThatThrownBy(() -> part.metadata().put("k", "v"))
          .isInstanceOf(UnsupportedOperationException.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> stored = (Map<String, Object>) part.metadata("nested");
      assertThatThrownBy(() -> stored.put("k", "v"))
          .isInstanceOf(UnsupportedOperationException.class);
      @SuppressWarnings("unchecked")
      List<Object> list = (List<Object>) stored.get("list");
      assertThatThrownBy(() -> list.add(2)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void metadata_isCopiedIn_soLaterChangesToTheSourceDoNotShow() {
      Map<String, Object> source = new HashMap<>();
      List<Object> list = new ArrayList<>(List.of("a"));
      source.put("list", list);
      ProcessorPart part = ProcessorPart.text("x").withMetadata(source);

      source.put("other", 1);
      list.add("b");

      assertThat(part.metadata()).containsExactly(entry("list", List.of("a")));
    }

    @Test
    void functionCallArgs_areCopiedIn_andUnmodifiable() {
      Map<String, Object> args = new HashMap<>(Map.of("a", 1));
      ProcessorPart part = ProcessorPart.functionCall("f", args);

      args.put("b", 2);

      assertThat(part.functionCall().args()).containsExactly(entry("a", 1L));
      assertThatThrownBy(() -> part.functionCall().args().put("c", 3))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void bytes_areCopiedInAndOut() {
      byte[] data = {1, 2, 3};
      ProcessorPart part = ProcessorPart.bytes(data, "application/octet-stream");

      data[0] = 42;
      part.bytes()[1] = 42;
      ((PartData.Blob) part.data()).data()[2] = 42;

      assertThat(part.bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void thoughtSignature_isCopiedInAndOut() {
      byte[] signature = {1, 2};
      ProcessorPart part = ProcessorPart.text("x").withThoughtSignature(signature);

      signature[0] = 42;
      part.thoughtSignature()[1] = 42;

      assertThat(part.thoughtSignature()).containsExactly(1, 2);
    }

    @Test
    void withThoughtSignature_null_removesTheSignature() {
      assertThat(
              ProcessorPart.text("x")
                  .withThoughtSignature(new byte[] {1})
                  .withThoughtSignature(null)
                  .thoughtSignature())
          .isNull();
    }
  }

  @Nested
  class Metadata {
    @Test
    void withMetadata_failsNamingTheKey_whenValueIsNotJson() {
      assertThatThrownBy(() -> ProcessorPart.text("x").withMetadata("when", Instant.EPOCH))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("metadata.when")
          .hasMessageContaining("java.time.Instant");
    }

    @Test
    void withMetadata_failsNamingThePath_whenNestedValueIsNotJson() {
      Map<String, Object> nested = Map.of("inner", List.of("ok", new Object()));

      assertThatThrownBy(() -> ProcessorPart.text("x").withMetadata(Map.of("outer", nested)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("metadata.outer.inner[1]")
          .hasMessageContaining("java.lang.Object");
    }

    @Test
    void withMetadata_failsNamingTheKey_whenANestedKeyIsNotAString() {
      Map<Object, Object> nested = Map.of(7, "seven");

      assertThatThrownBy(() -> ProcessorPart.text("x").withMetadata("m", nested))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("metadata.m must have string keys")
          .hasMessageContaining("java.lang.Integer");
    }

    @ParameterizedTest
    @MethodSource("dev.genaiprocessors.ProcessorPartTest#normalisedValues")
    void withMetadata_normalisesIntegersToLongAndFloatsToDouble(Object value, Object expected) {
      Object stored = ProcessorPart.text("x").withMetadata("n", value).metadata("n");

      assertThat(stored).isEqualTo(expected).isExactlyInstanceOf(expected.getClass());
    }

    @Test
    void withMetadata_keepsJsonValuesAsGiven() {
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("null", null);
      values.put("string", "ü✓");
      values.put("bool", false);
      values.put("double", 0.25);
      values.put("list", List.of());
      values.put("map", Map.of());

      assertThat(ProcessorPart.text("x").withMetadata(values).metadata()).isEqualTo(values);
    }
  }

  static Stream<Arguments> normalisedValues() {
    return Stream.of(
        Arguments.of(1, 1L),
        Arguments.of((short) 2, 2L),
        Arguments.of((byte) 3, 3L),
        Arguments.of(4L, 4L),
        Arguments.of(BigInteger.valueOf(5), 5L),
        Arguments.of(BigInteger.TWO.pow(70), BigInteger.TWO.pow(70)),
        Arguments.of(1.5f, 1.5),
        Arguments.of(new StringBuilder("sb"), "sb"));
  }

  @Nested
  class BadValues {
    @Test
    void withMetadata_failsNamingThePath_whenAMapContainsItself() {
      Map<String, Object> metadata = new HashMap<>();
      metadata.put("self", metadata);

      assertThatThrownBy(() -> ProcessorPart.text("a").withMetadata(metadata))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("metadata.self is metadata again");
    }

    @Test
    void withMetadata_failsNamingThePath_whenAMapContainsItselfThroughAList() {
      Map<String, Object> inner = new LinkedHashMap<>();
      List<Object> items = new ArrayList<>(List.of("x", inner));
      inner.put("items", items);

      assertThatThrownBy(
              () -> ProcessorPart.text("a").withMetadata("outer", Map.of("inner", inner)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("metadata.outer.inner.items[1] is metadata.outer.inner again");
    }

    @Test
    void functionCall_failsNamingThePath_whenAnArgumentContainsItself() {
      List<Object> list = new ArrayList<>();
      list.add(list);

      assertThatThrownBy(() -> FunctionCall.of("f", Map.of("xs", list)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "args of function call f.xs[0] is args of function call f.xs again");
    }

    @Test
    void withMetadata_refusesAMapThatContainsItself_underAKey_namingTheShortestLoop() {
      Map<String, Object> loop = new HashMap<>();
      loop.put("self", loop);

      assertThatThrownBy(() -> ProcessorPart.text("a").withMetadata(Map.of("loop", loop)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "metadata.loop.self is metadata.loop again: a map or list that contains itself"
                  + " cannot be JSON");
    }

    @Test
    void withMetadata_refusesAListThatContainsItselfDeepDown_namingTheShortestLoop() {
      List<Object> loop = new ArrayList<>();
      List<Object> inner = new ArrayList<>(List.of(new ArrayList<>(List.of(loop))));
      loop.add(inner);
      Map<String, Object> deep = Map.of("a", Map.of("b", Map.of("c", Map.of("d", loop))));

      assertThatThrownBy(() -> ProcessorPart.text("a").withMetadata(Map.of("deep", deep)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("metadata.deep.a.b.c.d[0][0][0] is metadata.deep.a.b.c.d again");
    }

    @Test
    void withMetadata_acceptsOneListSharedByTwoBranches_sinceItIsNoCycle() {
      List<Object> shared = List.of(1, 2);

      ProcessorPart part = ProcessorPart.text("a").withMetadata(Map.of("a", shared, "b", shared));

      assertThat(part.metadata())
          .containsEntry("a", List.of(1L, 2L))
          .containsEntry("b", List.of(1L, 2L));
    }

    @Test
    void withMetadata_failsClearly_whenListsNestDeeperThanJsonCanBeRead() {
      List<Object> deep = new ArrayList<>();
      List<Object> innermost = deep;
      for (int i = 0; i < 100_000; i++) {
        List<Object> next = new ArrayList<>();
        innermost.add(next);
        innermost = next;
      }

      assertThatThrownBy(() -> ProcessorPart.text("a").withMetadata("deep", deep))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nests maps and lists more than 990 deep");
    }

    @ParameterizedTest
    @MethodSource("dev.genaiprocessors.ProcessorPartTest#nonFiniteNumbers")
    void withMetadata_rejectsNaNAndInfinity_namingTheKey(Number value) {
      assertThatThrownBy(() -> ProcessorPart.text("a").withMetadata("score", value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("metadata.score must be a finite number");
      assertThatThrownBy(
              () -> ProcessorPart.text("a").withMetadata(Map.of("scores", List.of(1, value))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("metadata.scores[1] must be a finite number");
      assertThatThrownBy(() -> FunctionCall.of("f", Map.of("x", value)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("args of function call f.x must be a finite number");
    }

    @Test
    void metadata_holdsBigDecimalsAsTheFormJsonReadsBack() {
      ProcessorPart part =
          ProcessorPart.text("a")
              .withMetadata("exact", new java.math.BigDecimal("1.50"))
              .withMetadata("huge", new java.math.BigDecimal("1e999"))
              .withMetadata("precise", new java.math.BigDecimal("0.1000000000000000000001"))
              .withMetadata("wide", new java.math.BigDecimal("123456789012345678901234567890"));

      assertThat(part.metadata("exact")).isEqualTo(1.5);
      assertThat(part.metadata("huge")).isEqualTo(new java.math.BigDecimal("1e999"));
      assertThat(part.metadata("precise"))
          .isEqualTo(new java.math.BigDecimal("0.1000000000000000000001"));
      assertThat(part.metadata("wide"))
          .isEqualTo(new java.math.BigDecimal("123456789012345678901234567890.0"));
      assertThat(PartJson.fromJson(PartJson.toJson(part))).isEqualTo(part);
    }

    @Test
    void messages_quoteAHugeValueCutToAReadableLength() {
      String huge = "x".repeat(10_000_000);

      assertThatThrownBy(() -> ProcessorPart.bytes(new byte[0], huge))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("(10000000 chars)")
          .message()
          .hasSizeLessThan(400);
      assertThatThrownBy(() -> ProcessorPart.text("a").withMetadata(Map.of(huge, Double.NaN)))
          .isInstanceOf(IllegalArgumentException.class)
          .message()
          .hasSizeLessThan(400);
      assertThatThrownBy(() -> ProcessorPart.text("a").withMimeType("image/" + huge).text())
          .isInstanceOf(IllegalStateException.class)
          .message()
          .hasSizeLessThan(400);
    }
  }

  static Stream<Number> nonFiniteNumbers() {
    return Stream.of(
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        Float.NaN,
        Float.NEGATIVE_INFINITY);
  }
}
