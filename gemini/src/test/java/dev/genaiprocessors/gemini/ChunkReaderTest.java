package dev.genaiprocessors.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.PartData;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.TokenUsage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ChunkReader} on chunks of Gemini's JSON, as the API sends them. */
class ChunkReaderTest {

  private static ChunkReader.Chunk parse(String json) throws Exception {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return ChunkReader.parse(bytes, 0, bytes.length);
  }

  @Test
  void inlineDataOfATextType_staysInlineData_asPythonsGenaiModelKeepsTheGeminiPart()
      throws Exception {
    ChunkReader.Chunk chunk =
        parse(
            """
        {"candidates":[{"content":{"role":"model","parts":[
          {"inlineData":{"mimeType":"text/csv","data":"YSxi"}}
        ]}}]}""");

    ProcessorPart part = chunk.parts().get(0);
    assertThat(part.data()).isInstanceOf(PartData.Blob.class);
    assertThat(part.mimeType()).isEqualTo("text/csv");
    assertThat(part.text()).isEqualTo("a,b");
  }

  @Test
  void everyPartKind_becomesAModelPart() throws Exception {
    String signature = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xfb, (byte) 0xff});
    ChunkReader.Chunk chunk =
        parse(
            """
        {"candidates":[{"content":{"role":"model","parts":[
          {"text":"thinking...","thought":true,"thoughtSignature":"%s"},
          {"text":"Hi"},
          {"functionCall":{"id":"c1","name":"lookup","args":{"q":"x","n":2,"deep":{"a":[1,2]}}}},
          {"inlineData":{"mimeType":"image/png","data":"AQID"}},
          {"fileData":{"mimeType":"application/pdf","fileUri":"gs://b/doc.pdf"}},
          {"executableCode":{"language":"PYTHON","code":"print(1)"}},
          {"codeExecutionResult":{"outcome":"OUTCOME_OK","output":"1"}}
        ]}}]}"""
                .formatted(signature));

    List<ProcessorPart> parts = chunk.parts();
    assertThat(parts).hasSize(7).allSatisfy(p -> assertThat(p.role()).isEqualTo("model"));
    assertThat(parts.get(0).isThought()).isTrue();
    assertThat(parts.get(0).text()).isEqualTo("thinking...");
    assertThat(parts.get(0).thoughtSignature()).containsExactly(0xfb, 0xff);
    assertThat(parts.get(1).text()).isEqualTo("Hi");
    assertThat(parts.get(1).isThought()).isFalse();
    FunctionCall call = parts.get(2).functionCall();
    assertThat(call.id()).isEqualTo("c1");
    assertThat(call.name()).isEqualTo("lookup");
    assertThat(call.args())
        .isEqualTo(
            Map.of(
                "q", "x", "n", 2L, "deep", Map.of("a", List.of(1L, 2L)))); // integers held as Long
    assertThat(parts.get(3).mimeType()).isEqualTo("image/png");
    assertThat(parts.get(3).bytes()).containsExactly(1, 2, 3);
    assertThat(parts.get(4))
        .isEqualTo(ProcessorPart.fromUri("gs://b/doc.pdf", "application/pdf").withRole("model"));
    assertThat(parts.get(5))
        .isEqualTo(ProcessorPart.executableCode("print(1)", "PYTHON").withRole("model"));
    assertThat(parts.get(6))
        .isEqualTo(ProcessorPart.codeExecutionResult("OUTCOME_OK", "1").withRole("model"));
  }

  @Test
  void urlSafeSignatures_areRead_andASignatureAlone_isKeptOnAnEmptyPart() throws Exception {
    String signature = Base64.getUrlEncoder().encodeToString(new byte[] {(byte) 0xfb, (byte) 0xff});
    assertThat(signature).contains("_");

    List<ProcessorPart> parts =
        parse(
                """
        {"candidates":[{"content":{"parts":[{"thoughtSignature":"%s"},{"text":""}]}}]}"""
                    .formatted(signature))
            .parts();

    assertThat(parts).hasSize(1); // the empty text without a signature carries nothing
    assertThat(parts.get(0).text()).isEmpty();
    assertThat(parts.get(0).thoughtSignature()).containsExactly(0xfb, 0xff);
  }

  @Test
  void fieldsInAnyOrder_unknownFieldsSkipped_onlyTheFirstCandidateRead() throws Exception {
    ChunkReader.Chunk chunk =
        parse(
            """
        {"usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":3,"thoughtsTokenCount":2,
           "cachedContentTokenCount":1,"promptTokensDetails":[{"modality":"TEXT","tokenCount":7}]},
         "createTime":"2026-11-30T08:00:00Z","responseId":"r-1","modelVersion":"gemini-x",
         "candidates":[
           {"index":0,"safetyRatings":[{"category":"HARM_CATEGORY_HATE_SPEECH",
              "probability":"LOW","probabilityScore":0.1}],
            "finishMessage":"done","finishReason":"STOP","citationMetadata":{"citations":[]},
            "content":{"parts":[{"videoMetadata":{},"text":"one"}],"role":"model"}},
           {"content":{"parts":[{"text":"two"}]},"finishReason":"MAX_TOKENS"}],
         "futureField":{"nested":[1,{"x":null}]}}""");

    assertThat(chunk.parts()).extracting(ProcessorPart::text).containsExactly("one");
    assertThat(chunk.finishReason()).isEqualTo("STOP");
    assertThat(chunk.finishMessage()).isEqualTo("done");
    assertThat(chunk.safetyRatings())
        .containsExactly(Map.of("category", "HARM_CATEGORY_HATE_SPEECH", "probability", "LOW"));
    assertThat(chunk.responseId()).isEqualTo("r-1");
    assertThat(chunk.modelVersion()).isEqualTo("gemini-x");
    // No total sent: prompt + candidates + thoughts; completion counts the thoughts.
    assertThat(chunk.usage()).isEqualTo(new TokenUsage(7, 5, 12, 1, 0, 2));
  }

  @Test
  void aBlockedPrompt_isReported_withItsMessage() throws Exception {
    ChunkReader.Chunk chunk =
        parse(
            """
        {"promptFeedback":{"blockReason":"SAFETY","blockReasonMessage":"not allowed"},
         "usageMetadata":{"promptTokenCount":4,"totalTokenCount":4}}""");

    assertThat(chunk.blockReason()).isEqualTo("SAFETY");
    assertThat(chunk.blockMessage()).isEqualTo("not allowed");
    assertThat(chunk.parts()).isEmpty();
  }

  @Test
  void anErrorObject_isAStreamError_withCodeStatusAndMessage() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}"))
        .isInstanceOfSatisfying(
            ChunkReader.StreamError.class,
            e -> {
              assertThat(e.code).isEqualTo(503);
              assertThat(e.status).isEqualTo("UNAVAILABLE");
              assertThat(e.vendorMessage).isEqualTo("overloaded");
            });
  }

  @Test
  void brokenChunks_areMalformed_namingWhatWasWrong() {
    assertThatThrownBy(() -> parse("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"trunc"))
        .isInstanceOf(ChunkReader.Malformed.class)
        .hasMessageContaining("not a GenerateContentResponse")
        .hasMessageContaining("trunc");
    assertThatThrownBy(() -> parse("[1,2]"))
        .isInstanceOf(ChunkReader.Malformed.class)
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> parse("{\"responseId\":\"r\"} {}"))
        .isInstanceOf(ChunkReader.Malformed.class)
        .hasMessageContaining("after its JSON object");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"args\":{}}}]}}]}"))
        .isInstanceOf(ChunkReader.Malformed.class)
        .hasMessageContaining("without a function name");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"data\":\"*not*\"}}]}}]}"))
        .isInstanceOf(ChunkReader.Malformed.class)
        .hasMessageContaining("'data' that is not base64");
  }

  @Test
  void aPartTheContentModelRefuses_isMalformed_notAnIllegalArgument() {
    // Found by ChunkReaderFuzzTest: ProcessorPart refuses such a MIME type with an
    // IllegalArgumentException, which ended the run as if the processor had a bug.
    assertThatThrownBy(
            () ->
                parse(
                    "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":"
                        + "{\"mimeType\":\" mage/png\",\"data\":\"iVBORw0KGgo=\"}}]}}]}"))
        .isInstanceOf(ChunkReader.Malformed.class)
        .hasMessageContaining("' mage/png'");
  }

  @Test
  void aChunkWithNoneOfAResponsesFields_isMalformed_ratherThanSkipped() {
    assertThatThrownBy(() -> parse("{\"unexpected\":true}"))
        .isInstanceOf(ChunkReader.Malformed.class)
        .hasMessageContaining("none of the fields of a GenerateContentResponse")
        .hasMessageContaining("{\"unexpected\":true}");
  }

  @Test
  void readAll_handsOverEachEvent_inOrder_andStopsAtAnErrorEvent() throws Exception {
    String body =
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}\r\n\r\n"
            + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]}}]}\r\n\r\n"
            + "data: {\"error\":{\"code\":500,\"message\":\"boom\",\"status\":\"INTERNAL\"}}\r\n\r\n"
            + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"never\"}]}}]}\r\n\r\n";
    List<String> seen = new ArrayList<>();

    assertThatThrownBy(
            () ->
                ChunkReader.readAll(
                    new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                    chunk -> chunk.parts().forEach(p -> seen.add(p.text()))))
        .isInstanceOf(ChunkReader.StreamError.class)
        .hasMessage("boom");
    assertThat(seen).containsExactly("a", "b");
  }
}
