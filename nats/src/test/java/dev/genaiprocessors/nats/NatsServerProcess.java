package dev.genaiprocessors.nats;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts the machine's NATS server, for the restart test: the process is found by its
 * executable and port and stopped by its id (SIGTERM, a clean shutdown), and started again with the
 * very command the machine and {@code .ci/run} start it with, on the same store directory.
 */
final class NatsServerProcess {
  static final String EXECUTABLE = "/usr/sbin/nats-server";

  /** The machine's start command, as in {@code .ci/run}. */
  static final String START =
      "start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a"
          + " 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log";

  private NatsServerProcess() {}

  /** The running server on port 4222, if this machine runs it as a local process. */
  static Optional<ProcessHandle> find() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(EXECUTABLE::equals).orElse(false))
        .filter(
            p ->
                p.info()
                    .arguments()
                    .map(a -> Arrays.asList(a).containsAll(List.of("-p", "4222", "-js")))
                    .orElse(false))
        .findFirst();
  }

  /** Stops the server by its process id and waits until it has exited. */
  static void stop() throws Exception {
    ProcessHandle server = find().orElseThrow(() -> new IllegalStateException("no NATS server"));
    server.destroy();
    server.onExit().get(60, TimeUnit.SECONDS);
  }

  /** Starts the server with the machine's command and waits until it takes connections. */
  static void start() throws IOException, InterruptedException {
    Process start = new ProcessBuilder("bash", "-c", START).inheritIO().start();
    if (!start.waitFor(60, TimeUnit.SECONDS)) {
      start.destroy();
      throw new IllegalStateException("the NATS start command did not return within 60 s");
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!answers()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("NATS did not answer on 127.0.0.1:4222 within 60 s");
      }
      Thread.sleep(100);
    }
  }

  /** Starts the server unless it is running: every test that stops it ends with this. */
  static void ensureRunning() throws IOException, InterruptedException {
    if (!answers()) {
      start();
    }
  }

  static boolean answers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 4222), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
