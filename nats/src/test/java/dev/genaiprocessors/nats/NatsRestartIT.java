package dev.genaiprocessors.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.queue.QueueSpec;
import dev.genaiprocessors.queue.RemoteStage;
import dev.genaiprocessors.queue.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The NATS server restarted in the middle of a run, on the same store directory: publishers and
 * workers reconnect, nothing is lost, and the caller gets each result once.
 *
 * <p>Stops the machine's server and starts it again with the machine's own command; it is running
 * again when the test ends, whatever happened.
 */
class NatsRestartIT {
  private static final int MESSAGES = 10_000;
  private final List<NatsBroker> brokers = new ArrayList<>();
  private final List<QueueSpec> specs = new ArrayList<>();

  private NatsBroker open() {
    NatsBroker broker = NatsTestServer.connect();
    brokers.add(broker);
    return broker;
  }

  @AfterEach
  void cleanUp() throws Exception {
    NatsServerProcess.ensureRunning();
    try (NatsBroker cleaner = NatsTestServer.connect()) {
      specs.forEach(cleaner::delete);
    }
    brokers.forEach(NatsBroker::close);
  }

  @Test
  void aRestartedServer_losesNothing_andTheCallerGetsEachResultOnce() throws Exception {
    assumeTrue(Files.isExecutable(Path.of(NatsServerProcess.EXECUTABLE)), "no local nats-server");
    assumeTrue(NatsServerProcess.find().isPresent(), "NATS does not run as a local process here");
    NatsBroker caller = open();
    QueueSpec spec = QueueSpec.of("restart-" + UUID.randomUUID().toString().substring(0, 8));
    specs.add(spec);
    caller.declare(spec);

    AtomicInteger handled = new AtomicInteger();
    CountDownLatch quarter = new CountDownLatch(1);
    Processor upper =
        (input, output) -> {
          for (ProcessorPart part : input) {
            if (handled.incrementAndGet() == MESSAGES / 4) {
              quarter.countDown();
            }
            output.emit(part.text().toUpperCase());
          }
        };
    AtomicReference<Throwable> restartFailure = new AtomicReference<>();
    CountDownLatch restarted = new CountDownLatch(1);
    Thread restarter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    quarter.await();
                    NatsServerProcess.stop();
                    Thread.sleep(1000);
                    NatsServerProcess.start();
                  } catch (Throwable e) {
                    restartFailure.set(e);
                  } finally {
                    restarted.countDown();
                  }
                });
    List<String> inputs = IntStream.range(0, MESSAGES).mapToObj(i -> "m-" + i).toList();
    List<String> out;
    int handledBeforeTheEnd;
    try (Worker one = Worker.builder(open(), spec, upper).concurrency(4).start();
        Worker two = Worker.builder(open(), spec, upper).concurrency(4).start();
        RemoteStage remote =
            RemoteStage.builder(caller, spec).timeout(Duration.ofMinutes(3)).build()) {
      specs.add(QueueSpec.of(remote.replyDestination()));
      out = new ArrayList<>();
      remote.toProcessor(128).apply(inputs).gather().parts().forEach(p -> out.add(p.text()));
      restarted.await();
      handledBeforeTheEnd = handled.get();
      assertThat(one.stats().processed() + two.stats().processed())
          .isGreaterThanOrEqualTo(MESSAGES);
    } finally {
      restarter.interrupt();
      restarter.join();
    }
    assertThat(restartFailure.get()).as("the restart itself").isNull();
    assertThat(out).containsExactlyElementsOf(inputs.stream().map(String::toUpperCase).toList());
    assertThat(handledBeforeTheEnd).isGreaterThanOrEqualTo(MESSAGES);
    BrokerState.awaitEmpty(caller, spec.name());
    System.out.printf(
        "restart: %d messages, processed %d times (%d again after the restart)%n",
        MESSAGES, handledBeforeTheEnd, handledBeforeTheEnd - MESSAGES);
  }
}
