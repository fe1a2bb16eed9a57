package dev.genaiprocessors;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Applies to each part the part processor of the first case it matches; the Python library's {@code
 * switch.PartSwitch}. The part-by-part counterpart of {@link Switch}: prefer it when every case is
 * a {@link PartProcessor}.
 *
 * <pre>{@code
 * PartProcessor router =
 *     PartSwitch.on(ProcessorPart::mimeType)
 *         .whenEquals("audio/wav", transcribe)
 *         .when(mime -> mime.startsWith("image/"), caption)
 *         .otherwise(PartProcessor.map(part -> part));
 * }</pre>
 *
 * <p><b>Routing.</b> For each part the key function runs once (it must not return {@code null}),
 * then the cases are tried in the order they were added; the first that matches wins. Its part
 * processor is applied as a stage would apply it: if that processor's own {@link
 * PartProcessor#match} rejects the part, the part passes through unchanged. A part that matches no
 * case, when there is no default, is dropped.
 *
 * <p><b>Threads and order.</b> The cases are tried one after the other inside the part's own call:
 * no thread is started per case, however many cases there are. As a part processor it inherits the
 * stage's behaviour: many parts at once, outputs in input order (see {@link PartProcessor}). A
 * failing case fails the run naming that case's processor ({@link ProcessorException#stageOf}).
 *
 * <p><b>Immutable.</b> Every builder method returns a new switch and leaves this one unchanged (the
 * Python builder mutates itself).
 *
 * @param <K> the type of the key the cases test
 */
public final class PartSwitch<K> implements PartProcessor {
  private final Function<? super ProcessorPart, ? extends K> key;
  private final SwitchCases<K, PartProcessor> cases;

  private PartSwitch(
      Function<? super ProcessorPart, ? extends K> key, SwitchCases<K, PartProcessor> cases) {
    this.key = key;
    this.cases = cases;
  }

  /** A switch without cases whose key is the part itself; its cases test whole parts. */
  public static PartSwitch<ProcessorPart> create() {
    return new PartSwitch<>(Function.identity(), SwitchCases.empty());
  }

  /**
   * A switch without cases whose key is {@code key} applied to each part, for example {@code
   * ProcessorPart::mimeType}.
   */
  public static <K> PartSwitch<K> on(Function<? super ProcessorPart, ? extends K> key) {
    return new PartSwitch<>(Objects.requireNonNull(key, "key"), SwitchCases.empty());
  }

  /**
   * A copy with one more case: parts whose key {@code equals} {@code value} go to {@code
   * processor}.
   *
   * @throws IllegalArgumentException when the default is already set
   */
  public PartSwitch<K> whenEquals(K value, PartProcessor processor) {
    Objects.requireNonNull(value, "value");
    return new PartSwitch<>(key, cases.withCase(value, value::equals, processor));
  }

  /**
   * A copy with one more case: parts whose key satisfies {@code condition} go to {@code processor}.
   *
   * @throws IllegalArgumentException when the default is already set
   */
  public PartSwitch<K> when(Predicate<? super K> condition, PartProcessor processor) {
    Objects.requireNonNull(condition, "condition");
    return new PartSwitch<>(key, cases.withCase(condition, condition, processor));
  }

  /**
   * A copy in which {@code processor} gets every part no case matched. It must come last.
   *
   * @throws IllegalArgumentException when the default is already set
   */
  public PartSwitch<K> otherwise(PartProcessor processor) {
    return new PartSwitch<>(key, cases.withDefault(processor));
  }

  /** {@code switch(<case processors>)}. */
  @Override
  public String name() {
    return Names.join("switch", cases.processors());
  }

  @Override
  public void call(ProcessorPart part, PartSink output) throws Exception {
    int index = cases.firstMatch(SwitchCases.keyOf(key, part));
    if (index < 0) {
      return;
    }
    PartProcessor processor = cases.processor(index);
    if (!processor.match(part)) {
      output.emit(part);
      return;
    }
    try {
      processor.call(part, output);
    } catch (Exception | Error e) {
      // Name the case that failed, not only the switch.
      throw Stages.named(processor.name(), e);
    }
  }
}
