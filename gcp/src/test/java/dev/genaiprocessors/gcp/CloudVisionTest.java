package dev.genaiprocessors.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.vision.v1.BatchAnnotateImagesRequest;
import dev.genaiprocessors.ProcessorPart;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CloudVisionTest {
  private final LocalCloud cloud = new LocalCloud();

  @AfterEach
  void close() throws Exception {
    cloud.close();
  }

  private CloudVision.Builder vision() {
    return CloudVision.builder(cloud.clients.vision());
  }

  @Test
  void twentyImages_goInTwoCalls_of16And4_inOrder_withTextBetweenPassingThrough() {
    List<ProcessorPart> input = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      input.add(LocalCloud.pngPart(i).withMetadata("n", i));
      if (i == 5) {
        input.add(ProcessorPart.text("between"));
      }
    }

    List<ProcessorPart> out = vision().build().apply(input).gather().parts();

    assertThat(out).hasSize(21);
    assertThat(out.get(6).text()).isEqualTo("between");
    assertThat(out.get(0).metadata("n")).isEqualTo(0L);
    assertThat(out.get(20).metadata("n")).isEqualTo(19L);
    @SuppressWarnings("unchecked")
    Map<String, Object> results = (Map<String, Object>) out.get(0).metadata("vision");
    assertThat(results)
        .containsEntry(
            "labels",
            List.of(Map.of("description", "PNG image", "score", 0.9, "mid", "/m/format")));
    assertThat(cloud.vision.requests())
        .extracting(BatchAnnotateImagesRequest::getRequestsCount)
        .containsExactly(16, 4);
  }

  @Test
  void everyFeature_isAskedFor_andReported() {
    List<ProcessorPart> out =
        vision()
            .features(VisionFeature.values())
            .output(VisionOutput.JSON_PART)
            .build()
            .apply(LocalCloud.pngPart(60).withRole("user"))
            .gather()
            .parts();

    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isEqualTo(LocalCloud.pngPart(60).withRole("user"));
    assertThat(out.get(1).role()).isEqualTo("user");
    var json = out.get(1).json();
    assertThat(json.at("/text").asText()).isEqualTo("PNG 68 bytes");
    assertThat(json.at("/document_text").asText()).isEqualTo("PNG 68 bytes");
    assertThat(json.at("/safe_search/adult").asText()).isEqualTo("VERY_UNLIKELY");
    assertThat(json.at("/objects/0/name").asText()).isEqualTo("Picture");
    assertThat(json.at("/objects/0/box/2/0").asDouble()).isEqualTo(1.0);
    assertThat(cloud.vision.requests().get(0).getRequests(0).getFeaturesCount()).isEqualTo(5);
  }

  @Test
  void aGsReference_isSentAsAGcsImageUri() {
    List<ProcessorPart> out =
        vision()
            .build()
            .apply(ProcessorPart.fromUri("gs://photos/cat.jpg", "image/jpeg"))
            .gather()
            .parts();

    assertThat(out.get(0).metadata("vision")).isNotNull();
    assertThat(
            cloud.vision.requests().get(0).getRequests(0).getImage().getSource().getGcsImageUri())
        .isEqualTo("gs://photos/cat.jpg");
  }

  @Test
  void anUnsupportedImageType_isAnErrorPart_namingIt_andTheOthersAreAnnotated() {
    List<ProcessorPart> out =
        vision()
            .errorStrategy(GcpErrorStrategy.EMIT_ERROR_PART)
            .build()
            .apply(
                List.of(
                    LocalCloud.pngPart(1),
                    ProcessorPart.bytes("<svg/>".getBytes(), "image/svg+xml"),
                    LocalCloud.pngPart(2)))
            .gather()
            .parts();

    assertThat(out).hasSize(3);
    assertThat(out.get(1).isException()).isTrue();
    assertThat(out.get(1).metadata("original_exception"))
        .asString()
        .contains("image part #1 is of type image/svg+xml", "Vision does not take");
    assertThat(out.get(0).metadata("vision")).isNotNull();
    assertThat(out.get(2).metadata("vision")).isNotNull();
    assertThat(cloud.vision.requests()).hasSize(1);
    assertThat(cloud.vision.requests().get(0).getRequestsCount()).isEqualTo(2);
  }

  @Test
  void anUnsupportedImageType_failsTheRun_underFail() {
    var vision = vision().build();
    assertThatThrownBy(
            () -> vision.apply(ProcessorPart.fromUri("ftp://host/cat.png", "image/png")).gather())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("image part #0 refers to 'ftp://host/cat.png'");
  }

  @Test
  void anImageTheServiceRefuses_failsAlone() {
    List<ProcessorPart> out =
        vision()
            .errorStrategy(GcpErrorStrategy.PASS_THROUGH)
            .build()
            .apply(
                List.of(
                    LocalCloud.pngPart(1),
                    ProcessorPart.bytes(new byte[] {1, 2, 3}, "image/png"),
                    LocalCloud.pngPart(2)))
            .gather()
            .parts();

    assertThat(out).hasSize(4);
    assertThat(out.get(1).metadata("vision")).isNull();
    assertThat(out.get(2).isException()).isTrue();
    assertThat(out.get(2).metadata("gcp_status")).isEqualTo("INVALID_ARGUMENT");
    assertThat(out.get(2).metadata("original_exception"))
        .asString()
        .contains("image part #1", "Bad image data.");
    assertThat(out.get(3).metadata("vision")).isNotNull();
  }

  @Test
  void aServerErrorMidStream_failsOnlyThatBatch() {
    cloud.vision.failCall(2, Status.Code.PERMISSION_DENIED, "caller lacks vision.images.annotate");
    List<ProcessorPart> input = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      input.add(LocalCloud.pngPart(i));
    }

    List<ProcessorPart> out =
        vision()
            .maxBatchImages(2)
            .errorStrategy(GcpErrorStrategy.EMIT_ERROR_PART)
            .build()
            .apply(input)
            .gather()
            .parts();

    assertThat(out)
        .extracting(ProcessorPart::isException)
        .containsExactly(false, false, true, true, false, false);
    assertThat(out.get(2).metadata("original_exception"))
        .asString()
        .contains("image parts #2-#3", "PERMISSION_DENIED", "vision.images.annotate");
  }

  @Test
  void unavailable_isRetriedByTheClient_asGoogleConfiguresIt() {
    cloud.vision.failNext(Status.Code.UNAVAILABLE, "backend restarting");

    List<ProcessorPart> out = vision().build().apply(LocalCloud.pngPart(1)).gather().parts();

    assertThat(out.get(0).metadata("vision")).isNotNull();
    assertThat(cloud.vision.requests()).hasSize(2);
  }

  @Test
  void resourceExhausted_isRetryAdvice_withTheServersDelay() {
    cloud.vision.failNext(Status.Code.RESOURCE_EXHAUSTED, "quota", Duration.ofSeconds(7));
    var vision = vision().build();

    assertThatThrownBy(() -> vision.apply(LocalCloud.pngPart(1)).gather())
        .isInstanceOfSatisfying(
            GcpException.class,
            e -> {
              assertThat(e.isRetryable()).isTrue();
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            });
  }

  @Test
  void aServerKilledMidStream_failsTheRemainingBatches_asRetryableErrors() throws Exception {
    try (LocalCloud noRetries = new LocalCloud(false)) {
      ProcessorPart end = ProcessorPart.text("end of input");
      java.util.concurrent.BlockingQueue<ProcessorPart> feed =
          new java.util.concurrent.LinkedBlockingQueue<>();
      Iterable<ProcessorPart> input =
          () ->
              new java.util.Iterator<>() {
                ProcessorPart next;

                @Override
                public boolean hasNext() {
                  if (next == null) {
                    try {
                      next = feed.take();
                    } catch (InterruptedException e) {
                      throw new java.util.concurrent.CancellationException("interrupted");
                    }
                  }
                  return next != end;
                }

                @Override
                public ProcessorPart next() {
                  ProcessorPart part = next;
                  next = null;
                  return part;
                }
              };
      CloudVision vision =
          CloudVision.builder(noRetries.clients.vision())
              .maxBatchImages(1)
              .errorStrategy(GcpErrorStrategy.EMIT_ERROR_PART)
              .build();
      List<ProcessorPart> out = new ArrayList<>();
      try (var stream = vision.apply(input)) {
        var parts = stream.iterator();
        feed.put(LocalCloud.pngPart(1));
        out.add(parts.next());
        noRetries.vision.close();
        feed.put(LocalCloud.pngPart(2));
        feed.put(end);
        parts.forEachRemaining(out::add);
      }

      assertThat(out).hasSize(2);
      assertThat(out.get(0).metadata("vision")).isNotNull();
      assertThat(out.get(1).isException()).isTrue();
      assertThat(out.get(1).metadata("gcp_status")).isEqualTo("UNAVAILABLE");
      assertThat(out.get(1).metadata("original_exception")).asString().contains("image parts #1");
    }
  }

  @Test
  void builder_rejectsBadSettings_namingThem() {
    var client = cloud.clients.vision();
    assertThatThrownBy(() -> CloudVision.builder(client).maxBatchImages(17).build())
        .hasMessageContaining("maxBatchImages must be in [1, 16] but was 17");
    assertThatThrownBy(() -> CloudVision.builder(client).features().build())
        .hasMessageContaining("features must name at least one");
  }
}
