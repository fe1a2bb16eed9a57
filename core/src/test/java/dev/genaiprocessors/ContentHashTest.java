package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContentHashTest {

  @Test
  void of_isSixtyFourLowercaseHexDigits_andTheSameEveryTime() {
    String key = ContentHash.of(ProcessorContent.of("Hello", "World"));

    assertThat(key).matches("[0-9a-f]{64}");
    assertThat(ContentHash.of(ProcessorContent.of("Hello", "World"))).isEqualTo(key);
  }

  @Test
  void of_dependsOnThePartOrder() {
    assertThat(ContentHash.of(ProcessorContent.of("Hello", "World")))
        .isNotEqualTo(ContentHash.of(ProcessorContent.of("World", "Hello")));
  }

  @Test
  void of_doesNotDependOnWhereOnePartEndsAndTheNextBegins() {
    assertThat(ContentHash.of(ProcessorContent.of("ab", "c")))
        .isNotEqualTo(ContentHash.of(ProcessorContent.of("a", "bc")))
        .isNotEqualTo(ContentHash.of(ProcessorContent.of("abc")));
  }

  @Test
  void of_part_equalsOfTheOnePartContent() {
    ProcessorPart part = ProcessorPart.text("hi").withRole("user");

    assertThat(ContentHash.of(part)).isEqualTo(ContentHash.of(ProcessorContent.of(part)));
  }

  @Test
  void of_emptyContent_isCacheable() {
    assertThat(ContentHash.of(ProcessorContent.empty())).matches("[0-9a-f]{64}");
  }

  @Test
  void of_ignoresCaptureTime() {
    ProcessorPart part = ProcessorPart.text("hi").withMetadata("source", "mic");

    String withoutTime = ContentHash.of(part);

    assertThat(ContentHash.of(part.withMetadata(ProcessorPart.CAPTURE_TIME, 12345.67)))
        .isEqualTo(withoutTime);
    assertThat(ContentHash.of(part.withMetadata(ProcessorPart.CAPTURE_TIME, 98765.43)))
        .isEqualTo(withoutTime);
  }

  @Test
  void of_isNull_whenAnyPartIsAnException() {
    ProcessorPart error = ProcessorPart.exception(new IllegalStateException("boom"));

    assertThat(ContentHash.of(error)).isNull();
    assertThat(ContentHash.of(ProcessorContent.of("before", error, "after"))).isNull();
  }

  @Test
  void of_isNull_forAnExceptionMimeTypeInAnyCase() {
    assertThat(ContentHash.of(ProcessorPart.text("boom").withMimeType("TEXT/X-Exception")))
        .isNull();
  }

  @Test
  void of_doesNotDependOnTheKeyOrderOfTheDictsAPartWasReadFrom() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("city", "Paris");
    args.put("days", 3);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("a", 1);
    metadata.put("b", Map.of("x", true, "y", List.of(1, 2)));
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("name", "forecast");
    call.put("args", args);
    Map<String, Object> dict = new LinkedHashMap<>();
    dict.put("part", Map.of("function_call", call));
    dict.put("role", "model");
    dict.put("metadata", metadata);

    Map<String, Object> reversedArgs = new LinkedHashMap<>();
    reversedArgs.put("days", 3);
    reversedArgs.put("city", "Paris");
    Map<String, Object> reversedMetadata = new LinkedHashMap<>();
    reversedMetadata.put("b", Map.of("y", List.of(1, 2), "x", true));
    reversedMetadata.put("a", 1);
    Map<String, Object> reversedCall = new LinkedHashMap<>();
    reversedCall.put("args", reversedArgs);
    reversedCall.put("name", "forecast");
    Map<String, Object> reversed = new LinkedHashMap<>();
    reversed.put("metadata", reversedMetadata);
    reversed.put("role", "model");
    reversed.put("part", Map.of("function_call", reversedCall));

    assertThat(ContentHash.of(PartJson.fromDict(reversed)))
        .isEqualTo(ContentHash.of(PartJson.fromDict(dict)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void of_changes_whenAnythingButCaptureTimeChanges(
      String what, UnaryOperator<ProcessorPart> change) {
    ProcessorPart part =
        ProcessorPart.text("hi").withRole("user").withSubstreamName("s").withMetadata("k", "v");

    assertThat(ContentHash.of(change.apply(part))).isNotEqualTo(ContentHash.of(part));
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of(
            "text",
            (UnaryOperator<ProcessorPart>)
                p ->
                    ProcessorPart.text("ho")
                        .withRole("user")
                        .withSubstreamName("s")
                        .withMetadata("k", "v")),
        Arguments.of("role", (UnaryOperator<ProcessorPart>) p -> p.withRole("model")),
        Arguments.of("substream", (UnaryOperator<ProcessorPart>) p -> p.withSubstreamName("t")),
        Arguments.of(
            "mime type", (UnaryOperator<ProcessorPart>) p -> p.withMimeType("text/markdown")),
        Arguments.of(
            "metadata value", (UnaryOperator<ProcessorPart>) p -> p.withMetadata("k", "w")),
        Arguments.of("metadata key", (UnaryOperator<ProcessorPart>) p -> p.withMetadata("k2", "v")),
        Arguments.of("thought", (UnaryOperator<ProcessorPart>) p -> p.withThought(true)),
        Arguments.of(
            "thought signature",
            (UnaryOperator<ProcessorPart>) p -> p.withThoughtSignature(new byte[] {1})));
  }

  @Test
  void of_bytes_dependsOnEveryByte() {
    byte[] data = new byte[1 << 20];
    byte[] changed = data.clone();
    changed[changed.length - 1] = 1;

    assertThat(ContentHash.of(ProcessorPart.bytes(data, "image/png")))
        .isEqualTo(ContentHash.of(ProcessorPart.bytes(data.clone(), "image/png")))
        .isNotEqualTo(ContentHash.of(ProcessorPart.bytes(changed, "image/png")));
  }

  @Test
  void of_equalParts_haveEqualKeys_evenWhenBuiltDifferently() {
    ProcessorPart direct = ProcessorPart.functionCall("f", Map.of("n", 1));
    ProcessorPart roundTripped = PartJson.fromJson(PartJson.toJson(direct));

    assertThat(ContentHash.of(roundTripped)).isEqualTo(ContentHash.of(direct));
  }

  @Test
  void of_changes_withTheExtraFieldsOfAPartReadFromJson() {
    ProcessorPart plain = PartJson.fromJson("{\"part\": {\"text\": \"x\"}}");
    ProcessorPart withVideoMetadata =
        PartJson.fromJson("{\"part\": {\"text\": \"x\", \"video_metadata\": {\"fps\": 1.0}}}");

    assertThat(withVideoMetadata).isNotEqualTo(plain);
    assertThat(ContentHash.of(withVideoMetadata)).isNotEqualTo(ContentHash.of(plain));
  }
}
