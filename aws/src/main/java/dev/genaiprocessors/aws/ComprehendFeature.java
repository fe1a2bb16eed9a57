package dev.genaiprocessors.aws;

/**
 * One analysis {@link Comprehend} can run on each text, with the key its result has in the results
 * map.
 */
public enum ComprehendFeature {
  /**
   * The dominant languages ({@code BatchDetectDominantLanguage}): key {@code "language"}, a list of
   * {@code {"code", "score"}} by falling score.
   */
  LANGUAGE("language"),
  /**
   * The sentiment with its scores ({@code BatchDetectSentiment}): key {@code "sentiment"}, {@code
   * {"sentiment": "POSITIVE", "scores": {"positive", "negative", "neutral", "mixed"}}}.
   */
  SENTIMENT("sentiment"),
  /**
   * Named entities ({@code BatchDetectEntities}): key {@code "entities"}, a list of {@code {"text",
   * "type", "score", "begin_offset", "end_offset"}}.
   */
  ENTITIES("entities"),
  /**
   * Key phrases ({@code BatchDetectKeyPhrases}): key {@code "key_phrases"}, a list of {@code
   * {"text", "score", "begin_offset", "end_offset"}}.
   */
  KEY_PHRASES("key_phrases"),
  /**
   * Personal data ({@code DetectPiiEntities}, which has no batch form: one call per text): key
   * {@code "pii_entities"}, a list of {@code {"type", "score", "begin_offset", "end_offset"}}.
   */
  PII_ENTITIES("pii_entities");

  private final String key;

  ComprehendFeature(String key) {
    this.key = key;
  }

  /** The key of this feature's result in the results map. */
  public String key() {
    return key;
  }
}
