package dev.genaiprocessors.model;

import dev.genaiprocessors.ProcessorPart;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens one model call used, as the server reported them. Every model processor (OpenAI,
 * Anthropic, Gemini) puts them in its final part's metadata under {@link ModelOutput#USAGE}, in the
 * same form whatever the vendor; read them back with {@link #of}.
 *
 * <pre>{@code
 * ProcessorContent answer = model.apply("Hello").gather();
 * TokenUsage usage = TokenUsage.of(answer.get(answer.size() - 1)).orElseThrow();
 * }</pre>
 *
 * @param promptTokens tokens in the prompt, cached ones included (OpenAI {@code prompt_tokens};
 *     Anthropic {@code input_tokens} plus both cache counts; Gemini {@code promptTokenCount})
 * @param completionTokens tokens generated, reasoning included (OpenAI {@code completion_tokens};
 *     Anthropic {@code output_tokens}; Gemini {@code candidatesTokenCount} plus {@code
 *     thoughtsTokenCount})
 * @param totalTokens both together
 * @param cachedTokens prompt tokens read from the prompt cache (0 when the server did not say)
 * @param cacheCreationTokens prompt tokens written to the prompt cache (Anthropic's {@code
 *     cache_creation_input_tokens}; 0 elsewhere)
 * @param reasoningTokens completion tokens spent reasoning or thinking (0 when the server did not
 *     say)
 */
public record TokenUsage(
    long promptTokens,
    long completionTokens,
    long totalTokens,
    long cachedTokens,
    long cacheCreationTokens,
    long reasoningTokens) {

  /** Checks that no count is negative. */
  public TokenUsage {
    check("promptTokens", promptTokens);
    check("completionTokens", completionTokens);
    check("totalTokens", totalTokens);
    check("cachedTokens", cachedTokens);
    check("cacheCreationTokens", cacheCreationTokens);
    check("reasoningTokens", reasoningTokens);
  }

  /**
   * The usage in {@code part}'s metadata, or empty when it has none (servers that do not send it).
   */
  public static Optional<TokenUsage> of(ProcessorPart part) {
    Objects.requireNonNull(part, "part");
    if (!(part.metadata(ModelOutput.USAGE) instanceof Map<?, ?> usage)) {
      return Optional.empty();
    }
    return Optional.of(
        new TokenUsage(
            count(usage, "prompt_tokens"), count(usage, "completion_tokens"),
            count(usage, "total_tokens"), count(usage, "cached_tokens"),
            count(usage, "cache_creation_tokens"), count(usage, "reasoning_tokens")));
  }

  /**
   * The metadata form, stored under {@link ModelOutput#USAGE}: a map of the six counts named {@code
   * prompt_tokens}, {@code completion_tokens}, {@code total_tokens}, {@code cached_tokens}, {@code
   * cache_creation_tokens} and {@code reasoning_tokens}.
   */
  public Map<String, Object> toMetadata() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("prompt_tokens", promptTokens);
    metadata.put("completion_tokens", completionTokens);
    metadata.put("total_tokens", totalTokens);
    metadata.put("cached_tokens", cachedTokens);
    metadata.put("cache_creation_tokens", cacheCreationTokens);
    metadata.put("reasoning_tokens", reasoningTokens);
    return metadata;
  }

  private static long count(Map<?, ?> usage, String key) {
    return usage.get(key) instanceof Number n ? n.longValue() : 0;
  }

  private static void check(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative, got " + value);
    }
  }
}
