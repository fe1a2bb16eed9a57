package dev.genaiprocessors.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorPart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenaiCliTest {
  private static final String HELLO = "samples/hello.yaml";

  @TempDir Path dir;

  private static List<ProcessorPart> parts(String jsonl) {
    return jsonl.lines().filter(l -> !l.isBlank()).map(PartJson::fromJson).toList();
  }

  @Test
  void runOfTheSample_streamsTheLocalModelsAnswer_withNoKey() {
    Cli.Result result = Cli.run("run", HELLO, "Why is the sky blue?");

    assertThat(result.code()).isEqualTo(GenaiCli.OK);
    assertThat(result.out())
        .isEqualTo(
            "A local model received this prompt and streams it back word by word -- Answer in one"
                + " sentence: Why is the sky blue?\n");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void noCommand_isBadUsage_withTheUsageOnStandardError() {
    Cli.Result result = Cli.run();

    assertThat(result.code()).isEqualTo(GenaiCli.USAGE);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("Usage: genai", "a command is required");
  }

  @Test
  void anUnknownOption_isBadUsage_namingIt() {
    Cli.Result result = Cli.run("run", HELLO, "--colour", "hi");

    assertThat(result.code()).isEqualTo(GenaiCli.USAGE);
    assertThat(result.err()).contains("Unknown option: '--colour'", "Try 'genai run --help'");
  }

  @Test
  void aBadFormat_isBadUsage_listingTheFormats() {
    Cli.Result result = Cli.run("run", HELLO, "--format", "xml", "hi");

    assertThat(result.code()).isEqualTo(GenaiCli.USAGE);
    assertThat(result.err()).contains("xml", "text, jsonl");
  }

  @Test
  void aMissingPipelineFile_isOneSentence_andNoStackTrace() {
    Cli.Result result = Cli.run("run", "nowhere.yaml", "hi");

    assertThat(result.code()).isEqualTo(GenaiCli.USAGE);
    assertThat(result.err()).isEqualTo("genai: no such pipeline file: nowhere.yaml\n");
  }

  @Test
  void debug_addsTheStackTrace() {
    Cli.Result result = Cli.run("run", "--debug", "nowhere.yaml", "hi");

    assertThat(result.code()).isEqualTo(GenaiCli.USAGE);
    assertThat(result.err())
        .startsWith("genai: no such pipeline file: nowhere.yaml\n")
        .contains("UsageException", "\tat dev.genaiprocessors.cli.RunCommand.call");
  }

  @Test
  void aPipelineWithATypo_isBadConfiguration_namingTheLineAndTheCloseType() {
    Cli.Result result = Cli.run("run", Cli.pipeline("typo"), "hi");

    assertThat(result.code()).isEqualTo(GenaiCli.USAGE);
    assertThat(result.err())
        .startsWith("genai: the configuration has 1 problem: ")
        .contains("\"locl\" is not a registered processor type", "local", "typo.yaml:5:");
    assertThat(result.err()).doesNotContain("\tat ");
  }

  @Test
  void aMissingInputFile_isBadUsage_beforeAnythingRuns() {
    Cli.Result result = Cli.run("run", Cli.pipeline("identity"), "data/missing.txt");

    assertThat(result.code()).isEqualTo(GenaiCli.USAGE);
    assertThat(result.err()).isEqualTo("genai: no such file or directory: data/missing.txt\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void aFailingStage_exitsWith1_namingTheStage_afterThePartsBeforeIt() {
    Cli.Result result =
        Cli.run("run", Cli.pipeline("explode"), "--format", "jsonl", "one", "two", "boom", "four");

    assertThat(result.code()).isEqualTo(GenaiCli.FAILED);
    assertThat(result.err())
        .isEqualTo(
            "genai: the pipeline failed in explode: IllegalStateException: cannot take 'boom'\n");
    assertThat(parts(result.out())).extracting(ProcessorPart::text).containsExactly("one", "two");
  }

  @Test
  void standardInput_isOnePart_orOnePartPerLine() {
    Cli.Result whole =
        Cli.runWithStdin("a\nb\n", "run", Cli.pipeline("identity"), "--format", "jsonl");
    Cli.Result lines =
        Cli.runWithStdin("a\nb\n", "run", Cli.pipeline("identity"), "--lines", "-f", "jsonl", "-");

    assertThat(parts(whole.out())).extracting(ProcessorPart::text).containsExactly("a\nb\n");
    assertThat(parts(lines.out())).extracting(ProcessorPart::text).containsExactly("a", "b");
  }

  @Test
  void aJsonlLineThatIsNotAPart_isNamedAndSkipped_andTheOthersRun() throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(
        input,
        PartJson.toJson(ProcessorPart.text("first"))
            + "\n{\"part\": {\"text\": 3}}\n\n"
            + PartJson.toJson(ProcessorPart.json(List.of(1, 2)))
            + "\n");

    Cli.Result result =
        Cli.run("run", Cli.pipeline("identity"), "--parts", "--format", "jsonl", input.toString());

    assertThat(result.code()).isEqualTo(GenaiCli.FAILED);
    assertThat(result.err()).startsWith("genai: " + input + ":2 is not a part, skipped: ");
    assertThat(parts(result.out()))
        .containsExactly(ProcessorPart.text("first"), ProcessorPart.json(List.of(1, 2)));
  }

  @Test
  void bytesParts_goToTheOutputDirectory_asFiles() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 1, 2, 3};
    Path image = dir.resolve("pixel.data");
    Files.write(image, png);
    Path out = dir.resolve("out");

    Cli.Result result = Cli.run("run", Cli.pipeline("identity"), image.toString(), "-o", out + "");

    assertThat(result.code()).isEqualTo(GenaiCli.OK);
    assertThat(Files.readAllBytes(out.resolve("part-0001.png"))).isEqualTo(png);
    assertThat(result.out())
        .isEqualTo("[image/png saved to " + out.resolve("part-0001.png") + "]\n");
  }

  @Test
  void textFormat_printsFunctionCallsAsJson_andBytesAsANote() throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(
        input,
        PartJson.toJson(ProcessorPart.functionCall("get_weather", java.util.Map.of("city", "Oslo")))
            + "\n"
            + PartJson.toJson(ProcessorPart.bytes(new byte[] {1, 2, 3}, "audio/wav"))
            + "\n");

    Cli.Result result = Cli.run("run", Cli.pipeline("identity"), "--parts", input.toString());

    assertThat(result.out())
        .contains("\"function_call\":{\"args\":{\"city\":\"Oslo\"},\"name\":\"get_weather\"}")
        .contains("[audio/wav, 3 bytes: use --output-dir to save it]");
  }

  @Test
  void traceFile_holdsStagesNestedAsThePipeline_partsUsageAndSpans() throws Exception {
    Path trace = dir.resolve("trace.json");

    Cli.Result result = Cli.run("run", HELLO, "--trace", trace.toString(), "Why?");

    assertThat(result.code()).isEqualTo(GenaiCli.OK);
    JsonNode doc = new ObjectMapper().readTree(trace.toFile());
    assertThat(doc.get("format").asText()).isEqualTo("genai-processors-trace");
    assertThat(doc.get("status").asText()).isEqualTo("ok");
    assertThat(doc.get("usage").get("input_tokens").asLong()).isPositive();
    assertThat(doc.get("usage").get("output_tokens").asLong()).isEqualTo(21);
    List<JsonNode> records = List.copyOf(doc.get("records").valueStream().toList());
    List<String> stages =
        records.stream()
            .filter(r -> r.get("type").asText().equals("stage"))
            .map(r -> r.get("name").asText())
            .toList();
    assertThat(stages).contains("pipeline " + HELLO, "prompt", "model", "OpenAiModel(local-model)");
    long modelParts =
        records.stream()
            .filter(r -> r.get("type").asText().equals("part"))
            .filter(r -> r.get("part").get("role").asText().equals("model"))
            .count();
    assertThat(modelParts).isGreaterThanOrEqualTo(20); // 19 words and the final part, per stage
    assertThat(doc.get("spans").valueStream().map(s -> s.get("name").asText()).toList())
        .contains("chat local-model", "invoke_workflow pipeline " + HELLO);
  }

  @Test
  void traceFile_cutsLongTexts_toTheLimit() throws Exception {
    Path trace = dir.resolve("trace.json");
    String longText = "x".repeat(100);

    Cli.run(
        "run", Cli.pipeline("identity"), "--trace", trace + "", "--trace-limit", "10", longText);

    JsonNode doc = new ObjectMapper().readTree(trace.toFile());
    JsonNode part =
        doc.get("records")
            .valueStream()
            .filter(r -> r.get("type").asText().equals("part"))
            .findFirst()
            .orElseThrow();
    assertThat(part.get("part").get("part").get("text").asText()).isEqualTo("x".repeat(10));
    assertThat(part.get("part").get("trace").get("truncated_chars").asInt()).isEqualTo(100);
  }

  @Test
  void aFailedRun_stillWritesItsTrace_withTheError() throws Exception {
    Path trace = dir.resolve("trace.json");

    Cli.Result result = Cli.run("run", Cli.pipeline("explode"), "--trace", trace + "", "boom");

    assertThat(result.code()).isEqualTo(GenaiCli.FAILED);
    JsonNode doc = new ObjectMapper().readTree(trace.toFile());
    assertThat(doc.get("status").asText()).isEqualTo("error");
    assertThat(doc.get("error").asText()).contains("explode", "cannot take 'boom'");
  }

  @Test
  void validate_saysOk_orListsTheProblems() {
    Cli.Result ok = Cli.run("validate", HELLO);
    Cli.Result bad = Cli.run("validate", HELLO, Cli.pipeline("typo"));

    assertThat(ok.code()).isEqualTo(GenaiCli.OK);
    assertThat(ok.out()).isEqualTo(HELLO + ": ok (pipeline " + HELLO + ")\n");
    assertThat(bad.code()).isEqualTo(GenaiCli.USAGE);
    assertThat(bad.err()).contains("locl", "typo.yaml:5:");
  }

  @Test
  void list_showsEveryTypeWithItsSettings() {
    Cli.Result result = Cli.run("list");

    assertThat(result.code()).isEqualTo(GenaiCli.OK);
    assertThat(result.out())
        .contains("local: A model served on loopback")
        .contains("    reply: String = {text}")
        .contains("    pacing: Duration = 0s")
        .contains("openai: ")
        .contains("resilience (wraps a processor)");
  }

  @Test
  void schema_isTheJsonSchemaOfPipelines_withTheLocalType() throws Exception {
    Cli.Result result = Cli.run("schema");

    JsonNode schema = new ObjectMapper().readTree(result.out());
    assertThat(schema.get("$schema").asText()).contains("2020-12");
    assertThat(result.out()).contains("\"local\"", "\"reply\"");
  }

  @Test
  void traceView_ofAFileThatIsNotATrace_isBadUsage() throws Exception {
    Path notATrace = dir.resolve("x.json");
    Files.writeString(notATrace, "{\"hello\": 1}", StandardCharsets.UTF_8);

    Cli.Result result = Cli.run("trace", "view", notATrace.toString());

    assertThat(result.code()).isEqualTo(GenaiCli.USAGE);
    assertThat(result.err())
        .isEqualTo(
            "genai: "
                + notATrace
                + " is not a trace file (no \"format\": "
                + "\"genai-processors-trace\")\n");
  }

  @Test
  void progress_forcedOn_showsPartsTokensAndRetries_onStandardError() {
    Cli.Result result = Cli.run("run", HELLO, "--progress", "Why?");

    assertThat(result.code()).isEqualTo(GenaiCli.OK);
    assertThat(result.err())
        .contains("genai run", "1/1 parts", "out 20 | tokens in 7, out 21 | retries 0")
        .endsWith("\n");
  }

  @Test
  void progress_isAbsent_whenStandardErrorIsNotATerminal_orWithQuiet() {
    Cli.Result piped = Cli.run("run", HELLO, "Why?");
    Cli.Result quiet = Cli.run("run", HELLO, "--progress", "--quiet", "Why?");

    assertThat(piped.err()).isEmpty();
    assertThat(quiet.err()).isEmpty();
  }
}
