package dev.genaiprocessors.examples;

import dev.genaiprocessors.PartData;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.aws.AwsRouter;
import dev.genaiprocessors.aws.AwsSettings;
import dev.genaiprocessors.aws.Comprehend;
import dev.genaiprocessors.aws.ComprehendFeature;
import dev.genaiprocessors.aws.PartFailure;
import dev.genaiprocessors.aws.Rekognition;
import dev.genaiprocessors.aws.RekognitionFeature;
import dev.genaiprocessors.aws.S3Store;
import dev.genaiprocessors.testing.AwsJsonServer;
import dev.genaiprocessors.testing.S3MockServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The AWS router over a mixed stream: the text goes to Comprehend (language and sentiment), the
 * photo to Rekognition (labels), the PDF to S3, which hands back an {@code s3://} reference; then
 * the reference is read back, and an empty text shows what a bad part becomes.
 *
 * <p>Offline by default, against the official SDK clients and local servers: {@code testing}'s
 * {@code AwsJsonServer} for Comprehend and Rekognition, Adobe S3Mock (run as its own process by
 * {@code S3MockServer}) for S3. With {@code AWS_REGION} and {@code S3_BUCKET} set it runs against
 * AWS itself, with the SDK's default credentials chain ({@code AWS_ACCESS_KEY_ID}, a profile, ...).
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java -Dexample=AwsExample}
 */
public final class AwsExample {
  private AwsExample() {}

  public static void main(String[] args) {
    String region = System.getenv("AWS_REGION");
    String bucket = System.getenv("S3_BUCKET");
    if (region != null && bucket != null) {
      System.out.println("using AWS, region " + region + ", bucket " + bucket);
      AwsSettings aws = AwsSettings.defaults().withRegion(region);
      run(aws, aws, bucket);
      return;
    }
    try (AwsJsonServer analysis = AwsJsonServer.start();
        S3MockServer s3 = S3MockServer.start()) {
      StaticCredentialsProvider credentials =
          StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "example"));
      AwsSettings local =
          AwsSettings.defaults().withRegion("us-east-1").withCredentials(credentials);
      AwsSettings storage = local.withEndpoint(s3.endpoint());
      try (S3Client client =
          S3Client.builder()
              .endpointOverride(s3.endpoint())
              .forcePathStyle(true)
              .region(Region.US_EAST_1)
              .credentialsProvider(credentials)
              .build()) {
        client.createBucket(b -> b.bucket("example-bucket"));
      }
      System.out.println("using local servers: " + storage);
      run(local.withEndpoint(analysis.endpoint()), storage, "example-bucket");
    }
  }

  private static void run(AwsSettings analysis, AwsSettings storage, String bucket) {
    try (Comprehend comprehend =
            Comprehend.builder()
                .settings(analysis)
                .features(ComprehendFeature.LANGUAGE, ComprehendFeature.SENTIMENT)
                .onFailure(PartFailure.EMIT_ERROR_PART)
                .build();
        Rekognition rekognition =
            Rekognition.builder().settings(analysis).features(RekognitionFeature.LABELS).build();
        S3Store store =
            S3Store.builder()
                .settings(storage)
                .bucket(bucket)
                .keyTemplate("examples/{uuid}{ext}")
                .build()) {
      Processor aws = AwsRouter.of(comprehend, rekognition.onErrorEmitPart(), store.store());

      List<ProcessorPart> input =
          List.of(
              ProcessorPart.text("What a great day for a walk."),
              ProcessorPart.bytes(onePixelPng(), "image/png"),
              ProcessorPart.bytes(
                  "%PDF-1.4 a tiny report".getBytes(StandardCharsets.UTF_8), "application/pdf"),
              ProcessorPart.text(""));
      for (ProcessorPart part : aws.apply(input)) {
        if (part.isException()) {
          System.out.println("error part: " + part.metadata("original_exception"));
        } else if (part.data() instanceof PartData.FileData file) {
          Map<?, ?> s3 = (Map<?, ?>) part.metadata(S3Store.METADATA_KEY);
          System.out.println("stored: " + file.uri() + " (" + s3.get("size") + " bytes)");
          ProcessorPart back = store.read().apply(part).gather().get(0);
          System.out.println(
              "read back: " + back.mimeType() + ", " + back.bytes().length + " bytes");
        } else if (part.mimeType().startsWith("image/")) {
          System.out.println("rekognition: " + part.metadata(Rekognition.RESULTS_KEY));
        } else {
          System.out.println(
              "comprehend: \"" + part.text() + "\" " + part.metadata(Comprehend.RESULTS_KEY));
        }
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
