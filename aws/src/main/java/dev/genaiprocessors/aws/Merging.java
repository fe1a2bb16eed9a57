package dev.genaiprocessors.aws;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Merges the results of the pieces of a split text into one result for the whole text: lists of
 * spans concatenated with their offsets shifted, scores averaged weighted by the pieces' lengths.
 */
final class Merging {
  private static final List<String> SENTIMENTS =
      List.of("positive", "negative", "neutral", "mixed");

  private Merging() {}

  static Object merge(
      ComprehendFeature feature,
      List<Object> pieces,
      List<Integer> offsets,
      List<Integer> lengths) {
    if (pieces.size() == 1) {
      return pieces.get(0);
    }
    return switch (feature) {
      case LANGUAGE -> languages(pieces, lengths);
      case SENTIMENT -> sentiment(pieces, lengths);
      case ENTITIES, KEY_PHRASES, PII_ENTITIES -> spans(pieces, offsets);
    };
  }

  @SuppressWarnings("unchecked") // the pieces are the lists and maps Comprehend built
  private static List<Map<String, Object>> spans(List<Object> pieces, List<Integer> offsets) {
    List<Map<String, Object>> all = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      int shift = offsets.get(i);
      for (Map<String, Object> span : (List<Map<String, Object>>) pieces.get(i)) {
        Map<String, Object> moved = new LinkedHashMap<>(span);
        moved.computeIfPresent("begin_offset", (k, v) -> ((Number) v).longValue() + shift);
        moved.computeIfPresent("end_offset", (k, v) -> ((Number) v).longValue() + shift);
        all.add(moved);
      }
    }
    return all;
  }

  @SuppressWarnings("unchecked") // the pieces are the lists and maps Comprehend built
  private static List<Map<String, @Nullable Object>> languages(
      List<Object> pieces, List<Integer> lengths) {
    double total = lengths.stream().mapToInt(Integer::intValue).sum();
    Map<String, Double> scores = new LinkedHashMap<>();
    for (int i = 0; i < pieces.size(); i++) {
      double weight = lengths.get(i) / total;
      for (Map<String, Object> language : (List<Map<String, Object>>) pieces.get(i)) {
        scores.merge(
            String.valueOf(language.get("code")),
            number(language.get("score")) * weight,
            Double::sum);
      }
    }
    return scores.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .map(e -> PartResults.pair("code", e.getKey(), "score", round(e.getValue())))
        .toList();
  }

  @SuppressWarnings("unchecked") // the pieces are the maps Comprehend built
  private static Map<String, @Nullable Object> sentiment(
      List<Object> pieces, List<Integer> lengths) {
    double total = lengths.stream().mapToInt(Integer::intValue).sum();
    Map<String, Object> scores = new LinkedHashMap<>();
    for (String name : SENTIMENTS) {
      double sum = 0;
      for (int i = 0; i < pieces.size(); i++) {
        Map<String, Object> piece = (Map<String, Object>) pieces.get(i);
        sum +=
            number(((Map<?, ?>) Objects.requireNonNull(piece.get("scores"))).get(name))
                * lengths.get(i);
      }
      scores.put(name, round(sum / total));
    }
    String best =
        SENTIMENTS.stream()
            .max(Comparator.comparingDouble(name -> number(scores.get(name))))
            .orElseThrow();
    return PartResults.pair("sentiment", best.toUpperCase(java.util.Locale.ROOT), "scores", scores);
  }

  private static double number(@Nullable Object value) {
    return value instanceof Number n ? n.doubleValue() : 0.0;
  }

  private static double round(double value) {
    return Math.round(value * 1e6) / 1e6;
  }
}
