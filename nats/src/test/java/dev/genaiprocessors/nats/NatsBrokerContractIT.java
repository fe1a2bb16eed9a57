package dev.genaiprocessors.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.queue.Broker;
import dev.genaiprocessors.queue.Delivery;
import dev.genaiprocessors.queue.Headers;
import dev.genaiprocessors.queue.Message;
import dev.genaiprocessors.queue.QueueSpec;
import dev.genaiprocessors.queue.RemoteStage;
import dev.genaiprocessors.queue.Subscription;
import dev.genaiprocessors.queue.Worker;
import dev.genaiprocessors.queue.contract.BrokerContract;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The queue module's broker contract, run against the NATS server on 127.0.0.1:4222, with the one
 * scenario where JetStream does better than the contract expects replaced by its NATS form.
 */
@ExtendWith(NatsBrokerContractIT.JetStreamDeduplicates.class)
class NatsBrokerContractIT extends BrokerContract {
  private static final String COUNTS_DROPPED_DUPLICATES =
      "theResultOfARedeliveredMessage_reachesTheCallerOnce";

  @Override
  protected Broker connect() {
    return NatsTestServer.connect();
  }

  /**
   * The contract's scenario expects the remote stage to drop each second result itself; on NATS the
   * second result carries the first one's message id, so the stream drops it ({@code Nats-Msg-Id})
   * before anybody sees it. {@link
   * #theResultOfARedeliveredMessage_reachesTheCallerOnce_theStreamDroppingTheDuplicate} runs it
   * with that expectation.
   */
  static final class JetStreamDeduplicates implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context
          .getTestMethod()
          .filter(m -> m.getName().equals(COUNTS_DROPPED_DUPLICATES))
          .map(
              m ->
                  ConditionEvaluationResult.disabled(
                      "JetStream drops the duplicate result by its Nats-Msg-Id; see the NATS form"))
          .orElse(ConditionEvaluationResult.enabled("a contract scenario"));
    }
  }

  @Test
  void theResultOfARedeliveredMessage_reachesTheCallerOnce_theStreamDroppingTheDuplicate()
      throws Exception {
    Broker caller = open();
    QueueSpec spec = declare(caller, "work", 5);
    int n = 20;
    List<String> inputs = IntStream.range(0, n).mapToObj(i -> "m-" + i).toList();
    try (RemoteStage remote = RemoteStage.builder(caller, spec).timeout(patience()).build()) {
      deleteAfterwards(QueueSpec.of(remote.replyDestination()));
      List<String> out = new ArrayList<>();
      Thread call =
          Thread.ofVirtual()
              .start(
                  () ->
                      remote
                          .toProcessor(n)
                          .apply(inputs)
                          .gather()
                          .parts()
                          .forEach(p -> out.add(p.text())));
      // A worker that publishes every result, then dies before acknowledging.
      Broker flaky = open();
      try (Subscription sub = flaky.subscribe(spec.name(), n)) {
        for (int i = 0; i < n; i++) {
          Delivery delivery = sub.receive(patience());
          assertThat(delivery).isNotNull();
          Message request = delivery.message();
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
      try (Worker steady = Worker.builder(open(), spec, UPPER_CASE).concurrency(2).start()) {
        call.join();
        awaitTrue(() -> steady.stats().processed() == n, patience());
      }
      assertThat(out).containsExactlyElementsOf(inputs.stream().map(String::toUpperCase).toList());
      // The steady worker's results had the ids of the flaky one's: none reached the stage.
      assertThat(remote.droppedResults()).isZero();
      try (Subscription replies = caller.subscribe(remote.replyDestination(), n)) {
        assertThat(replies.receive(shortWait())).isNull();
      }
      assertThat(Set.copyOf(out)).hasSize(n);
    }
  }

  private static final dev.genaiprocessors.Processor UPPER_CASE =
      (input, output) -> {
        for (ProcessorPart part : input) {
          output.emit(part.text().toUpperCase());
        }
      };
}
