package dev.genaiprocessors.cli;

import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.config.ConfigException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code genai} command: runs a YAML pipeline on files, directories, arguments or standard
 * input, checks and describes pipelines, and shows what a run did.
 *
 * <pre>{@code
 * genai run cli/samples/hello.yaml "Why is the sky blue?"          # text on standard output
 * genai run pipeline.yaml photos/ --glob '*.png' --format jsonl     # one JSON part per line
 * genai run pipeline.yaml notes.txt --trace run.json                # and the run's trace
 * genai trace view run.json                                          # the trace in a browser
 * genai validate pipeline.yaml    genai list    genai schema
 * }</pre>
 *
 * <p><b>Exit codes</b>, for scripts: {@value #OK} when the command did what it was asked; {@value
 * #FAILED} when the pipeline failed (or an input line could not be read: the other inputs still
 * ran); {@value #USAGE} for bad usage or a bad pipeline file (an unknown option, a missing input
 * file, a pipeline with problems). An error is one sentence on standard error, prefixed {@code
 * genai:}; {@code --debug} adds the stack trace. Standard output carries only the results, so it
 * can be piped.
 *
 * <p>Build the runnable jar and the launcher script with {@code ./mvnw -B -DskipTests -pl cli -am
 * package}, then run {@code ./genai ...} from the repository's root.
 */
@Command(
    name = "genai",
    mixinStandardHelpOptions = true,
    versionProvider = GenaiCli.Version.class,
    description = "Runs GenAI Processors pipelines declared in YAML, and shows their traces.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      ListCommand.class,
      SchemaCommand.class,
      TraceCommand.class,
      CommandLine.HelpCommand.class
    })
public final class GenaiCli implements Runnable {
  /** The exit code of a command that did what it was asked. */
  public static final int OK = 0;

  /** The exit code of a run whose pipeline failed. */
  public static final int FAILED = 1;

  /** The exit code of bad usage or a bad pipeline file. */
  public static final int USAGE = 2;

  @Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      description = "On an error, print the stack trace too.")
  boolean debug;

  final InputStream in;
  final PrintStream out;
  final PrintStream err;

  @SuppressWarnings("unused") // picocli's spec of this command
  @CommandLine.Spec
  CommandLine.Model.@org.jspecify.annotations.Nullable CommandSpec spec;

  GenaiCli(InputStream in, PrintStream out, PrintStream err) {
    this.in = in;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the command line {@code args} and exits the JVM with a non-zero exit code when it failed
   * (returns normally on success, so that a caller running it in its own JVM, as Maven's {@code
   * exec:java} does, goes on).
   */
  public static void main(String[] args) {
    int code = execute(System.in, System.out, System.err, args);
    if (code != OK) {
      System.exit(code);
    }
  }

  /**
   * Runs the command line {@code args} with the given streams and returns its exit code.
   *
   * @param in standard input
   * @param out standard output: results only
   * @param err standard error: errors, progress and the viewer's address
   * @param args the command line, without the program name
   * @return {@value #OK}, {@value #FAILED} or {@value #USAGE}
   */
  public static int execute(InputStream in, PrintStream out, PrintStream err, String... args) {
    Objects.requireNonNull(args, "args");
    GenaiCli cli = new GenaiCli(in, out, err);
    boolean debug = Arrays.asList(args).contains("--debug");
    CommandLine line = new CommandLine(cli, new Factory(cli));
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    line.setParameterExceptionHandler(
        (e, a) -> {
          err.println("genai: " + e.getMessage());
          err.println("Try 'genai " + commandPath(e.getCommandLine()) + "--help' for usage.");
          if (debug) {
            e.printStackTrace(err);
          }
          return USAGE;
        });
    line.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          int code = e instanceof UsageException || e instanceof ConfigException ? USAGE : FAILED;
          err.println("genai: " + describe(e));
          if (debug) {
            e.printStackTrace(err);
          }
          return code;
        });
    return line.execute(args);
  }

  private static String commandPath(CommandLine line) {
    String path = line.getCommandSpec().qualifiedName(" ");
    path = path.startsWith("genai") ? path.substring("genai".length()).strip() : path;
    return path.isEmpty() ? "" : path + " ";
  }

  /** One sentence saying what went wrong, naming the failing stage when a pipeline failed. */
  static String describe(Throwable e) {
    if (e instanceof UsageException || e instanceof ConfigException) {
      return String.valueOf(e.getMessage());
    }
    Throwable cause = e instanceof ProcessorException && e.getCause() != null ? e.getCause() : e;
    String what =
        cause.getMessage() == null
            ? cause.getClass().getSimpleName()
            : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    return ProcessorException.stageOf(e)
        .map(stage -> "the pipeline failed in " + stage + ": " + what)
        .orElse("the pipeline failed: " + what);
  }

  @Override
  public void run() {
    CommandLine.Model.CommandSpec commandSpec = Objects.requireNonNull(spec, "spec");
    commandSpec.commandLine().usage(err);
    throw new CommandLine.ParameterException(
        commandSpec.commandLine(), "a command is required (run, validate, list, schema, trace)");
  }

  /** Makes the commands, handing each the streams of this invocation. */
  private static final class Factory implements CommandLine.IFactory {
    private final GenaiCli cli;

    Factory(GenaiCli cli) {
      this.cli = cli;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == GenaiCli.class) {
        return cls.cast(cli);
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  /** The library's version, from the jar's manifest when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = GenaiCli.class.getPackage().getImplementationVersion();
      return new String[] {
        "genai (GenAI Processors for Java) " + (version == null ? "dev" : version)
      };
    }
  }
}
