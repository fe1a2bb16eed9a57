package dev.genaiprocessors.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The built-in answers of {@link AwsJsonServer}: deterministic stand-ins for Comprehend's and
 * Rekognition's analyses, with the services' limits and error codes.
 */
final class AwsJsonAnswers {
  private static final Pattern WORD = Pattern.compile("\\p{L}+");
  private static final Pattern CAPITALISED =
      Pattern.compile("\\p{Lu}\\p{L}*(?:\\s+\\p{Lu}\\p{L}*)*");
  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
  private static final Set<String> POSITIVE =
      Set.of("good", "great", "love", "excellent", "happy", "wonderful", "nice", "best");
  private static final Set<String> NEGATIVE =
      Set.of("bad", "terrible", "hate", "awful", "sad", "worst", "poor", "broken");
  private static final Set<String> FRENCH = Set.of("le", "la", "est", "bonjour", "merci", "très");
  private static final Set<String> SPANISH = Set.of("el", "es", "hola", "gracias", "muy", "que");
  private static final Set<String> LOCATIONS =
      Set.of("Paris", "London", "Seattle", "Berlin", "Tokyo", "Madrid");

  private AwsJsonAnswers() {}

  static @Nullable AwsJsonReply comprehend(String operation, JsonNode body) {
    Function<String, Map<String, Object>> single =
        switch (operation.replaceFirst("^Batch", "")) {
          case "DetectDominantLanguage" -> AwsJsonAnswers::language;
          case "DetectSentiment" -> AwsJsonAnswers::sentiment;
          case "DetectEntities" -> AwsJsonAnswers::entities;
          case "DetectKeyPhrases" -> AwsJsonAnswers::keyPhrases;
          case "DetectPiiEntities" -> operation.startsWith("Batch") ? null : AwsJsonAnswers::pii;
          default -> null;
        };
    if (single == null) {
      return null;
    }
    if (operation.startsWith("Batch")) {
      return batch(body, single);
    }
    String text = body.path("Text").asText("");
    AwsJsonReply invalid = checkText(text);
    return invalid != null ? invalid : AwsJsonReply.of(single.apply(text));
  }

  private static @Nullable AwsJsonReply checkText(String text) {
    if (text.isEmpty()) {
      return AwsJsonReply.error(
          400,
          "ValidationException",
          "1 validation error detected: Value at 'text' failed to satisfy constraint: Member must"
              + " have length greater than or equal to 1");
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > AwsJsonServer.COMPREHEND_MAX_TEXT_BYTES) {
      return AwsJsonReply.error(
          400,
          "TextSizeLimitExceededException",
          "Input text size exceeds limit. Max length of request text allowed is "
              + AwsJsonServer.COMPREHEND_MAX_TEXT_BYTES
              + " bytes while in this request the text size is "
              + bytes
              + " bytes");
    }
    return null;
  }

  private static AwsJsonReply batch(JsonNode body, Function<String, Map<String, Object>> single) {
    JsonNode texts = body.path("TextList");
    if (texts.size() > AwsJsonServer.COMPREHEND_MAX_BATCH) {
      return AwsJsonReply.error(
          400,
          "BatchSizeLimitExceededException",
          "The number of documents in the request exceeds the limit of "
              + AwsJsonServer.COMPREHEND_MAX_BATCH
              + ".");
    }
    List<Map<String, Object>> results = new ArrayList<>();
    List<Map<String, Object>> errors = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i).asText("");
      AwsJsonReply invalid = checkText(text);
      if (invalid != null) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("Index", i);
        JsonNode parsed = invalidBody(invalid);
        error.put("ErrorCode", parsed.path("__type").asText());
        error.put("ErrorMessage", parsed.path("Message").asText());
        errors.add(error);
        continue;
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("Index", i);
      result.putAll(single.apply(text));
      results.add(result);
    }
    return AwsJsonReply.of(Map.of("ResultList", results, "ErrorList", errors));
  }

  private static JsonNode invalidBody(AwsJsonReply reply) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.body);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("an error body is always JSON", e);
    }
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      words.add(m.group());
    }
    return words;
  }

  private static Map<String, Object> language(String text) {
    List<String> words = words(text);
    long fr = words.stream().filter(FRENCH::contains).count();
    long es = words.stream().filter(SPANISH::contains).count();
    String code = fr > es && fr > 0 ? "fr" : es > 0 && es >= fr ? "es" : "en";
    return Map.of("Languages", List.of(Map.of("LanguageCode", code, "Score", 0.99)));
  }

  private static Map<String, Object> sentiment(String text) {
    List<String> words = words(text);
    long pos = words.stream().filter(POSITIVE::contains).count();
    long neg = words.stream().filter(NEGATIVE::contains).count();
    String sentiment =
        pos > 0 && neg > 0 ? "MIXED" : pos > 0 ? "POSITIVE" : neg > 0 ? "NEGATIVE" : "NEUTRAL";
    Map<String, Object> scores = new LinkedHashMap<>();
    scores.put("Positive", sentiment.equals("POSITIVE") ? 0.97 : 0.01);
    scores.put("Negative", sentiment.equals("NEGATIVE") ? 0.97 : 0.01);
    scores.put("Neutral", sentiment.equals("NEUTRAL") ? 0.97 : 0.01);
    scores.put("Mixed", sentiment.equals("MIXED") ? 0.97 : 0.01);
    return Map.of("Sentiment", sentiment, "SentimentScore", scores);
  }

  private static Map<String, Object> entities(String text) {
    List<Map<String, Object>> entities = new ArrayList<>();
    Matcher m = CAPITALISED.matcher(text);
    while (m.find()) {
      Map<String, Object> entity = new LinkedHashMap<>();
      entity.put("Score", 0.95);
      entity.put("Type", LOCATIONS.contains(m.group()) ? "LOCATION" : "PERSON");
      entity.put("Text", m.group());
      entity.put("BeginOffset", m.start());
      entity.put("EndOffset", m.end());
      entities.add(entity);
    }
    return Map.of("Entities", entities);
  }

  private static Map<String, Object> keyPhrases(String text) {
    List<Map<String, Object>> phrases = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      if (m.group().length() >= 6) {
        Map<String, Object> phrase = new LinkedHashMap<>();
        phrase.put("Score", 0.9);
        phrase.put("Text", m.group());
        phrase.put("BeginOffset", m.start());
        phrase.put("EndOffset", m.end());
        phrases.add(phrase);
      }
    }
    return Map.of("KeyPhrases", phrases);
  }

  private static Map<String, Object> pii(String text) {
    List<Map<String, Object>> entities = new ArrayList<>();
    Matcher m = EMAIL.matcher(text);
    while (m.find()) {
      Map<String, Object> entity = new LinkedHashMap<>();
      entity.put("Score", 0.99);
      entity.put("Type", "EMAIL");
      entity.put("BeginOffset", m.start());
      entity.put("EndOffset", m.end());
      entities.add(entity);
    }
    return Map.of("Entities", entities);
  }

  // ---------------------------------------------------------------- Rekognition

  static @Nullable AwsJsonReply rekognition(String operation, JsonNode body) {
    if (!Set.of("DetectLabels", "DetectText", "DetectModerationLabels", "DetectFaces")
        .contains(operation)) {
      return null;
    }
    JsonNode image = body.path("Image");
    if (image.has("Bytes")) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(image.path("Bytes").asText(""));
      } catch (IllegalArgumentException e) {
        return AwsJsonReply.error(400, "InvalidImageFormatException", "Image bytes are not base64");
      }
      if (bytes.length > AwsJsonServer.REKOGNITION_MAX_IMAGE_BYTES) {
        return AwsJsonReply.error(
            400,
            "ImageTooLargeException",
            "Image size is too large: "
                + bytes.length
                + " bytes, the limit is "
                + AwsJsonServer.REKOGNITION_MAX_IMAGE_BYTES);
      }
      if (!isPng(bytes) && !isJpeg(bytes)) {
        return AwsJsonReply.error(
            400, "InvalidImageFormatException", "Request has invalid image format");
      }
    } else if (!image.has("S3Object")) {
      return AwsJsonReply.error(
          400, "InvalidParameterException", "Image must have Bytes or an S3Object");
    }
    return AwsJsonReply.of(
        switch (operation) {
          case "DetectLabels" -> labels(body);
          case "DetectText" ->
              Map.of(
                  "TextDetections",
                  List.of(
                      Map.of("DetectedText", "HELLO", "Type", "LINE", "Id", 0, "Confidence", 99.1),
                      Map.of(
                          "DetectedText",
                          "HELLO",
                          "Type",
                          "WORD",
                          "Id",
                          1,
                          "ParentId",
                          0,
                          "Confidence",
                          99.1)));
          case "DetectModerationLabels" ->
              Map.of(
                  "ModerationLabels",
                  List.of(Map.of("Name", "Suggestive", "ParentName", "", "Confidence", 51.2)),
                  "ModerationModelVersion",
                  "7.0");
          default ->
              Map.of(
                  "FaceDetails",
                  List.of(
                      Map.of(
                          "Confidence",
                          99.9,
                          "BoundingBox",
                          Map.of("Width", 0.25, "Height", 0.3, "Left", 0.4, "Top", 0.2))));
        });
  }

  private static Map<String, Object> labels(JsonNode body) {
    int max = body.path("MaxLabels").asInt(100);
    double min = body.path("MinConfidence").asDouble(55.0);
    List<Map<String, Object>> labels = new ArrayList<>();
    for (Object[] label :
        new Object[][] {{"Animal", 99.2}, {"Cat", 98.5}, {"Pet", 97.0}, {"Kitten", 60.1}}) {
      if (labels.size() < max && (double) label[1] >= min) {
        labels.add(Map.of("Name", label[0], "Confidence", label[1]));
      }
    }
    return Map.of("Labels", labels, "LabelModelVersion", "3.0");
  }

  private static boolean isPng(byte[] b) {
    return b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
  }

  private static boolean isJpeg(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
  }
}
