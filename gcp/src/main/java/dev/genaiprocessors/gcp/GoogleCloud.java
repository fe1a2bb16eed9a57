package dev.genaiprocessors.gcp;

import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.PartData;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Switch;
import java.util.Locale;
import java.util.Objects;

/**
 * The router of the Python library's {@code GoogleCloudProcessor}, made of the core's {@link
 * Switch}: images to Vision, text to Translation, everything else to Storage.
 *
 * <pre>{@code
 * Processor cloud = GoogleCloud.router(vision, translation, storage.upload());
 * }</pre>
 */
public final class GoogleCloud {
  private GoogleCloud() {}

  /** Where {@link #router} sends a part. */
  enum Route {
    IMAGE,
    TEXT,
    OTHER
  }

  /**
   * A switch sending image parts (inline {@code image/*} or an image reference) to {@code vision},
   * {@code text/plain} and {@code text/html} parts to {@code translation}, and every other part to
   * {@code storage}. As with any {@link Switch}, the order of parts is kept within each route, not
   * across routes; each route's processor runs once per run over the parts routed to it, so the
   * batching of {@link CloudVision} and {@link CloudTranslation} works across the stream. The
   * positions their errors name ({@code #3}, {@code gcp_part}) count the parts routed to them.
   */
  public static Processor router(Processor vision, Processor translation, PartProcessor storage) {
    Objects.requireNonNull(vision, "vision");
    Objects.requireNonNull(translation, "translation");
    Objects.requireNonNull(storage, "storage");
    return Switch.on(GoogleCloud::route)
        .whenEquals(Route.IMAGE, vision)
        .whenEquals(Route.TEXT, translation)
        .otherwise(storage);
  }

  static Route route(ProcessorPart part) {
    String type = part.mimeType().toLowerCase(Locale.ROOT);
    if (type.startsWith("image/")
        && (part.data() instanceof PartData.Blob || part.data() instanceof PartData.FileData)) {
      return Route.IMAGE;
    }
    if ((type.startsWith(MimeTypes.TEXT_PLAIN) || type.startsWith(MimeTypes.TEXT_HTML))
        && !part.isException()) {
      return Route.TEXT;
    }
    return Route.OTHER;
  }
}
