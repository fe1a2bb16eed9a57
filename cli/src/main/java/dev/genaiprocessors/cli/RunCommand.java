package dev.genaiprocessors.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.genaiprocessors.PartData;
import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.RunConfig;
import dev.genaiprocessors.Substreams;
import dev.genaiprocessors.config.Pipeline;
import dev.genaiprocessors.observability.Observability;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code genai run}: runs a pipeline on the inputs and prints what it emits. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the pipeline in PIPELINE on the inputs and prints the parts it emits.",
      "Each INPUT is a file (one part; text, images, audio, PDF by their content and name), a"
          + " directory (one part per file, recursively, filtered by --glob), '-' for standard"
          + " input, or else a text. With no INPUT, standard input is read."
    })
final class RunCommand implements Callable<Integer> {
  /** How parts are written to standard output. */
  enum Format {
    text,
    jsonl
  }

  @ParentCommand @Nullable GenaiCli cli;

  @Parameters(index = "0", paramLabel = "PIPELINE", description = "The pipeline's YAML file.")
  @Nullable Path pipelineFile;

  @Parameters(index = "1..*", paramLabel = "INPUT", description = "Files, directories, - or texts.")
  List<String> inputs = new ArrayList<>();

  @Option(
      names = "--glob",
      paramLabel = "GLOB",
      description = "Only the files of directories matching GLOB ('*.txt', '**/*.png').")
  @Nullable String glob;

  @Option(names = "--lines", description = "One part per line of standard input.")
  boolean lines;

  @Option(
      names = "--parts",
      description = "Files and standard input hold parts as JSONL (one PartJson object a line).")
  boolean partsJsonl;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      description = "text (the default: text as it streams) or jsonl (one JSON part a line).")
  Format format = Format.text;

  @Option(
      names = {"-o", "--output-dir"},
      paramLabel = "DIR",
      description = "Write bytes parts (images, audio, PDF) as files into DIR.")
  @Nullable Path outputDir;

  @Option(names = "--trace", paramLabel = "FILE", description = "Write the run's trace to FILE.")
  @Nullable Path traceFile;

  @Option(
      names = "--trace-limit",
      paramLabel = "CHARS",
      description =
          "The most characters of a text part kept in the trace (default: ${DEFAULT-VALUE}).",
      defaultValue = "4000")
  int traceLimit;

  @Option(names = "--view", description = "Serve the trace viewer on 127.0.0.1, following the run.")
  boolean view;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The viewer's port (default: any free one).",
      defaultValue = "0")
  int port;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress and no status parts on standard error.")
  boolean quiet;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Show progress on standard error (default: only when it is a terminal).")
  @Nullable Boolean progress;

  /** Counts down when the viewer of {@code --view} should stop; for tests. */
  static volatile @Nullable CountDownLatch viewerStop;

  private final AtomicInteger written = new AtomicInteger();
  private boolean midLine;

  /** Ends a line of streamed text, so that what follows (or the shell's prompt) starts a line. */
  private void endLine(PrintStream out) {
    if (midLine && format == Format.text) {
      out.println();
      out.flush();
    }
    midLine = false;
  }

  @Override
  public Integer call() throws Exception {
    GenaiCli cli = java.util.Objects.requireNonNull(this.cli, "cli");
    Path file = java.util.Objects.requireNonNull(pipelineFile, "pipelineFile");
    if (!Files.isRegularFile(file)) {
      throw new UsageException("no such pipeline file: " + file);
    }
    if (traceLimit < 0) {
      throw new UsageException("--trace-limit must not be negative but was " + traceLimit);
    }
    Path dir = outputDir;
    if (dir != null) {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new UsageException("the output directory " + dir + " is a file");
      }
      Files.createDirectories(dir);
    }
    List<String> badInputs = new ArrayList<>();
    TraceRecorder recorder =
        new TraceRecorder(traceFile != null || view, traceLimit, 4 * 1024 * 1024);
    InputParts parts =
        InputParts.resolve(
            inputs,
            glob,
            partsJsonl,
            lines ? InputParts.StdinMode.LINES : InputParts.StdinMode.WHOLE,
            cli.in,
            sentence -> {
              badInputs.add(sentence);
              recorder.badInput(sentence);
              cli.err.println("genai: " + sentence);
            });

    SpanCollector spans = new SpanCollector();
    SdkTracerProvider tracing =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(tracing).build();
    Observability observability = Observability.builder().openTelemetry(openTelemetry).build();
    RunConfig config =
        RunConfig.defaults().withInterceptor(observability).withInterceptor(recorder);

    boolean showProgress = !quiet && (progress != null ? progress : Progress.isTerminal());
    TraceViewer viewer = null;
    try (Pipeline pipeline = Pipeline.load(file)) {
      if (view) {
        viewer = TraceViewer.start(port, recorder::document, recorder);
        cli.err.println("genai: the trace viewer is at " + viewer.uri());
      }
      @Nullable Progress bar =
          showProgress ? Progress.start(cli.err, recorder, parts.knownSize()) : null;
      try (ProcessorStream output = pipeline.apply(config, parts.iterator())) {
        for (ProcessorPart part : output) {
          write(cli, part);
        }
        endLine(cli.out);
      } catch (RuntimeException e) {
        endLine(cli.out);
        finish(recorder, spans, tracing, file, GenaiCli.describe(e));
        throw e;
      } finally {
        if (bar != null) {
          bar.close();
        }
      }
      finish(recorder, spans, tracing, file, null);
      if (viewer != null) {
        cli.err.println(
            "genai: the run ended; the viewer stays at "
                + viewer.uri()
                + " until you press Ctrl-C");
        CountDownLatch stop = viewerStop;
        (stop == null ? new CountDownLatch(1) : stop).await();
      }
    } finally {
      if (viewer != null) {
        viewer.close();
      }
      tracing.close();
    }
    return badInputs.isEmpty() ? GenaiCli.OK : GenaiCli.FAILED;
  }

  private void finish(
      TraceRecorder recorder,
      SpanCollector spans,
      SdkTracerProvider tracing,
      Path pipeline,
      @Nullable String failure) {
    tracing.forceFlush().join(5, TimeUnit.SECONDS);
    recorder.finish(pipeline.toString(), failure, spans.spans(recorder.startEpochNanos()));
    Path trace = traceFile;
    if (trace != null) {
      try {
        Path parent = trace.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        JSON.writeValue(trace.toFile(), recorder.document());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot write the trace " + trace + ": " + e.getMessage(), e);
      }
    }
  }

  static final ObjectMapper JSON =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private void write(GenaiCli cli, ProcessorPart part) throws IOException {
    PrintStream out = cli.out;
    ProcessorPart shown = part;
    Path dir = outputDir;
    if (dir != null && part.data() instanceof PartData.Blob) {
      Path saved =
          dir.resolve(
              String.format("part-%04d%s", written.incrementAndGet(), extension(part.mimeType())));
      Files.write(saved, part.bytes());
      shown =
          ProcessorPart.fromUri(saved.toUri().toString(), part.mimeType())
              .withRole(part.role())
              .withSubstreamName(part.substreamName())
              .withMetadata(part.metadata());
    }
    if (format == Format.jsonl) {
      out.write(PartJson.toJsonBytes(shown));
      out.write('\n');
      out.flush();
      return;
    }
    String substream = part.substreamName();
    if (!substream.isEmpty()
        && (Substreams.STATUS.equals(substream) || Substreams.DEBUG.equals(substream))) {
      if (!quiet) {
        cli.err.println(
            "[" + substream + "] " + (part.isText() ? part.text() : PartJson.toJson(part)));
      }
      return;
    }
    if (part.isException()) {
      cli.err.println("[error] " + part.text());
      return;
    }
    if (part.isText() && part.mimeType().startsWith("text/")) {
      String text = part.text();
      out.print(text);
      if (!text.isEmpty()) {
        midLine = !text.endsWith("\n");
      }
    } else if (shown.data() instanceof PartData.FileData file) {
      endLine(out);
      out.println(
          "[" + part.mimeType() + " saved to " + Path.of(java.net.URI.create(file.uri())) + "]");
    } else if (part.data() instanceof PartData.Blob) {
      endLine(out);
      out.println(
          "["
              + part.mimeType()
              + ", "
              + part.bytes().length
              + " bytes: use --output-dir to save it]");
    } else {
      endLine(out);
      out.println(PartJson.toJson(part));
    }
    out.flush();
  }

  /** The file name extension of bytes of {@code mimeType}. */
  static String extension(String mimeType) {
    return switch (mimeType) {
      case "image/png" -> ".png";
      case "image/jpeg" -> ".jpg";
      case "image/gif" -> ".gif";
      case "image/webp" -> ".webp";
      case "audio/wav" -> ".wav";
      case "audio/mpeg" -> ".mp3";
      case "audio/ogg" -> ".ogg";
      case "application/pdf" -> ".pdf";
      case "application/json" -> ".json";
      default -> mimeType.startsWith("text/") ? ".txt" : ".bin";
    };
  }
}
