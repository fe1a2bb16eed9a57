package dev.genaiprocessors.aws;

import dev.genaiprocessors.PartData;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.ProcessorPart;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.BoundingBox;
import software.amazon.awssdk.services.rekognition.model.Image;

/**
 * Analyses image parts with Amazon Rekognition: labels, text in the image, moderation labels and
 * faces, as chosen, one call per image and feature.
 *
 * <pre>{@code
 * try (Rekognition rekognition = Rekognition.builder()
 *     .settings(AwsSettings.defaults().withRegion("eu-west-1"))
 *     .features(RekognitionFeature.LABELS, RekognitionFeature.TEXT)
 *     .build()) {
 *   ProcessorPart out = rekognition.apply(ProcessorPart.bytes(png, "image/png")).gather().get(0);
 *   Map<?, ?> results = (Map<?, ?>) out.metadata("rekognition");
 *   // {labels=[{name=Cat, confidence=98.5}, ...], text=[...]}
 * }
 * }</pre>
 *
 * <p><b>What it analyses.</b> Parts with an {@code image/*} MIME type holding bytes, and references
 * to an object in S3 ({@code ProcessorPart.fromUri("s3://bucket/key", "image/jpeg")}, as {@link
 * S3Store} emits them), which Rekognition reads from S3 itself. Other parts pass through unchanged.
 * Results go to the part's metadata under {@code "rekognition"} or to a JSON part after it ({@link
 * ResultOutput}); {@link RekognitionFeature} names each result's key and shape.
 *
 * <p><b>Errors.</b> Rekognition takes JPEG and PNG only, at most {@value #MAX_IMAGE_BYTES} bytes
 * inline: another image type or a larger image fails before any call with an {@link
 * IllegalArgumentException} naming the part, its type or size and the limit; a service failure
 * ({@code InvalidImageFormatException}, {@code AccessDeniedException}, throttling) is an {@link
 * AwsException} naming the part and the service's error code, retryable for throttling and 5xx. A
 * failure fails the run like any part processor's; to keep the stream going, decorate it with the
 * core's strategies: {@code rekognition.onErrorEmitPart()} or {@code onErrorPassThrough()}.
 *
 * <p><b>Threads.</b> As a part processor it analyses many images at once (the run's concurrency)
 * and emits in input order; the client is thread-safe. Closing closes the client only when this
 * processor built it.
 */
public final class Rekognition implements PartProcessor, AutoCloseable {
  /** The metadata key (and {@code source} of JSON parts) for the results. */
  public static final String RESULTS_KEY = "rekognition";

  /** The largest image Rekognition takes inline, in bytes (5 MiB). */
  public static final int MAX_IMAGE_BYTES = 5 * 1024 * 1024;

  private static final Set<String> FORMATS = Set.of("image/jpeg", "image/jpg", "image/png");

  private final RekognitionClient client;
  private final boolean ownsClient;
  private final Set<RekognitionFeature> features;
  private final ResultOutput output;
  private final int maxLabels;
  private final float minConfidence;

  private Rekognition(Builder b, RekognitionClient client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.features = new TreeSet<>(b.features);
    this.output = b.output;
    this.maxLabels = b.maxLabels;
    this.minConfidence = b.minConfidence;
  }

  /** A builder with the defaults: labels (at most 10, confidence 55 or more), as metadata. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether this processor analyses {@code part}: image bytes or an {@code s3://} reference. */
  public static boolean analyses(ProcessorPart part) {
    return switch (part.data()) {
      case PartData.Blob b -> isImage(part);
      case PartData.FileData f -> f.uri().startsWith("s3://") && isImage(part);
      default -> false;
    };
  }

  private static boolean isImage(ProcessorPart part) {
    return part.mimeType().toLowerCase(Locale.ROOT).startsWith("image/");
  }

  @Override
  public boolean match(ProcessorPart part) {
    return analyses(part);
  }

  @Override
  public String name() {
    return "rekognition";
  }

  @Override
  public void call(ProcessorPart part, PartSink out) {
    String what = PartResults.describe(part);
    Image image = image(part, what);
    Map<String, Object> results = new LinkedHashMap<>();
    for (RekognitionFeature feature : features) {
      results.put(feature.key(), analyse(feature, image, what));
    }
    PartResults.emit(part, RESULTS_KEY, results, output, out);
  }

  private static Image image(ProcessorPart part, String what) {
    if (part.data() instanceof PartData.FileData f) {
      S3Location location = S3Location.parse(f.uri());
      return Image.builder()
          .s3Object(o -> o.bucket(location.bucket()).name(location.key()))
          .build();
    }
    String type = baseType(part.mimeType());
    if (!FORMATS.contains(type)) {
      throw new IllegalArgumentException(
          "rekognition: "
              + what
              + " is in a format Rekognition does not take: it takes image/jpeg and image/png");
    }
    byte[] bytes = part.bytes();
    if (bytes.length > MAX_IMAGE_BYTES) {
      throw new IllegalArgumentException(
          "rekognition: "
              + what
              + " is over Rekognition's limit of "
              + MAX_IMAGE_BYTES
              + " bytes for inline images; store it in S3 (S3Store) and pass the reference");
    }
    return Image.builder().bytes(SdkBytes.fromByteArrayUnsafe(bytes)).build();
  }

  private static String baseType(String mimeType) {
    int semi = mimeType.indexOf(';');
    return (semi < 0 ? mimeType : mimeType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }

  private List<Map<String, Object>> analyse(RekognitionFeature feature, Image image, String what) {
    String operation =
        switch (feature) {
          case LABELS -> "DetectLabels";
          case TEXT -> "DetectText";
          case MODERATION_LABELS -> "DetectModerationLabels";
          case FACES -> "DetectFaces";
        };
    try {
      return switch (feature) {
        case LABELS ->
            client
                .detectLabels(r -> r.image(image).maxLabels(maxLabels).minConfidence(minConfidence))
                .labels()
                .stream()
                .map(l -> entry("name", l.name(), "confidence", PartResults.num(l.confidence())))
                .toList();
        case TEXT ->
            client.detectText(r -> r.image(image)).textDetections().stream()
                .map(
                    t ->
                        entry(
                            "text",
                            t.detectedText(),
                            "type",
                            t.typeAsString(),
                            "confidence",
                            PartResults.num(t.confidence())))
                .toList();
        case MODERATION_LABELS ->
            client
                .detectModerationLabels(r -> r.image(image).minConfidence(minConfidence))
                .moderationLabels()
                .stream()
                .map(
                    m ->
                        entry(
                            "name",
                            m.name(),
                            "parent",
                            m.parentName() == null ? "" : m.parentName(),
                            "confidence",
                            PartResults.num(m.confidence())))
                .toList();
        case FACES ->
            client.detectFaces(r -> r.image(image)).faceDetails().stream()
                .map(
                    f ->
                        entry(
                            "confidence",
                            PartResults.num(f.confidence()),
                            "bounding_box",
                            box(f.boundingBox())))
                .toList();
      };
    } catch (SdkException e) {
      throw AwsException.of("rekognition", operation, what, e);
    }
  }

  private static Map<String, Object> box(@Nullable BoundingBox box) {
    if (box == null) {
      return Map.of();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("width", PartResults.num(box.width()));
    m.put("height", PartResults.num(box.height()));
    m.put("left", PartResults.num(box.left()));
    m.put("top", PartResults.num(box.top()));
    return m;
  }

  private static Map<String, Object> entry(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      Object value = keysAndValues[i + 1];
      if (value != null) {
        m.put((String) keysAndValues[i], value);
      }
    }
    return m;
  }

  /** Closes the client if this processor built it from settings. */
  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "Rekognition[features=" + features + ", output=" + output + "]";
  }

  /** Builds a {@link Rekognition}; every setting is checked at {@link #build()}. */
  public static final class Builder {
    private @Nullable RekognitionClient client;
    private @Nullable AwsSettings settings;
    private Set<RekognitionFeature> features = EnumSet.of(RekognitionFeature.LABELS);
    private ResultOutput output = ResultOutput.METADATA;
    private int maxLabels = 10;
    private float minConfidence = 55f;

    private Builder() {}

    /** The client to call; the caller keeps it and closes it. Excludes {@link #settings}. */
    public Builder client(RekognitionClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Settings to build a client from, closed with the processor (default: the SDK's). */
    public Builder settings(AwsSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The analyses to run (default: labels). */
    public Builder features(RekognitionFeature... features) {
      Objects.requireNonNull(features, "features");
      this.features =
          features.length == 0
              ? EnumSet.noneOf(RekognitionFeature.class)
              : EnumSet.copyOf(List.of(features));
      return this;
    }

    /** Where results go (default {@link ResultOutput#METADATA}). */
    public Builder output(ResultOutput output) {
      this.output = Objects.requireNonNull(output, "output");
      return this;
    }

    /** The most labels {@code DetectLabels} returns (1 to 1000, default 10). */
    public Builder maxLabels(int maxLabels) {
      this.maxLabels = maxLabels;
      return this;
    }

    /** The lowest confidence of a label or moderation label returned (0 to 100, default 55). */
    public Builder minConfidence(double minConfidence) {
      this.minConfidence = (float) minConfidence;
      return this;
    }

    /**
     * The processor.
     *
     * @throws IllegalArgumentException naming the setting and its value when one is out of range,
     *     no feature is chosen, or both a client and settings were given
     */
    public Rekognition build() {
      if (features.isEmpty()) {
        throw new IllegalArgumentException(
            "features must name at least one analysis but was empty");
      }
      if (maxLabels < 1 || maxLabels > 1000) {
        throw new IllegalArgumentException("maxLabels must be in [1, 1000] but was " + maxLabels);
      }
      if (!(minConfidence >= 0 && minConfidence <= 100)) {
        throw new IllegalArgumentException(
            "minConfidence must be in [0, 100] but was " + minConfidence);
      }
      if (client != null && settings != null) {
        throw new IllegalArgumentException(
            "give either client or settings, not both (settings were " + settings + ")");
      }
      if (client != null) {
        return new Rekognition(this, client, false);
      }
      AwsSettings s = settings != null ? settings : AwsSettings.defaults();
      return new Rekognition(this, s.rekognitionClient(), true);
    }
  }
}
