package dev.genaiprocessors.tools.mcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Starts {@link McpTestServer} as a process of its own, as the tests need it. */
final class McpServers {
  private McpServers() {}

  /** The command that runs the test server in {@code mode}, on this JVM and class path. */
  static List<String> command(String mode) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1"); // starts faster; the server does little work
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(McpTestServer.class.getName());
    command.add(mode);
    return command;
  }

  /** A test server serving streamable HTTP; {@link #close()} kills it. */
  static final class HttpServer implements AutoCloseable {
    final Process process;
    final URI endpoint;

    HttpServer() throws IOException {
      process =
          new ProcessBuilder(command("http"))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith("port=")) {
        process.destroyForcibly();
        throw new IllegalStateException("the MCP test server said " + line);
      }
      endpoint = URI.create("http://127.0.0.1:" + line.substring(5) + "/mcp");
    }

    @Override
    public void close() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  /**
   * Waits for a condition that another thread makes true (a notification handled), failing after a
   * minute: a deadline for a hang, not a measure of speed.
   */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited a minute for " + what);
      }
      Thread.sleep(10);
    }
  }
}
