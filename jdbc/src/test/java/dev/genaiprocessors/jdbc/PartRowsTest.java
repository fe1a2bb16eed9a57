package dev.genaiprocessors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorPart;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PartRowsTest {

  static List<ProcessorPart> parts() {
    byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    return List.of(
        ProcessorPart.text("plain"),
        ProcessorPart.text("ünïcødé 🎉").withRole("model").withSubstreamName("s"),
        ProcessorPart.blob(bytes, "image/png").withMetadata("k", List.of(1L, "two")),
        ProcessorPart.blob(bytes, "text/plain").withThought(true).withThoughtSignature(bytes),
        ProcessorPart.blob(new byte[0], "application/octet-stream"),
        ProcessorPart.fromUri("gs://bucket/file.pdf", "application/pdf"),
        ProcessorPart.functionCall("f", Map.of("a", 1L)),
        ProcessorPart.functionResponse(FunctionResponse.result("f", Map.of("ok", true))),
        ProcessorPart.json(Map.of("x", 1.5)),
        PartJson.fromJson(
            "{\"part\":{\"inline_data\":{\"data\":\"AAEC\",\"mime_type\":\"image/gif\","
                + "\"display_name\":\"pic\"},\"video_metadata\":{\"fps\":2}},"
                + "\"mimetype\":\"image/jpeg\"}"));
  }

  @ParameterizedTest
  @MethodSource("parts")
  void aPart_comesBackEqual_fromItsRow(ProcessorPart part) {
    PartRows.Encoded row = PartRows.encode(part);

    assertThat(PartRows.decode(row.json(), row.bytes())).isEqualTo(part);
  }

  @ParameterizedTest
  @MethodSource("parts")
  void inlineBytes_goToTheBinaryColumn_andOnlyThem(ProcessorPart part) {
    PartRows.Encoded row = PartRows.encode(part);

    if (part.data() instanceof dev.genaiprocessors.PartData.Blob blob) {
      assertThat(row.bytes()).isEqualTo(blob.data());
      assertThat(row.json()).contains("\"data\":\"\"");
    } else {
      assertThat(row.bytes()).isNull();
      assertThat(row.json()).isEqualTo(PartJson.toJson(part));
    }
  }

  @ParameterizedTest
  @MethodSource("parts")
  void theStoredSize_countsUtf8BytesAndInlineBytes(ProcessorPart part) {
    PartRows.Encoded row = PartRows.encode(part);
    long expected =
        row.json().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            + (row.bytes() == null ? 0 : row.bytes().length);

    assertThat(row.size()).isEqualTo(expected);
    assertThat(row.isOver(expected)).isFalse();
    assertThat(row.isOver(expected - 1)).isTrue();
  }
}
