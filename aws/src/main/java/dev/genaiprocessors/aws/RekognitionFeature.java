package dev.genaiprocessors.aws;

/**
 * One analysis {@link Rekognition} can run on each image, with the key its result has in the
 * results map.
 */
public enum RekognitionFeature {
  /** {@code DetectLabels}: key {@code "labels"}, a list of {@code {"name", "confidence"}}. */
  LABELS("labels"),
  /**
   * {@code DetectText}: key {@code "text"}, a list of {@code {"text", "type", "confidence"}} (type
   * {@code LINE} or {@code WORD}).
   */
  TEXT("text"),
  /**
   * {@code DetectModerationLabels}: key {@code "moderation_labels"}, a list of {@code {"name",
   * "parent", "confidence"}}.
   */
  MODERATION_LABELS("moderation_labels"),
  /**
   * {@code DetectFaces}: key {@code "faces"}, a list of {@code {"confidence", "bounding_box":
   * {"width", "height", "left", "top"}}}.
   */
  FACES("faces");

  private final String key;

  RekognitionFeature(String key) {
    this.key = key;
  }

  /** The key of this feature's result in the results map. */
  public String key() {
    return key;
  }
}
