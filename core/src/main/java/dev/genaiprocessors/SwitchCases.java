package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The immutable, ordered case list shared by {@link Switch} and {@link PartSwitch}: each case a
 * condition on the key and the processor it selects, the default (if any) last. Adding returns a
 * new list, so a switch can be extended while a copy of it runs.
 *
 * @param <K> the key type the conditions test
 * @param <P> the processor type the cases select
 */
final class SwitchCases<K, P> {
  private static final SwitchCases<?, ?> EMPTY = new SwitchCases<>(List.of(), false);

  private final List<Case<K, P>> cases;
  private final boolean hasDefault;

  /** One case: when {@code condition} accepts the key, {@code processor} gets the part. */
  record Case<K, P>(Predicate<? super K> condition, P processor) {}

  private SwitchCases(List<Case<K, P>> cases, boolean hasDefault) {
    this.cases = cases;
    this.hasDefault = hasDefault;
  }

  @SuppressWarnings("unchecked")
  static <K, P> SwitchCases<K, P> empty() {
    return (SwitchCases<K, P>) EMPTY;
  }

  /**
   * A copy with one more case; {@code label} (the value or the predicate) names it in the error.
   *
   * @throws IllegalArgumentException when the default is already set
   */
  SwitchCases<K, P> withCase(Object label, Predicate<? super K> condition, P processor) {
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(processor, "processor");
    if (hasDefault) {
      throw new IllegalArgumentException(
          "This case is added after the default processor is set: " + label);
    }
    return new SwitchCases<>(append(new Case<>(condition, processor)), false);
  }

  /**
   * A copy whose last case accepts every key.
   *
   * @throws IllegalArgumentException when the default is already set
   */
  SwitchCases<K, P> withDefault(P processor) {
    Objects.requireNonNull(processor, "processor");
    if (hasDefault) {
      throw new IllegalArgumentException("The default processor is already set.");
    }
    return new SwitchCases<>(append(new Case<>(key -> true, processor)), true);
  }

  /**
   * The key {@code function} gives {@code part}.
   *
   * @throws NullPointerException naming the part when the function returns {@code null}
   */
  static <K> K keyOf(Function<? super ProcessorPart, ? extends K> function, ProcessorPart part) {
    K key = function.apply(part);
    if (key == null) {
      throw new NullPointerException("the switch key function returned null for " + part);
    }
    return key;
  }

  /** The index of the first case accepting {@code key}, or -1 when none does. */
  int firstMatch(K key) {
    for (int i = 0; i < cases.size(); i++) {
      if (cases.get(i).condition().test(key)) {
        return i;
      }
    }
    return -1;
  }

  P processor(int index) {
    return cases.get(index).processor();
  }

  int size() {
    return cases.size();
  }

  List<P> processors() {
    return cases.stream().map(Case::processor).toList();
  }

  private List<Case<K, P>> append(Case<K, P> added) {
    List<Case<K, P>> all = new ArrayList<>(cases.size() + 1);
    all.addAll(cases);
    all.add(added);
    return List.copyOf(all);
  }
}
