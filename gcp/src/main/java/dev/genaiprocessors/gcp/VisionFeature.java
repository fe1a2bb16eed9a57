package dev.genaiprocessors.gcp;

import com.google.cloud.vision.v1.Feature;

/**
 * What {@link CloudVision} asks Vision about an image, and the key its answer has in the results.
 */
public enum VisionFeature {
  /** Labels ({@code LABEL_DETECTION}): {@code labels}, a list of {description, score, mid}. */
  LABELS(Feature.Type.LABEL_DETECTION),
  /** Text in the image ({@code TEXT_DETECTION}, OCR): {@code text}, the whole text found. */
  TEXT(Feature.Type.TEXT_DETECTION),
  /**
   * Dense text such as a scanned page ({@code DOCUMENT_TEXT_DETECTION}): {@code document_text}, the
   * full document text.
   */
  DOCUMENT_TEXT(Feature.Type.DOCUMENT_TEXT_DETECTION),
  /**
   * Safe search ({@code SAFE_SEARCH_DETECTION}): {@code safe_search}, the likelihood of {@code
   * adult}, {@code spoof}, {@code medical}, {@code violence} and {@code racy} content.
   */
  SAFE_SEARCH(Feature.Type.SAFE_SEARCH_DETECTION),
  /**
   * Objects ({@code OBJECT_LOCALIZATION}): {@code objects}, a list of {name, score, mid, box}, the
   * box as normalised [x, y] vertices.
   */
  OBJECTS(Feature.Type.OBJECT_LOCALIZATION);

  private final Feature.Type type;

  VisionFeature(Feature.Type type) {
    this.type = type;
  }

  Feature.Type type() {
    return type;
  }
}
