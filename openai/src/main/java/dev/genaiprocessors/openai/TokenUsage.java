package dev.genaiprocessors.openai;

import dev.genaiprocessors.ProcessorPart;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens one completion used, as the server reported them. {@link OpenAiModel} puts them in
 * its final part's metadata under {@link OpenAiModel#USAGE}; read them back with {@link #of}.
 *
 * <pre>{@code
 * ProcessorContent answer = model.apply("Hello").gather();
 * TokenUsage usage = TokenUsage.of(answer.get(answer.size() - 1)).orElseThrow();
 * }</pre>
 *
 * @param promptTokens tokens in the prompt ({@code prompt_tokens})
 * @param completionTokens tokens generated ({@code completion_tokens}), reasoning included
 * @param totalTokens both together ({@code total_tokens})
 * @param cachedTokens prompt tokens served from the prompt cache ({@code
 *     prompt_tokens_details.cached_tokens}; 0 when the server did not say)
 * @param reasoningTokens completion tokens spent reasoning ({@code
 *     completion_tokens_details.reasoning_tokens}; 0 when the server did not say)
 */
public record TokenUsage(
    long promptTokens, long completionTokens, long totalTokens, long cachedTokens,
    long reasoningTokens) {

  /** The usage in {@code part}'s metadata, or empty when it has none (servers that do not send it). */
  public static Optional<TokenUsage> of(ProcessorPart part) {
    Objects.requireNonNull(part, "part");
    if (!(part.metadata(OpenAiModel.USAGE) instanceof Map<?, ?> usage)) {
      return Optional.empty();
    }
    return Optional.of(new TokenUsage(
        count(usage, "prompt_tokens"), count(usage, "completion_tokens"),
        count(usage, "total_tokens"), count(usage, "cached_tokens"),
        count(usage, "reasoning_tokens")));
  }

  /** The metadata form: a map of the five counts under OpenAI's names. */
  Map<String, Object> toMetadata() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("prompt_tokens", promptTokens);
    metadata.put("completion_tokens", completionTokens);
    metadata.put("total_tokens", totalTokens);
    metadata.put("cached_tokens", cachedTokens);
    metadata.put("reasoning_tokens", reasoningTokens);
    return metadata;
  }

  private static long count(Map<?, ?> usage, String key) {
    return usage.get(key) instanceof Number n ? n.longValue() : 0;
  }
}
