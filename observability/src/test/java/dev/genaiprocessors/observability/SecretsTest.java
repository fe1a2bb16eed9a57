package dev.genaiprocessors.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.RunEvents;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiReply;
import dev.genaiprocessors.testing.OpenAiServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No API key ever, and no prompt or answer unless content capture is on, in any exported span or
 * scraped metric: checked over everything exported, not attribute by attribute.
 */
class SecretsTest {
  private static final String KEY = "sk-test-NEVER-EXPORTED-5e8d1a";
  private static final String PROMPT = "my-private-prompt-7c41";
  private static final String ANSWER = "the-private-answer-93fd";

  @ParameterizedTest(name = "captureContent={0}")
  @ValueSource(booleans = {false, true})
  void theApiKey_isNeverExported_andContentOnlyWhenOptedIn(boolean captureContent)
      throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (Telemetry telemetry = new Telemetry(registry, captureContent);
        PrometheusEndpoint endpoint = new PrometheusEndpoint(registry);
        OpenAiServer server = OpenAiServer.start();
        OpenAiModel model =
            OpenAiModel.builder()
                .model("gpt-4o-mini")
                .apiKey(KEY)
                .baseUrl(server.baseUrl())
                .maxRetries(0)
                .build()) {
      server.enqueue(ChatReply.create().text(ANSWER).usage(7, 1));
      server.enqueue(OpenAiReply.error(500, "internal error"));
      Processor reporting =
          Processor.named(
              "reporting",
              (in, out) -> {
                // An event carrying content-like text: names only are kept without opt-in.
                RunEvents.report("reporting", "note", Map.of("detail", PROMPT, "count", 1));
                out.emitAll(in.gather());
              });
      Processor pipeline = Processor.chain(reporting, model);

      assertThat(pipeline.apply(telemetry.observability.runConfig(), PROMPT).text())
          .isEqualTo(ANSWER);
      assertThatThrownBy(() -> pipeline.apply(telemetry.observability.runConfig(), PROMPT).gather())
          .isInstanceOf(RuntimeException.class);

      // The key reached the server, so the test would see it if it leaked.
      assertThat(server.requests().get(0).headers().toString()).contains(KEY);
      String spans = telemetry.spans().toString();
      String scrape = endpoint.scrape();
      assertThat(spans).doesNotContain(KEY);
      assertThat(scrape).doesNotContain(KEY, PROMPT, ANSWER);
      if (captureContent) {
        assertThat(spans).contains(PROMPT, ANSWER);
        assertThat(
                telemetry.spans().stream()
                    .map(
                        s -> s.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
                    .filter(m -> m != null && m.contains(PROMPT)))
            .isNotEmpty();
      } else {
        assertThat(spans).doesNotContain(PROMPT, ANSWER);
      }
    }
  }
}
