package dev.genaiprocessors.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.queue.QueueException;
import dev.genaiprocessors.queue.QueueSpec;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a user meets when RabbitMQ cannot be reached or refuses a setting. */
class RabbitMqBrokerIT {

  @Test
  void anUnreachableBroker_failsNamingItsAddress() {
    assertThatThrownBy(() -> RabbitMqBroker.builder().host("127.0.0.1").port(1).build())
        .isInstanceOf(QueueException.class)
        .hasMessageContaining("amqp://127.0.0.1:1/");
  }

  @Test
  void wrongCredentials_failWithoutShowingThePassword() {
    String password = "s3cret-" + UUID.randomUUID();
    assertThatThrownBy(() -> RabbitMqBroker.builder().credentials("guest", password).build())
        .isInstanceOf(QueueException.class)
        .hasMessageContaining("127.0.0.1:5672")
        .satisfies(e -> assertThat(stackText(e)).doesNotContain(password));
  }

  @Test
  void declaringAQueueAgainWithOtherSettings_failsNamingIt_andTheConnectionGoesOn() {
    String name = "redeclare-" + UUID.randomUUID().toString().substring(0, 8);
    QueueSpec spec = QueueSpec.of(name);
    try (RabbitMqBroker broker = RabbitMqBroker.builder().build()) {
      broker.declare(spec);
      try {
        assertThatThrownBy(() -> broker.declare(spec.withMaxDeliveries(2)))
            .isInstanceOf(QueueException.class)
            .hasMessageContaining(name)
            .hasMessageContaining("x-delivery-limit");
        broker.declare(spec);
      } finally {
        broker.delete(spec);
      }
    }
  }

  @Test
  void theBuilder_rejectsBadSettings_namingThem() {
    assertThatThrownBy(() -> RabbitMqBroker.builder().port(0))
        .hasMessage("port must be in [1, 65535] but was 0");
    assertThatThrownBy(() -> RabbitMqBroker.builder().confirmTimeout(Duration.ZERO).build())
        .hasMessage("confirmTimeout must be positive but was PT0S");
  }

  @Test
  void toString_namesTheAddress_notTheCredentials() {
    try (RabbitMqBroker broker = RabbitMqBroker.builder().credentials("guest", "guest").build()) {
      assertThat(broker.toString()).isEqualTo("RabbitMqBroker[amqp://127.0.0.1:5672/]");
    }
  }

  private static String stackText(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t).append('\n');
    }
    return text.toString();
  }
}
