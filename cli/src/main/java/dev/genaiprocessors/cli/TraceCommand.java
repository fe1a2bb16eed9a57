package dev.genaiprocessors.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code genai trace}: what to do with trace files. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = "Shows trace files written by 'genai run --trace'.",
    subcommands = TraceCommand.View.class)
final class TraceCommand implements Runnable {
  @ParentCommand @Nullable GenaiCli cli;

  @Override
  public void run() {
    throw new UsageException("'genai trace' needs a command: view FILE");
  }

  /** {@code genai trace view FILE}: serves the viewer on a recorded trace. */
  @Command(
      name = "view",
      mixinStandardHelpOptions = true,
      description = "Serves the trace viewer for FILE on 127.0.0.1 until you press Ctrl-C.")
  static final class View implements Callable<Integer> {
    /** Counts down when the viewer should stop; for tests. */
    static volatile @Nullable CountDownLatch stop;

    @ParentCommand @Nullable TraceCommand trace;

    @Parameters(index = "0", paramLabel = "FILE", description = "A trace file.")
    @Nullable Path file;

    @Option(
        names = "--port",
        paramLabel = "PORT",
        description = "The port (default: any free one).",
        defaultValue = "0")
    int port;

    @Override
    public Integer call() throws Exception {
      GenaiCli cli = Objects.requireNonNull(Objects.requireNonNull(trace, "trace").cli, "cli");
      Map<String, Object> document = read(Objects.requireNonNull(file, "file"));
      try (TraceViewer viewer = TraceViewer.start(port, () -> document, null)) {
        cli.err.println("genai: the trace viewer is at " + viewer.uri() + " (Ctrl-C to stop)");
        CountDownLatch latch = stop;
        (latch == null ? new CountDownLatch(1) : latch).await();
      }
      return GenaiCli.OK;
    }

    /**
     * The trace in {@code file}.
     *
     * @throws UsageException when it is missing or is not a trace file
     */
    static Map<String, Object> read(Path file) {
      if (!Files.isRegularFile(file)) {
        throw new UsageException("no such trace file: " + file);
      }
      Map<String, Object> document;
      try {
        document = RunCommand.JSON.readValue(file.toFile(), new TypeReference<>() {});
      } catch (IOException e) {
        throw new UsageException(file + " is not a trace file: " + e.getMessage());
      }
      if (document == null || !TraceRecorder.FORMAT.equals(document.get("format"))) {
        throw new UsageException(
            file + " is not a trace file (no \"format\": \"" + TraceRecorder.FORMAT + "\")");
      }
      document.put("live", false);
      return document;
    }
  }
}
