package dev.genaiprocessors.cli;

import dev.genaiprocessors.config.Default;
import dev.genaiprocessors.config.ProcessorRegistry;
import dev.genaiprocessors.config.ProcessorType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code genai list}: the processor types pipelines may name, with their settings. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Lists the processor types a pipeline may name, with their settings.")
final class ListCommand implements Callable<Integer> {
  @ParentCommand @Nullable GenaiCli cli;

  @Override
  public Integer call() {
    GenaiCli cli = Objects.requireNonNull(this.cli, "cli");
    ProcessorRegistry registry = ProcessorRegistry.load();
    for (String name : registry.names()) {
      ProcessorType<?> type = registry.type(name).orElseThrow();
      cli.out.println(
          name
              + (type.wrapsProcessor() ? " (wraps a processor)" : "")
              + (type.description().isEmpty() ? "" : ": " + type.description()));
      RecordComponent[] settings = type.settingsType().getRecordComponents();
      for (RecordComponent setting : settings == null ? new RecordComponent[0] : settings) {
        Default value = setting.getAnnotation(Default.class);
        cli.out.println(
            "    "
                + setting.getName()
                + ": "
                + typeName(setting.getGenericType())
                + (value == null ? "" : " = " + value.value()));
      }
    }
    return GenaiCli.OK;
  }

  private static String typeName(Type type) {
    return type.getTypeName().replaceAll("[a-z0-9_]+\\.|\\w+\\$", "");
  }
}
