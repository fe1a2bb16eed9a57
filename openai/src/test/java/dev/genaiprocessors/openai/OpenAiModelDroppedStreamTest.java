package dev.genaiprocessors.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.ProcessorInterceptor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunConfig;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls whose stream the caller drops mid-answer, without closing it, end once the stream is
 * collected: the model's thread stops and its connection is closed.
 */
class OpenAiModelDroppedStreamTest {
  // The reported leak was 300 such calls; 100 show the same and log a third of the warnings.
  private static final int CALLS = 100;

  /** Generous: a collection is asked for every few milliseconds until then. */
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private OpenAiServer server;
  private OpenAiModel model;

  @BeforeEach
  void start() {
    server = OpenAiServer.start();
    model =
        OpenAiModel.builder()
            .model("gpt-4o-mini")
            .apiKey("sk-test-4f9b2c7e1d3a")
            .baseUrl(server.baseUrl())
            .maxRetries(0)
            .build();
  }

  @AfterEach
  void stop() {
    model.close();
    server.close();
  }

  /** Counts the model calls started and ended, however they ended. */
  private static final class CallCounter implements ProcessorInterceptor {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger ended = new AtomicInteger();

    @Override
    public void onStart(Stage stage) {
      if (stage.root()) {
        started.incrementAndGet();
      }
    }

    @Override
    public void onEnd(Stage stage) {
      count(stage);
    }

    @Override
    public void onError(Stage stage, Throwable error) {
      count(stage);
    }

    @Override
    public void onCancel(Stage stage) {
      count(stage);
    }

    private void count(Stage stage) {
      if (stage.root()) {
        ended.incrementAndGet();
      }
    }
  }

  /** Reads the first delta of each call and breaks out of the loop, as a careless caller would. */
  private void dropMidStream(RunConfig config, int calls) {
    for (int i = 0; i < calls; i++) {
      for (ProcessorPart part : model.apply(config, "Tell a long story")) {
        assertThat(part.text()).isEqualTo("d0");
        break;
      }
    }
  }

  private static boolean collectUntil(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      System.gc();
      Thread.sleep(20);
    }
    return true;
  }

  @Test
  void callsDroppedMidStream_endOnceCollected_andTheServerSeesTheirConnectionsClosed()
      throws Exception {
    String[] deltas = new String[500];
    for (int i = 0; i < deltas.length; i++) {
      deltas[i] = "d" + i;
    }
    // 10 s to send each answer, so every call is mid-flight when it is dropped; one that reached
    // its end unread would still wait, its buffer full, for a reader that never comes.
    server.replyAlways(ChatReply.create().text(deltas).pacing(Duration.ofMillis(20)));
    CallCounter calls = new CallCounter();

    dropMidStream(RunConfig.defaults().withInterceptor(calls), CALLS);

    assertThat(calls.started).hasValue(CALLS);
    assertThat(server.requestCount()).isEqualTo(CALLS);
    boolean ended = collectUntil(() -> calls.ended.get() == CALLS && server.openConnections() == 0);
    assertThat(ended)
        .as(
            "calls ended: %d of %d; connections still open: %d",
            calls.ended.get(), CALLS, server.openConnections())
        .isTrue();
  }
}
