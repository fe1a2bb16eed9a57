package dev.genaiprocessors.gemini;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Generation settings of a Gemini request, validated when set: a value out of range fails at once
 * with a message naming it, not later as a 400 from the server. Unset settings are not sent, so the
 * model's defaults apply. The candidate count is not a setting: the processor always asks for (and
 * reads) one candidate.
 *
 * <pre>{@code
 * GenerationSettings settings = GenerationSettings.builder()
 *     .temperature(0.2)
 *     .maxOutputTokens(500)
 *     .stopSequences(List.of("\n\n"))
 *     .thinkingBudget(1024)
 *     .includeThoughts(true)
 *     .responseJsonSchema(Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))))
 *     .build();
 * }</pre>
 *
 * <p>Immutable; {@link #toBuilder()} starts a changed copy.
 */
public final class GenerationSettings {
  private static final GenerationSettings DEFAULTS = new Builder().build();

  private final @Nullable Double temperature;
  private final @Nullable Double topP;
  private final @Nullable Integer topK;
  private final @Nullable Integer maxOutputTokens;
  private final List<String> stopSequences;
  private final @Nullable Integer seed;
  private final @Nullable Integer thinkingBudget;
  private final @Nullable Boolean includeThoughts;
  private final @Nullable String responseMimeType;
  private final @Nullable Map<String, @Nullable Object> responseJsonSchema;

  private GenerationSettings(Builder b) {
    temperature = b.temperature;
    topP = b.topP;
    topK = b.topK;
    maxOutputTokens = b.maxOutputTokens;
    stopSequences = b.stopSequences;
    seed = b.seed;
    thinkingBudget = b.thinkingBudget;
    includeThoughts = b.includeThoughts;
    responseMimeType = b.responseMimeType;
    responseJsonSchema = b.responseJsonSchema;
  }

  /** No settings: the model's defaults. */
  public static GenerationSettings defaults() {
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
    b.topK = topK;
    b.maxOutputTokens = maxOutputTokens;
    b.stopSequences = stopSequences;
    b.seed = seed;
    b.thinkingBudget = thinkingBudget;
    b.includeThoughts = includeThoughts;
    b.responseMimeType = responseMimeType;
    b.responseJsonSchema = responseJsonSchema;
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

  /** How many most likely tokens to sample from (at least 1), or {@code null} when unset. */
  public @Nullable Integer topK() {
    return topK;
  }

  /** The most tokens to generate (at least 1), or {@code null} when unset. */
  public @Nullable Integer maxOutputTokens() {
    return maxOutputTokens;
  }

  /** Up to 5 sequences that end the generation; empty when unset. */
  public List<String> stopSequences() {
    return stopSequences;
  }

  /** The seed for best-effort deterministic sampling, or {@code null} when unset. */
  public @Nullable Integer seed() {
    return seed;
  }

  /**
   * Thinking tokens the model may spend: 0 turns thinking off (where the model allows), -1 lets the
   * model decide; {@code null} when unset.
   */
  public @Nullable Integer thinkingBudget() {
    return thinkingBudget;
  }

  /** Whether the answer includes thought summaries (as thought parts); {@code null} when unset. */
  public @Nullable Boolean includeThoughts() {
    return includeThoughts;
  }

  /**
   * The answer's MIME type ({@code text/plain}, {@code application/json}, {@code text/x.enum}), or
   * {@code null} when unset.
   */
  public @Nullable String responseMimeType() {
    return responseMimeType;
  }

  /** The JSON schema the answer must follow (with {@code application/json}), or {@code null}. */
  public @Nullable Map<String, @Nullable Object> responseJsonSchema() {
    return responseJsonSchema;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GenerationSettings s
        && Objects.equals(temperature, s.temperature)
        && Objects.equals(topP, s.topP)
        && Objects.equals(topK, s.topK)
        && Objects.equals(maxOutputTokens, s.maxOutputTokens)
        && stopSequences.equals(s.stopSequences)
        && Objects.equals(seed, s.seed)
        && Objects.equals(thinkingBudget, s.thinkingBudget)
        && Objects.equals(includeThoughts, s.includeThoughts)
        && Objects.equals(responseMimeType, s.responseMimeType)
        && Objects.equals(responseJsonSchema, s.responseJsonSchema);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        temperature,
        topP,
        topK,
        maxOutputTokens,
        stopSequences,
        seed,
        thinkingBudget,
        includeThoughts,
        responseMimeType,
        responseJsonSchema);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("GenerationSettings[");
    append(s, "temperature", temperature);
    append(s, "topP", topP);
    append(s, "topK", topK);
    append(s, "maxOutputTokens", maxOutputTokens);
    append(s, "stopSequences", stopSequences.isEmpty() ? null : stopSequences);
    append(s, "seed", seed);
    append(s, "thinkingBudget", thinkingBudget);
    append(s, "includeThoughts", includeThoughts);
    append(s, "responseMimeType", responseMimeType);
    append(s, "responseJsonSchema", responseJsonSchema);
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

  /** Builds {@link GenerationSettings}; every setter validates its value and throws naming it. */
  public static final class Builder {
    private @Nullable Double temperature;
    private @Nullable Double topP;
    private @Nullable Integer topK;
    private @Nullable Integer maxOutputTokens;
    private List<String> stopSequences = List.of();
    private @Nullable Integer seed;
    private @Nullable Integer thinkingBudget;
    private @Nullable Boolean includeThoughts;
    private @Nullable String responseMimeType;
    private @Nullable Map<String, @Nullable Object> responseJsonSchema;

    private Builder() {}

    /**
     * Sampling temperature.
     *
     * @throws IllegalArgumentException unless in [0, 2]
     */
    public Builder temperature(double temperature) {
      if (!(temperature >= 0 && temperature <= 2)) {
        throw new IllegalArgumentException("temperature must be in [0, 2] but was " + temperature);
      }
      this.temperature = temperature;
      return this;
    }

    /**
     * Nucleus sampling mass.
     *
     * @throws IllegalArgumentException unless in [0, 1]
     */
    public Builder topP(double topP) {
      if (!(topP >= 0 && topP <= 1)) {
        throw new IllegalArgumentException("topP must be in [0, 1] but was " + topP);
      }
      this.topP = topP;
      return this;
    }

    /**
     * How many most likely tokens to sample from.
     *
     * @throws IllegalArgumentException when less than 1
     */
    public Builder topK(int topK) {
      if (topK < 1) {
        throw new IllegalArgumentException("topK must be at least 1 but was " + topK);
      }
      this.topK = topK;
      return this;
    }

    /**
     * The most tokens to generate.
     *
     * @throws IllegalArgumentException when less than 1
     */
    public Builder maxOutputTokens(int maxOutputTokens) {
      if (maxOutputTokens < 1) {
        throw new IllegalArgumentException(
            "maxOutputTokens must be at least 1 but was " + maxOutputTokens);
      }
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    /**
     * Sequences that end the generation.
     *
     * @throws IllegalArgumentException when more than 5, or one is empty
     */
    public Builder stopSequences(List<String> stopSequences) {
      Objects.requireNonNull(stopSequences, "stopSequences");
      List<String> copy = List.copyOf(stopSequences);
      if (copy.size() > 5) {
        throw new IllegalArgumentException(
            "stopSequences must hold at most 5 sequences but held " + copy.size() + ": " + copy);
      }
      if (copy.contains("")) {
        throw new IllegalArgumentException(
            "stopSequences must not hold an empty sequence: " + copy);
      }
      this.stopSequences = copy;
      return this;
    }

    /** The seed for best-effort deterministic sampling. */
    public Builder seed(int seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Thinking tokens the model may spend.
     *
     * @throws IllegalArgumentException when less than -1 (-1: the model decides; 0: off)
     */
    public Builder thinkingBudget(int thinkingBudget) {
      if (thinkingBudget < -1) {
        throw new IllegalArgumentException(
            "thinkingBudget must be -1 (dynamic), 0 (off) or"
                + " positive but was "
                + thinkingBudget);
      }
      this.thinkingBudget = thinkingBudget;
      return this;
    }

    /** Whether the answer includes thought summaries, emitted as thought parts. */
    public Builder includeThoughts(boolean includeThoughts) {
      this.includeThoughts = includeThoughts;
      return this;
    }

    /**
     * The answer's MIME type.
     *
     * @throws IllegalArgumentException unless {@code text/plain}, {@code application/json} or
     *     {@code text/x.enum}
     */
    public Builder responseMimeType(String responseMimeType) {
      Objects.requireNonNull(responseMimeType, "responseMimeType");
      if (!List.of("text/plain", "application/json", "text/x.enum").contains(responseMimeType)) {
        throw new IllegalArgumentException(
            "responseMimeType must be text/plain, application/json"
                + " or text/x.enum but was '"
                + responseMimeType
                + "'");
      }
      this.responseMimeType = responseMimeType;
      return this;
    }

    /**
     * The JSON schema the answer must follow (plain maps and lists); sets the response MIME type to
     * {@code application/json} unless set otherwise.
     *
     * @throws IllegalArgumentException when the schema is empty
     */
    public Builder responseJsonSchema(Map<String, ?> schema) {
      Objects.requireNonNull(schema, "schema");
      if (schema.isEmpty()) {
        throw new IllegalArgumentException("responseJsonSchema must not be empty");
      }
      this.responseJsonSchema = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(schema));
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalStateException when a JSON schema is set with a MIME type other than {@code
     *     application/json}
     */
    public GenerationSettings build() {
      if (responseJsonSchema != null && responseMimeType == null) {
        responseMimeType = "application/json";
      }
      if (responseJsonSchema != null && !"application/json".equals(responseMimeType)) {
        throw new IllegalStateException(
            "responseJsonSchema needs responseMimeType"
                + " application/json but it was '"
                + responseMimeType
                + "'");
      }
      return new GenerationSettings(this);
    }
  }
}
