package dev.genaiprocessors.gcp;

/** Where {@link CloudVision} puts an image's results. */
public enum VisionOutput {
  /** On the image part, as its metadata {@code vision} (a map of the features' keys). */
  METADATA,
  /** In an {@code application/json} part emitted right after the unchanged image part. */
  JSON_PART
}
