package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MimeTypesTest {

  @ParameterizedTest(name = "{0}(\"{1}\") is {2}")
  @MethodSource("predicateCases")
  void predicate_classifiesTheMimeType(String predicate, String mimeType, boolean expected) {
    assertThat(predicate(predicate).test(mimeType)).isEqualTo(expected);
  }

  private static Predicate<String> predicate(String name) {
    return switch (name) {
      case "isText" -> MimeTypes::isText;
      case "isJson" -> MimeTypes::isJson;
      case "isImage" -> MimeTypes::isImage;
      case "isAudio" -> MimeTypes::isAudio;
      case "isVideo" -> MimeTypes::isVideo;
      case "isStreamingAudio" -> MimeTypes::isStreamingAudio;
      case "isWav" -> MimeTypes::isWav;
      case "isPdf" -> MimeTypes::isPdf;
      case "isCsv" -> MimeTypes::isCsv;
      case "isHtml" -> MimeTypes::isHtml;
      case "isPython" -> MimeTypes::isPython;
      case "isException" -> MimeTypes::isException;
      case "isSourceCode" -> MimeTypes::isSourceCode;
      case "isProtoMessage" -> MimeTypes::isProtoMessage;
      default -> throw new IllegalArgumentException(name);
    };
  }

  static Stream<Arguments> predicateCases() {
    return Stream.of(
            // isText: the input text types, any text/*, any application/json...
            cases(
                "isText",
                true,
                "text/plain",
                "text/csv",
                "text/html",
                "text/xml",
                "text/x-python",
                "text/x-script.python",
                "application/json",
                "application/json; type=Forecast",
                "TEXT/PLAIN",
                "Application/JSON",
                "text/markdown",
                "text/x-exception",
                "text/plain; charset=utf-8"),
            cases(
                "isText",
                false,
                "application/pdf",
                "image/png",
                "application/x-protobuf",
                "application/xml",
                "audio/wav",
                MimeTypes.FUNCTION_CALL),
            cases(
                "isJson", true, "application/json", "application/json; type=X", "APPLICATION/JSON"),
            cases("isJson", false, "text/plain", "application/xml", "text/json"),
            cases(
                "isImage",
                true,
                "image/png",
                "image/jpeg",
                "image/webp",
                "image/heic",
                "image/heif",
                "image/gif",
                "IMAGE/PNG"),
            cases("isImage", false, "video/mp4", "application/png", "text/plain"),
            cases(
                "isAudio",
                true,
                "audio/aac",
                "audio/flac",
                "audio/mp3",
                "audio/m4a",
                "audio/mpeg",
                "audio/mpga",
                "audio/mp4",
                "audio/opus",
                "audio/pcm",
                "audio/wav",
                "audio/webm",
                "audio/l16; rate=24000",
                "AUDIO/WAV"),
            cases("isAudio", false, "video/mp4", "image/png"),
            cases(
                "isVideo",
                true,
                "video/mov",
                "video/mpeg",
                "video/mpegps",
                "video/mpg",
                "video/mp4",
                "video/webm",
                "video/wmv",
                "video/x-flv",
                "video/3gpp",
                "video/quicktime",
                "VIDEO/MP4"),
            cases("isVideo", false, "audio/mp4", "image/png"),
            cases("isStreamingAudio", true, "audio/l16", "audio/l16; rate=16000", "AUDIO/L16"),
            cases("isStreamingAudio", false, "audio/wav", "audio/pcm"),
            cases("isWav", true, "audio/wav", "AUDIO/WAV"),
            cases("isWav", false, "audio/wave", "audio/x-wav", "audio/wav; rate=1"),
            cases("isPdf", true, "application/pdf", "Application/PDF"),
            cases("isPdf", false, "application/pdf2", "text/pdf"),
            cases("isCsv", true, "text/csv", "TEXT/CSV"),
            cases("isCsv", false, "text/csv; header=present", "application/csv"),
            cases("isHtml", true, "text/html", "text/html; charset=utf-8", "TEXT/HTML"),
            cases("isHtml", false, "application/xhtml+xml", "text/plain"),
            cases("isPython", true, "text/x-python", "text/x-script.python", "TEXT/X-PYTHON"),
            cases("isPython", false, "text/python", "application/x-python-code"),
            cases("isException", true, "text/x-exception", "TEXT/X-EXCEPTION"),
            cases("isException", false, "text/plain", "text/x-exceptions"),
            cases("isSourceCode", true, "text/x-python", "application/x-latex", "text/x-c"),
            cases("isSourceCode", false, "text/x-script.python", "text/plain", "text/x-c++"),
            cases(
                "isProtoMessage",
                true,
                "application/x-protobuf",
                MimeTypes.FUNCTION_CALL,
                MimeTypes.FUNCTION_RESPONSE,
                "APPLICATION/X-PROTOBUF; type=a.B"),
            cases("isProtoMessage", false, "application/protobuf", "application/json"))
        .flatMap(s -> s);
  }

  private static Stream<Arguments> cases(String predicate, boolean expected, String... mimeTypes) {
    return Stream.of(mimeTypes).map(m -> Arguments.of(predicate, m, expected));
  }

  @Test
  void textPdf_isNotText_despitePythonsConstantName() {
    assertThat(MimeTypes.isText(MimeTypes.APPLICATION_PDF)).isFalse();
  }

  @Test
  void inputTypeLists_areClassifiedByTheirOwnPredicates() {
    assertThat(MimeTypes.INPUT_IMAGE_TYPES).allMatch(MimeTypes::isImage);
    assertThat(MimeTypes.INPUT_AUDIO_TYPES).allMatch(MimeTypes::isAudio).hasSize(11);
    assertThat(MimeTypes.INPUT_VIDEO_TYPES).allMatch(MimeTypes::isVideo).hasSize(10);
    assertThat(MimeTypes.INPUT_TEXT_TYPES).allMatch(MimeTypes::isText).hasSize(7);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/plain",
        "image/png",
        "application/json; type=Forecast",
        "audio/l16; rate=24000",
        "application/vnd.api+json",
        "text/x.enum",
        "TEXT/Plain",
        "a/b;x",
        MimeTypes.FUNCTION_CALL
      })
  void requireValid_returnsTheValue_whenItIsTypeSlashSubtype(String mimeType) {
    assertThat(MimeTypes.requireValid(mimeType)).isEqualTo(mimeType);
    assertThat(MimeTypes.isValid(mimeType)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "notamime",
        "text",
        "text/",
        "/plain",
        "text/plain/x",
        " text/plain",
        "te xt/plain",
        "text/pl@in"
      })
  void requireValid_failsNamingTheValue_whenItIsNotTypeSlashSubtype(String mimeType) {
    assertThat(MimeTypes.isValid(mimeType)).isFalse();
    assertThatThrownBy(() -> MimeTypes.requireValid(mimeType))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MIME type must have the form type/subtype but was '" + mimeType + "'");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "audio/l16; rate=24000 | 24000",
        "audio/L16;rate=8000   | 8000",
        "audio/pcm; rate=44100; channels=2 | 44100",
        "audio/l16             | 16000",
        "audio/wav             | 16000",
        "audio/l16; rate=      | 16000",
        "'audio/l16; rate= 8000' | 8000",
        "audio/l16; bitrate=64000 | 16000",
        "audio/l16; samplerate=8000 | 16000",
        "audio/l16; bitrate=64000; rate=8000 | 8000",
        "audio/l16 ; RATE = \"24000\" | 24000",
        "audio/l16; x=\"a;rate=1\"; rate=2 | 2",
        "image/png; rate=24000 | 0",
        "text/plain            | 0",
      })
  void frameRate_isTheRateParameter_orTheDefault_orZeroWhenNotAudio(String mimeType, int expected) {
    assertThat(MimeTypes.frameRate(mimeType, 16000)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "audio/l16; rate=99999999999",
        "audio/l16; rate=2147483648",
        "audio/l16; rate=fast",
        "audio/l16; rate=0",
        "audio/l16; rate=-8000",
        "audio/l16; rate=8000.5",
      })
  void frameRate_failsNamingTheValue_whenTheRateIsNotAWholeNumberInRange(String mimeType) {
    String rate = mimeType.substring(mimeType.indexOf('=') + 1);

    assertThatThrownBy(() -> MimeTypes.frameRate(mimeType, 16000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("must be a whole number from 1 to 2147483647 but was '" + rate + "'");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "text/plain; charset=utf-8                  | charset | utf-8",
        "text/plain;CHARSET=UTF-8                   | charset | UTF-8",
        "text/plain; charset = \"utf-8\"             | charset | utf-8",
        "text/plain; name=\"a \\\"b\\\"; c\"; charset=x | name    | a \"b\"; c",
        "text/plain; name=\"a \\\"b\\\"; c\"; charset=x | charset | x",
        "text/plain; xcharset=a; charset=b          | charset | b",
        "text/plain; charset=a; charset=b           | charset | a",
        "text/plain; flag; charset=b                | charset | b",
        "text/plain; name=\"unterminated           | name    | unterminated",
        "text/plain; charset=                       | charset | ''",
        "text/plain                                 | charset | NULL",
        "text/plain; charsets=x                     | charset | NULL",
      })
  void parameter_isTheNamedParameter_matchedWholeAndCaseInsensitively_unquoted(
      String mimeType, String name, String expected) {
    assertThat(MimeTypes.parameter(mimeType, name)).isEqualTo(expected);
  }

  @Test
  void frameRate_usesTheGivenDefault() {
    assertThat(MimeTypes.frameRate("audio/l16", 22050)).isEqualTo(22050);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "application/json; type=Forecast | Forecast | true",
        "application/json; type=Forecast | NULL     | true",
        "APPLICATION/JSON; type=Forecast | Forecast | true",
        "application/json; type=Forecast | forecast | false",
        "application/json; type=Forecast | Weather  | false",
        "application/json                | NULL     | false",
        "text/plain; type=Forecast       | NULL     | false",
        "application/json;type=Forecast  | NULL     | true",
        "application/json; type=ForecastV2 | Forecast | false",
        "application/json; TYPE=\"Forecast\" | Forecast | true",
        "application/json; type=         | NULL     | false",
        "application/jsonl; type=Forecast | NULL    | false",
      })
  void isTypedJson_matchesTheTypeNameCaseSensitively(
      String mimeType, String typeName, boolean expected) {
    assertThat(MimeTypes.isTypedJson(mimeType, typeName)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "application/json; type=Forecast          | Forecast",
        "application/json; type=Forecast; v=2     | Forecast",
        "application/json;type=Forecast           | Forecast",
        "application/json; subtype=A; type=B      | B",
        "application/json                         | NULL",
      })
  void typeParameter_isTheTypeName(String mimeType, String expected) {
    assertThat(MimeTypes.typeParameter(mimeType)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "text/plain                 | text/plain",
        "Text/HTML; charset=utf-8   | text/html",
        "audio/l16;rate=24000       | audio/l16",
      })
  void baseType_isLowerCaseTypeAndSubtype(String mimeType, String expected) {
    assertThat(MimeTypes.baseType(mimeType)).isEqualTo(expected);
  }
}
