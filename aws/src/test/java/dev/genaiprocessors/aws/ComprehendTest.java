package dev.genaiprocessors.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.testing.AwsJsonReply;
import dev.genaiprocessors.testing.AwsJsonServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.comprehend.ComprehendClient;

class ComprehendTest {
  static AwsJsonServer server;
  static ComprehendClient client;

  @BeforeAll
  static void start() {
    server = AwsJsonServer.start();
    client = Clients.comprehend(server);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @BeforeEach
  void reset() {
    server.clearRequests();
  }

  private static Comprehend.Builder comprehend() {
    return Comprehend.builder().client(client);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> results(ProcessorPart part) {
    return (Map<String, Object>) part.metadata(Comprehend.RESULTS_KEY);
  }

  @Test
  void sentimentAndLanguage_arriveAsMetadata_onThePassedThroughPart() {
    ProcessorPart out = comprehend().build().apply("What a great day").gather().get(0);

    assertThat(out.text()).isEqualTo("What a great day");
    assertThat(results(out))
        .containsEntry("language", List.of(Map.of("code", "en", "score", 0.99)))
        .containsEntry(
            "sentiment",
            Map.of(
                "sentiment",
                "POSITIVE",
                "scores",
                Map.of("positive", 0.97, "negative", 0.01, "neutral", 0.01, "mixed", 0.01)));
    assertThat(server.lastRequest().header("authorization")).contains("/comprehend/aws4_request");
  }

  @Test
  void thirtyTexts_takeTwoBatchCallsPerFeature_andKeepTheirOrderAmongOtherParts() {
    List<Object> input = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      input.add(ProcessorPart.text("text " + i + (i % 2 == 0 ? " is great" : " is terrible")));
      if (i % 10 == 0) {
        input.add(ProcessorPart.blob(new byte[] {1, 2}, "application/octet-stream"));
      }
    }

    ProcessorContent out = comprehend().build().apply(input).gather();

    assertThat(out.size()).isEqualTo(input.size());
    for (int i = 0; i < input.size(); i++) {
      ProcessorPart in = (ProcessorPart) input.get(i);
      assertThat(out.get(i).mimeType()).isEqualTo(in.mimeType());
      if (in.isText()) {
        assertThat(out.get(i).text()).isEqualTo(in.text());
        Map<?, ?> sentiment = (Map<?, ?>) results(out.get(i)).get("sentiment");
        assertThat(sentiment.get("sentiment"))
            .isEqualTo(in.text().contains("great") ? "POSITIVE" : "NEGATIVE");
      } else {
        assertThat(out.get(i)).isEqualTo(in);
      }
    }
    assertThat(server.requestCount("BatchDetectSentiment")).isEqualTo(2);
    assertThat(server.requestCount("BatchDetectDominantLanguage")).isEqualTo(2);
    assertThat(server.requestCount()).isEqualTo(4);
  }

  @Test
  void everyFeature_asAJsonPartAfterTheText() {
    ProcessorContent out =
        comprehend()
            .features(ComprehendFeature.values())
            .output(ResultOutput.JSON_PART)
            .build()
            .apply("Ada Lovelace wrote to ada@example.com from London")
            .gather();

    assertThat(out.size()).isEqualTo(2);
    assertThat(out.get(0).metadata()).doesNotContainKey(Comprehend.RESULTS_KEY);
    ProcessorPart json = out.get(1);
    assertThat(json.metadata("source")).isEqualTo("comprehend");
    assertThat(json.json().at("/entities/0/text").asText()).isEqualTo("Ada Lovelace");
    assertThat(json.json().at("/entities/1/type").asText()).isEqualTo("LOCATION");
    assertThat(json.json().at("/pii_entities/0/type").asText()).isEqualTo("EMAIL");
    assertThat(json.json().at("/pii_entities/0/begin_offset").asInt()).isEqualTo(22);
    assertThat(json.json().at("/key_phrases/0/text").asText()).isEqualTo("Lovelace");
    assertThat(server.requestCount("DetectPiiEntities")).isEqualTo(1);
  }

  @Test
  void anEmptyText_failsNamingThePart_afterTheEarlierParts() {
    List<ProcessorPart> seen = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              for (ProcessorPart p : comprehend().build().apply(List.of("good", "", "bad"))) {
                seen.add(p);
              }
            })
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text/plain part #2")
        .hasMessageContaining("is empty");
    assertThat(seen).hasSize(1);
  }

  @Test
  void badTexts_becomeErrorParts_andNothingElseIsLost() {
    String tooLong = "word ".repeat(1100);
    ProcessorContent out =
        comprehend()
            .onFailure(PartFailure.EMIT_ERROR_PART)
            .build()
            .apply(List.of("good", "", tooLong, "bad"))
            .gather();

    assertThat(out.size()).isEqualTo(4);
    assertThat(results(out.get(0))).isNotNull();
    assertThat(out.get(1).isException()).isTrue();
    assertThat(out.get(1).text()).contains("part #2").contains("empty");
    assertThat(out.get(2).isException()).isTrue();
    assertThat(out.get(2).text())
        .contains("part #3")
        .contains("5500 UTF-8 bytes")
        .contains("limit of 5000");
    assertThat(out.get(3).text()).isEqualTo("bad");
    assertThat(server.requestCount()).isEqualTo(2); // the bad texts were never sent
  }

  @Test
  void passThrough_keepsTheFailedPart_followedByTheErrorPart() {
    ProcessorContent out =
        comprehend().onFailure(PartFailure.PASS_THROUGH).build().apply(List.of(" ", "x")).gather();

    assertThat(out.size()).isEqualTo(3);
    assertThat(out.get(0).text()).isEqualTo(" ");
    assertThat(out.get(1).isException()).isTrue();
    assertThat(out.get(1).text()).contains("blank");
    assertThat(results(out.get(2))).isNotNull();
  }

  @Test
  void aLongText_isSplitOnSentences_andEntityOffsetsPointIntoTheWholeText() {
    StringBuilder text = new StringBuilder();
    while (text.length() < 12_000) {
      text.append("The weather is nice today. ");
    }
    int paris = text.length();
    text.append("We flew to Paris.");

    ProcessorPart out =
        comprehend()
            .features(ComprehendFeature.ENTITIES, ComprehendFeature.SENTIMENT)
            .splitLongText(true)
            .build()
            .apply(text.toString())
            .gather()
            .get(0);

    List<?> entities = (List<?>) results(out).get("entities");
    Map<?, ?> last = (Map<?, ?>) entities.get(entities.size() - 1);
    assertThat(last.get("text")).isEqualTo("Paris");
    assertThat(((Number) last.get("begin_offset")).intValue()).isEqualTo(paris + 11);
    assertThat(text.substring(paris + 11, ((Number) last.get("end_offset")).intValue()))
        .isEqualTo("Paris");
    assertThat(((Map<?, ?>) results(out).get("sentiment")).get("sentiment")).isEqualTo("POSITIVE");
    for (var request : server.requests()) {
      for (var doc : request.json().path("TextList")) {
        assertThat(doc.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
            .isLessThanOrEqualTo(5000);
      }
    }
  }

  @Test
  void aDocumentInTheErrorList_failsOnlyItsPart() {
    try (AwsJsonServer own = AwsJsonServer.start();
        ComprehendClient ownClient = Clients.comprehend(own)) {
      own.on(
          "BatchDetectSentiment",
          request ->
              AwsJsonReply.json(
                  "{\"ResultList\":[{\"Index\":0,\"Sentiment\":\"NEUTRAL\",\"SentimentScore\":"
                      + "{\"Positive\":0.1,\"Negative\":0.1,\"Neutral\":0.7,\"Mixed\":0.1}}],"
                      + "\"ErrorList\":[{\"Index\":1,\"ErrorCode\":\"INTERNAL_SERVER_ERROR\","
                      + "\"ErrorMessage\":\"could not analyse\"}]}"));
      ProcessorContent out =
          Comprehend.builder()
              .client(ownClient)
              .features(ComprehendFeature.SENTIMENT)
              .onFailure(PartFailure.EMIT_ERROR_PART)
              .build()
              .apply(List.of("one", "two"))
              .gather();
      assertThat(results(out.get(0))).containsKey("sentiment");
      assertThat(out.get(1).isException()).isTrue();
      assertThat(out.get(1).text()).contains("INTERNAL_SERVER_ERROR").contains("part #2");
    }
  }

  @Test
  void throttling_isARetryableAwsException_withTheRequestId() {
    server.enqueue(AwsJsonReply.throttling().withRequestId("req-123"));

    assertThatThrownBy(() -> comprehend().build().apply("hello").gather())
        .isInstanceOfSatisfying(
            AwsException.class,
            e -> {
              assertThat(e.isRetryable()).isTrue();
              assertThat(e.errorCode()).isEqualTo("ThrottlingException");
              assertThat(e.requestId()).isEqualTo("req-123");
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.getMessage())
                  .contains("BatchDetectDominantLanguage")
                  .contains("text/plain part #1")
                  .doesNotContain("not-a-secret-42");
            });
  }

  @Test
  void aBadRequest_isNotRetryable() {
    server.enqueue(AwsJsonReply.error(400, "InvalidRequestException", "unsupported language"));

    assertThatThrownBy(() -> comprehend().build().apply("hello").gather())
        .isInstanceOfSatisfying(
            AwsException.class,
            e -> {
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.getMessage()).contains("InvalidRequestException: unsupported language");
            });
  }

  @Test
  void theBuilder_rejectsBadSettings_namingThem() {
    assertThatThrownBy(() -> comprehend().batchSize(26).build())
        .hasMessage("batchSize must be in [1, 25] but was 26");
    assertThatThrownBy(() -> comprehend().features().build())
        .hasMessageContaining("features must name at least one");
    assertThatThrownBy(() -> comprehend().maxTextBytes(9000).build())
        .hasMessageContaining("maxTextBytes must be in [16, 5000] but was 9000");
    assertThatThrownBy(() -> comprehend().settings(AwsSettings.defaults()).build())
        .hasMessageContaining("either client or settings");
  }

  @Test
  void settings_buildAWorkingClient_andNeverShowTheSecret() {
    AwsSettings settings =
        AwsSettings.defaults()
            .withRegion("eu-west-1")
            .withEndpoint(server.endpoint())
            .withCredentials(Clients.CREDENTIALS);
    try (Comprehend c = Comprehend.builder().settings(settings).build()) {
      assertThat(results(c.apply("great").gather().get(0))).containsKey("sentiment");
    }
    assertThat(server.lastRequest().header("authorization"))
        .contains("AKIDTEST/")
        .contains("/eu-west-1/comprehend/");
    assertThat(settings.toString()).doesNotContain("not-a-secret-42").doesNotContain("AKIDTEST");
  }
}
