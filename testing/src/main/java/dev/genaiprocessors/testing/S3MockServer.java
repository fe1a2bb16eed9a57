package dev.genaiprocessors.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Adobe S3Mock, a local server that speaks Amazon S3's REST protocol (aws-chunked uploads,
 * multipart uploads, ranged reads), run as its own JVM from its self-contained jar until closed:
 * point the official S3 client at {@link #endpoint()} with path-style addresses.
 *
 * <pre>{@code
 * try (S3MockServer s3 = S3MockServer.start()) {
 *   S3Client client = S3Client.builder()
 *       .endpointOverride(s3.endpoint())
 *       .forcePathStyle(true)
 *       .region(Region.US_EAST_1)
 *       .credentialsProvider(StaticCredentialsProvider.create(
 *           AwsBasicCredentials.create("AKIDTEST", "secret")))
 *       .build();
 *   client.createBucket(b -> b.bucket("my-bucket"));
 * }
 * }</pre>
 *
 * <p><b>The jar.</b> {@link #start()} runs the jar named by the system property {@value
 * #JAR_PROPERTY} when it is set, else {@code com.adobe.testing:s3mock:<version>:jar:exec} from the
 * local Maven repository ({@code maven.repo.local}, or {@code ~/.m2/repository}), at the version
 * this library was built with ({@link #version()}). A build resolves it there with {@code
 * maven-dependency-plugin}'s {@code copy} goal, or by hand: {@code mvn dependency:get
 * -Dartifact=com.adobe.testing:s3mock:5.2.0:jar:exec}. Running S3Mock in its own JVM keeps its
 * Spring Boot classpath away from the caller's.
 *
 * <p><b>Start and stop.</b> It listens for HTTP on a free port (on every interface: S3Mock's plain
 * HTTP connector ignores the bind address; clients still connect over 127.0.0.1), answers within
 * about 10 seconds, and keeps objects in a temporary folder that it deletes when it stops. Its
 * output goes to {@link #log()}. {@link #close()} stops the process and waits for it.
 */
public final class S3MockServer implements AutoCloseable {
  /** The system property naming the S3Mock jar to run instead of the local repository's. */
  public static final String JAR_PROPERTY = "s3mock.jar";

  private static final long START_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);

  private final Process process;
  private final int port;
  private final Path log;

  private S3MockServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts S3Mock from the jar {@link #JAR_PROPERTY} names, or else the local Maven repository's,
   * and waits until it answers.
   *
   * @throws IllegalStateException when the jar is not there (naming where it was looked for and how
   *     to fetch it), or S3Mock exits or does not answer within two minutes
   */
  public static S3MockServer start() {
    return start(defaultJar());
  }

  /**
   * Starts S3Mock from {@code jar} (its {@code exec} jar) and waits until it answers.
   *
   * @throws IllegalStateException when {@code jar} is not a file, or S3Mock exits or does not
   *     answer within two minutes (the message names its log)
   */
  public static S3MockServer start(Path jar) {
    Objects.requireNonNull(jar, "jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Mock's jar is not at "
              + jar
              + "; fetch it with: mvn dependency:get -Dartifact=com.adobe.testing:s3mock:"
              + version()
              + ":jar:exec (or set -D"
              + JAR_PROPERTY
              + "=<path>)");
    }
    int http = freePort();
    int https = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log;
    Process process;
    try {
      log = Files.createTempFile("s3mock-" + http + "-", ".log");
      process =
          new ProcessBuilder(
                  java,
                  "-Xmx256m",
                  "-jar",
                  jar.toString(),
                  "--http.port=" + http,
                  "--server.port=" + https,
                  "--server.address=127.0.0.1",
                  "--logging.level.root=WARN")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("starting S3Mock from " + jar + " failed", e);
    }
    S3MockServer server = new S3MockServer(process, http, log);
    try {
      server.awaitAnswer();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The S3Mock release {@link #start()} looks for in the local Maven repository. */
  public static String version() {
    try (InputStream in = S3MockServer.class.getResourceAsStream("s3mock.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "5.2.0");
    } catch (IOException e) {
      throw new UncheckedIOException("reading s3mock.properties failed", e);
    }
  }

  private static Path defaultJar() {
    String named = System.getProperty(JAR_PROPERTY);
    if (named != null && !named.isBlank()) {
      return Path.of(named);
    }
    String repository = System.getProperty("maven.repo.local");
    Path repo =
        repository != null && !repository.isBlank()
            ? Path.of(repository)
            : Path.of(System.getProperty("user.home"), ".m2", "repository");
    String version = version();
    return repo.resolve(
        Path.of("com", "adobe", "testing", "s3mock", version, "s3mock-" + version + "-exec.jar"));
  }

  private void awaitAnswer() {
    long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "S3Mock exited with code " + process.exitValue() + " while starting; see " + log);
      }
      if (answers()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Mock did not answer within two minutes; see " + log);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for S3Mock to start", e);
      }
    }
  }

  private boolean answers() {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint().toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false; // not listening yet
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("finding a free port failed", e);
    }
  }

  /** The endpoint for an S3 client's {@code endpointOverride}: {@code http://127.0.0.1:port}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The HTTP port S3Mock listens on. */
  public int port() {
    return port;
  }

  /** The file S3Mock's output goes to. */
  public Path log() {
    return log;
  }

  /**
   * Stops S3Mock and waits for it to exit (forcibly after 20 seconds); an interrupt stops it
   * forcibly and is kept on the thread.
   */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "S3MockServer[" + endpoint() + "]";
  }
}
