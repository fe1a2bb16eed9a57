package dev.genaiprocessors.aws;

import dev.genaiprocessors.PartData;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.ProcessorPart;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the aws processors share about the parts they analyse or store: how a part is named in an
 * error message, how a result reaches the output ({@link ResultOutput}), and how a failed part does
 * ({@link PartFailure}).
 */
final class PartResults {
  private PartResults() {}

  /** A part as error messages name it: {@code "image/png part (68 bytes)"}. */
  static String describe(ProcessorPart part) {
    return switch (part.data()) {
      case PartData.FileData f -> part.mimeType() + " part referring to " + f.uri();
      case PartData.Blob b -> part.mimeType() + " part (" + size(part) + ")";
      case PartData.Text t -> part.mimeType() + " part (" + size(part) + ")";
      default -> part.mimeType() + " part";
    };
  }

  /** A part of a stream by its place: {@code "text/plain part #3 (12 chars)"}. */
  static String describe(ProcessorPart part, long index) {
    return part.mimeType() + " part #" + (index + 1) + " (" + size(part) + ")";
  }

  private static String size(ProcessorPart part) {
    return switch (part.data()) {
      case PartData.Text t -> t.text().length() + " chars";
      case PartData.Blob b -> b.size() + " bytes";
      default -> part.data().getClass().getSimpleName();
    };
  }

  /**
   * Emits {@code part} with its {@code results}: in its metadata under {@code key}, or unchanged
   * and followed by a JSON part of the results whose {@code source} is {@code key}.
   */
  static void emit(
      ProcessorPart part,
      String key,
      Map<String, Object> results,
      ResultOutput output,
      PartSink out) {
    if (output == ResultOutput.METADATA) {
      out.emit(part.withMetadata(key, results));
    } else {
      out.emit(part);
      out.emit(ProcessorPart.json(results).withMetadata("source", key));
    }
  }

  /** A float score as the double a part's metadata holds, rounded as the float prints. */
  static double num(@Nullable Float value) {
    return value == null ? 0.0 : Double.parseDouble(Float.toString(value));
  }
}
