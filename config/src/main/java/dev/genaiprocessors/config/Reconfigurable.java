package dev.genaiprocessors.config;

import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import java.util.Objects;
import java.util.function.Function;

/**
 * A processor that follows a {@link LiveConfig}: each run uses the processor its factory made from
 * the settings current when the run started, so a change of settings takes effect between runs,
 * atomically. A run in flight finishes on the settings it started with; every run that starts after
 * the change uses the new ones; no input is lost or processed twice, since each run is handled by
 * exactly one delegate.
 *
 * <pre>{@code
 * LiveConfig<ModelSettings> settings = Config.builder()
 *     .source(ConfigSource.file(Path.of("model.yaml"))).watch(ModelSettings.class);
 * try (Reconfigurable<ModelSettings> model = Reconfigurable.of(settings, s ->
 *         OpenAiModel.builder().model(s.model()).apiKey(s.apiKey().reveal())
 *             .settings(ChatSettings.builder().temperature(s.temperature()).build()).build())) {
 *   model.apply("hello").text();   // edit model.yaml: the next run uses the new settings
 * }
 * }</pre>
 *
 * <p><b>Making delegates.</b> The factory runs once per version, lazily, on the thread of the first
 * run that sees the version. A factory that throws rejects that version: runs go on with the
 * current delegate, and the failure is reported as a rejected configuration is. A delegate that is
 * {@link AutoCloseable} (a model holding a client) is closed once the last run using it ends, after
 * a newer one replaced it, or after {@link #close()}.
 *
 * <p><b>Rejections.</b> A configuration the {@link LiveConfig} rejected (bad YAML, a failed
 * validation, an HTTP source answering garbage) or the factory refused is logged (by the {@code
 * LiveConfig}), reported once to the interceptors of the next run as a {@code config_rejected}
 * event ({@link dev.genaiprocessors.RunEvents}), and, when built with {@link Builder#statusParts},
 * emitted into that run's output as a status part. The first run on a new version reports a {@code
 * config_applied} event.
 *
 * <p>For a {@link dev.genaiprocessors.PartProcessor} whose settings should change between parts
 * rather than runs, see {@link ReconfigurablePart}. Thread-safe.
 *
 * @param <S> the settings type
 */
public final class Reconfigurable<S> implements Processor, AutoCloseable {
  private final String name;
  private final Generations<S, Processor> generations;

  private Reconfigurable(Builder<S> builder) {
    this.name = builder.name;
    this.generations =
        new Generations<>(builder.name, builder.config, builder.factory, builder.statusParts);
  }

  /**
   * A processor that runs what {@code factory} makes of the current settings of {@code config}.
   *
   * @throws RuntimeException what {@code factory} throws for the first settings
   */
  public static <S> Reconfigurable<S> of(
      LiveConfig<S> config, Function<? super S, ? extends Processor> factory) {
    return builder(config, factory).build();
  }

  /** A builder, for a name or status parts. */
  public static <S> Builder<S> builder(
      LiveConfig<S> config, Function<? super S, ? extends Processor> factory) {
    return new Builder<>(config, factory);
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    Generations.Generation<Processor> g = generations.acquire();
    try {
      generations.report(g, output);
      g.delegate.call(input, output);
    } finally {
      g.release();
    }
  }

  /** The version of the settings new runs use. */
  public long version() {
    return generations.version();
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Closes the current delegate once the runs using it end; new runs fail. Does not close the
   * {@link LiveConfig}.
   */
  @Override
  public void close() {
    generations.close();
  }

  @Override
  public String toString() {
    return "Reconfigurable[" + name + ", version " + version() + "]";
  }

  /**
   * Builds a {@link Reconfigurable}.
   *
   * @param <S> the settings type
   */
  public static final class Builder<S> {
    private final LiveConfig<S> config;
    private final Function<? super S, ? extends Processor> factory;
    private String name = "reconfigurable";
    private boolean statusParts;

    private Builder(LiveConfig<S> config, Function<? super S, ? extends Processor> factory) {
      this.config = Objects.requireNonNull(config, "config");
      this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** Its name, in errors, events and status parts; {@code reconfigurable} by default. */
    public Builder<S> name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Whether a rejected configuration is also reported as a status part in the next run. */
    public Builder<S> statusParts(boolean statusParts) {
      this.statusParts = statusParts;
      return this;
    }

    /**
     * The processor; its first delegate is made now.
     *
     * @throws RuntimeException what the factory throws for the current settings
     */
    public Reconfigurable<S> build() {
      return new Reconfigurable<>(this);
    }
  }
}
