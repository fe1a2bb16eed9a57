package dev.genaiprocessors.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.testing.AwsJsonServer;
import dev.genaiprocessors.testing.S3MockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** S3Store with the official S3 client against Adobe S3Mock running as its own process. */
class S3StoreIT {
  static final String BUCKET = "genai-test";
  static S3MockServer mock;
  static S3Client client;
  static AwsSettings settings;

  @BeforeAll
  static void start() throws Exception {
    mock = S3MockServer.start();
    settings =
        AwsSettings.defaults()
            .withRegion("us-east-1")
            .withEndpoint(mock.endpoint())
            .withCredentials(Clients.CREDENTIALS);
    client =
        S3Client.builder()
            .endpointOverride(mock.endpoint())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(Clients.CREDENTIALS)
            .build();
    client.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (mock != null) {
      mock.close();
    }
  }

  private static S3Store.Builder store() {
    return S3Store.builder().settings(settings).bucket(BUCKET);
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> facts(ProcessorPart ref) {
    return (Map<String, Object>) ref.metadata(S3Store.METADATA_KEY);
  }

  @Test
  void aPart_isStored_asAReferencePart_andReadBack() {
    try (S3Store store = store().keyTemplate("notes/{sha256}{ext}").build()) {
      ProcessorPart ref = store.store().apply("hello S3").gather().get(0);

      assertThat(ref.mimeType()).isEqualTo("text/plain");
      assertThat(facts(ref))
          .containsEntry("bucket", BUCKET)
          .containsEntry("size", 8L)
          .containsEntry("content_type", "text/plain");
      assertThat((String) facts(ref).get("key"))
          .startsWith("notes/")
          .endsWith(".txt")
          .hasSize(6 + 64 + 4);
      assertThat((String) facts(ref).get("etag")).isNotBlank();
      assertThat(
              client
                  .getObjectAsBytes(b -> b.bucket(BUCKET).key((String) facts(ref).get("key")))
                  .asUtf8String())
          .isEqualTo("hello S3");

      ProcessorPart back = store.read().apply(ref).gather().get(0);
      assertThat(back.text()).isEqualTo("hello S3");
    }
  }

  @Test
  void anObjectLargerThanThePartSize_goesUpInParts_andARangeReadsBack() {
    byte[] data = random(12 * 1024 * 1024 + 123, 7);
    try (S3Store store = store().partSize(S3Store.MIN_PART_SIZE).build()) {
      ProcessorPart ref =
          store.store().apply(ProcessorPart.blob(data, "application/octet-stream")).gather().get(0);

      String key = (String) facts(ref).get("key");
      assertThat(facts(ref)).containsEntry("size", (long) data.length);
      // A multipart ETag is "<md5 of the part md5s>-<number of parts>".
      assertThat((String) facts(ref).get("etag")).endsWith("-3\"");
      assertThat(client.headObject(b -> b.bucket(BUCKET).key(key)).contentLength())
          .isEqualTo(data.length);

      int from = S3Store.MIN_PART_SIZE - 10;
      ProcessorPart range = store.read(from, 20).apply(ref).gather().get(0);
      assertThat(range.bytes()).isEqualTo(Arrays.copyOfRange(data, from, from + 20));
      assertThat(store.read().apply(ref).gather().get(0).bytes()).isEqualTo(data);
    }
  }

  @Test
  void aStreamOfParts_becomesOneObject() {
    List<ProcessorPart> chunks = new ArrayList<>();
    byte[] all = random(30 * 400_000, 11);
    for (int i = 0; i < 30; i++) {
      chunks.add(
          ProcessorPart.blob(Arrays.copyOfRange(all, i * 400_000, (i + 1) * 400_000), "video/mp4"));
    }
    try (S3Store store =
        store().partSize(S3Store.MIN_PART_SIZE).keyTemplate("clips/{uuid}{ext}").build()) {
      ProcessorContent out = store.storeStream().apply(chunks).gather();

      assertThat(out.size()).isEqualTo(1);
      ProcessorPart ref = out.get(0);
      assertThat(ref.mimeType()).isEqualTo("video/mp4");
      assertThat((String) facts(ref).get("key")).startsWith("clips/").endsWith(".mp4");
      assertThat(store.read().apply(ref).gather().get(0).bytes()).isEqualTo(all);
    }
  }

  @Test
  void aPresignedUrl_servesTheObject_toAPlainHttpClient() throws Exception {
    try (S3Store store = store().presignFor(Duration.ofMinutes(5)).build()) {
      ProcessorPart ref =
          store
              .store()
              .apply(ProcessorPart.bytes(RekognitionTest.PNG, "image/png"))
              .gather()
              .get(0);

      String url = (String) facts(ref).get("presigned_url");
      assertThat(url).contains("X-Amz-Signature=").contains("X-Amz-Expires=300");
      assertThat(facts(ref)).containsKey("presigned_url_expires");
      HttpResponse<byte[]> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(RekognitionTest.PNG);
    }
  }

  @Test
  void aBucketThatDoesNotExist_isAClearNonRetryableError() {
    try (S3Store store = S3Store.builder().settings(settings).bucket("no-such-bucket").build()) {
      assertThatThrownBy(() -> store.store().apply("x").gather())
          .isInstanceOfSatisfying(
              AwsException.class,
              e -> {
                assertThat(e.errorCode()).isEqualTo("NoSuchBucket");
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.getMessage())
                    .contains("PutObject")
                    .contains("s3://no-such-bucket/")
                    .contains("text/plain part");
              });
    }
  }

  @Test
  void aMissingObject_failsTheReadNamingIt() {
    try (S3Store store = store().build()) {
      assertThatThrownBy(
              () ->
                  store
                      .read()
                      .apply(ProcessorPart.fromUri("s3://" + BUCKET + "/nope", "text/plain"))
                      .gather())
          .isInstanceOf(AwsException.class)
          .hasCauseInstanceOf(NoSuchKeyException.class)
          .hasMessageContaining("GetObject")
          .hasMessageContaining("s3://genai-test/nope");
    }
  }

  @Test
  void aKeyTemplateMakingAnInvalidKey_failsThatPartOnly() {
    try (S3Store store = store().keyTemplate("users/{meta:user}/{uuid}").build()) {
      ProcessorContent out =
          store
              .store()
              .onErrorEmitPart()
              .apply(
                  List.of(
                      ProcessorPart.text("a").withMetadata("user", "ada"),
                      ProcessorPart.text("b").withMetadata("user", ".."),
                      ProcessorPart.text("c"),
                      ProcessorPart.text("d").withMetadata("user", "bob")))
              .gather();

      // Error parts travel on the status substream, so they may overtake the data parts.
      List<ProcessorPart> errors = out.parts().stream().filter(ProcessorPart::isException).toList();
      List<ProcessorPart> refs = out.parts().stream().filter(p -> !p.isException()).toList();
      assertThat(refs).hasSize(2);
      assertThat((String) facts(refs.get(0)).get("key")).startsWith("users/ada/");
      assertThat((String) facts(refs.get(1)).get("key")).startsWith("users/bob/");
      assertThat(errors).hasSize(2);
      assertThat(errors)
          .anySatisfy(
              e ->
                  assertThat(e.text())
                      .contains("made the invalid S3 key \"users/../")
                      .contains("'..' path segment"))
          .anySatisfy(e -> assertThat(e.text()).contains("needs the metadata \"user\""));
    }
  }

  @Test
  void theBuilder_rejectsBadTemplatesAndSizes_namingThem() {
    assertThatThrownBy(() -> store().keyTemplate("a/{nope}").build())
        .hasMessageContaining("unknown placeholder {nope}");
    assertThatThrownBy(() -> store().keyTemplate("a/{uuid").build())
        .hasMessageContaining("unclosed '{' at index 2");
    assertThatThrownBy(() -> store().partSize(1024).build())
        .hasMessageContaining("partSize must be in [5242880");
    assertThatThrownBy(() -> store().presignFor(Duration.ofDays(8)).build())
        .hasMessageContaining("presignFor must be in [1s, 7 days] but was PT192H");
  }

  @Test
  void theRouter_sendsTextToComprehend_imagesToRekognition_andTheRestToS3() {
    try (AwsJsonServer aws = AwsJsonServer.start();
        Comprehend comprehend = Comprehend.builder().client(Clients.comprehend(aws)).build();
        Rekognition rekognition = Rekognition.builder().client(Clients.rekognition(aws)).build();
        S3Store store = store().build()) {
      var router = AwsRouter.of(comprehend, rekognition, store.store());

      ProcessorContent out =
          router
              .apply(
                  List.of(
                      ProcessorPart.text("a great day"),
                      ProcessorPart.bytes(RekognitionTest.PNG, "image/png"),
                      ProcessorPart.blob(new byte[] {'%', 'P', 'D', 'F'}, "application/pdf")))
              .gather();

      assertThat(out.size()).isEqualTo(3);
      assertThat(out.parts())
          .anySatisfy(p -> assertThat(p.metadata(Comprehend.RESULTS_KEY)).isNotNull())
          .anySatisfy(p -> assertThat(p.metadata(Rekognition.RESULTS_KEY)).isNotNull())
          .anySatisfy(
              p -> {
                assertThat(p.mimeType()).isEqualTo("application/pdf");
                assertThat(facts(p)).containsEntry("size", 4L);
              });
    }
  }
}
