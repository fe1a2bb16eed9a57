package dev.genaiprocessors.openai;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Generation settings of a chat completion, validated when set: a value out of range fails at once
 * with a message naming it, not later as a 400 from the server. Unset settings are not sent, so the
 * server's defaults apply.
 *
 * <pre>{@code
 * ChatSettings settings = ChatSettings.builder()
 *     .temperature(0.2)
 *     .maxTokens(500)
 *     .stop(List.of("\n\n"))
 *     .seed(42L)
 *     .responseFormat(ResponseFormat.of(Forecast.class))
 *     .build();
 * }</pre>
 *
 * <p>Immutable; {@link #toBuilder()} starts a changed copy.
 */
public final class ChatSettings {
  private static final ChatSettings DEFAULTS = new Builder().build();

  private final @Nullable Double temperature;
  private final @Nullable Double topP;
  private final @Nullable Long maxTokens;
  private final List<String> stop;
  private final @Nullable Long seed;
  private final @Nullable Double presencePenalty;
  private final @Nullable Double frequencyPenalty;
  private final @Nullable ResponseFormat responseFormat;
  private final @Nullable Boolean parallelToolCalls;
  private final @Nullable String toolChoice;
  private final @Nullable String reasoningEffort;

  private ChatSettings(Builder b) {
    temperature = b.temperature;
    topP = b.topP;
    maxTokens = b.maxTokens;
    stop = b.stop;
    seed = b.seed;
    presencePenalty = b.presencePenalty;
    frequencyPenalty = b.frequencyPenalty;
    responseFormat = b.responseFormat;
    parallelToolCalls = b.parallelToolCalls;
    toolChoice = b.toolChoice;
    reasoningEffort = b.reasoningEffort;
  }

  /** No settings: the server's defaults. */
  public static ChatSettings defaults() {
    return DEFAULTS;
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.temperature = temperature;
    b.topP = topP;
    b.maxTokens = maxTokens;
    b.stop = stop;
    b.seed = seed;
    b.presencePenalty = presencePenalty;
    b.frequencyPenalty = frequencyPenalty;
    b.responseFormat = responseFormat;
    b.parallelToolCalls = parallelToolCalls;
    b.toolChoice = toolChoice;
    b.reasoningEffort = reasoningEffort;
    return b;
  }

  /** Sampling temperature in [0, 2], or {@code null} when unset. */
  public @Nullable Double temperature() {
    return temperature;
  }

  /** Nucleus sampling mass in [0, 1], or {@code null} when unset. */
  public @Nullable Double topP() {
    return topP;
  }

  /** The most tokens to generate ({@code max_completion_tokens}), or {@code null} when unset. */
  public @Nullable Long maxTokens() {
    return maxTokens;
  }

  /** Sequences that end the generation; empty when unset. */
  public List<String> stop() {
    return stop;
  }

  /** The seed for best-effort deterministic sampling, or {@code null} when unset. */
  public @Nullable Long seed() {
    return seed;
  }

  /** Presence penalty in [-2, 2], or {@code null} when unset. */
  public @Nullable Double presencePenalty() {
    return presencePenalty;
  }

  /** Frequency penalty in [-2, 2], or {@code null} when unset. */
  public @Nullable Double frequencyPenalty() {
    return frequencyPenalty;
  }

  /** The answer's required shape, or {@code null} when unset (free text). */
  public @Nullable ResponseFormat responseFormat() {
    return responseFormat;
  }

  /** Whether the model may call several tools in one turn, or {@code null} when unset. */
  public @Nullable Boolean parallelToolCalls() {
    return parallelToolCalls;
  }

  /**
   * {@code auto}, {@code none}, {@code required} or the name of the one function to call, or {@code
   * null} when unset.
   */
  public @Nullable String toolChoice() {
    return toolChoice;
  }

  /**
   * The reasoning effort of reasoning models ({@code low}, {@code medium}, ...), or {@code null}.
   */
  public @Nullable String reasoningEffort() {
    return reasoningEffort;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatSettings s
        && Objects.equals(temperature, s.temperature)
        && Objects.equals(topP, s.topP)
        && Objects.equals(maxTokens, s.maxTokens)
        && stop.equals(s.stop)
        && Objects.equals(seed, s.seed)
        && Objects.equals(presencePenalty, s.presencePenalty)
        && Objects.equals(frequencyPenalty, s.frequencyPenalty)
        && Objects.equals(responseFormat, s.responseFormat)
        && Objects.equals(parallelToolCalls, s.parallelToolCalls)
        && Objects.equals(toolChoice, s.toolChoice)
        && Objects.equals(reasoningEffort, s.reasoningEffort);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        temperature,
        topP,
        maxTokens,
        stop,
        seed,
        presencePenalty,
        frequencyPenalty,
        responseFormat,
        parallelToolCalls,
        toolChoice,
        reasoningEffort);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ChatSettings[");
    append(s, "temperature", temperature);
    append(s, "topP", topP);
    append(s, "maxTokens", maxTokens);
    append(s, "stop", stop.isEmpty() ? null : stop);
    append(s, "seed", seed);
    append(s, "presencePenalty", presencePenalty);
    append(s, "frequencyPenalty", frequencyPenalty);
    append(s, "responseFormat", responseFormat);
    append(s, "parallelToolCalls", parallelToolCalls);
    append(s, "toolChoice", toolChoice);
    append(s, "reasoningEffort", reasoningEffort);
    if (s.charAt(s.length() - 1) == ' ') {
      s.setLength(s.length() - 2);
    }
    return s.append(']').toString();
  }

  private static void append(StringBuilder s, String name, @Nullable Object value) {
    if (value != null) {
      s.append(name).append('=').append(value).append(", ");
    }
  }

  /** Builds {@link ChatSettings}; every setter validates its value and throws naming it. */
  public static final class Builder {
    private @Nullable Double temperature;
    private @Nullable Double topP;
    private @Nullable Long maxTokens;
    private List<String> stop = List.of();
    private @Nullable Long seed;
    private @Nullable Double presencePenalty;
    private @Nullable Double frequencyPenalty;
    private @Nullable ResponseFormat responseFormat;
    private @Nullable Boolean parallelToolCalls;
    private @Nullable String toolChoice;
    private @Nullable String reasoningEffort;

    private Builder() {}

    /**
     * Sets {@code temperature}.
     *
     * @throws IllegalArgumentException unless {@code temperature} is in [0, 2]
     */
    public Builder temperature(double temperature) {
      this.temperature = inRange("temperature", temperature, 0, 2);
      return this;
    }

    /**
     * Sets {@code topP}.
     *
     * @throws IllegalArgumentException unless {@code topP} is in [0, 1]
     */
    public Builder topP(double topP) {
      this.topP = inRange("topP", topP, 0, 1);
      return this;
    }

    /**
     * Sets {@code maxTokens}.
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
     * Sequences that end the generation (OpenAI accepts up to 4; compatible servers may take more).
     *
     * @throws IllegalArgumentException when a sequence is empty, naming its position
     */
    public Builder stop(List<String> stop) {
      Objects.requireNonNull(stop, "stop");
      for (int i = 0; i < stop.size(); i++) {
        String sequence = Objects.requireNonNull(stop.get(i), "stop[" + i + "]");
        if (sequence.isEmpty()) {
          throw new IllegalArgumentException("stop[" + i + "] must not be empty but was ''");
        }
      }
      this.stop = List.copyOf(stop);
      return this;
    }

    /** A seed for best-effort deterministic sampling. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets {@code presencePenalty}.
     *
     * @throws IllegalArgumentException unless {@code presencePenalty} is in [-2, 2]
     */
    public Builder presencePenalty(double presencePenalty) {
      this.presencePenalty = inRange("presencePenalty", presencePenalty, -2, 2);
      return this;
    }

    /**
     * Sets {@code frequencyPenalty}.
     *
     * @throws IllegalArgumentException unless {@code frequencyPenalty} is in [-2, 2]
     */
    public Builder frequencyPenalty(double frequencyPenalty) {
      this.frequencyPenalty = inRange("frequencyPenalty", frequencyPenalty, -2, 2);
      return this;
    }

    /** The answer's required shape (see {@link ResponseFormat}). */
    public Builder responseFormat(ResponseFormat responseFormat) {
      this.responseFormat = Objects.requireNonNull(responseFormat, "responseFormat");
      return this;
    }

    /** Whether the model may call several tools in one turn. */
    public Builder parallelToolCalls(boolean parallelToolCalls) {
      this.parallelToolCalls = parallelToolCalls;
      return this;
    }

    /**
     * {@code auto}, {@code none}, {@code required}, or the name of the one function the model must
     * call.
     *
     * @throws IllegalArgumentException when blank
     */
    public Builder toolChoice(String toolChoice) {
      this.toolChoice = notBlank("toolChoice", toolChoice);
      return this;
    }

    /**
     * The reasoning effort of reasoning models ({@code minimal}, {@code low}, {@code medium},
     * {@code high}; the server checks the value, as new ones keep being added).
     *
     * @throws IllegalArgumentException when blank
     */
    public Builder reasoningEffort(String reasoningEffort) {
      this.reasoningEffort = notBlank("reasoningEffort", reasoningEffort);
      return this;
    }

    /** The settings. */
    public ChatSettings build() {
      return new ChatSettings(this);
    }

    private static double inRange(String name, double value, double min, double max) {
      if (!(value >= min && value <= max)) { // also rejects NaN
        throw new IllegalArgumentException(
            name + " must be in [" + format(min) + ", " + format(max) + "] but was " + value);
      }
      return value;
    }

    private static String format(double bound) {
      return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }

    private static String notBlank(String name, String value) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank but was '" + value + "'");
      }
      return value;
    }
  }
}
