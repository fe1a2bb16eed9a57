package dev.genaiprocessors.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageAndSpecTest {

  @Test
  void aMessage_isImmutable_whateverHappensToTheArraysItWasGiven() {
    byte[] body = {1, 2, 3};
    Message message = Message.of("id-1", body);
    body[0] = 9;
    message.body()[1] = 9;
    assertThat(message.body()).containsExactly(1, 2, 3);
    assertThat(message).isEqualTo(Message.of("id-1", new byte[] {1, 2, 3}));
  }

  @Test
  void aMessage_rejectsIdsAndHeadersNoBrokerCouldCarry_namingThem() {
    assertThatThrownBy(() -> Message.of("has space", new byte[0]))
        .hasMessageContaining("\"has space\"");
    assertThatThrownBy(() -> Message.of("", new byte[0])).hasMessageContaining("message id");
    assertThatThrownBy(() -> new Message("id", new byte[0], Map.of("bad name", "v")))
        .hasMessageContaining("\"bad name\"");
    assertThatThrownBy(() -> new Message("id", new byte[0], Map.of("note", "two\nlines")))
        .hasMessageContaining("header note");
  }

  @Test
  void headerValue_makesAnyTextFitAHeader() {
    assertThat(Message.headerValue("line one\nline two\r\tend"))
        .isEqualTo("line one line two  end");
    String cut = Message.headerValue("x".repeat(10_000));
    assertThat(cut).hasSize(Message.MAX_HEADER_VALUE_CHARS).endsWith("…");
    new Message("id", new byte[0], Map.of(Headers.ERROR, cut));
  }

  @Test
  void aSpec_hasDefaults_andRejectsBadNames_namingTheField() {
    QueueSpec spec = QueueSpec.of("summaries");
    assertThat(spec.deadLetter()).isEqualTo("summaries.dlq");
    assertThat(spec.maxDeliveries()).isEqualTo(QueueSpec.DEFAULT_MAX_DELIVERIES);
    assertThatThrownBy(() -> QueueSpec.of("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name must be")
        .hasMessageContaining("\"a b\"");
    assertThatThrownBy(() -> QueueSpec.of(".hidden")).hasMessageContaining("\".hidden\"");
    assertThatThrownBy(() -> spec.withDeadLetter("summaries"))
        .hasMessageContaining("deadLetter must differ");
    assertThatThrownBy(() -> spec.withMaxDeliveries(0)).hasMessageContaining("maxDeliveries");
  }

  @Test
  void theWorkersBackoff_doublesUpToItsMaximum() {
    try (InProcessBroker broker = InProcessBroker.create();
        Worker worker =
            Worker.builder(broker, QueueSpec.of("backoff"), (in, out) -> {})
                .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(350))
                .start()) {
      assertThat(worker.backoff(1)).isEqualTo(Duration.ofMillis(100));
      assertThat(worker.backoff(2)).isEqualTo(Duration.ofMillis(200));
      assertThat(worker.backoff(3)).isEqualTo(Duration.ofMillis(350));
      assertThat(worker.backoff(30)).isEqualTo(Duration.ofMillis(350));
    }
  }

  @Test
  void aWorkerBuilder_rejectsBadSettings_namingThem() {
    try (InProcessBroker broker = InProcessBroker.create()) {
      QueueSpec spec = QueueSpec.of("settings");
      assertThatThrownBy(() -> Worker.builder(broker, spec, (in, out) -> {}).concurrency(0).start())
          .hasMessage("concurrency must be at least 1 but was 0");
      assertThatThrownBy(
              () ->
                  Worker.builder(broker, spec, (in, out) -> {}).concurrency(4).prefetch(2).start())
          .hasMessage("prefetch must be at least concurrency (4) but was 2");
      assertThatThrownBy(() -> RemoteStage.builder(broker, spec).timeout(Duration.ZERO).build())
          .hasMessage("timeout must be positive but was PT0S");
    }
  }

  @Test
  void aDeclarationWithOtherSettings_isRefused_namingBoth() {
    try (InProcessBroker broker = InProcessBroker.create()) {
      broker.declare(QueueSpec.of("twice"));
      assertThatThrownBy(() -> broker.declare(QueueSpec.of("twice").withMaxDeliveries(2)))
          .isInstanceOf(QueueException.class)
          .hasMessageContaining("twice")
          .hasMessageContaining("maxDeliveries=2");
    }
  }
}
