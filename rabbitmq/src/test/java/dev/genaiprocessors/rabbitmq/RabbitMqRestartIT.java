package dev.genaiprocessors.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.queue.QueuePublisher;
import dev.genaiprocessors.queue.QueueSpec;
import dev.genaiprocessors.queue.RemoteStage;
import dev.genaiprocessors.queue.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ restarted mid-run ({@code rabbitmqctl stop_app}, then {@code start_app}): publishers,
 * workers and the remote stage reconnect, no message is lost, and duplicates are suppressed. The
 * broker is started again at once whatever happens, and after the class in any case.
 */
class RabbitMqRestartIT {
  private static final int MESSAGES = Integer.getInteger("queue.restart.messages", 10_000);
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<QueueSpec> specs = new ArrayList<>();

  private RabbitMqBroker connect() {
    RabbitMqBroker broker =
        RabbitMqBroker.builder()
            .host("127.0.0.1")
            .port(5672)
            .recoveryInterval(Duration.ofMillis(250))
            .confirmTimeout(PATIENCE)
            .build();
    resources.add(broker);
    return broker;
  }

  @AfterEach
  void cleanUp() throws Exception {
    startApp();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    try (RabbitMqBroker cleaner = RabbitMqBroker.builder().build()) {
      specs.forEach(cleaner::delete);
    }
  }

  @AfterAll
  static void brokerIsRunning() throws Exception {
    startApp();
  }

  @Test
  void aBrokerRestartMidRun_losesNothing_andTheCallerGetsEachResultOnce() throws Exception {
    QueueSpec spec = QueueSpec.of("restart-" + UUID.randomUUID().toString().substring(0, 8));
    specs.add(spec);
    RabbitMqBroker caller = connect();
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
    List<RabbitMqBroker> workerConnections = List.of(connect(), connect());
    Worker one = Worker.builder(workerConnections.get(0), spec, upper).concurrency(4).start();
    resources.add(one);
    Worker two = Worker.builder(workerConnections.get(1), spec, upper).concurrency(4).start();
    resources.add(two);
    RemoteStage remote = RemoteStage.builder(caller, spec).timeout(PATIENCE).build();
    resources.add(remote);
    specs.add(QueueSpec.of(remote.replyDestination()));

    Thread restarter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    quarter.await();
                    rabbitmqctl("stop_app");
                    Thread.sleep(2_000);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  } finally {
                    startApp();
                  }
                });

    List<String> inputs = IntStream.range(0, MESSAGES).mapToObj(i -> "m-" + i).toList();
    List<String> out = new ArrayList<>();
    for (ProcessorPart part : remote.toProcessor(64).apply(inputs)) {
      out.add(part.text());
    }
    restarter.join();

    assertThat(quarter.getCount()).as("the restart happened mid-run").isZero();
    assertThat(out).containsExactlyElementsOf(inputs.stream().map(String::toUpperCase).toList());
    assertThat(one.stats().processed() + two.stats().processed()).isGreaterThanOrEqualTo(MESSAGES);
    assertThat(caller.reconnections()).as("the caller reconnected").isPositive();
    assertThat(workerConnections)
        .allSatisfy(c -> assertThat(c.reconnections()).as("a worker reconnected").isPositive());
  }

  @Test
  void aPublisher_waitsOutABrokerRestart_andEveryTrackedMessageIsInTheQueue() throws Exception {
    QueueSpec spec = QueueSpec.of("restart-pub-" + UUID.randomUUID().toString().substring(0, 8));
    specs.add(spec);
    RabbitMqBroker broker = connect();
    int n = Math.max(100, MESSAGES / 10);
    // The input stops after a quarter of the parts until the broker's app has stopped, so the
    // rest are published across the restart whatever the speed of the machine.
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    Thread[] restarter = new Thread[1];
    java.util.Iterator<String> input =
        IntStream.range(0, n)
            .mapToObj(
                i -> {
                  if (i == n / 4) {
                    restarter[0] =
                        Thread.ofVirtual()
                            .start(
                                () -> {
                                  try {
                                    rabbitmqctl("stop_app");
                                    stopped.countDown();
                                    Thread.sleep(2_000);
                                  } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                  } finally {
                                    stopped.countDown();
                                    startApp();
                                  }
                                });
                    try {
                      stopped.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      throw new IllegalStateException(e);
                    }
                  }
                  return "p-" + i;
                })
            .iterator();
    List<String> ids = new ArrayList<>();
    for (ProcessorPart tracking : QueuePublisher.to(broker, spec).toProcessor(16).apply(input)) {
      ids.add((String) tracking.metadata(QueuePublisher.MESSAGE_ID));
    }
    Thread restarterThread = restarter[0];
    assertThat(restarterThread).isNotNull();
    restarterThread.join();
    assertThat(broker.reconnections()).as("the publisher reconnected").isPositive();
    List<String> received = new ArrayList<>();
    try (var sub = broker.subscribe(spec.name(), 256)) {
      var delivery = sub.receive(PATIENCE);
      while (delivery != null) {
        received.add(delivery.message().id());
        delivery.ack();
        delivery = sub.receive(Duration.ofSeconds(2));
      }
    }
    // At least once: a publish whose confirm was lost with the connection is sent again.
    assertThat(received).containsAll(ids);
    assertThat(new java.util.HashSet<>(received)).hasSize(ids.size());
  }

  private static void startApp() {
    try {
      rabbitmqctl("start_app");
    } catch (Exception e) {
      throw new IllegalStateException("could not start RabbitMQ again: " + e.getMessage(), e);
    }
  }

  private static void rabbitmqctl(String command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("rabbitmqctl", "-q", command).redirectErrorStream(true).start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException("rabbitmqctl " + command + " did not finish in 2 minutes");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(
          "rabbitmqctl " + command + " failed (" + process.exitValue() + "): " + output);
    }
  }
}
