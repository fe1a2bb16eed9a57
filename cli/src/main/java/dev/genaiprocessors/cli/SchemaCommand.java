package dev.genaiprocessors.cli;

import dev.genaiprocessors.config.ProcessorRegistry;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code genai schema}: the JSON Schema of pipeline files, for editors. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description =
        "Prints the JSON Schema (draft 2020-12) of pipeline files with every registered type.")
final class SchemaCommand implements Callable<Integer> {
  @ParentCommand @Nullable GenaiCli cli;

  @Override
  public Integer call() {
    Objects.requireNonNull(cli, "cli").out.println(ProcessorRegistry.load().jsonSchema());
    return GenaiCli.OK;
  }
}
