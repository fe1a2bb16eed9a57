package dev.genaiprocessors.config;

import org.jspecify.annotations.Nullable;

/**
 * A kind of processor a YAML {@link Pipeline} can name with {@code type:}, with its settings
 * record: the service through which modules contribute their processors to pipelines.
 *
 * <pre>{@code
 * public final class TranslateType implements ProcessorType<TranslateType.Settings> {
 *   public record Settings(@NotBlank String to, @Default("30s") Duration timeout) {}
 *
 *   public String name() { return "translate"; }
 *   public Class<Settings> settingsType() { return Settings.class; }
 *   public Object create(Settings s, Object wrapped) { return new Translator(s.to(), s.timeout()); }
 * }
 * }</pre>
 *
 * <p><b>Registering one.</b> List the class in {@code
 * META-INF/services/dev.genaiprocessors.config.ProcessorType} and, in a named module, declare
 * {@code provides dev.genaiprocessors.config.ProcessorType with ...}; {@link
 * ProcessorRegistry#load()} finds it through {@link java.util.ServiceLoader}. A module that should
 * not need {@code config} at run time depends on it optionally ({@code requires static}, Maven
 * {@code <optional>}): without {@code config} nobody looks for the service. The types of the {@code
 * resilience}, {@code http} and {@code openai} modules are registered by {@code config} itself,
 * each only when its module is present.
 *
 * <p><b>Settings.</b> The {@code settings:} mapping of a pipeline node is bound to {@link
 * #settingsType()} as {@link Config#bind} binds (so {@link Min}, {@link Max}, {@link Default},
 * {@link Secret} and the others apply, and every problem is reported with its line and column), and
 * the type's JSON Schema is generated from it. Implementations must be thread-safe and have a
 * public no-argument constructor.
 *
 * @param <S> the settings record
 */
public interface ProcessorType<S> {
  /**
   * The name pipelines give in {@code type:}: lower case letters, digits and dashes, starting with
   * a letter ({@code openai}, {@code http}, {@code retry-queue}).
   */
  String name();

  /** The record the {@code settings:} mapping is bound to. */
  Class<S> settingsType();

  /**
   * Whether the type decorates another processor, given as the node's {@code processor:} (as {@code
   * resilience} does); false by default.
   */
  default boolean wrapsProcessor() {
    return false;
  }

  /** One sentence saying what the type does, for the JSON Schema; empty by default. */
  default String description() {
    return "";
  }

  /**
   * Makes the processor a node describes. Called once per build of a pipeline (again after each
   * reload); a result that is {@link AutoCloseable} is closed with the pipeline that holds it.
   *
   * @param settings the bound, validated settings
   * @param wrapped the processor given as {@code processor:} when {@link #wrapsProcessor()} (a
   *     {@link dev.genaiprocessors.Processor} or a {@link dev.genaiprocessors.PartProcessor}), else
   *     null
   * @return a {@link dev.genaiprocessors.Processor} or a {@link dev.genaiprocessors.PartProcessor}
   * @throws Exception when the settings cannot make a processor; the pipeline reports it at the
   *     node's line and column
   */
  Object create(S settings, @Nullable Object wrapped) throws Exception;
}
