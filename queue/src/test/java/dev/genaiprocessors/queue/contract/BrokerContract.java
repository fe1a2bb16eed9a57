package dev.genaiprocessors.queue.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.queue.Broker;
import dev.genaiprocessors.queue.Delivery;
import dev.genaiprocessors.queue.Headers;
import dev.genaiprocessors.queue.Message;
import dev.genaiprocessors.queue.QueueException;
import dev.genaiprocessors.queue.QueuePublisher;
import dev.genaiprocessors.queue.QueueSpec;
import dev.genaiprocessors.queue.RemoteProcessingException;
import dev.genaiprocessors.queue.RemoteStage;
import dev.genaiprocessors.queue.Subscription;
import dev.genaiprocessors.queue.Worker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The scenarios every {@link Broker} implementation must pass: what {@link Broker}'s Javadoc
 * promises, then the failure scenarios of the publisher, workers and remote stages on top of it.
 *
 * <p>A broker module's test extends this class (in the test jar of {@code genai-processors-queue},
 * type {@code test-jar}) and implements {@link #connect()}; the in-process broker's is {@code
 * InProcessBrokerContractTest}. Each test uses destinations of its own, named {@code
 * contract-<test>-<random>}, and deletes them afterwards; each {@link #connect()} is closed after
 * the test.
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>dev.genaiprocessors</groupId>
 *   <artifactId>genai-processors-queue</artifactId>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 *
 * class NatsBrokerContractIT extends BrokerContract {
 *   protected Broker connect() { return NatsBroker.connect(settings); }
 * }
 * }</pre>
 *
 * <p>No assertion is on elapsed time: tests wait for events and count what happened. {@link
 * #messageCount()} messages (10,000 unless overridden) flow through the counting scenarios.
 */
public abstract class BrokerContract {
  private final List<Broker> connections = new ArrayList<>();
  private final List<QueueSpec> declared = new ArrayList<>();
  private final Random random = new Random(17);
  private String testName = "test";

  /** For subclasses. */
  protected BrokerContract() {}

  /** A new connection to the broker under test; each is its own connection, closed by the suite. */
  protected abstract Broker connect();

  /** How many messages the counting scenarios send: 10,000 unless a subclass says otherwise. */
  protected int messageCount() {
    return 10_000;
  }

  /**
   * Whether the broker drops a published message whose id it has stored already (JetStream's {@code
   * Nats-Msg-Id} within the stream's duplicate window), as the guarantees allow. The scenario with
   * a result published twice then expects the broker, not the remote stage, to drop the second one.
   * Default: false.
   */
  protected boolean deduplicatesById() {
    return false;
  }

  /** How long a scenario waits for something that should happen (default 2 minutes). */
  protected Duration patience() {
    return Duration.ofMinutes(2);
  }

  /** A short wait, for things that should not happen (default 300 ms). */
  protected Duration shortWait() {
    return Duration.ofMillis(300);
  }

  @org.junit.jupiter.api.BeforeEach
  void nameFrom(TestInfo info) {
    testName =
        info.getTestMethod().map(m -> m.getName()).orElse("test").replaceAll("[^A-Za-z0-9]", "-");
    if (testName.length() > 60) {
      testName = testName.substring(0, 60);
    }
  }

  @AfterEach
  void cleanUp() {
    try (Broker cleaner = connect()) {
      for (QueueSpec spec : declared) {
        cleaner.delete(spec);
      }
    } finally {
      connections.forEach(Broker::close);
    }
  }

  /** A connection closed after the test. */
  protected final Broker open() {
    Broker broker = connect();
    connections.add(broker);
    return broker;
  }

  /** A spec of this test's own, declared through {@code broker} and deleted after the test. */
  protected final QueueSpec declare(Broker broker, String what, int maxDeliveries) {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    QueueSpec spec =
        QueueSpec.of("contract-" + testName + "-" + what + "-" + suffix)
            .withMaxDeliveries(maxDeliveries);
    declared.add(spec);
    broker.declare(spec);
    return spec;
  }

  /** Remembers a destination someone else declares, to delete it after the test. */
  protected final void deleteAfterwards(QueueSpec spec) {
    declared.add(spec);
  }

  private Delivery receive(Subscription sub) throws InterruptedException {
    Delivery delivery = sub.receive(patience());
    assertThat(delivery).as("a delivery within %s", patience()).isNotNull();
    return delivery;
  }

  private static Message text(String id, String text) {
    return Message.of(id, PartJson.toJsonBytes(ProcessorPart.text(text)));
  }

  // ---------------------------------------------------------------- the broker SPI

  @Test
  void publish_thenReceive_deliversTheIdBodyAndHeadersUnchanged() throws Exception {
    Broker broker = open();
    QueueSpec spec = declare(broker, "q", 5);
    byte[] body = new byte[1024];
    random.nextBytes(body);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("trace-id", "abc-123");
    headers.put("note", "naïve — ünïcode ✓ \"quoted\" : ; , = %");
    headers.put("empty", "");
    broker.publish(spec.name(), new Message("id-1", body, headers));

    try (Subscription sub = broker.subscribe(spec.name(), 1)) {
      Delivery delivery = receive(sub);
      assertThat(delivery.message().id()).isEqualTo("id-1");
      assertThat(delivery.message().body()).isEqualTo(body);
      assertThat(delivery.message().headers()).containsAllEntriesOf(headers);
      assertThat(delivery.message().headers().keySet())
          .filteredOn(k -> k.startsWith("gp-"))
          .isEmpty();
      assertThat(delivery.deliveryCount()).isEqualTo(1);
      delivery.ack();
      assertThat(sub.receive(shortWait())).isNull();
    }
  }

  @Test
  void publish_toAnUndeclaredDestination_failsNamingIt() {
    Broker broker = open();
    String nowhere = "contract-nowhere-" + UUID.randomUUID().toString().substring(0, 8);
    assertThatThrownBy(() -> broker.publish(nowhere, text("id-1", "lost")))
        .isInstanceOf(QueueException.class)
        .hasMessageContaining(nowhere);
  }

  @Test
  void declare_isIdempotent_andDeleteRemovesTheMessages() throws Exception {
    Broker broker = open();
    QueueSpec spec = declare(broker, "q", 5);
    broker.declare(spec);
    broker.publish(spec.name(), text("id-1", "one"));
    broker.delete(spec);
    broker.declare(spec);
    try (Subscription sub = broker.subscribe(spec.name(), 1)) {
      assertThat(sub.receive(shortWait())).isNull();
    }
  }

  @Test
  void firstDeliveries_comeInPublicationOrder() throws Exception {
    Broker broker = open();
    QueueSpec spec = declare(broker, "q", 5);
    for (int i = 0; i < 100; i++) {
      broker.publish(spec.name(), text("id-" + i, "m" + i));
    }
    List<String> ids = new ArrayList<>();
    try (Subscription sub = broker.subscribe(spec.name(), 10)) {
      for (int i = 0; i < 100; i++) {
        Delivery delivery = receive(sub);
        ids.add(delivery.message().id());
        delivery.ack();
      }
    }
    assertThat(ids)
        .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "id-" + i).toList());
  }

  @Test
  void prefetch_boundsTheUnsettledDeliveries() throws Exception {
    Broker broker = open();
    QueueSpec spec = declare(broker, "q", 5);
    for (int i = 0; i < 5; i++) {
      broker.publish(spec.name(), text("id-" + i, "m" + i));
    }
    try (Subscription sub = broker.subscribe(spec.name(), 2)) {
      Delivery first = receive(sub);
      receive(sub);
      assertThat(sub.receive(shortWait())).as("a third delivery beyond prefetch 2").isNull();
      first.ack();
      assertThat(receive(sub).message().id()).isEqualTo("id-2");
    }
  }

  @Test
  void prefetchedMessages_goToAnotherConsumer_whenTheFirstIsFull() throws Exception {
    Broker broker = open();
    QueueSpec spec = declare(broker, "q", 5);
    try (Subscription slow = broker.subscribe(spec.name(), 1);
        Subscription other = open().subscribe(spec.name(), 10)) {
      for (int i = 0; i < 5; i++) {
        broker.publish(spec.name(), text("id-" + i, "m" + i));
      }
      Set<String> seen = new HashSet<>();
      Delivery held = receive(slow);
      seen.add(held.message().id());
      for (int i = 0; i < 4; i++) {
        Delivery delivery = receive(other);
        seen.add(delivery.message().id());
        delivery.ack();
      }
      held.ack();
      assertThat(seen).hasSize(5);
    }
  }

  @Test
  void retry_deliversTheMessageAgain_withItsCountOneHigher() throws Exception {
    Broker broker = open();
    QueueSpec spec = declare(broker, "q", 5);
    broker.publish(spec.name(), text("id-1", "again"));
    try (Subscription sub = broker.subscribe(spec.name(), 1)) {
      Delivery first = receive(sub);
      first.retry(Duration.ofMillis(50));
      assertThatThrownBy(first::ack).isInstanceOf(IllegalStateException.class);
      Delivery second = receive(sub);
      assertThat(second.message().id()).isEqualTo("id-1");
      assertThat(second.deliveryCount()).isEqualTo(2);
      second.ack();
      assertThat(sub.receive(shortWait())).isNull();
    }
  }

  @Test
  void closingASubscription_givesItsUnsettledDeliveriesBack() throws Exception {
    Broker broker = open();
    QueueSpec spec = declare(broker, "q", 5);
    broker.publish(spec.name(), text("id-1", "one"));
    broker.publish(spec.name(), text("id-2", "two"));
    Subscription first = broker.subscribe(spec.name(), 2);
    receive(first);
    receive(first);
    first.close();
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    try (Subscription second = broker.subscribe(spec.name(), 2)) {
      for (int i = 0; i < 2; i++) {
        Delivery delivery = receive(second);
        counts.put(delivery.message().id(), delivery.deliveryCount());
        delivery.ack();
      }
    }
    assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("id-1", 2, "id-2", 2));
  }

  @Test
  void aDroppedConnection_givesItsDeliveriesToAnotherConsumer() throws Exception {
    Broker publisher = open();
    QueueSpec spec = declare(publisher, "q", 5);
    publisher.publish(spec.name(), text("id-1", "one"));
    Broker doomed = open();
    Delivery lost = receive(doomed.subscribe(spec.name(), 1));
    doomed.close();
    assertThatThrownBy(lost::ack).isInstanceOf(QueueException.class);
    try (Subscription sub = open().subscribe(spec.name(), 1)) {
      Delivery again = receive(sub);
      assertThat(again.message().id()).isEqualTo("id-1");
      assertThat(again.deliveryCount()).isEqualTo(2);
      again.ack();
    }
    assertThatThrownBy(() -> doomed.publish(spec.name(), text("id-2", "after")))
        .isInstanceOf(QueueException.class);
  }

  @Test
  void aMessageThatKillsItsConsumers_isDeadLetteredAfterMaxDeliveries() throws Exception {
    Broker broker = open();
    QueueSpec spec = declare(broker, "q", 3);
    broker.publish(spec.name(), new Message("id-1", "{}".getBytes(), Map.of("trace-id", "t1")));
    for (int i = 1; i <= 3; i++) {
      Broker consumer = open();
      Delivery delivery = receive(consumer.subscribe(spec.name(), 1));
      assertThat(delivery.deliveryCount()).isEqualTo(i);
      consumer.close();
    }
    try (Subscription main = broker.subscribe(spec.name(), 1);
        Subscription dead = broker.subscribe(spec.deadLetter(), 1)) {
      Delivery dl = receive(dead);
      assertThat(dl.message().id()).isEqualTo("id-1");
      assertThat(dl.message().body()).isEqualTo("{}".getBytes());
      assertThat(dl.message().headers())
          .containsEntry("trace-id", "t1")
          .containsEntry(Headers.ORIGINAL_DESTINATION, spec.name())
          .containsEntry(Headers.DELIVERY_COUNT, "3")
          .containsKey(Headers.ERROR);
      dl.ack();
      assertThat(main.receive(shortWait())).isNull();
    }
  }

  @Test
  void retryingTheLastDelivery_deadLettersTheMessage() throws Exception {
    Broker broker = open();
    QueueSpec spec = declare(broker, "q", 2);
    broker.publish(spec.name(), text("id-1", "doomed"));
    try (Subscription sub = broker.subscribe(spec.name(), 1);
        Subscription dead = broker.subscribe(spec.deadLetter(), 1)) {
      receive(sub).retry(Duration.ZERO);
      Delivery last = receive(sub);
      assertThat(last.deliveryCount()).isEqualTo(2);
      last.retry(Duration.ZERO);
      Delivery dl = receive(dead);
      assertThat(dl.message().id()).isEqualTo("id-1");
      assertThat(dl.message().headers()).containsEntry(Headers.DELIVERY_COUNT, "2");
      dl.ack();
      assertThat(sub.receive(shortWait())).isNull();
    }
  }

  @Test
  void manyPublishers_atOnce_loseNothing() throws Exception {
    Broker broker = open();
    QueueSpec spec = declare(broker, "q", 5);
    int n = messageCount();
    try (var scope = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 8; t++) {
        int thread = t;
        scope.submit(
            () -> {
              for (int i = thread; i < n; i += 8) {
                broker.publish(spec.name(), text("id-" + i, "m" + i));
              }
              return null;
            });
      }
    }
    Set<String> ids = new HashSet<>();
    try (Subscription sub = broker.subscribe(spec.name(), 256)) {
      for (int i = 0; i < n; i++) {
        Delivery delivery = receive(sub);
        ids.add(delivery.message().id());
        delivery.ack();
      }
      assertThat(sub.receive(shortWait())).isNull();
    }
    assertThat(ids).hasSize(n);
  }

  // ---------------------------------------------------------------- publisher, worker, stage

  private static final Processor UPPER =
      (input, output) -> {
        for (ProcessorPart part : input) {
          output.emit(part.text().toUpperCase());
        }
      };

  private static List<String> inputs(int n) {
    return IntStream.range(0, n).mapToObj(i -> "m-" + i).toList();
  }

  private static List<String> upper(List<String> inputs) {
    return inputs.stream().map(String::toUpperCase).toList();
  }

  private static List<String> texts(Iterable<ProcessorPart> parts) {
    List<String> texts = new ArrayList<>();
    parts.forEach(p -> texts.add(p.text()));
    return texts;
  }

  @Test
  void publisher_emitsATrackingPart_onceTheBrokerHasTheMessage() throws Exception {
    Broker broker = open();
    QueueSpec spec = declare(broker, "q", 5);
    List<ProcessorPart> tracking =
        QueuePublisher.to(broker, spec).apply(List.of("a", "b", "c")).gather().parts();
    assertThat(tracking).hasSize(3);
    Set<String> ids = new HashSet<>();
    for (ProcessorPart part : tracking) {
      assertThat(part.metadata(QueuePublisher.STATUS)).isEqualTo(QueuePublisher.QUEUED);
      assertThat(part.metadata(QueuePublisher.DESTINATION)).isEqualTo(spec.name());
      assertThat(part.json().get(QueuePublisher.MESSAGE_ID).asText())
          .isEqualTo(part.metadata(QueuePublisher.MESSAGE_ID));
      ids.add((String) part.metadata(QueuePublisher.MESSAGE_ID));
    }
    Set<String> received = new HashSet<>();
    Set<String> bodies = new HashSet<>();
    try (Subscription sub = broker.subscribe(spec.name(), 3)) {
      for (int i = 0; i < 3; i++) {
        Delivery delivery = receive(sub);
        received.add(delivery.message().id());
        bodies.add(PartJson.fromJson(delivery.message().body()).text());
        delivery.ack();
      }
    }
    assertThat(received).isEqualTo(ids);
    assertThat(bodies).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void remoteStage_throughTwoWorkers_returnsEveryResultOnce_inInputOrder() throws Exception {
    Broker caller = open();
    QueueSpec spec = declare(caller, "work", 5);
    List<String> inputs = inputs(messageCount());
    try (Worker one = Worker.builder(open(), spec, UPPER).concurrency(4).start();
        Worker two = Worker.builder(open(), spec, UPPER).concurrency(4).start();
        RemoteStage remote = RemoteStage.builder(caller, spec).timeout(patience()).build()) {
      deleteAfterwards(QueueSpec.of(remote.replyDestination()));
      List<String> out = texts(remote.toProcessor(128).apply(inputs).gather());
      assertThat(out).containsExactlyElementsOf(upper(inputs));
      // A worker counts a message once it is acknowledged, just after its result went out.
      awaitStats(() -> one.stats().processed() + two.stats().processed() == inputs.size());
      assertThat(remote.droppedResults()).isZero();
    }
  }

  @Test
  void aWorkerKilledMidMessage_hasItsMessagesRedelivered_andTheCallerGetsEachResultOnce()
      throws Exception {
    Broker caller = open();
    QueueSpec spec = declare(caller, "work", 5);
    List<String> inputs = inputs(messageCount());
    int killAt = Math.max(1, Math.min(200, inputs.size() / 10));
    AtomicInteger seenByDoomed = new AtomicInteger();
    CountDownLatch stuck = new CountDownLatch(1);
    Processor doomedProcessor =
        (input, output) -> {
          for (ProcessorPart part : input) {
            if (seenByDoomed.incrementAndGet() == killAt) {
              stuck.countDown();
              new CountDownLatch(1).await(); // blocks until the kill interrupts it
            }
            output.emit(part.text().toUpperCase());
          }
        };
    Broker doomedConnection = open();
    Worker doomed =
        Worker.builder(doomedConnection, spec, doomedProcessor).concurrency(2).prefetch(8).start();
    Thread killer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    stuck.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  doomed.close(Duration.ZERO);
                  doomedConnection.close();
                });
    try (Worker survivor = Worker.builder(open(), spec, UPPER).concurrency(4).start();
        RemoteStage remote = RemoteStage.builder(caller, spec).timeout(patience()).build()) {
      deleteAfterwards(QueueSpec.of(remote.replyDestination()));
      List<String> out = texts(remote.toProcessor(128).apply(inputs).gather());
      assertThat(out).containsExactlyElementsOf(upper(inputs));
      killer.join();
      assertThat(stuck.getCount()).as("the doomed worker reached message %d", killAt).isZero();
      awaitStats(() -> doomed.stats().processed() + survivor.stats().processed() >= inputs.size());
    } finally {
      doomed.close(Duration.ZERO);
    }
  }

  @Test
  void theResultOfARedeliveredMessage_reachesTheCallerOnce() throws Exception {
    Broker caller = open();
    QueueSpec spec = declare(caller, "work", 5);
    int n = 20;
    List<String> inputs = inputs(n);
    try (RemoteStage remote = RemoteStage.builder(caller, spec).timeout(patience()).build()) {
      deleteAfterwards(QueueSpec.of(remote.replyDestination()));
      List<String> out = new ArrayList<>();
      Thread call =
          Thread.ofVirtual()
              .start(() -> out.addAll(texts(remote.toProcessor(n).apply(inputs).gather())));
      // A worker that publishes every result, then dies before acknowledging: each message is
      // delivered again and answered twice.
      Broker flaky = open();
      try (Subscription sub = flaky.subscribe(spec.name(), n)) {
        for (int i = 0; i < n; i++) {
          Message request = receive(sub).message();
          String text = PartJson.fromJson(request.body()).text().toUpperCase();
          flaky.publish(
              request.header(Headers.REPLY_TO),
              new Message(
                  request.id() + ".result",
                  PartJson.toJson(List.of(ProcessorPart.text(text)))
                      .getBytes(StandardCharsets.UTF_8),
                  Map.of(Headers.CORRELATION_ID, request.id(), Headers.STATUS, Headers.STATUS_OK)));
        }
      }
      flaky.close();
      try (Worker steady = Worker.builder(open(), spec, UPPER).concurrency(2).start()) {
        call.join();
        if (!deduplicatesById()) {
          awaitTrue(() -> remote.droppedResults() == n, patience());
        }
        awaitTrue(() -> steady.stats().processed() == n, patience());
      }
      assertThat(out).containsExactlyElementsOf(upper(inputs));
      if (deduplicatesById()) {
        // The steady worker's results had the ids of the flaky one's: the broker dropped them
        // before the remote stage could see them, and none waits on the reply destination.
        assertThat(remote.droppedResults()).isZero();
        try (Subscription replies = caller.subscribe(remote.replyDestination(), n)) {
          assertThat(replies.receive(shortWait())).isNull();
        }
      }
    }
  }

  @Test
  void aPoisonMessage_isDeadLetteredAfterMaxDeliveries_withTheError_andTheRestFlowOn()
      throws Exception {
    Broker caller = open();
    QueueSpec spec = declare(caller, "work", 3);
    List<String> inputs = new ArrayList<>(inputs(messageCount()));
    int poisonAt = inputs.size() / 2;
    inputs.set(poisonAt, "poison");
    Processor poisoned =
        (input, output) -> {
          for (ProcessorPart part : input) {
            if (part.text().equals("poison")) {
              throw new IllegalStateException("cannot digest poison");
            }
            output.emit(part.text().toUpperCase());
          }
        };
    try (Worker worker =
            Worker.builder(open(), spec, poisoned)
                .concurrency(4)
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .start();
        RemoteStage remote = RemoteStage.builder(caller, spec).timeout(patience()).build();
        Subscription dead = caller.subscribe(spec.deadLetter(), 1)) {
      deleteAfterwards(QueueSpec.of(remote.replyDestination()));
      List<ProcessorPart> out =
          remote.onErrorEmitPart().toProcessor(128).apply(inputs).gather().parts();
      assertThat(out).hasSize(inputs.size());
      for (int i = 0; i < inputs.size(); i++) {
        if (i == poisonAt) {
          assertThat(out.get(i).isException()).isTrue();
          assertThat(out.get(i).text())
              .contains(RemoteProcessingException.class.getName(), "cannot digest poison");
        } else {
          assertThat(out.get(i).text()).isEqualTo(inputs.get(i).toUpperCase());
        }
      }
      Delivery dl = receive(dead);
      assertThat(PartJson.fromJson(dl.message().body()).text()).isEqualTo("poison");
      assertThat(dl.message().headers())
          .containsEntry(Headers.ERROR, "cannot digest poison")
          .containsEntry(Headers.ERROR_TYPE, IllegalStateException.class.getName())
          .containsEntry(Headers.ORIGINAL_DESTINATION, spec.name())
          .containsEntry(Headers.DELIVERY_COUNT, "3");
      dl.ack();
      assertThat(dead.receive(shortWait())).isNull();
      awaitStats(() -> worker.stats().processed() == inputs.size() - 1);
      awaitStats(() -> worker.stats().deadLettered() == 1);
      awaitStats(() -> worker.stats().retried() == 2);
    }
  }

  @Test
  void aMessageThatIsNotPartJson_isDeadLetteredWithTheReason_andTheWorkerGoesOn() throws Exception {
    Broker caller = open();
    QueueSpec spec = declare(caller, "work", 5);
    try (Worker worker = Worker.builder(open(), spec, UPPER).start();
        RemoteStage remote = RemoteStage.builder(caller, spec).timeout(patience()).build();
        Subscription dead = caller.subscribe(spec.deadLetter(), 1)) {
      deleteAfterwards(QueueSpec.of(remote.replyDestination()));
      caller.publish(
          spec.name(),
          Message.of("bad-1", "{\"part\": {\"text\": ".getBytes(StandardCharsets.UTF_8)));
      caller.publish(
          spec.name(),
          new Message(
              "bad-2",
              "{\"part\": {\"text\": \"hi\"}, \"colour\": \"red\"}"
                  .getBytes(StandardCharsets.UTF_8),
              Map.of(Headers.REPLY_TO, remote.replyDestination())));
      assertThat(remote.apply("after").text()).isEqualTo("AFTER");
      Map<String, String> reasons = new LinkedHashMap<>();
      for (int i = 0; i < 2; i++) {
        Delivery dl = receive(dead);
        reasons.put(dl.message().id(), dl.message().header(Headers.ERROR));
        assertThat(dl.message().header(Headers.DELIVERY_COUNT)).isEqualTo("1");
        dl.ack();
      }
      assertThat(reasons.get("bad-1")).startsWith("invalid part JSON: ");
      assertThat(reasons.get("bad-2")).startsWith("invalid part JSON: ").contains("colour");
      awaitStats(() -> worker.stats().deadLettered() == 2);
      assertThat(worker.stats().retried()).isZero();
    }
  }

  @Test
  void aWorker_retriesAFailingMessageWithBackoff_untilItSucceeds() throws Exception {
    Broker caller = open();
    QueueSpec spec = declare(caller, "work", 5);
    AtomicInteger attempts = new AtomicInteger();
    Processor flaky =
        (input, output) -> {
          for (ProcessorPart part : input) {
            if (attempts.incrementAndGet() < 3) {
              throw new IllegalStateException("not yet");
            }
            output.emit(part.text().toUpperCase());
          }
        };
    try (Worker worker =
            Worker.builder(open(), spec, flaky)
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
                .start();
        RemoteStage remote = RemoteStage.builder(caller, spec).timeout(patience()).build()) {
      deleteAfterwards(QueueSpec.of(remote.replyDestination()));
      assertThat(remote.apply("third time").text()).isEqualTo("THIRD TIME");
      assertThat(attempts.get()).isEqualTo(3);
      awaitStats(() -> worker.stats().processed() == 1);
      awaitStats(() -> worker.stats().retried() == 2);
    }
  }

  @Test
  void closingAWorker_finishesTheMessageInHand_beforeItStops() throws Exception {
    Broker caller = open();
    QueueSpec spec = declare(caller, "work", 5);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Processor slow =
        (input, output) -> {
          for (ProcessorPart part : input) {
            started.countDown();
            release.await();
            output.emit(part.text().toUpperCase());
          }
        };
    Worker worker = Worker.builder(open(), spec, slow).start();
    try (RemoteStage remote = RemoteStage.builder(caller, spec).timeout(patience()).build()) {
      deleteAfterwards(QueueSpec.of(remote.replyDestination()));
      List<String> result = new ArrayList<>();
      Thread call = Thread.ofVirtual().start(() -> result.add(remote.apply("drain me").text()));
      started.await();
      Thread closing = Thread.ofVirtual().start(worker::close);
      release.countDown();
      closing.join();
      call.join();
      assertThat(result).containsExactly("DRAIN ME");
      assertThat(worker.stats().processed()).isEqualTo(1);
    } finally {
      worker.close();
    }
  }

  @Test
  void aRemoteStage_failsNamingTheMessage_whenNoWorkerAnswersInTime() {
    Broker caller = open();
    QueueSpec spec = declare(caller, "work", 5);
    try (RemoteStage remote =
        RemoteStage.builder(caller, spec)
            .timeout(shortWait())
            .messageIds(() -> "lonely-1")
            .build()) {
      deleteAfterwards(QueueSpec.of(remote.replyDestination()));
      assertThatThrownBy(() -> remote.apply("anyone?").text())
          .isInstanceOf(QueueException.class)
          .hasMessageContaining(spec.name())
          .hasMessageContaining("lonely-1")
          .hasMessageContaining("within");
    }
  }

  /** Waits for a worker's counters, which move just after the results they count went out. */
  private void awaitStats(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    awaitTrue(condition, patience());
  }

  /** Waits until {@code condition} holds, failing after {@code patience}. */
  protected static void awaitTrue(java.util.function.BooleanSupplier condition, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + patience);
      }
      Thread.sleep(10);
    }
  }
}
