package dev.genaiprocessors.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InputPartsTest {
  @Test
  void mimeType_comesFromTheContentFirst_thenTheName_thenUtf8() {
    byte[] pdf = "%PDF-1.7\n...".getBytes(StandardCharsets.US_ASCII);
    byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};
    byte[] wav = "RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.US_ASCII);
    byte[] binary = {(byte) 0xC3, (byte) 0x28, 0, 1};

    assertThat(InputParts.mimeType(pdf, "report.txt")).isEqualTo("application/pdf");
    assertThat(InputParts.mimeType(jpeg, null)).isEqualTo("image/jpeg");
    assertThat(InputParts.mimeType(wav, "a.bin")).isEqualTo("audio/wav");
    assertThat(InputParts.mimeType("# title".getBytes(StandardCharsets.UTF_8), "README.md"))
        .isEqualTo("text/markdown");
    assertThat(InputParts.mimeType("plain".getBytes(StandardCharsets.UTF_8), "noext"))
        .isEqualTo("text/plain");
    assertThat(InputParts.mimeType(binary, "blob")).isEqualTo("application/octet-stream");
  }

  @Test
  void aTextFileThatIsNotUtf8_becomesBytes() {
    byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);

    assertThat(InputParts.part(latin1, java.nio.file.Path.of("menu.txt"), "menu.txt").isText())
        .isFalse();
  }

  @Test
  void looksLikePath_tellsMistypedFilesFromTexts() {
    assertThat(InputParts.looksLikePath("data/missing.txt")).isTrue();
    assertThat(InputParts.looksLikePath("notes.md")).isTrue();
    assertThat(InputParts.looksLikePath("Why is the sky blue?")).isFalse();
    assertThat(InputParts.looksLikePath("hello")).isFalse();
    assertThat(InputParts.looksLikePath("...")).isFalse();
  }
}
