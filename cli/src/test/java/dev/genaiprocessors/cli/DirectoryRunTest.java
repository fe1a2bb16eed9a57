package dev.genaiprocessors.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorPart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryRunTest {
  @TempDir Path dir;

  @Test
  void aDirectoryOf200Files_runsAsOnePartPerFile_inPathOrder_comparedPartByPart() throws Exception {
    List<ProcessorPart> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Path sub = dir.resolve("batch-" + (i % 4));
      Files.createDirectories(sub);
      Path file;
      ProcessorPart part;
      if (i % 10 == 0) {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', (byte) i, 7};
        file = sub.resolve(String.format("file-%03d.png", i));
        Files.write(file, png);
        part = ProcessorPart.bytes(png, "image/png");
      } else if (i % 10 == 5) {
        String csv = "n,square\n" + i + "," + (i * i) + "\n";
        file = sub.resolve(String.format("file-%03d.csv", i));
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        part = ProcessorPart.text(csv).withMimeType("text/csv");
      } else {
        String text = "document " + i + " \u00e9t\u00e9 \uD83C\uDF1E\nsecond line";
        file = sub.resolve(String.format("file-%03d.txt", i));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        part = ProcessorPart.text(text);
      }
      expected.add(part.withMetadata(InputParts.SOURCE, file.toString()));
    }
    Files.writeString(dir.resolve("batch-0/notes.md"), "not matched by the glob");
    expected.sort(
        (a, b) ->
            ((String) a.metadata(InputParts.SOURCE))
                .compareTo((String) b.metadata(InputParts.SOURCE)));

    Cli.Result result =
        Cli.run(
            "run",
            Cli.pipeline("identity"),
            dir.toString(),
            "--glob",
            "**/*.{txt,png,csv}",
            "--format",
            "jsonl");

    assertThat(result.err()).isEmpty();
    assertThat(result.code()).isEqualTo(GenaiCli.OK);
    List<ProcessorPart> actual = result.out().lines().map(PartJson::fromJson).toList();
    assertThat(actual).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(actual.get(i)).as("part %d", i).isEqualTo(expected.get(i));
    }
  }
}
