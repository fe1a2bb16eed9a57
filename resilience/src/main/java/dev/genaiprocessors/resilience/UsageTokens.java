package dev.genaiprocessors.resilience;

import dev.genaiprocessors.ProcessorPart;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/** Reads the total tokens from a part's usage metadata, in each vendor's spelling. */
enum UsageTokens implements ToLongFunction<ProcessorPart> {
  INSTANCE;

  @Override
  public long applyAsLong(ProcessorPart part) {
    Map<String, @Nullable Object> metadata = part.metadata();
    if (metadata.isEmpty()) {
      return 0;
    }
    long gemini =
        total(
            metadata.get("usage_metadata"),
            "total_token_count",
            "prompt_token_count",
            "candidates_token_count");
    if (gemini > 0) {
      return gemini;
    }
    long geminiWire =
        total(
            metadata.get("usageMetadata"),
            "totalTokenCount",
            "promptTokenCount",
            "candidatesTokenCount");
    if (geminiWire > 0) {
      return geminiWire;
    }
    Object usage = metadata.get("usage");
    long openAi = total(usage, "total_tokens", "prompt_tokens", "completion_tokens");
    return openAi > 0 ? openAi : total(usage, "", "input_tokens", "output_tokens");
  }

  /** {@code usage[totalKey]}, else the sum of the two parts, else 0. */
  private static long total(@Nullable Object usage, String totalKey, String inKey, String outKey) {
    if (!(usage instanceof Map<?, ?> map)) {
      return 0;
    }
    long total = number(map.get(totalKey));
    return total > 0 ? total : number(map.get(inKey)) + number(map.get(outKey));
  }

  private static long number(@Nullable Object value) {
    return value instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }
}
