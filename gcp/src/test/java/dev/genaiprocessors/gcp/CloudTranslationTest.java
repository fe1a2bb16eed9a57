package dev.genaiprocessors.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.translate.v3.TranslateTextRequest;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.RetryAdvice;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.resilience.RetryConfig;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CloudTranslationTest {
  private final LocalCloud cloud = new LocalCloud();

  @AfterEach
  void close() throws Exception {
    cloud.close();
  }

  private CloudTranslation.Builder french() {
    return CloudTranslation.builder(cloud.clients.translation(), "test-project")
        .targetLanguage("fr");
  }

  @Test
  void textParts_areTranslatedInOneCall_keepingOrderRoleAndMetadata() {
    List<ProcessorPart> input =
        List.of(
            ProcessorPart.text("Hello").withRole("user").withMetadata("id", 1),
            LocalCloud.pngPart(4),
            ProcessorPart.text("Hallo und danke").withRole("user").withMetadata("id", 2),
            ProcessorPart.json(Map.of("k", "v")),
            ProcessorPart.text("Bonjour le monde"));

    List<ProcessorPart> out = french().build().apply(input).gather().parts();

    assertThat(out).hasSize(5);
    assertThat(out.get(0).text()).isEqualTo("[fr] Hello");
    assertThat(out.get(0).role()).isEqualTo("user");
    assertThat(out.get(0).metadata())
        .containsEntry("id", 1L)
        .containsEntry("source_language", "en")
        .containsEntry("target_language", "fr");
    assertThat(out.get(1)).isEqualTo(input.get(1));
    assertThat(out.get(2).text()).isEqualTo("[fr] Hallo und danke");
    assertThat(out.get(2).metadata("source_language")).isEqualTo("de");
    assertThat(out.get(3)).isEqualTo(input.get(3));
    assertThat(out.get(4).metadata("source_language")).isEqualTo("fr");
    List<TranslateTextRequest> requests = cloud.translation.requests();
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).getContentsList())
        .containsExactly("Hello", "Hallo und danke", "Bonjour le monde");
    assertThat(requests.get(0).getParent()).isEqualTo("projects/test-project/locations/global");
    assertThat(requests.get(0).getMimeType()).isEqualTo("text/plain");
  }

  @Test
  void partsWithoutMetadata_eachGetTheLanguageDetectedForThem() {
    List<ProcessorPart> input =
        List.of(
            ProcessorPart.text("Hello"),
            ProcessorPart.text("Bonjour le chat"),
            ProcessorPart.text("Good night"),
            ProcessorPart.text("Hallo und danke"),
            ProcessorPart.text("Merci").withSubstreamName("notes"));

    List<ProcessorPart> out = french().build().apply(input).gather().parts();

    List<String> sources = List.of("en", "fr", "en", "de", "fr");
    assertThat(out).hasSize(5);
    for (int i = 0; i < out.size(); i++) {
      ProcessorPart expected =
          ProcessorPart.text("[fr] " + input.get(i).text())
              .withSubstreamName(input.get(i).substreamName())
              .withMetadata("source_language", sources.get(i))
              .withMetadata("target_language", "fr");
      assertThat(out.get(i)).isEqualTo(expected);
      assertThat(out.get(i).metadata().keySet())
          .containsExactly("source_language", "target_language");
    }
    assertThat(cloud.translation.requests()).hasSize(1);
  }

  @Test
  void batches_areSplitAtThePartAndCodePointLimits() {
    List<ProcessorPart> input = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      input.add(ProcessorPart.text("text " + i));
    }
    input.add(ProcessorPart.text("x".repeat(35)));

    List<ProcessorPart> out =
        french().maxBatchParts(3).maxBatchCodePoints(40).build().apply(input).gather().parts();

    assertThat(out).extracting(ProcessorPart::text).startsWith("[fr] text 0").hasSize(8);
    assertThat(cloud.translation.requests())
        .extracting(TranslateTextRequest::getContentsCount)
        .containsExactly(3, 3, 1, 1);
  }

  @Test
  void htmlAndPlainText_goInSeparateCalls_withTheirMimeType() {
    List<ProcessorPart> out =
        french()
            .build()
            .apply(
                List.of(
                    ProcessorPart.text("<b>Hi</b>").withMimeType("text/html"),
                    ProcessorPart.text("Hi")))
            .gather()
            .parts();

    assertThat(out.get(0).mimeType()).isEqualTo("text/html");
    assertThat(cloud.translation.requests())
        .extracting(TranslateTextRequest::getMimeType)
        .containsExactly("text/html", "text/plain");
  }

  @Test
  void sourceLanguageGlossaryAndModel_areSent_andRecorded() {
    String glossary = "projects/test-project/locations/us-central1/glossaries/terms";
    String model = "projects/test-project/locations/us-central1/models/general/nmt";
    List<ProcessorPart> out =
        french()
            .location("us-central1")
            .sourceLanguage("en")
            .glossary(glossary)
            .model(model)
            .build()
            .apply("Hello")
            .gather()
            .parts();

    assertThat(out.get(0).text()).isEqualTo("[fr glossary] Hello");
    assertThat(out.get(0).metadata())
        .containsEntry("source_language", "en")
        .containsEntry("glossary", glossary);
    TranslateTextRequest request = cloud.translation.requests().get(0);
    assertThat(request.getSourceLanguageCode()).isEqualTo("en");
    assertThat(request.getModel()).isEqualTo(model);
    assertThat(request.getGlossaryConfig().getGlossary()).isEqualTo(glossary);
    assertThat(request.getParent()).isEqualTo("projects/test-project/locations/us-central1");
  }

  @Test
  void anEmptyText_failsTheRun_namingThePart() {
    var translation = french().build();

    assertThatThrownBy(() -> translation.apply(List.of("one", "", "three")).gather())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text part #1 is empty");
  }

  @Test
  void anEmptyText_becomesAnErrorPart_andTheRestIsTranslated() {
    List<ProcessorPart> out =
        french()
            .errorStrategy(GcpErrorStrategy.EMIT_ERROR_PART)
            .build()
            .apply(List.of("one", "", "three"))
            .gather()
            .parts();

    assertThat(out).hasSize(3);
    assertThat(out.get(0).text()).isEqualTo("[fr] one");
    assertThat(out.get(1).isException()).isTrue();
    assertThat(out.get(1).metadata("original_exception")).asString().contains("#1 is empty");
    assertThat(out.get(1).metadata("gcp_part")).isEqualTo(1L);
    assertThat(out.get(2).text()).isEqualTo("[fr] three");
  }

  @Test
  void anUnknownTargetLanguage_isAClearError_namingTheParts() {
    var translation =
        CloudTranslation.builder(cloud.clients.translation(), "test-project")
            .targetLanguage("xx")
            .build();

    assertThatThrownBy(() -> translation.apply(List.of("a", "b")).gather())
        .isInstanceOfSatisfying(
            GcpException.class,
            e -> {
              assertThat(e.status()).isEqualTo("INVALID_ARGUMENT");
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.service()).isEqualTo("Translation");
            })
        .hasMessageContaining("parts #0-#1 to 'xx'")
        .hasMessageContaining("Target language is invalid.");
  }

  @Test
  void aServerErrorMidStream_failsOnlyThatBatch_andTheRestGoesOn() {
    cloud.translation.failCall(2, Status.Code.INTERNAL, "backend exploded");

    List<ProcessorPart> out =
        french()
            .maxBatchParts(2)
            .errorStrategy(GcpErrorStrategy.PASS_THROUGH)
            .build()
            .apply(List.of("a", "b", "c", "d", "e"))
            .gather()
            .parts();

    assertThat(out)
        .extracting(p -> p.isException() ? "error #" + p.metadata("gcp_part") : p.text())
        .containsExactly("[fr] a", "[fr] b", "c", "error #2", "d", "error #3", "[fr] e");
    assertThat(out.get(3).metadata("gcp_status")).isEqualTo("INTERNAL");
    assertThat(out.get(3).metadata("original_exception"))
        .asString()
        .contains("parts #2-#3", "backend exploded");
  }

  @Test
  void resourceExhausted_withRetryInfo_becomesRetryAdvice() {
    cloud.translation.failNext(
        Status.Code.RESOURCE_EXHAUSTED, "Quota exceeded", Duration.ofMillis(1500));
    var translation = french().build();

    assertThatThrownBy(() -> translation.apply("Hello").gather())
        .satisfies(
            e -> {
              RetryAdvice advice = RetryAdvice.of(e);
              assertThat(advice).isNotNull();
              assertThat(advice.isRetryable()).isTrue();
              assertThat(advice.retryAfter()).isEqualTo(Duration.ofMillis(1500));
            });
  }

  @Test
  void aRetryDecorator_retriesOnTheAdvice_whenTheSdkDoesNot() throws Exception {
    try (LocalCloud noRetries = new LocalCloud(false)) {
      noRetries.translation.failNext(Status.Code.UNAVAILABLE, "try again", Duration.ZERO);
      List<Duration> waits = new ArrayList<>();
      Resilience resilience =
          Resilience.builder("translation")
              .retry(RetryConfig.defaults())
              .sleeper(waits::add)
              .build();
      var translation =
          resilience.decorate(
              CloudTranslation.builder(noRetries.clients.translation(), "test-project")
                  .targetLanguage("fr")
                  .build());

      assertThat(translation.apply("Hello").text()).isEqualTo("[fr] Hello");
      assertThat(noRetries.translation.requests()).hasSize(2);
      assertThat(waits).hasSize(1);
    }
  }

  @Test
  void endOfTurn_sendsTheBatchSoFar_andPassesThrough() {
    List<ProcessorPart> out =
        french()
            .build()
            .apply(
                List.of(
                    ProcessorPart.text("a"), ProcessorPart.endOfTurn(), ProcessorPart.text("b")))
            .gather()
            .parts();

    assertThat(out).hasSize(3);
    assertThat(out.get(1).isEndOfTurn()).isTrue();
    assertThat(cloud.translation.requests()).hasSize(2);
  }

  @Test
  void builder_rejectsBadSettings_namingThem() {
    var client = cloud.clients.translation();
    assertThatThrownBy(() -> CloudTranslation.builder(client, "p").build())
        .hasMessageContaining("targetLanguage is required");
    assertThatThrownBy(
            () ->
                CloudTranslation.builder(client, "p")
                    .targetLanguage("fr")
                    .maxBatchParts(2000)
                    .build())
        .hasMessageContaining("maxBatchParts must be in [1, 1024] but was 2000");
    assertThatThrownBy(() -> CloudTranslation.builder(client, "a/b").targetLanguage("fr").build())
        .hasMessageContaining("projectId")
        .hasMessageContaining("a/b");
  }
}
