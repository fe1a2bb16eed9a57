package dev.genaiprocessors.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/** Runs the command line in process with captured streams, as picocli's own tests do. */
final class Cli {
  private Cli() {}

  /** What a command line printed and returned. */
  record Result(int code, String out, String err) {}

  static Result runWithStdin(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        GenaiCli.execute(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result run(String... args) {
    return runWithStdin("", args);
  }

  /** A pipeline of the test resources, by name. */
  static String pipeline(String name) {
    try {
      return Path.of(
              Objects.requireNonNull(Cli.class.getResource("/pipelines/" + name + ".yaml"), name)
                  .toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
