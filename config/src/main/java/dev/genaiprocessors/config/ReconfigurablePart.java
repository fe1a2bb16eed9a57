package dev.genaiprocessors.config;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.ProcessorPart;
import java.util.Objects;
import java.util.function.Function;

/**
 * A part processor that follows a {@link LiveConfig}: each part is processed, whole, by the part
 * processor its factory made from the settings current when that part started. A part in flight
 * finishes on the settings it started with, every part started after the change uses the new ones,
 * and no part is lost or processed twice. Otherwise as {@link Reconfigurable}: delegates are made
 * lazily once per version, a factory that throws rejects the version, replaced delegates are closed
 * once unused, and rejections are reported to the next part's run ({@code config_rejected} events,
 * status parts when asked for).
 *
 * <pre>{@code
 * ReconfigurablePart<Limits> truncate = ReconfigurablePart.of(limits,
 *     l -> PartProcessor.map(p -> p.isText() ? ProcessorPart.text(cut(p.text(), l.maxChars())) : p));
 * }</pre>
 *
 * <p>{@link #match} asks the current delegate. Thread-safe.
 *
 * @param <S> the settings type
 */
public final class ReconfigurablePart<S> implements PartProcessor, AutoCloseable {
  private final String name;
  private final Generations<S, PartProcessor> generations;

  private ReconfigurablePart(
      String name,
      LiveConfig<S> config,
      Function<? super S, ? extends PartProcessor> factory,
      boolean statusParts) {
    this.name = name;
    this.generations = new Generations<>(name, config, factory, statusParts);
  }

  /**
   * A part processor that runs what {@code factory} makes of the current settings of {@code
   * config}.
   *
   * @throws RuntimeException what {@code factory} throws for the first settings
   */
  public static <S> ReconfigurablePart<S> of(
      LiveConfig<S> config, Function<? super S, ? extends PartProcessor> factory) {
    return of("reconfigurable", config, factory, false);
  }

  /**
   * {@link #of(LiveConfig, Function)} named {@code name}, emitting a status part into the next
   * part's output after a rejected configuration when {@code statusParts} is true.
   */
  public static <S> ReconfigurablePart<S> of(
      String name,
      LiveConfig<S> config,
      Function<? super S, ? extends PartProcessor> factory,
      boolean statusParts) {
    return new ReconfigurablePart<>(
        Objects.requireNonNull(name, "name"),
        Objects.requireNonNull(config, "config"),
        Objects.requireNonNull(factory, "factory"),
        statusParts);
  }

  @Override
  public void call(ProcessorPart part, PartSink output) throws Exception {
    Generations.Generation<PartProcessor> g = generations.acquire();
    try {
      generations.report(g, output);
      g.delegate.call(part, output);
    } finally {
      g.release();
    }
  }

  @Override
  public boolean match(ProcessorPart part) {
    return generations.delegate().match(part);
  }

  /** The version of the settings new parts use. */
  public long version() {
    return generations.version();
  }

  @Override
  public String name() {
    return name;
  }

  /** Closes the current delegate once the parts using it end. Does not close the config. */
  @Override
  public void close() {
    generations.close();
  }

  @Override
  public String toString() {
    return "ReconfigurablePart[" + name + ", version " + version() + "]";
  }
}
