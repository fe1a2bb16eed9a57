package dev.genaiprocessors.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.testing.gcp.StorageServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudStorageTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

  private final LocalCloud cloud = new LocalCloud();

  @AfterEach
  void close() throws Exception {
    cloud.close();
  }

  private CloudStorage.Builder storage() {
    return CloudStorage.builder(cloud.clients.storage(), LocalCloud.BUCKET).clock(CLOCK);
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @Test
  void aPart_isStored_andReplacedByItsReference() {
    ProcessorPart photo = LocalCloud.pngPart(60).withRole("user").withMetadata("id", 7);

    List<ProcessorPart> out =
        storage()
            .objectNames("in/{date}/{meta:id}{ext}")
            .build()
            .upload()
            .apply(photo)
            .gather()
            .parts();

    assertThat(out).hasSize(1);
    ProcessorPart ref = out.get(0);
    assertThat(ref.data())
        .hasToString("FileData[uri=gs://test-bucket/in/2026/12/02/7.png, displayName=null]");
    assertThat(ref.mimeType()).isEqualTo("image/png");
    assertThat(ref.role()).isEqualTo("user");
    assertThat(ref.metadata())
        .containsEntry("id", 7L)
        .containsEntry("gcs_size", 68L)
        .containsEntry("gcs_object", "in/2026/12/02/7.png")
        .containsEntry("gcs_content_type", "image/png")
        .containsKey("gcs_generation");
    StorageServer.StoredObject stored =
        cloud.storage.object(LocalCloud.BUCKET, "in/2026/12/02/7.png");
    assertThat(stored).isNotNull();
    assertThat(ref.metadata("gcs_generation")).isEqualTo(stored.generation());
    assertThat(cloud.storage.content(LocalCloud.BUCKET, "in/2026/12/02/7.png"))
        .isEqualTo(LocalCloud.png(60));
    assertThat(cloud.storage.exchanges().get(0).query()).contains("uploadType=multipart");
    assertThat(cloud.storage.exchanges().get(0).contentEncoding()).isEqualTo("gzip");
  }

  @Test
  void aLargePart_goesAsAResumableUpload_in256KiBChunks() {
    byte[] content = random(1024 * 1024 + 10);

    ProcessorPart ref =
        storage()
            .objectNames("big/{sha256}.bin")
            .resumableThreshold(1024)
            .chunkSize(256 * 1024)
            .build()
            .upload()
            .apply(ProcessorPart.bytes(content, "application/octet-stream"))
            .gather()
            .get(0);

    String name = (String) ref.metadata("gcs_object");
    assertThat(name).matches("big/[0-9a-f]{64}\\.bin");
    assertThat(cloud.storage.content(LocalCloud.BUCKET, name)).isEqualTo(content);
    List<StorageServer.Exchange> puts =
        cloud.storage.exchanges().stream().filter(e -> e.method().equals("PUT")).toList();
    assertThat(puts)
        .extracting(StorageServer.Exchange::status)
        .containsExactly(308, 308, 308, 308, 200);
    assertThat(puts.get(4).contentRange()).endsWith("/" + content.length);
  }

  @Test
  void aFileReference_isStreamedFromTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("report.pdf");
    byte[] content = random(600_000);
    Files.write(file, content);

    ProcessorPart ref =
        storage()
            .chunkSize(256 * 1024)
            .build()
            .upload()
            .apply(ProcessorPart.fromUri(file.toUri().toString(), "application/pdf"))
            .gather()
            .get(0);

    assertThat((String) ref.metadata("gcs_object"))
        .startsWith("genai/2026/12/02/")
        .endsWith(".pdf");
    assertThat(cloud.storage.content(LocalCloud.BUCKET, (String) ref.metadata("gcs_object")))
        .isEqualTo(content);
  }

  @Test
  void aReference_isReadBack_whateverCharactersItsNameHolds() {
    ProcessorPart text = ProcessorPart.text("héllo wörld").withMetadata("name", "dir/a b+c%d?.txt");
    CloudStorage storage = storage().objectNames("{meta:name}").build();

    ProcessorPart ref = storage.upload().apply(text).gather().get(0);
    ProcessorPart back = storage.download().apply(ref).gather().get(0);

    assertThat(cloud.storage.objectNames(LocalCloud.BUCKET)).containsExactly("dir/a b+c%d?.txt");
    assertThat(back.text()).isEqualTo("héllo wörld");
    assertThat(back.mimeType()).isEqualTo("text/plain");
    assertThat(back.metadata("name")).isEqualTo("dir/a b+c%d?.txt");
    assertThat(cloud.storage.exchanges())
        .anySatisfy(
            e -> assertThat(e.path()).startsWith("/download/storage/v1/b/test-bucket/o/dir%2Fa"));
  }

  @Test
  void aStream_isUploadedAndDownloaded_chunkByChunk() {
    byte[] content = random(700_000);
    CloudStorage storage = storage().chunkSize(256 * 1024).build();

    ProcessorPart ref = storage.upload(new ByteArrayInputStream(content), "audio/wav");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    storage.downloadTo(ref, out);

    assertThat(out.toByteArray()).isEqualTo(content);
    assertThat(ref.metadata("gcs_size")).isEqualTo(700_000L);
    assertThat((String) ref.metadata("gcs_object")).endsWith(".wav");
  }

  @Test
  void aMissingBucket_isAClearError_andTheOtherPartsAreStored() {
    CloudStorage nowhere =
        CloudStorage.builder(cloud.clients.storage(), "no-such-bucket")
            .errorStrategy(GcpErrorStrategy.EMIT_ERROR_PART)
            .build();

    List<ProcessorPart> out = nowhere.upload().apply(List.of("a", "b")).gather().parts();

    assertThat(out).hasSize(2).allMatch(ProcessorPart::isException);
    assertThat(out.get(0).metadata("gcp_status")).isEqualTo("404");
    assertThat(out.get(0).metadata("original_exception"))
        .asString()
        .contains("part (text/plain, 1 chars)", "gs://no-such-bucket/", "bucket does not exist");
  }

  @Test
  void aMissingBucket_failsTheRun_underFail() {
    var upload = CloudStorage.builder(cloud.clients.storage(), "no-such-bucket").build().upload();

    assertThatThrownBy(() -> upload.apply("a").gather())
        .isInstanceOfSatisfying(
            GcpException.class,
            e -> {
              assertThat(e.status()).isEqualTo("404");
              assertThat(e.isRetryable()).isFalse();
            });
  }

  @Test
  void anInvalidObjectName_isAnErrorPart_namingIt_andTheRestIsStored() {
    CloudStorage storage =
        storage()
            .objectNames("{meta:name}")
            .errorStrategy(GcpErrorStrategy.EMIT_ERROR_PART)
            .build();

    List<ProcessorPart> out =
        storage
            .upload()
            .apply(
                List.of(
                    ProcessorPart.text("ok").withMetadata("name", "good.txt"),
                    ProcessorPart.text("bad").withMetadata("name", "evil\nname"),
                    ProcessorPart.text("dots").withMetadata("name", ".."),
                    ProcessorPart.text("none")))
            .gather()
            .parts();

    assertThat(out)
        .filteredOn(p -> !p.isException())
        .singleElement()
        .satisfies(p -> assertThat(p.metadata("gcs_object")).isEqualTo("good.txt"));
    assertThat(out)
        .filteredOn(ProcessorPart::isException)
        .extracting(p -> String.valueOf(p.metadata("original_exception")))
        .satisfiesExactlyInAnyOrder(
            m ->
                assertThat(m)
                    .contains("object name \"evil\\nname\"", "carriage return or line feed"),
            m -> assertThat(m).contains("it is '..'"),
            m -> assertThat(m).contains("has no metadata 'name'"));
    assertThat(cloud.storage.objectNames(LocalCloud.BUCKET)).containsExactly("good.txt");
  }

  @Test
  void withoutOverwrite_anExistingName_isA412() {
    CloudStorage storage = storage().objectNames("same.txt").overwrite(false).build();
    storage.upload().apply("first").gather();

    assertThatThrownBy(() -> storage.upload().apply("second").gather())
        .isInstanceOfSatisfying(GcpException.class, e -> assertThat(e.status()).isEqualTo("412"));
    assertThat(cloud.storage.content(LocalCloud.BUCKET, "same.txt")).asString().isEqualTo("first");
  }

  @Test
  void aMissingObject_isA404_onDownload() {
    var download = storage().build().download();

    assertThatThrownBy(
            () ->
                download
                    .apply(ProcessorPart.fromUri("gs://test-bucket/nope.txt", "text/plain"))
                    .gather())
        .isInstanceOf(GcpException.class)
        .hasMessageContaining("gs://test-bucket/nope.txt")
        .hasMessageContaining("404");
  }

  @Test
  void aServerError_isRetriedByTheClient_whenTheUploadIsIdempotent() {
    cloud.storage.failNext(503, "backend busy");

    ProcessorPart ref =
        storage().overwrite(false).build().upload().apply("retry me").gather().get(0);

    assertThat(ref.metadata("gcs_size")).isEqualTo(8L);
    assertThat(cloud.storage.exchanges())
        .extracting(StorageServer.Exchange::status)
        .containsExactly(503, 200);
  }

  @Test
  void aServerError_isRetryAdvice_whenTheClientDoesNotRetry() throws Exception {
    try (LocalCloud noRetries = new LocalCloud(false)) {
      noRetries.storage.failNext(429, "slow down");
      var upload =
          CloudStorage.builder(noRetries.clients.storage(), LocalCloud.BUCKET).build().upload();

      assertThatThrownBy(() -> upload.apply("x").gather())
          .isInstanceOfSatisfying(GcpException.class, e -> assertThat(e.isRetryable()).isTrue())
          .hasMessageContaining("429");
    }
  }

  @Test
  void signedUrls_areAddedToReferences() throws Exception {
    var keys = KeyPairGenerator.getInstance("RSA");
    keys.initialize(2048);
    ServiceAccountCredentials signer =
        ServiceAccountCredentials.newBuilder()
            .setClientEmail("signer@test-project.iam.gserviceaccount.com")
            .setPrivateKey(keys.generateKeyPair().getPrivate())
            .build();

    ProcessorPart ref =
        storage()
            .objectNames("x.txt")
            .signedUrls(Duration.ofMinutes(10), signer)
            .build()
            .upload()
            .apply("signed")
            .gather()
            .get(0);

    assertThat((String) ref.metadata("gcs_signed_url"))
        .contains("/test-bucket/x.txt?", "X-Goog-Signature=", "X-Goog-Expires=600");
  }

  @Test
  void templates_andSettings_areCheckedAtBuild() {
    var client = cloud.clients.storage();
    assertThatThrownBy(
            () -> CloudStorage.builder(client, LocalCloud.BUCKET).objectNames("{nope}").build())
        .hasMessageContaining("unknown placeholder {nope}");
    assertThatThrownBy(
            () -> CloudStorage.builder(client, LocalCloud.BUCKET).objectNames("a{uuid").build())
        .hasMessageContaining("never closed");
    assertThatThrownBy(
            () -> CloudStorage.builder(client, LocalCloud.BUCKET).chunkSize(1000).build())
        .hasMessageContaining("chunkSize must be a positive multiple of 262144")
        .hasMessageContaining("1000");
    assertThatThrownBy(() -> CloudStorage.builder(client, "Bad Bucket").build())
        .hasMessageContaining("\"Bad Bucket\"");
  }
}
