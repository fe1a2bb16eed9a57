package dev.genaiprocessors.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.resilience.RetryConfig;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiReply;
import dev.genaiprocessors.testing.OpenAiServer;
import dev.genaiprocessors.tools.FunctionCalling;
import dev.genaiprocessors.tools.Tool;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real model calls: the OpenAI processor on the official SDK against the local {@link
 * OpenAiServer}, retried by the resilience layer, observed with the real SDK and registry.
 */
class ModelCallTest {
  private static final String KEY = "sk-test-observability-9f3c2e";

  private final OpenAiServer server = OpenAiServer.start();
  private final OpenAiModel model =
      OpenAiModel.builder()
          .model("gpt-4o-mini")
          .apiKey(KEY)
          .baseUrl(server.baseUrl())
          .maxRetries(0)
          .build();
  private final Telemetry telemetry = new Telemetry();
  private final List<Duration> slept = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    model.close();
    server.close();
    telemetry.close();
  }

  private Processor retried(Processor processor) {
    return Resilience.builder("openai")
        .retry(RetryConfig.builder().maxAttempts(3).jitter(0).build())
        .sleeper(slept::add)
        .build()
        .decorate(processor);
  }

  @Test
  void aRetriedModelCall_isOneChatSpan_withTheRetryAsAnEvent_andTheServersTokenCounts() {
    server.enqueue(OpenAiReply.error(429, "Rate limit reached").retryAfter(Duration.ofMillis(20)));
    server.enqueue(
        ChatReply.create()
            .text("Hel", "lo")
            .usage(12, 2)
            .model("gpt-4o-mini-2024-07-18")
            .id("chatcmpl-42"));

    String text = retried(model).apply(telemetry.observability.runConfig(), "Say hello").text();

    assertThat(text).isEqualTo("Hello");
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(slept).containsExactly(Duration.ofMillis(20));
    assertThat(telemetry.tree()).isEqualTo("chat gpt-4o-mini\n");
    SpanData span = telemetry.span("chat gpt-4o-mini");
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    Attributes attributes = span.getAttributes();
    assertThat(attributes.get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
    assertThat(attributes.get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("openai");
    assertThat(attributes.get(AttributeKey.stringKey("gen_ai.request.model")))
        .isEqualTo("gpt-4o-mini");
    assertThat(attributes.get(AttributeKey.stringKey("gen_ai.response.model")))
        .isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(attributes.get(AttributeKey.stringKey("gen_ai.response.id")))
        .isEqualTo("chatcmpl-42");
    assertThat(attributes.get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
        .containsExactly("stop");
    assertThat(attributes.get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(12);
    assertThat(attributes.get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(2);
    assertThat(attributes.get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk")))
        .isPositive();
    assertThat(attributes.get(AttributeKey.stringKey("error.type"))).isNull();
    // The deprecated names are not emitted.
    assertThat(attributes.get(AttributeKey.stringKey("gen_ai.system"))).isNull();
    assertThat(attributes.get(AttributeKey.longKey("gen_ai.usage.prompt_tokens"))).isNull();

    assertThat(span.getEvents()).extracting(EventData::getName).containsExactly("retry");
    Attributes retry = span.getEvents().get(0).getAttributes();
    assertThat(retry.get(AttributeKey.longKey("attempt"))).isEqualTo(1);
    assertThat(retry.get(AttributeKey.longKey("delay_ms"))).isEqualTo(20);
    assertThat(retry.get(AttributeKey.stringKey("resilience"))).isEqualTo("openai");

    DistributionSummary input =
        telemetry
            .registry
            .get("gen_ai.client.token.usage")
            .tag("gen_ai.token.type", "input")
            .tag("gen_ai.provider.name", "openai")
            .tag("gen_ai.request.model", "gpt-4o-mini")
            .tag("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
            .summary();
    assertThat(input.count()).isEqualTo(1);
    assertThat(input.totalAmount()).isEqualTo(12);
    assertThat(
            telemetry
                .registry
                .get("gen_ai.client.token.usage")
                .tag("gen_ai.token.type", "output")
                .summary()
                .totalAmount())
        .isEqualTo(2);
    Timer duration =
        telemetry
            .registry
            .get("gen_ai.client.operation.duration")
            .tag("gen_ai.operation.name", "chat")
            .tag("error.type", "none")
            .timer();
    assertThat(duration.count()).isEqualTo(1);
    assertThat(
            telemetry.registry.get("gen_ai.client.operation.time_to_first_chunk").timer().count())
        .isEqualTo(1);
    assertThat(
            telemetry
                .registry
                .get("genai.processor.retries")
                .tag("processor", "OpenAiModel(gpt-4o-mini)")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aModelCallThatFailsForGood_hasTheErrorTypeOnItsSpanAndItsDuration() {
    server.enqueue(OpenAiReply.error(401, "Incorrect API key provided: sk-test-****2e"));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> model.apply(telemetry.observability.runConfig(), "Say hello").text())
        .isInstanceOf(RuntimeException.class);

    SpanData span = telemetry.span("chat gpt-4o-mini");
    String errorType = span.getAttributes().get(AttributeKey.stringKey("error.type"));
    assertThat(errorType).isEqualTo("dev.genaiprocessors.openai.OpenAiException");
    assertThat(
            telemetry
                .registry
                .get("gen_ai.client.operation.duration")
                .tag("error.type", errorType)
                .timer()
                .count())
        .isEqualTo(1);
  }

  /** The arguments of the test's one tool. */
  record WeatherQuery(String city) {}

  @Test
  void aFunctionCallingLoop_showsEachModelCallAndEachToolCall_underTheLoop() {
    server.enqueue(
        ChatReply.create().toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}").usage(20, 5));
    server.enqueue(ChatReply.create().text("Sunny in Paris").usage(30, 4));
    Tool weather =
        Tool.of("get_weather", "The weather in a city.", WeatherQuery.class, q -> "sunny");
    Processor agent = FunctionCalling.of(model, weather);

    String text = agent.apply(telemetry.observability.runConfig(), "Weather in Paris?").text();

    assertThat(text).isEqualTo("Sunny in Paris");
    assertThat(telemetry.tree())
        .isEqualTo(
            """
            invoke_workflow FunctionCalling
              FunctionCalling.tools
                execute_tool get_weather
              chat gpt-4o-mini
              chat gpt-4o-mini
            """);
    SpanData tool = telemetry.span("execute_tool get_weather");
    assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.id")))
        .isEqualTo("call_1");
    assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name")))
        .isEqualTo("get_weather");
    assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
        .isEqualTo("execute_tool");
    List<Long> inputTokens =
        telemetry.spans().stream()
            .filter(s -> s.getName().equals("chat gpt-4o-mini"))
            .map(s -> s.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
            .sorted()
            .toList();
    assertThat(inputTokens).containsExactly(20L, 30L);
    assertThat(
            telemetry
                .registry
                .get("gen_ai.client.token.usage")
                .tag("gen_ai.token.type", "input")
                .summary()
                .totalAmount())
        .isEqualTo(50);
  }
}
