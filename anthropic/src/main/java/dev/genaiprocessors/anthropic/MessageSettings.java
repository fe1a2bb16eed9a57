package dev.genaiprocessors.anthropic;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Generation settings of a Messages API request, validated when set: a value out of range fails at
 * once with a message naming it, not later as a 400 from the server. {@link #maxTokens()} is always
 * sent (the API requires it; {@value #DEFAULT_MAX_TOKENS} by default); other settings are sent only
 * when set, so the server's defaults apply.
 *
 * <pre>{@code
 * MessageSettings settings = MessageSettings.builder()
 *     .maxTokens(8000)
 *     .thinkingBudget(4000)        // extended thinking: at least 1024, below maxTokens
 *     .stopSequences(List.of("\n\nHuman:"))
 *     .build();
 * }</pre>
 *
 * <p>Immutable; {@link #toBuilder()} starts a changed copy.
 */
public final class MessageSettings {
  /** The {@code max_tokens} sent when none is set. */
  public static final long DEFAULT_MAX_TOKENS = 4096;

  /** The smallest thinking budget Anthropic accepts. */
  public static final long MIN_THINKING_BUDGET = 1024;

  private static final MessageSettings DEFAULTS = new Builder().build();

  private final long maxTokens;
  private final @Nullable Double temperature;
  private final @Nullable Double topP;
  private final @Nullable Long topK;
  private final List<String> stopSequences;
  private final @Nullable Long thinkingBudget;
  private final @Nullable String toolChoice;

  private MessageSettings(Builder b) {
    maxTokens = b.maxTokens;
    temperature = b.temperature;
    topP = b.topP;
    topK = b.topK;
    stopSequences = b.stopSequences;
    thinkingBudget = b.thinkingBudget;
    toolChoice = b.toolChoice;
  }

  /** {@code max_tokens} {@value #DEFAULT_MAX_TOKENS} and nothing else: the server's defaults. */
  public static MessageSettings defaults() {
    return DEFAULTS;
  }

  /** A builder with nothing set but the default {@code max_tokens}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxTokens = maxTokens;
    b.temperature = temperature;
    b.topP = topP;
    b.topK = topK;
    b.stopSequences = stopSequences;
    b.thinkingBudget = thinkingBudget;
    b.toolChoice = toolChoice;
    return b;
  }

  /** The most tokens to generate ({@code max_tokens}), thinking included. */
  public long maxTokens() {
    return maxTokens;
  }

  /** Sampling temperature in [0, 1], or {@code null} when unset. */
  public @Nullable Double temperature() {
    return temperature;
  }

  /** Nucleus sampling mass in [0, 1], or {@code null} when unset. */
  public @Nullable Double topP() {
    return topP;
  }

  /** Sample from the top K options only (at least 1), or {@code null} when unset. */
  public @Nullable Long topK() {
    return topK;
  }

  /** Custom sequences that end the generation; empty when unset. */
  public List<String> stopSequences() {
    return stopSequences;
  }

  /**
   * The token budget of extended thinking ({@code thinking: {type: enabled, budget_tokens}}), or
   * {@code null} when thinking is off.
   */
  public @Nullable Long thinkingBudget() {
    return thinkingBudget;
  }

  /**
   * {@code auto}, {@code any}, {@code none} or the name of the one tool to use, or {@code null}
   * when unset.
   */
  public @Nullable String toolChoice() {
    return toolChoice;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageSettings s
        && maxTokens == s.maxTokens
        && Objects.equals(temperature, s.temperature)
        && Objects.equals(topP, s.topP)
        && Objects.equals(topK, s.topK)
        && stopSequences.equals(s.stopSequences)
        && Objects.equals(thinkingBudget, s.thinkingBudget)
        && Objects.equals(toolChoice, s.toolChoice);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxTokens, temperature, topP, topK, stopSequences, thinkingBudget, toolChoice);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("MessageSettings[maxTokens=").append(maxTokens);
    append(s, "temperature", temperature);
    append(s, "topP", topP);
    append(s, "topK", topK);
    append(s, "stopSequences", stopSequences.isEmpty() ? null : stopSequences);
    append(s, "thinkingBudget", thinkingBudget);
    append(s, "toolChoice", toolChoice);
    return s.append(']').toString();
  }

  private static void append(StringBuilder s, String name, @Nullable Object value) {
    if (value != null) {
      s.append(", ").append(name).append('=').append(value);
    }
  }

  /**
   * Builds {@link MessageSettings}; every setter validates its value and throws naming it, and
   * {@link #build()} checks the settings against each other.
   */
  public static final class Builder {
    private long maxTokens = DEFAULT_MAX_TOKENS;
    private @Nullable Double temperature;
    private @Nullable Double topP;
    private @Nullable Long topK;
    private List<String> stopSequences = List.of();
    private @Nullable Long thinkingBudget;
    private @Nullable String toolChoice;

    private Builder() {}

    /**
     * The most tokens to generate, thinking included ({@value #DEFAULT_MAX_TOKENS} by default; the
     * API requires a value).
     *
     * @throws IllegalArgumentException unless {@code maxTokens} is at least 1
     */
    public Builder maxTokens(long maxTokens) {
      if (maxTokens < 1) {
        throw new IllegalArgumentException("maxTokens must be at least 1 but was " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * Sets {@code temperature}.
     *
     * @throws IllegalArgumentException unless {@code temperature} is in [0, 1]
     */
    public Builder temperature(double temperature) {
      this.temperature = inUnitRange("temperature", temperature);
      return this;
    }

    /**
     * Sets {@code topP}.
     *
     * @throws IllegalArgumentException unless {@code topP} is in [0, 1]
     */
    public Builder topP(double topP) {
      this.topP = inUnitRange("topP", topP);
      return this;
    }

    /**
     * Sets {@code topK}.
     *
     * @throws IllegalArgumentException unless {@code topK} is at least 1
     */
    public Builder topK(long topK) {
      if (topK < 1) {
        throw new IllegalArgumentException("topK must be at least 1 but was " + topK);
      }
      this.topK = topK;
      return this;
    }

    /**
     * Custom sequences that end the generation.
     *
     * @throws IllegalArgumentException when a sequence is empty, naming its position
     */
    public Builder stopSequences(List<String> stopSequences) {
      Objects.requireNonNull(stopSequences, "stopSequences");
      for (int i = 0; i < stopSequences.size(); i++) {
        String sequence = Objects.requireNonNull(stopSequences.get(i), "stopSequences[" + i + "]");
        if (sequence.isEmpty()) {
          throw new IllegalArgumentException(
              "stopSequences[" + i + "] must not be empty but was ''");
        }
      }
      this.stopSequences = List.copyOf(stopSequences);
      return this;
    }

    /**
     * Turns extended thinking on with this token budget, which counts towards {@link #maxTokens}
     * and must stay below it (checked by {@link #build()}).
     *
     * @throws IllegalArgumentException when {@code budgetTokens} is below {@value
     *     #MIN_THINKING_BUDGET}
     */
    public Builder thinkingBudget(long budgetTokens) {
      if (budgetTokens < MIN_THINKING_BUDGET) {
        throw new IllegalArgumentException(
            "thinkingBudget must be at least " + MIN_THINKING_BUDGET + " but was " + budgetTokens);
      }
      this.thinkingBudget = budgetTokens;
      return this;
    }

    /** Turns extended thinking off again. */
    public Builder noThinking() {
      this.thinkingBudget = null;
      return this;
    }

    /**
     * {@code auto}, {@code any} (use some tool), {@code none}, or the name of the one tool the
     * model must use.
     *
     * @throws IllegalArgumentException when blank
     */
    public Builder toolChoice(String toolChoice) {
      Objects.requireNonNull(toolChoice, "toolChoice");
      if (toolChoice.isBlank()) {
        throw new IllegalArgumentException(
            "toolChoice must not be blank but was '" + toolChoice + "'");
      }
      this.toolChoice = toolChoice;
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException when the thinking budget is not below {@code maxTokens}
     */
    public MessageSettings build() {
      if (thinkingBudget != null && thinkingBudget >= maxTokens) {
        throw new IllegalArgumentException(
            "thinkingBudget must be less than maxTokens ("
                + maxTokens
                + ") but was "
                + thinkingBudget);
      }
      return new MessageSettings(this);
    }

    private static double inUnitRange(String name, double value) {
      if (!(value >= 0 && value <= 1)) { // also rejects NaN
        throw new IllegalArgumentException(name + " must be in [0, 1] but was " + value);
      }
      return value;
    }
  }
}
