package dev.genaiprocessors.gemini;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.genai.types.Blob;
import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecodedChunksTest {

  @Test
  void aPartTheContentModelRefuses_isMalformed_notAnIllegalArgument() {
    GenerateContentResponse response =
        GenerateContentResponse.builder()
            .candidates(
                List.of(
                    Candidate.builder()
                        .content(
                            Content.builder()
                                .role("model")
                                .parts(
                                    List.of(
                                        Part.builder()
                                            .inlineData(
                                                Blob.builder()
                                                    .mimeType(" mage/png")
                                                    .data(new byte[] {1})
                                                    .build())
                                            .build()))
                                .build())
                        .build()))
            .build();

    assertThatThrownBy(() -> DecodedChunks.of(response))
        .isInstanceOf(ChunkReader.Malformed.class)
        .hasMessageContaining("' mage/png'");
  }
}
