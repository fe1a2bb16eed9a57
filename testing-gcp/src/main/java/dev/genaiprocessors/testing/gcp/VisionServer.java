package dev.genaiprocessors.testing.gcp;

import com.google.cloud.vision.v1.AnnotateImageRequest;
import com.google.cloud.vision.v1.AnnotateImageResponse;
import com.google.cloud.vision.v1.BatchAnnotateImagesRequest;
import com.google.cloud.vision.v1.BatchAnnotateImagesResponse;
import com.google.cloud.vision.v1.BoundingPoly;
import com.google.cloud.vision.v1.EntityAnnotation;
import com.google.cloud.vision.v1.Feature;
import com.google.cloud.vision.v1.Likelihood;
import com.google.cloud.vision.v1.LocalizedObjectAnnotation;
import com.google.cloud.vision.v1.NormalizedVertex;
import com.google.cloud.vision.v1.SafeSearchAnnotation;
import com.google.cloud.vision.v1.TextAnnotation;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A loopback Cloud Vision v1 server: {@code google.cloud.vision.v1.ImageAnnotator/
 * BatchAnnotateImages} over gRPC (Netty, plaintext), for tests of the official {@code
 * ImageAnnotatorClient}.
 *
 * <pre>{@code
 * try (VisionServer server = VisionServer.start()) {
 *   String endpoint = server.endpoint();   // "127.0.0.1:<port>"
 *   // ImageAnnotatorSettings with this endpoint, NoCredentialsProvider and a plaintext channel
 * }
 * }</pre>
 *
 * <p><b>What it answers.</b> It reads the image's format from its first bytes (PNG, JPEG, GIF, BMP,
 * WEBP, ICO), as the real service does, and answers each requested feature from it: a label naming
 * the format ({@code "PNG image"}, score 0.9); the text {@code "PNG 68 bytes"} (format and size)
 * for {@code TEXT_DETECTION} and {@code DOCUMENT_TEXT_DETECTION}; a safe-search verdict of {@code
 * VERY_UNLIKELY} throughout; one object, {@code "Picture"}, covering the whole image. An image
 * given by {@code gs://} or {@code https://} reference is answered as a JPEG of 0 bytes. An image
 * whose bytes are no known format gets the real service's per-image error ({@code code 3, "Bad
 * image data."}) while the other images of the request are answered. {@link #answerWith} replaces
 * this with a test's own answers. A request of more than 16 images fails with {@code
 * INVALID_ARGUMENT}, as the real one does.
 *
 * <p><b>Faults</b> ({@link #failNext}) are played one per call, in order, before the call is
 * answered; a {@code retryDelay} travels as {@code google.rpc.RetryInfo}. The most recent 1,000
 * requests received are kept ({@link #requests()}) and all are counted ({@link #requestCount()}),
 * so the heap a long run holds stays bounded. Thread-safe.
 */
public final class VisionServer
    extends GrpcLoopbackServer<BatchAnnotateImagesRequest, BatchAnnotateImagesResponse> {
  /** The most images the real service annotates in one {@code BatchAnnotateImages} call. */
  public static final int MAX_IMAGES = 16;

  private volatile @Nullable Function<AnnotateImageRequest, AnnotateImageResponse> answers;

  private VisionServer() {
    super(
        "google.cloud.vision.v1.ImageAnnotator",
        "BatchAnnotateImages",
        BatchAnnotateImagesRequest.getDefaultInstance(),
        BatchAnnotateImagesResponse.getDefaultInstance());
  }

  /** Starts a server on a free loopback port. */
  public static VisionServer start() {
    VisionServer server = new VisionServer();
    server.listen();
    return server;
  }

  /**
   * Answers each image with {@code answer} from now on, instead of the answers derived from the
   * image's format.
   */
  public void answerWith(Function<AnnotateImageRequest, AnnotateImageResponse> answer) {
    this.answers = Objects.requireNonNull(answer, "answer");
  }

  @Override
  BatchAnnotateImagesResponse answer(BatchAnnotateImagesRequest request) {
    if (request.getRequestsCount() == 0) {
      throw GrpcFaults.invalid("No image requests.");
    }
    if (request.getRequestsCount() > MAX_IMAGES) {
      throw GrpcFaults.invalid(
          "At most "
              + MAX_IMAGES
              + " images allowed per request, got "
              + request.getRequestsCount()
              + ".");
    }
    var answer = answers;
    BatchAnnotateImagesResponse.Builder response = BatchAnnotateImagesResponse.newBuilder();
    for (AnnotateImageRequest image : request.getRequestsList()) {
      response.addResponses(answer != null ? answer.apply(image) : derived(image));
    }
    return response.build();
  }

  private static AnnotateImageResponse derived(AnnotateImageRequest request) {
    String format;
    int size;
    if (request.getImage().hasSource()) {
      String uri =
          request.getImage().getSource().getGcsImageUri().isEmpty()
              ? request.getImage().getSource().getImageUri()
              : request.getImage().getSource().getGcsImageUri();
      if (!uri.startsWith("gs://") && !uri.startsWith("https://")) {
        return error("Invalid image URI: " + uri);
      }
      format = "JPEG";
      size = 0;
    } else {
      ByteString content = request.getImage().getContent();
      format = format(content);
      size = content.size();
      if (format == null) {
        return error("Bad image data.");
      }
    }
    AnnotateImageResponse.Builder response = AnnotateImageResponse.newBuilder();
    for (Feature feature : request.getFeaturesList()) {
      switch (feature.getType()) {
        case LABEL_DETECTION ->
            response.addLabelAnnotations(
                EntityAnnotation.newBuilder()
                    .setMid("/m/format")
                    .setDescription(format + " image")
                    .setScore(0.9f)
                    .setTopicality(0.9f));
        case TEXT_DETECTION ->
            response.addTextAnnotations(
                EntityAnnotation.newBuilder()
                    .setLocale("en")
                    .setDescription(format + " " + size + " bytes"));
        case DOCUMENT_TEXT_DETECTION ->
            response.setFullTextAnnotation(
                TextAnnotation.newBuilder().setText(format + " " + size + " bytes"));
        case SAFE_SEARCH_DETECTION ->
            response.setSafeSearchAnnotation(
                SafeSearchAnnotation.newBuilder()
                    .setAdult(Likelihood.VERY_UNLIKELY)
                    .setSpoof(Likelihood.VERY_UNLIKELY)
                    .setMedical(Likelihood.VERY_UNLIKELY)
                    .setViolence(Likelihood.VERY_UNLIKELY)
                    .setRacy(Likelihood.VERY_UNLIKELY));
        case OBJECT_LOCALIZATION ->
            response.addLocalizedObjectAnnotations(
                LocalizedObjectAnnotation.newBuilder()
                    .setMid("/m/picture")
                    .setName("Picture")
                    .setScore(0.8f)
                    .setBoundingPoly(
                        BoundingPoly.newBuilder()
                            .addNormalizedVertices(vertex(0, 0))
                            .addNormalizedVertices(vertex(1, 0))
                            .addNormalizedVertices(vertex(1, 1))
                            .addNormalizedVertices(vertex(0, 1))));
        default -> {}
      }
    }
    return response.build();
  }

  private static NormalizedVertex vertex(float x, float y) {
    return NormalizedVertex.newBuilder().setX(x).setY(y).build();
  }

  private static AnnotateImageResponse error(String message) {
    return AnnotateImageResponse.newBuilder()
        .setError(
            com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.INVALID_ARGUMENT.value())
                .setMessage(message))
        .build();
  }

  /** The image format its magic bytes name, or null. */
  static @Nullable String format(ByteString b) {
    if (starts(b, 0x89, 'P', 'N', 'G')) {
      return "PNG";
    }
    if (starts(b, 0xFF, 0xD8, 0xFF)) {
      return "JPEG";
    }
    if (starts(b, 'G', 'I', 'F', '8')) {
      return "GIF";
    }
    if (starts(b, 'B', 'M')) {
      return "BMP";
    }
    if (starts(b, 'R', 'I', 'F', 'F')
        && b.size() >= 12
        && b.substring(8, 12).toStringUtf8().equals("WEBP")) {
      return "WEBP";
    }
    if (starts(b, 0, 0, 1, 0)) {
      return "ICO";
    }
    return null;
  }

  private static boolean starts(ByteString b, int... prefix) {
    if (b.size() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b.byteAt(i) & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
