package dev.genaiprocessors.examples;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.nats.NatsBroker;
import dev.genaiprocessors.queue.Broker;
import dev.genaiprocessors.queue.InProcessBroker;
import dev.genaiprocessors.queue.QueueSpec;
import dev.genaiprocessors.queue.RemoteStage;
import dev.genaiprocessors.queue.Worker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One pipeline across "machines": a local stage, a stage served by two workers behind a broker, and
 * a local stage again ({@code local.then(remote).then(local)}). By default the broker is the
 * in-process one and nothing needs to be set up; {@code -Dbroker=nats} runs the same code on the
 * NATS JetStream server at {@code -Dnats.url} (default {@code nats://127.0.0.1:4222}).
 *
 * <p>Each worker and the caller have a connection of their own, as separate processes would.
 */
public final class DistributedWorkersExample {
  private DistributedWorkersExample() {}

  public static void main(String[] args) throws Exception {
    String which = System.getProperty("broker", "in-process");
    Supplier<Broker> connections = connections(which);
    // A destination of this run's own, deleted at the end.
    QueueSpec spec = QueueSpec.of("examples.shout-" + UUID.randomUUID().toString().substring(0, 8));

    Processor shout =
        (input, output) -> {
          for (ProcessorPart part : input) {
            Thread.sleep(20); // stands for a model call
            output.emit(part.text().toUpperCase() + "!");
          }
        };
    PartProcessor trim = PartProcessor.map("trim", part -> part.text().strip());
    PartProcessor number = PartProcessor.map("number", part -> "> " + part.text());

    try (Broker caller = connections.get();
        Broker firstMachine = connections.get();
        Broker secondMachine = connections.get();
        Worker one = Worker.builder(firstMachine, spec, shout).concurrency(2).start();
        Worker two = Worker.builder(secondMachine, spec, shout).concurrency(2).start();
        RemoteStage remote =
            RemoteStage.builder(caller, spec).timeout(Duration.ofSeconds(30)).build()) {
      List<String> lines = List.of("  hello  ", " distributed ", "workers", "  in order ");
      for (ProcessorPart part : trim.then(remote).then(number).apply(lines)) {
        System.out.println(part.text());
      }
      System.out.printf(
          "broker: %s; worker one handled %d, worker two %d%n",
          which, one.stats().processed(), two.stats().processed());
    } finally {
      try (Broker cleaner = connections.get()) {
        cleaner.delete(spec); // the remote stage deleted its reply destination when it closed
      }
    }
  }

  private static Supplier<Broker> connections(String which) {
    return switch (which) {
      case "in-process" -> {
        InProcessBroker broker = InProcessBroker.create();
        yield broker::connect;
      }
      case "nats" -> {
        String url = System.getProperty("nats.url", "nats://127.0.0.1:4222");
        yield () -> NatsBroker.connect(url);
      }
      default ->
          throw new IllegalArgumentException(
              "broker must be in-process or nats but was \"" + which + '"');
    };
  }
}
