package dev.genaiprocessors.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.vision.v1.AnnotateImageRequest;
import com.google.cloud.vision.v1.AnnotateImageResponse;
import com.google.cloud.vision.v1.BatchAnnotateImagesRequest;
import com.google.cloud.vision.v1.BatchAnnotateImagesResponse;
import com.google.cloud.vision.v1.EntityAnnotation;
import com.google.cloud.vision.v1.Feature;
import com.google.cloud.vision.v1.Image;
import com.google.cloud.vision.v1.ImageAnnotatorClient;
import com.google.cloud.vision.v1.ImageSource;
import com.google.cloud.vision.v1.LocalizedObjectAnnotation;
import com.google.cloud.vision.v1.NormalizedVertex;
import com.google.cloud.vision.v1.SafeSearchAnnotation;
import com.google.protobuf.UnsafeByteOperations;
import dev.genaiprocessors.PartData;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Annotates image parts with Cloud Vision v1 ({@code BatchAnnotateImages}), up to 16 images a call.
 *
 * <pre>{@code
 * Processor vision =
 *     CloudVision.builder(clients.vision())
 *         .features(VisionFeature.LABELS, VisionFeature.TEXT)
 *         .build();
 * for (ProcessorPart part : vision.apply(photo)) {
 *   Object labels = ((Map<?, ?>) part.metadata("vision")).get("labels");
 * }
 * }</pre>
 *
 * <p><b>What it annotates.</b> Image parts held inline ({@code image/png}, {@code image/jpeg},
 * {@code image/gif}, {@code image/bmp}, {@code image/webp}, {@code image/x-icon}, {@code
 * image/vnd.microsoft.icon}) and image references by {@code gs://} or {@code https://} URI ({@link
 * ProcessorPart#fromUri}, as {@link CloudStorage} emits them). Every other part passes through in
 * its place. The results are a map of the {@link VisionFeature}s' keys ({@code labels}, {@code
 * text}, {@code document_text}, {@code safe_search}, {@code objects}): with {@link
 * VisionOutput#METADATA} (the default) the image part comes out with it as metadata {@code vision};
 * with {@link VisionOutput#JSON_PART} the image part comes out unchanged, followed by an {@code
 * application/json} part holding it (same role and substream).
 *
 * <p><b>Batches.</b> Consecutive images share one call, up to {@link Builder#maxBatchImages} images
 * (default and service limit 16) and {@link Builder#maxBatchBytes} bytes of inline images (default
 * 10 MB); a batch is sent when full, at an end-of-turn part and at the end of the input. One batch
 * is in flight at a time; the output keeps the input's order exactly.
 *
 * <p><b>Errors.</b> An image of a type Vision does not take (such as {@code image/svg+xml} or
 * {@code image/tiff}), or a reference that is neither {@code gs://} nor {@code https://}, is an
 * {@link IllegalArgumentException} naming the part's position and type; an image the service
 * refuses (its per-image error, such as {@code "Bad image data."}) is a {@link GcpException} for
 * that image alone; a failed call is a {@link GcpException} for the images of that batch alone. All
 * go through the {@link GcpErrorStrategy} (default {@link GcpErrorStrategy#FAIL}).
 *
 * <p>The processor does not own the client.
 */
public final class CloudVision implements Processor {
  /** The inline image types Vision's images:annotate takes. */
  static final Set<String> IMAGE_TYPES =
      Set.of(
          "image/png",
          "image/jpeg",
          "image/jpg",
          "image/gif",
          "image/bmp",
          "image/webp",
          "image/x-icon",
          "image/vnd.microsoft.icon");

  private final ImageAnnotatorClient client;
  private final Set<VisionFeature> features;
  // What every image asks for, built once: the same immutable messages go into every request.
  private final List<Feature> featureRequests;
  private final VisionOutput output;
  private final Batcher batcher;

  private CloudVision(Builder b) {
    this.client = b.client;
    this.features = Set.copyOf(b.features);
    List<Feature> requests = new ArrayList<>();
    for (VisionFeature feature : EnumSet.copyOf(b.features)) {
      requests.add(
          Feature.newBuilder().setType(feature.type()).setMaxResults(b.maxResults).build());
    }
    this.featureRequests = List.copyOf(requests);
    this.output = b.output;
    this.batcher = new Batcher(new Service(), b.maxBatchImages, b.maxBatchBytes, b.strategy);
  }

  /** A builder for a processor calling {@code client}. */
  public static Builder builder(ImageAnnotatorClient client) {
    return new Builder(client);
  }

  @Override
  public void call(PartStream input, PartSink out) throws Exception {
    batcher.run(input, out);
  }

  /** {@code cloud_vision}. */
  @Override
  public String name() {
    return "cloud_vision";
  }

  private static String baseType(String mimeType) {
    String base = mimeType.toLowerCase(Locale.ROOT);
    int semicolon = base.indexOf(';');
    return (semicolon < 0 ? base : base.substring(0, semicolon)).strip();
  }

  private final class Service implements Batcher.Service {
    @Override
    public boolean takes(ProcessorPart part) {
      return baseType(part.mimeType()).startsWith("image/");
    }

    @Override
    public @Nullable RuntimeException reject(Batcher.Item item) {
      ProcessorPart part = item.part();
      if (part.data() instanceof PartData.FileData file) {
        String uri = file.uri();
        if (uri.startsWith("gs://") || uri.startsWith("https://")) {
          return null;
        }
        return new IllegalArgumentException(
            "image part #"
                + item.index()
                + " refers to '"
                + uri
                + "': Vision reads images by gs:// or https:// URI only");
      }
      if (!(part.data() instanceof PartData.Blob)) {
        return new IllegalArgumentException(
            "image part #" + item.index() + " holds no image bytes (" + part.data() + ")");
      }
      if (!IMAGE_TYPES.contains(baseType(part.mimeType()))) {
        return new IllegalArgumentException(
            "image part #"
                + item.index()
                + " is of type "
                + part.mimeType()
                + ", which Vision does not take; it takes "
                + IMAGE_TYPES.stream().sorted().toList());
      }
      return null;
    }

    @Override
    public long weight(ProcessorPart part) {
      return part.data() instanceof PartData.Blob blob ? blob.size() : 0;
    }

    @Override
    public List<Batcher.Outcome> call(List<Batcher.Item> batch) {
      BatchAnnotateImagesRequest.Builder request = BatchAnnotateImagesRequest.newBuilder();
      for (Batcher.Item item : batch) {
        request.addRequests(
            AnnotateImageRequest.newBuilder()
                .setImage(image(item.part()))
                .addAllFeatures(featureRequests));
      }
      BatchAnnotateImagesResponse response = client.batchAnnotateImages(request.build());
      if (response.getResponsesCount() != batch.size()) {
        throw new IllegalStateException(
            "Vision answered "
                + response.getResponsesCount()
                + " results for "
                + batch.size()
                + " images");
      }
      List<Batcher.Outcome> outcomes = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        Batcher.Item item = batch.get(i);
        AnnotateImageResponse answer = response.getResponses(i);
        if (answer.hasError() && answer.getError().getCode() != 0) {
          outcomes.add(
              new Batcher.Outcome.Failed(
                  GcpException.fromStatus(
                      "Vision",
                      "Vision of image part #" + item.index() + " (" + item.part().mimeType() + ")",
                      answer.getError())));
          continue;
        }
        Map<String, Object> results = results(answer);
        ProcessorPart part = item.part();
        outcomes.add(
            new Batcher.Outcome.Parts(
                switch (output) {
                  case METADATA -> List.of(part.withMetadata("vision", results));
                  case JSON_PART ->
                      List.of(
                          part,
                          ProcessorPart.json(results)
                              .withRole(part.role())
                              .withSubstreamName(part.substreamName()));
                }));
      }
      return outcomes;
    }

    @Override
    public RuntimeException failure(List<Batcher.Item> batch, Exception error) {
      String what = "Vision of image parts " + Batcher.positions(batch);
      if (error instanceof ApiException api) {
        return GcpException.fromGrpc("Vision", what, api);
      }
      return error instanceof RuntimeException r
          ? r
          : new IllegalStateException(what + " failed: " + error, error);
    }
  }

  private static Image image(ProcessorPart part) {
    if (part.data() instanceof PartData.FileData file) {
      ImageSource.Builder source = ImageSource.newBuilder();
      if (file.uri().startsWith("gs://")) {
        source.setGcsImageUri(file.uri());
      } else {
        source.setImageUri(file.uri());
      }
      return Image.newBuilder().setSource(source).build();
    }
    PartData.Blob blob = (PartData.Blob) part.data();
    // The part's bytes never change (a Blob is immutable), so the request may share them rather
    // than copy every image once more before gRPC serialises it.
    return Image.newBuilder()
        .setContent(UnsafeByteOperations.unsafeWrap(blob.asByteBuffer()))
        .build();
  }

  private Map<String, Object> results(AnnotateImageResponse answer) {
    Map<String, Object> results = new LinkedHashMap<>();
    if (features.contains(VisionFeature.LABELS)) {
      List<Map<String, Object>> labels = new ArrayList<>();
      for (EntityAnnotation label : answer.getLabelAnnotationsList()) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("description", label.getDescription());
        l.put("score", rounded(label.getScore()));
        l.put("mid", label.getMid());
        labels.add(l);
      }
      results.put("labels", labels);
    }
    if (features.contains(VisionFeature.TEXT)) {
      results.put(
          "text",
          answer.getTextAnnotationsCount() == 0
              ? ""
              : answer.getTextAnnotations(0).getDescription());
    }
    if (features.contains(VisionFeature.DOCUMENT_TEXT)) {
      results.put("document_text", answer.getFullTextAnnotation().getText());
    }
    if (features.contains(VisionFeature.SAFE_SEARCH)) {
      SafeSearchAnnotation s = answer.getSafeSearchAnnotation();
      Map<String, Object> safe = new LinkedHashMap<>();
      safe.put("adult", s.getAdult().name());
      safe.put("spoof", s.getSpoof().name());
      safe.put("medical", s.getMedical().name());
      safe.put("violence", s.getViolence().name());
      safe.put("racy", s.getRacy().name());
      results.put("safe_search", safe);
    }
    if (features.contains(VisionFeature.OBJECTS)) {
      List<Map<String, Object>> objects = new ArrayList<>();
      for (LocalizedObjectAnnotation o : answer.getLocalizedObjectAnnotationsList()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", o.getName());
        m.put("score", rounded(o.getScore()));
        m.put("mid", o.getMid());
        List<List<Double>> box = new ArrayList<>();
        for (NormalizedVertex v : o.getBoundingPoly().getNormalizedVerticesList()) {
          box.add(List.of(rounded(v.getX()), rounded(v.getY())));
        }
        m.put("box", box);
        objects.add(m);
      }
      results.put("objects", objects);
    }
    return results;
  }

  /** A float score as the double it was meant to be (0.9f is 0.9, not 0.8999999761581421). */
  private static double rounded(float value) {
    return Double.parseDouble(Float.toString(value));
  }

  /** Settings of a {@link CloudVision}; {@link #build()} checks them, naming a bad one. */
  public static final class Builder {
    private final ImageAnnotatorClient client;
    private Set<VisionFeature> features = EnumSet.of(VisionFeature.LABELS);
    private int maxResults = 10;
    private VisionOutput output = VisionOutput.METADATA;
    private int maxBatchImages = 16;
    private long maxBatchBytes = 10L * 1024 * 1024;
    private GcpErrorStrategy strategy = GcpErrorStrategy.FAIL;

    private Builder(ImageAnnotatorClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** What to ask about each image (default: labels); at least one. */
    public Builder features(VisionFeature... features) {
      Objects.requireNonNull(features, "features");
      this.features =
          features.length == 0
              ? EnumSet.noneOf(VisionFeature.class)
              : EnumSet.copyOf(List.of(features));
      return this;
    }

    /** The most labels or objects per image, in [1, 1000] (default 10). */
    public Builder maxResults(int maxResults) {
      this.maxResults = maxResults;
      return this;
    }

    /** Where the results go (default {@link VisionOutput#METADATA}). */
    public Builder output(VisionOutput output) {
      this.output = Objects.requireNonNull(output, "output");
      return this;
    }

    /** The most images one call carries, in [1, 16] (default 16, the service's limit). */
    public Builder maxBatchImages(int maxBatchImages) {
      this.maxBatchImages = maxBatchImages;
      return this;
    }

    /** The most bytes of inline images one call carries, at least 1 (default 10 MB). */
    public Builder maxBatchBytes(long maxBatchBytes) {
      this.maxBatchBytes = maxBatchBytes;
      return this;
    }

    /** What happens to an image that fails (default {@link GcpErrorStrategy#FAIL}). */
    public Builder errorStrategy(GcpErrorStrategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /**
     * The processor.
     *
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public CloudVision build() {
      if (features.isEmpty()) {
        throw new IllegalArgumentException("features must name at least one VisionFeature");
      }
      if (maxResults < 1 || maxResults > 1000) {
        throw new IllegalArgumentException("maxResults must be in [1, 1000] but was " + maxResults);
      }
      if (maxBatchImages < 1 || maxBatchImages > 16) {
        throw new IllegalArgumentException(
            "maxBatchImages must be in [1, 16] but was " + maxBatchImages);
      }
      if (maxBatchBytes < 1) {
        throw new IllegalArgumentException(
            "maxBatchBytes must be at least 1 but was " + maxBatchBytes);
      }
      return new CloudVision(this);
    }
  }
}
