package dev.genaiprocessors.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The meters as Prometheus scrapes them, over HTTP from a real endpoint. */
class PrometheusScrapeTest {

  @Test
  void aScrape_showsTheStageAndGenAiMeters_byNameAndValue() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (Telemetry telemetry = new Telemetry(registry, false);
        PrometheusEndpoint endpoint = new PrometheusEndpoint(registry);
        OpenAiServer server = OpenAiServer.start();
        OpenAiModel model =
            OpenAiModel.builder()
                .model("gpt-4o-mini")
                .apiKey("sk-test-scrape-1b2c")
                .baseUrl(server.baseUrl())
                .maxRetries(0)
                .build()) {
      server.enqueue(ChatReply.create().text("Bon", "jour").usage(12, 2));
      PartProcessor upper =
          PartProcessor.named("upper", (p, out) -> out.emit(p.text().toUpperCase()));
      Processor pipeline = Processor.chain(upper, model);

      assertThat(pipeline.apply(telemetry.observability.runConfig(), List.of("hi", "you")).text())
          .isEqualTo("Bonjour");

      Map<String, Double> samples = PrometheusEndpoint.samples(endpoint.scrape());
      assertThat(samples)
          .containsEntry("genai_processor_parts_in_total{processor=\"upper\"}", 2.0)
          .containsEntry("genai_processor_parts_out_total{processor=\"upper\"}", 2.0)
          .containsEntry("genai_processor_in_flight{processor=\"upper\"}", 0.0)
          .containsEntry(
              "genai_processor_duration_seconds_count{error_type=\"none\",outcome=\"success\","
                  + "processor=\"OpenAiModel(gpt-4o-mini)\"}",
              1.0);
      String labels =
          "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\","
              + "gen_ai_request_model=\"gpt-4o-mini\",gen_ai_response_model=\"gpt-4o-mini\"";
      assertThat(samples)
          .containsEntry(
              "gen_ai_client_token_usage_tokens_sum{" + labels + ",gen_ai_token_type=\"input\"}",
              12.0)
          .containsEntry(
              "gen_ai_client_token_usage_tokens_sum{" + labels + ",gen_ai_token_type=\"output\"}",
              2.0)
          .containsEntry(
              "gen_ai_client_token_usage_tokens_bucket{"
                  + labels
                  + ",gen_ai_token_type=\"input\",le=\"16.0\"}",
              1.0)
          .containsEntry(
              "gen_ai_client_operation_duration_seconds_count{error_type=\"none\"," + labels + "}",
              1.0)
          .containsKey(
              "gen_ai_client_operation_duration_seconds_bucket{error_type=\"none\","
                  + labels
                  + ",le=\"81.92\"}")
          .containsKey("gen_ai_client_operation_time_to_first_chunk_seconds_count{" + labels + "}");
    }
  }
}
