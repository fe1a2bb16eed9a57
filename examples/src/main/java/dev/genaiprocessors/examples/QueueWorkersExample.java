package dev.genaiprocessors.examples;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.nats.NatsBroker;
import dev.genaiprocessors.queue.Broker;
import dev.genaiprocessors.queue.InProcessBroker;
import dev.genaiprocessors.queue.QueuePublisher;
import dev.genaiprocessors.queue.QueueSpec;
import dev.genaiprocessors.queue.RemoteStage;
import dev.genaiprocessors.queue.Worker;
import dev.genaiprocessors.rabbitmq.RabbitMqBroker;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A stage served by workers behind a broker: {@code local.then(remote).then(local)} as one
 * pipeline. Two workers share a slow "summarise" stage (20 ms of pretend I/O a part); the remote
 * stage sends them the parts and streams their results back in input order. Then a publisher queues
 * three parts and shows the tracking parts the broker confirmed.
 *
 * <p>It runs in process, with nothing to set up. With {@code -Dqueue.broker=rabbitmq} (or the
 * environment variable {@code GENAI_QUEUE_BROKER=rabbitmq}) the same code runs against RabbitMQ on
 * 127.0.0.1:5672 as guest, and with {@code nats} against NATS JetStream on 127.0.0.1:4222; the
 * workers could then run on other machines.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=QueueWorkersExample} (add {@code -Dqueue.broker=rabbitmq} for RabbitMQ, {@code
 * -Dqueue.broker=nats} for NATS)
 */
public final class QueueWorkersExample {
  private QueueWorkersExample() {}

  public static void main(String[] args) {
    String which = System.getProperty("queue.broker", System.getenv("GENAI_QUEUE_BROKER"));
    String kind = which == null ? "in-process" : which.strip().toLowerCase(Locale.ROOT);
    String run = UUID.randomUUID().toString().substring(0, 8);
    QueueSpec summaries = QueueSpec.of("examples.summaries-" + run);
    QueueSpec archive = QueueSpec.of("examples.archive-" + run);
    Processor summarise =
        PartProcessor.map(
                "summarise",
                part -> {
                  try {
                    Thread.sleep(20); // a model call, say
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return part.text().split(" ")[0] + "...";
                })
            .toProcessor();
    try (Broker broker =
        switch (kind) {
          case "rabbitmq" -> RabbitMqBroker.builder().build();
          case "nats" -> NatsBroker.builder().connect();
          default -> InProcessBroker.create();
        }) {
      System.out.println("broker: " + broker);
      try (Worker one = Worker.builder(broker, summaries, summarise).concurrency(2).start();
          Worker two = Worker.builder(broker, summaries, summarise).concurrency(2).start();
          RemoteStage remote = RemoteStage.builder(broker, summaries).build()) {
        Processor pipeline =
            Processor.chain(
                PartProcessor.map(p -> p.text().strip()),
                remote,
                PartProcessor.map(p -> "* " + p.text() + "\n"));
        System.out.print(
            pipeline
                .apply(
                    List.of(
                        "  Queues let a stage run on many machines. ",
                        "Workers acknowledge only after their results are confirmed.",
                        "Poison messages end in a dead-letter queue."))
                .text());

        for (ProcessorPart tracking :
            QueuePublisher.to(broker, archive).apply(List.of("one", "two", "three"))) {
          System.out.println("tracking: " + tracking.text());
        }
      } finally {
        broker.delete(summaries);
        broker.delete(archive);
      }
    }
  }
}
