package dev.genaiprocessors.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.queue.Delivery;
import dev.genaiprocessors.queue.Message;
import dev.genaiprocessors.queue.QueueException;
import dev.genaiprocessors.queue.QueueSpec;
import dev.genaiprocessors.queue.Subscription;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the NATS broker does beyond the contract: how destinations look in JetStream. */
class NatsBrokerIT {
  private final List<NatsBroker> brokers = new ArrayList<>();
  private final List<QueueSpec> specs = new ArrayList<>();

  private NatsBroker open() {
    NatsBroker broker = NatsTestServer.connect();
    brokers.add(broker);
    return broker;
  }

  private QueueSpec declare(NatsBroker broker, String what, int maxDeliveries) {
    QueueSpec spec =
        QueueSpec.of("nats." + what + "_" + UUID.randomUUID().toString().substring(0, 8))
            .withMaxDeliveries(maxDeliveries);
    specs.add(spec);
    broker.declare(spec);
    return spec;
  }

  @AfterEach
  void cleanUp() {
    try (NatsBroker cleaner = NatsTestServer.connect()) {
      specs.forEach(cleaner::delete);
    }
    brokers.forEach(NatsBroker::close);
  }

  private static Message message(String id) {
    return Message.of(
        id, ("{\"part\": {\"text\": \"" + id + "\"}}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aDestination_isAWorkQueueStreamOnItsSubject_withItsDeadLettersAndAdvisories()
      throws Exception {
    NatsBroker broker = open();
    QueueSpec spec = declare(broker, "orders", 4);
    StreamConfiguration main =
        broker.management().getStreamInfo(Names.stream(spec.name())).getConfiguration();
    assertThat(main.getSubjects()).containsExactly(spec.name());
    assertThat(main.getRetentionPolicy()).hasToString("workqueue");
    assertThat(main.getDescription()).contains(spec.deadLetter(), "after 4 deliveries");
    assertThat(
            broker
                .management()
                .getConsumerInfo(Names.stream(spec.name()), Names.WORKERS)
                .getConsumerConfiguration()
                .getMaxDeliver())
        .isEqualTo(4);
    assertThat(
            broker
                .management()
                .getStreamInfo(Names.advisoryStream(spec.name()))
                .getConfiguration()
                .getSubjects())
        .containsExactly(Names.maxDeliveriesSubject(Names.stream(spec.name())));
    assertThat(broker.management().getStreamInfo(Names.stream(spec.deadLetter()))).isNotNull();

    broker.delete(spec);
    for (String stream :
        List.of(
            Names.stream(spec.name()),
            Names.advisoryStream(spec.name()),
            Names.stream(spec.deadLetter()))) {
      assertThatThrownBy(() -> broker.management().getStreamInfo(stream))
          .isInstanceOf(JetStreamApiException.class);
    }
  }

  @Test
  void declaringAgainWithOtherSettings_isRefused_namingTheDestination() {
    NatsBroker broker = open();
    QueueSpec spec = declare(broker, "settled", 3);
    assertThatThrownBy(() -> broker.declare(spec.withMaxDeliveries(7)))
        .isInstanceOf(QueueException.class)
        .hasMessageContaining(spec.name())
        .hasMessageContaining("other settings");
  }

  @Test
  void theSameMessageIdPublishedTwice_isStoredOnce() throws Exception {
    NatsBroker broker = open();
    QueueSpec spec = declare(broker, "dedup", 5);
    broker.publish(spec.name(), message("once"));
    broker.publish(spec.name(), message("once"));
    broker.publish(spec.name(), message("twice"));
    assertThat(BrokerState.messages(broker, spec.name())).isEqualTo(2);
  }

  @Test
  void aDeliveryHeldLongerThanTheAckWait_staysWithItsHolder() throws Exception {
    NatsBroker broker = open();
    QueueSpec spec = declare(broker, "slow", 5);
    broker.publish(spec.name(), message("slow-1"));
    try (Subscription holder = broker.subscribe(spec.name(), 1);
        Subscription other = open().subscribe(spec.name(), 1)) {
      Delivery held = holder.receive(Duration.ofSeconds(30));
      assertThat(held).isNotNull();
      // Three times the AckWait: without the in-progress ticks, JetStream would deliver it again.
      assertThat(other.receive(NatsTestServer.ACK_WAIT.multipliedBy(3))).isNull();
      held.ack();
      assertThat(held.deliveryCount()).isEqualTo(1);
    }
    BrokerState.awaitEmpty(broker, spec.name());
  }

  @Test
  void toString_andErrors_neverShowTheCredentials() {
    assertThat(NatsBroker.redact("nats://alice:s3cret@127.0.0.1:4222"))
        .isEqualTo("nats://127.0.0.1:4222");
    assertThatThrownBy(
            () ->
                NatsBroker.builder()
                    .server("nats://alice:s3cret@127.0.0.1:1")
                    .options(o -> o.connectionTimeout(Duration.ofMillis(200)).maxReconnects(0))
                    .connect())
        .isInstanceOf(QueueException.class)
        .hasMessageNotContaining("s3cret");
    NatsBroker broker = open();
    assertThat(broker.toString()).contains("127.0.0.1:4222");
  }
}
