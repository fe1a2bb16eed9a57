package dev.genaiprocessors.config;

import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A processor declared in YAML: processor types from a {@link ProcessorRegistry}, each with its
 * settings, composed in chains, parallel groups and switches.
 *
 * <pre>{@code
 * # pipeline.yaml
 * pipeline:
 *   chain:
 *     - type: template
 *       settings: {template: "Answer in one sentence: {text}"}
 *     - type: resilience
 *       settings:
 *         retry: {maxAttempts: 3, initialBackoff: 200ms}
 *       processor:
 *         type: openai
 *         settings:
 *           model: gpt-4o-mini
 *           apiKey: ${OPENAI_API_KEY}
 *           temperature: 0.2
 * }</pre>
 *
 * <pre>{@code
 * try (Pipeline pipeline = Pipeline.watch(Path.of("pipeline.yaml"), ProcessorRegistry.load())) {
 *   System.out.println(pipeline.apply("Why is the sky blue?").text());
 * }
 * }</pre>
 *
 * <p><b>The format.</b> The document has one key, {@code pipeline}, holding a processor node. A
 * node is a mapping with exactly one of: {@code type} (a registered type, with its {@code settings}
 * mapping and, for a type that wraps another, its {@code processor} node); {@code chain} (a list of
 * nodes run in sequence); {@code parallel} (a list of nodes each run on the whole input, outputs
 * concatenated in order, as {@link Processor#parallel}); {@code switch} (with {@code on}: {@code
 * mimeType}, {@code role}, {@code substream} or {@code metadata.<key>}; {@code cases}: a list of
 * {@code {equals: value or list of values, processor: node}}; and an optional {@code default} node;
 * as {@link dev.genaiprocessors.Switch}). Any node may have a {@code name}. Settings are bound and
 * checked as {@link Config} binds records, {@code ${VAR}} references included; every problem (an
 * unknown type or key, a bad value, a type that refuses its settings) is reported at once with its
 * key path, line and column. {@link ProcessorRegistry#jsonSchema()} gives the JSON Schema of the
 * format for the types registered.
 *
 * <p><b>Reloading.</b> A pipeline from {@link #watch} follows its file: each change is read,
 * checked and built, and every run that starts afterwards uses the new pipeline while runs in
 * flight finish on the old one, which is then closed. A file that does not parse, check or build is
 * rejected: the pipeline in use stays, and the rejection is logged, told to {@link #onRejection}
 * listeners and reported to the next run as {@link Reconfigurable} does.
 *
 * <p>Closing a pipeline closes the processors it built (model clients, HTTP clients), once no run
 * uses them. Thread-safe.
 */
public final class Pipeline implements Processor, AutoCloseable {
  private final @Nullable BuiltPipeline fixed;
  private final @Nullable LiveConfig<PipelineSpec> live;
  private final @Nullable Reconfigurable<PipelineSpec> following;
  private final String origin;

  private Pipeline(
      @Nullable BuiltPipeline fixed,
      @Nullable LiveConfig<PipelineSpec> live,
      @Nullable Reconfigurable<PipelineSpec> following,
      String origin) {
    this.fixed = fixed;
    this.live = live;
    this.following = following;
    this.origin = origin;
  }

  /**
   * The pipeline in {@code file}, built once, with the types {@link ProcessorRegistry#load()}
   * finds.
   *
   * @throws ConfigException listing every problem of the file
   */
  public static Pipeline load(Path file) {
    return load(file, ProcessorRegistry.load());
  }

  /**
   * The pipeline in {@code file}, built once from {@code registry}'s types.
   *
   * @throws ConfigException listing every problem of the file
   */
  public static Pipeline load(Path file, ProcessorRegistry registry) {
    Objects.requireNonNull(file, "file");
    return build(
        Config.builder().source(ConfigSource.file(file)).build(), registry, file.toString());
  }

  /**
   * The pipeline in {@code yaml}, named {@code name} in messages, built once from {@code
   * registry}'s types.
   *
   * @throws ConfigException listing every problem
   */
  public static Pipeline parse(String name, String yaml, ProcessorRegistry registry) {
    return build(Config.builder().source(ConfigSource.yaml(name, yaml)).build(), registry, name);
  }

  private static Pipeline build(Config config, ProcessorRegistry registry, String origin) {
    Objects.requireNonNull(registry, "registry");
    return new Pipeline(
        BuiltPipeline.build(PipelineReader.read(config, registry)), null, null, origin);
  }

  /**
   * The pipeline in {@code file}, rebuilt for new runs whenever the file changes (see the class
   * comment).
   *
   * @throws ConfigException listing every problem of the file as it is now
   */
  public static Pipeline watch(Path file, ProcessorRegistry registry) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(registry, "registry");
    LiveConfig<PipelineSpec> live =
        Config.builder()
            .source(ConfigSource.file(file))
            .watch(config -> PipelineReader.read(config, registry));
    try {
      Reconfigurable<PipelineSpec> following =
          Reconfigurable.builder(live, BuiltPipeline::build).name("pipeline " + file).build();
      return new Pipeline(null, live, following, file.toString());
    } catch (RuntimeException e) {
      live.close();
      throw e;
    }
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    if (fixed != null) {
      fixed.call(input, output);
    } else {
      Objects.requireNonNull(following, "following").call(input, output);
    }
  }

  /** The version of the file new runs use: 1 at first, one more for each change applied. */
  public long version() {
    return following == null ? 1 : following.version();
  }

  /**
   * Calls {@code listener} with the problems of each rejected change of the file; never for a
   * pipeline built once.
   */
  public void onRejection(Consumer<ConfigException> listener) {
    Objects.requireNonNull(listener, "listener");
    if (live != null) {
      live.onRejection(listener);
    }
  }

  /** The last rejected change of the file, if any. */
  public Optional<ConfigException> lastRejection() {
    return live == null ? Optional.empty() : live.lastRejection();
  }

  /**
   * Reads the file now, as a change would (changes are seen by themselves; this is for tests and
   * for files on file systems that send no events).
   *
   * @return true when a new version was read; it is built by the next run
   */
  public boolean reload() {
    return live != null && live.reload();
  }

  @Override
  public String name() {
    return "pipeline " + origin;
  }

  /** Stops following the file and closes the processors built, once no run uses them. */
  @Override
  public void close() {
    if (fixed != null) {
      fixed.close();
    }
    if (following != null) {
      following.close();
    }
    if (live != null) {
      live.close();
    }
  }

  @Override
  public String toString() {
    return "Pipeline[" + origin + ", version " + version() + "]";
  }
}
