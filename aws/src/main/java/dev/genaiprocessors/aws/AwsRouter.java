package dev.genaiprocessors.aws;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Switch;
import java.util.Objects;

/**
 * The Python seed's {@code AWSProcessor} in one line: text to Comprehend, images to Rekognition,
 * everything else to S3; built from the core's {@link Switch}, not a mechanism of its own.
 *
 * <pre>{@code
 * Processor aws = AwsRouter.of(comprehend, rekognition, store.store());
 * for (ProcessorPart part : aws.apply(List.of(text, png, pdf))) { ... }
 * }</pre>
 *
 * <p>A part goes to the first case it matches: {@link Comprehend#analyses} (text), then {@link
 * Rekognition#analyses} (image bytes and {@code s3://} image references), then the third processor,
 * which gets every other part. The {@link Switch}'s rules hold: each case runs as its own stage,
 * the output keeps the order of the parts within a case but not between cases, and a failure of any
 * case fails the run (unless the case was decorated with the core's error strategies, such as
 * {@code rekognition.onErrorEmitPart()}).
 */
public final class AwsRouter {
  private AwsRouter() {}

  /**
   * The router: text parts to {@code text}, images to {@code images}, every other part to {@code
   * others} (typically {@code store.store()}, or {@code PartProcessor.identity()} to pass them on).
   */
  public static Processor of(
      Processor text,
      dev.genaiprocessors.PartProcessor images,
      dev.genaiprocessors.PartProcessor others) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(others, "others");
    return Switch.on(AwsRouter::kind)
        .whenEquals(Kind.TEXT, text)
        .whenEquals(Kind.IMAGE, images)
        .otherwise(others);
  }

  private enum Kind {
    TEXT,
    IMAGE,
    OTHER
  }

  private static Kind kind(ProcessorPart part) {
    if (Comprehend.analyses(part)) {
      return Kind.TEXT;
    }
    return Rekognition.analyses(part) ? Kind.IMAGE : Kind.OTHER;
  }
}
