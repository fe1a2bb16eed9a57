package dev.genaiprocessors.cli;

import dev.genaiprocessors.config.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code genai validate}: reads, checks and builds pipelines without running them. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Checks each PIPELINE file: its YAML, its types and settings, and that it builds."
            + " Every problem is listed with its line and column.")
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand @Nullable GenaiCli cli;

  @Parameters(arity = "1..*", paramLabel = "PIPELINE", description = "Pipeline YAML files.")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() {
    GenaiCli cli = Objects.requireNonNull(this.cli, "cli");
    int code = GenaiCli.OK;
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        cli.err.println("genai: no such pipeline file: " + file);
        code = GenaiCli.USAGE;
        continue;
      }
      try (Pipeline pipeline = Pipeline.load(file)) {
        cli.out.println(file + ": ok (" + pipeline.name() + ")");
      } catch (RuntimeException e) {
        cli.err.println("genai: " + file + ": " + e.getMessage());
        code = GenaiCli.USAGE;
      }
    }
    return code;
  }
}
