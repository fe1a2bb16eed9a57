package dev.genaiprocessors.examples;

import dev.genaiprocessors.PartData;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.gcp.CloudStorage;
import dev.genaiprocessors.gcp.CloudTranslation;
import dev.genaiprocessors.gcp.CloudVision;
import dev.genaiprocessors.gcp.GcpClients;
import dev.genaiprocessors.gcp.GcpErrorStrategy;
import dev.genaiprocessors.gcp.GoogleCloud;
import dev.genaiprocessors.gcp.VisionFeature;
import dev.genaiprocessors.testing.gcp.StorageServer;
import dev.genaiprocessors.testing.gcp.TranslationServer;
import dev.genaiprocessors.testing.gcp.VisionServer;
import java.util.List;

/**
 * Google Cloud's router over a mixed stream: the photo goes to Vision (labels and text), the text
 * to Translation (into French), the PDF to Cloud Storage, which hands back a {@code gs://}
 * reference; then the reference is read back, and an empty text shows what a bad part becomes.
 *
 * <p>Offline by default, against the {@code testing-gcp} module's loopback servers and the official
 * clients. With {@code GOOGLE_CLOUD_PROJECT} and {@code GCS_BUCKET} set, and Application Default
 * Credentials available ({@code gcloud auth application-default login}), it runs against Google
 * Cloud itself.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=GoogleCloudExample}
 */
public final class GoogleCloudExample {
  private GoogleCloudExample() {}

  public static void main(String[] args) {
    String project = System.getenv("GOOGLE_CLOUD_PROJECT");
    String bucket = System.getenv("GCS_BUCKET");
    if (project != null && bucket != null) {
      System.out.println("using Google Cloud, project " + project + ", bucket " + bucket);
      try (GcpClients clients = GcpClients.builder().projectId(project).build()) {
        run(clients, bucket);
      }
      return;
    }
    try (StorageServer storage = StorageServer.start();
        TranslationServer translation = TranslationServer.start();
        VisionServer vision = VisionServer.start()) {
      storage.createBucket("example-bucket");
      GcpClients local =
          GcpClients.builder()
              .projectId("example-project")
              .noCredentials()
              .storageHost(storage.url())
              .translationEndpoint(translation.endpoint())
              .visionEndpoint(vision.endpoint())
              .plaintext(true)
              .build();
      try (local) {
        System.out.println("using local servers: " + local);
        run(local, "example-bucket");
      }
    }
  }

  private static void run(GcpClients clients, String bucket) {
    CloudStorage storage =
        CloudStorage.builder(clients.storage(), bucket).objectNames("examples/{uuid}{ext}").build();
    Processor cloud =
        GoogleCloud.router(
            CloudVision.builder(clients.vision())
                .features(VisionFeature.LABELS, VisionFeature.TEXT)
                .build(),
            CloudTranslation.builder(clients.translation(), clients.projectId())
                .targetLanguage("fr")
                .errorStrategy(GcpErrorStrategy.EMIT_ERROR_PART)
                .build(),
            storage.upload());

    List<ProcessorPart> input =
        List.of(
            ProcessorPart.text("The weather is lovely today."),
            ProcessorPart.bytes(onePixelPng(), "image/png"),
            ProcessorPart.bytes("%PDF-1.4 a tiny report".getBytes(), "application/pdf"),
            ProcessorPart.text(""));
    for (ProcessorPart part : cloud.apply(input)) {
      if (part.isException()) {
        System.out.println("error part: " + part.metadata("original_exception"));
      } else if (part.data() instanceof PartData.FileData file) {
        System.out.println("stored: " + file.uri() + " (" + part.metadata("gcs_size") + " bytes)");
        ProcessorPart back = storage.download().apply(part).gather().get(0);
        System.out.println("read back: " + back.mimeType() + ", " + back.bytes().length + " bytes");
      } else if (part.mimeType().startsWith("image/")) {
        System.out.println("vision: " + part.metadata("vision"));
      } else {
        System.out.println(
            "translated from " + part.metadata("source_language") + ": " + part.text());
      }
    }
  }

  /** A 1x1 transparent PNG. */
  private static byte[] onePixelPng() {
    return java.util.Base64.getDecoder()
        .decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");
  }
}
