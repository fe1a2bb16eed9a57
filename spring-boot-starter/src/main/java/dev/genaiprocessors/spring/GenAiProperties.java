package dev.genaiprocessors.spring;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code genai.*} settings the starter reads: the models and pipelines it makes beans of, and
 * the settings of the storage, cache, resilience and observability parts.
 *
 * <pre>{@code
 * genai:
 *   models:
 *     chat:                                  # a bean named "chat", a Processor
 *       provider: openai                     # openai, anthropic, gemini or openai-compatible
 *       model: gpt-4o-mini
 *       api-key: ${OPENAI_API_KEY}           # shown as ****** by the actuator
 *       temperature: 0.2
 *   pipelines:
 *     summarise:
 *       file: classpath:pipelines/summarise.yaml
 *   resilience:
 *     retry: {max-attempts: 3}
 * }</pre>
 *
 * <p>Each part has its switch, on by default when its module is on the class path: {@code
 * genai.openai.enabled}, {@code genai.anthropic.enabled}, {@code genai.gemini.enabled}, {@code
 * genai.resilience.enabled}, {@code genai.storage.enabled}, {@code genai.cache.enabled}, {@code
 * genai.config.enabled} (pipelines) and {@code genai.observability.enabled}. {@link #toString()}
 * never shows a key.
 *
 * @param models the model processors, by bean name
 * @param pipelines the YAML pipelines, by bean name
 * @param resilience the resilience every model is decorated with
 * @param storage the run storage on the application's {@code DataSource}
 * @param cache the SQL cache on the same database
 * @param observability how runs are traced and measured
 */
@ConfigurationProperties("genai")
public record GenAiProperties(
    Map<String, Model> models,
    Map<String, PipelineFile> pipelines,
    @DefaultValue Resilience resilience,
    @DefaultValue Storage storage,
    @DefaultValue Cache cache,
    @DefaultValue Observability observability) {

  /** Copies the maps; missing maps are empty. */
  public GenAiProperties {
    models = models == null ? Map.of() : Map.copyOf(models);
    pipelines = pipelines == null ? Map.of() : Map.copyOf(pipelines);
  }

  /** Which vendor API a model speaks. */
  public enum Provider {
    /** OpenAI, through the {@code openai} module. */
    OPENAI,
    /** Any server speaking OpenAI's API (Ollama, vLLM), through the {@code openai} module. */
    OPENAI_COMPATIBLE,
    /** Anthropic's Claude, through the {@code anthropic} module. */
    ANTHROPIC,
    /** Google's Gemini, through the {@code gemini} module. */
    GEMINI;

    /** The property value that names it, as a user writes it: {@code openai-compatible}. */
    public String propertyValue() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One model processor, made a bean under its key in {@code genai.models}.
   *
   * @param provider the vendor API it speaks; {@code openai} by default
   * @param model the vendor's model name, required
   * @param apiKey the API key; required but for {@code openai-compatible}; never shown
   * @param baseUrl the server's base URL; the vendor's by default, required for {@code
   *     openai-compatible}
   * @param timeout the bound of a whole call, retries included; the module's default when unset
   * @param systemInstruction the system instruction sent with every call
   * @param temperature the sampling temperature; the vendor's default when unset
   * @param maxTokens the most tokens of an answer; the vendor's default when unset (the {@code
   *     anthropic} module's for Anthropic, whose API asks for one)
   * @param enabled false to leave this model out
   * @param resilience false to leave this model undecorated by {@code genai.resilience}
   * @param store false to leave its runs out of the storage
   */
  public record Model(
      @DefaultValue("openai") Provider provider,
      @Nullable String model,
      @Nullable String apiKey,
      @Nullable String baseUrl,
      @Nullable Duration timeout,
      @Nullable String systemInstruction,
      @Nullable Double temperature,
      @Nullable Long maxTokens,
      @DefaultValue("true") boolean enabled,
      @DefaultValue("true") boolean resilience,
      @DefaultValue("true") boolean store) {

    /** The settings without the key, which shows as {@code ******} when one is set. */
    @Override
    public String toString() {
      return "Model[provider="
          + provider.propertyValue()
          + ", model="
          + model
          + ", apiKey="
          + (apiKey == null ? "null" : "******")
          + ", baseUrl="
          + baseUrl
          + ", timeout="
          + timeout
          + ", temperature="
          + temperature
          + ", maxTokens="
          + maxTokens
          + ", enabled="
          + enabled
          + ", resilience="
          + resilience
          + ", store="
          + store
          + "]";
    }
  }

  /**
   * One YAML pipeline (the {@code config} module's format), made a bean under its key in {@code
   * genai.pipelines}.
   *
   * @param file where the file is: a Spring resource location ({@code classpath:...}, {@code
   *     file:...}) or a file path
   * @param watch true to rebuild the pipeline for new runs when the file changes (a file on disk
   *     only)
   * @param store false to leave its runs out of the storage
   */
  public record PipelineFile(
      @Nullable String file,
      @DefaultValue("false") boolean watch,
      @DefaultValue("true") boolean store) {}

  /**
   * The resilience each model is decorated with ({@code resilience} module), unless the model says
   * {@code resilience: false}.
   *
   * @param enabled false to leave every model undecorated
   * @param maxAttempts the most attempts of one call, the first included
   * @param initialBackoff the wait before the first retry when the server gives no hint
   * @param maxWait the longest single wait, and the longest server hint honoured
   * @param firstPartTimeout how long a call may take to its first part; unbounded when unset
   * @param betweenPartsTimeout how long a call may pause between parts; unbounded when unset
   * @param circuitBreaker true to add a circuit breaker with its defaults, shown by the health
   *     indicator
   */
  public record Resilience(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("3") int maxAttempts,
      @DefaultValue("500ms") Duration initialBackoff,
      @DefaultValue("30s") Duration maxWait,
      @Nullable Duration firstPartTimeout,
      @Nullable Duration betweenPartsTimeout,
      @DefaultValue("false") boolean circuitBreaker) {}

  /**
   * The storage of runs ({@code jdbc} module) on the application's {@code DataSource}.
   *
   * @param enabled false to make no storage
   * @param tablePrefix the prefix of its tables
   * @param batchSize how many rows one write takes
   * @param flushInterval how long a row may wait for its batch
   */
  public record Storage(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("gp_") String tablePrefix,
      @DefaultValue("256") int batchSize,
      @DefaultValue("200ms") Duration flushInterval) {}

  /**
   * The SQL cache ({@code jdbc} module's {@code storage.cache}), a {@code ProcessorCache} bean.
   *
   * @param enabled false to make no cache bean
   * @param ttl how long an entry lives
   * @param maxItems the most entries kept
   */
  public record Cache(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("24h") Duration ttl,
      @DefaultValue("100000") long maxItems) {}

  /**
   * The {@code observability} module on Boot's {@code MeterRegistry} and {@code OpenTelemetry}.
   *
   * @param enabled false to make no {@code Observability} bean
   * @param installAsDefault true to observe every run of the application (the JVM's default run
   *     settings), false to leave it to {@code observability.runConfig()}
   * @param captureContent true to record prompts and answers in spans (never keys)
   */
  public record Observability(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("true") boolean installAsDefault,
      @DefaultValue("false") boolean captureContent) {}
}
