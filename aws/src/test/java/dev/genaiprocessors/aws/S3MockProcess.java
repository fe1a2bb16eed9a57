package dev.genaiprocessors.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Adobe S3Mock run as its own JVM from its self-contained jar (path in the system property {@code
 * s3mock.jar}, copied there by the build), on free ports, until closed.
 */
final class S3MockProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private S3MockProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static S3MockProcess start() throws IOException, InterruptedException {
    String jar = System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar");
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "S3Mock's jar is not at " + jar + "; run through Maven (verify), which copies it there");
    }
    int http = freePort();
    int https = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-jar",
                jar,
                "--http.port=" + http,
                "--server.port=" + https,
                "--server.address=127.0.0.1",
                "--logging.level.root=WARN")
            .redirectErrorStream(true)
            .redirectOutput(Path.of("target", "s3mock-" + http + ".log").toFile())
            .start();
    S3MockProcess mock = new S3MockProcess(process, http);
    HttpClient client = HttpClient.newHttpClient();
    for (int attempt = 0; ; attempt++) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Mock exited with " + process.exitValue());
      }
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(mock.endpoint()).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return mock;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (attempt > 1200) {
        mock.close();
        throw new IllegalStateException("S3Mock did not start within two minutes");
      }
      Thread.sleep(100);
    }
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
