package dev.genaiprocessors.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.testing.AwsJsonServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rekognition.RekognitionClient;

class RekognitionTest {
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13};
  static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16};

  static AwsJsonServer server;
  static RekognitionClient client;

  @BeforeAll
  static void start() {
    server = AwsJsonServer.start();
    client = Clients.rekognition(server);
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

  @SuppressWarnings("unchecked")
  private static Map<String, Object> results(ProcessorPart part) {
    return (Map<String, Object>) part.metadata(Rekognition.RESULTS_KEY);
  }

  @Test
  void labels_ofAPng_arriveAsMetadata_limitedByMaxLabelsAndConfidence() {
    Rekognition rekognition = Rekognition.builder().client(client).maxLabels(2).build();

    ProcessorPart out = rekognition.apply(ProcessorPart.bytes(PNG, "image/png")).gather().get(0);

    assertThat(results(out))
        .containsEntry(
            "labels",
            List.of(
                Map.of("name", "Animal", "confidence", 99.2),
                Map.of("name", "Cat", "confidence", 98.5)));
    assertThat(out.bytes()).isEqualTo(PNG);
    var request = server.lastRequest();
    assertThat(request.header("x-amz-target")).isEqualTo("RekognitionService.DetectLabels");
    assertThat(request.header("authorization")).contains("/rekognition/aws4_request");
    assertThat(request.json().path("MaxLabels").asInt()).isEqualTo(2);
  }

  @Test
  void everyFeature_onAJpeg_asAJsonPart_andOtherPartsPassThrough() {
    Rekognition rekognition =
        Rekognition.builder()
            .client(client)
            .features(RekognitionFeature.values())
            .output(ResultOutput.JSON_PART)
            .build();

    ProcessorContent out =
        rekognition.apply(List.of("a caption", ProcessorPart.bytes(JPEG, "image/jpeg"))).gather();

    assertThat(out.size()).isEqualTo(3);
    assertThat(out.get(0).text()).isEqualTo("a caption");
    var json = out.get(2).json();
    assertThat(json.at("/labels/1/name").asText()).isEqualTo("Cat");
    assertThat(json.at("/text/0/text").asText()).isEqualTo("HELLO");
    assertThat(json.at("/moderation_labels/0/name").asText()).isEqualTo("Suggestive");
    assertThat(json.at("/faces/0/bounding_box/width").asDouble()).isEqualTo(0.25);
    assertThat(server.requestCount()).isEqualTo(4);
  }

  @Test
  void anS3Reference_isAnalysedInPlace() {
    Rekognition rekognition = Rekognition.builder().client(client).build();

    rekognition.apply(ProcessorPart.fromUri("s3://photos/cats/tom.jpg", "image/jpeg")).gather();

    assertThat(server.lastRequest().json().at("/Image/S3Object/Bucket").asText())
        .isEqualTo("photos");
    assertThat(server.lastRequest().json().at("/Image/S3Object/Name").asText())
        .isEqualTo("cats/tom.jpg");
  }

  @Test
  void aGif_failsBeforeAnyCall_namingItsTypeAndWhatRekognitionTakes() {
    Rekognition rekognition = Rekognition.builder().client(client).build();

    assertThatThrownBy(
            () ->
                rekognition
                    .apply(ProcessorPart.bytes(new byte[] {'G', 'I', 'F'}, "image/gif"))
                    .gather())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("image/gif part (3 bytes)")
        .hasMessageContaining("takes image/jpeg and image/png");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void badImages_becomeErrorParts_withTheCoresStrategy_andTheRestGoesOn() {
    var rekognition = Rekognition.builder().client(client).build().onErrorEmitPart();

    ProcessorContent out =
        rekognition
            .apply(
                List.of(
                    ProcessorPart.bytes(new byte[] {'G', 'I', 'F'}, "image/gif"),
                    ProcessorPart.bytes(new byte[] {1, 2, 3, 4}, "image/png"),
                    ProcessorPart.bytes(PNG, "image/png")))
            .gather();

    assertThat(out.size()).isEqualTo(3);
    assertThat(out.get(0).isException()).isTrue();
    assertThat(out.get(1).isException()).isTrue();
    assertThat(out.get(1).text())
        .contains("InvalidImageFormatException")
        .contains("image/png part (4 bytes)")
        .contains("DetectLabels");
    assertThat(results(out.get(2))).containsKey("labels");
  }

  @Test
  void anImageOverFiveMebibytes_failsNamingTheLimit() {
    Rekognition rekognition = Rekognition.builder().client(client).build();
    byte[] big = new byte[Rekognition.MAX_IMAGE_BYTES + 1];
    System.arraycopy(PNG, 0, big, 0, PNG.length);

    assertThatThrownBy(() -> rekognition.apply(ProcessorPart.bytes(big, "image/png")).gather())
        .hasMessageContaining("limit of 5242880 bytes");
  }

  @Test
  void theBuilder_rejectsBadSettings_namingThem() {
    assertThatThrownBy(() -> Rekognition.builder().client(client).maxLabels(0).build())
        .hasMessage("maxLabels must be in [1, 1000] but was 0");
    assertThatThrownBy(() -> Rekognition.builder().client(client).minConfidence(101).build())
        .hasMessage("minConfidence must be in [0, 100] but was 101.0");
  }
}
