package dev.genaiprocessors.aws;

/**
 * Where an analysing processor ({@link Comprehend}, {@link Rekognition}) puts its results.
 *
 * <p>Either way the results are the same JSON value: a map from the feature's name ({@code
 * "sentiment"}, {@code "labels"}, ...) to its result, held under the service's name ({@code
 * "comprehend"}, {@code "rekognition"}).
 */
public enum ResultOutput {
  /** The input part passes on with the results in its metadata, under the service's name. */
  METADATA,
  /**
   * The input part passes on unchanged, followed by an {@code application/json} part holding the
   * results, with the metadata {@code "source"} set to the service's name.
   */
  JSON_PART
}
