package dev.genaiprocessors.aws;

import dev.genaiprocessors.JsonObjects;
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
      ProcessorPart part, String key, Map<String, ?> results, ResultOutput output, PartSink out) {
    if (output == ResultOutput.METADATA) {
      out.emit(part.withMetadata(key, results));
    } else {
      out.emit(part);
      out.emit(ProcessorPart.json(results).withMetadata("source", key));
    }
  }

  /**
   * A two-entry result, frozen as a part's metadata keeps it, in the order given ({@code Map.of}
   * has no order, and a part's JSON shows its metadata's).
   */
  static Map<String, @Nullable Object> pair(
      String key1, Object value1, String key2, Object value2) {
    return JsonObjects.builder(2).put(key1, value1).put(key2, value2).build();
  }

  /**
   * A float score as the double a part's metadata holds, rounded as the float prints: {@code 0.97f}
   * becomes {@code 0.97}, not {@code 0.9700000286102295}. That is {@code
   * Double.parseDouble(Float.toString(value))}, found without text for the scores the services
   * answer (0 and 10^-6 to 1): the fewest decimals that round back to the same float, searched by
   * halves (a float that n decimals keep, n + 1 keep too). Checked against the text route for every
   * float in that range.
   */
  static double num(@Nullable Float value) {
    if (value == null) {
      return 0.0;
    }
    float f = value;
    if (f == 0.0f) {
      return f;
    }
    if (f < 1e-6f || f > 1.0f) {
      return Double.parseDouble(Float.toString(f));
    }
    double exact = f;
    int fewest = 1;
    int most = MOST_DECIMALS; // enough for every float of the range
    while (fewest < most) {
      int middle = (fewest + most) >>> 1;
      if ((float) rounded(exact, middle) == f) {
        most = middle;
      } else {
        fewest = middle + 1;
      }
    }
    return rounded(exact, fewest);
  }

  private static final int MOST_DECIMALS = 15;

  /** Powers of ten up to 10^15, each an exact double. */
  private static final double[] POWERS_OF_TEN = new double[MOST_DECIMALS + 1];

  static {
    double power = 1;
    for (int i = 0; i <= MOST_DECIMALS; i++) {
      POWERS_OF_TEN[i] = power;
      power *= 10;
    }
  }

  /** The double nearest {@code exact} rounded to {@code decimals} places. */
  private static double rounded(double exact, int decimals) {
    double scale = POWERS_OF_TEN[decimals];
    // n / scale is the double nearest n * 10^-decimals: both are exact integers below 2^53.
    return Math.rint(exact * scale) / scale;
  }
}
