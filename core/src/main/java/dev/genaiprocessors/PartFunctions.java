package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The Python library's {@code map_processor} combinators, for code ported from it: part functions
 * ({@link PartProcessor}s here) mapped over a stream, chained, or run side by side, each with a
 * match predicate.
 *
 * <p>They are thin names for what {@link PartProcessor} already does, which new code should use
 * directly: {@code map} is {@link PartProcessor#withMatch} then {@link
 * PartProcessor#toProcessor()}, {@code chain} is {@link PartProcessor#chain}, {@code parallel} is
 * {@link PartProcessor#parallel} with the {@link PartProcessor#PASSTHROUGH_FALLBACK} / {@link
 * PartProcessor#PASSTHROUGH_ALWAYS} markers.
 *
 * <pre>{@code
 * PartProcessor enrich = PartFunctions.parallel(
 *     List.of(describeImage, transcribeAudio),
 *     List.of(part -> part.mimeType().startsWith("image/"), part -> part.mimeType().equals("audio/wav")),
 *     true,    // a part neither describes passes through
 *     false);
 * }</pre>
 *
 * <p><b>Differences from Python</b>, which works on any item type:
 *
 * <ul>
 *   <li>Items are parts. A match predicate adds to the part processor's own {@link
 *       PartProcessor#match}: a function sees a part only when both accept it.
 *   <li>Parts on a reserved substream are never given to a function; they pass straight through
 *       (Python has no such rule at this level).
 *   <li>{@link #chain} is pipelined as in Python: each output of one function is given to the next
 *       as soon as it is emitted, while the first continues, and each function's outputs keep their
 *       input order; reserved-substream parts reach the output at once. Unlike Python, a function
 *       measured as cheap is called inline rather than as a task of its own, so a function that is
 *       cheap most of the time but blocks now and then holds up the one before it for that long
 *       (see {@link PartProcessor#then(PartProcessor)}). The outputs, and their order, are the
 *       same.
 *   <li>An empty list of functions is an error; Python passes everything through.
 * </ul>
 */
public final class PartFunctions {
  private PartFunctions() {}

  /**
   * {@code fn} applied to every part of a stream it matches; see {@link #map(PartProcessor,
   * Predicate)}.
   */
  public static Processor map(PartProcessor fn) {
    return Objects.requireNonNull(fn, "fn").toProcessor();
  }

  /**
   * {@code fn} applied to every part of a stream that {@code match} (and {@code fn}) accepts, many
   * parts at once, the outputs in input order; the parts it does not match pass through unchanged
   * without starting a thread (Python's {@code map_part_function}).
   */
  public static Processor map(PartProcessor fn, Predicate<? super ProcessorPart> match) {
    Objects.requireNonNull(fn, "fn");
    return fn.withMatch(match).toProcessor();
  }

  /**
   * The functions in sequence: each output of one is given to the next as soon as it is emitted
   * (Python's {@code chain_part_functions}), with the order and timing of {@link
   * PartProcessor#then(PartProcessor)}. A part a function does not match skips that function and
   * goes on to the next unchanged.
   *
   * @throws IllegalArgumentException if {@code fns} is empty
   */
  public static PartProcessor chain(List<? extends PartProcessor> fns) {
    return PartProcessor.chain(members(fns, null).toArray(PartProcessor[]::new));
  }

  /**
   * {@link #chain(List)} where {@code fns.get(i)} only sees the parts {@code matchFns.get(i)}
   * accepts.
   *
   * @throws IllegalArgumentException if {@code fns} is empty or the lists differ in length
   */
  public static PartProcessor chain(
      List<? extends PartProcessor> fns,
      List<? extends Predicate<? super ProcessorPart>> matchFns) {
    Objects.requireNonNull(matchFns, "matchFns");
    return PartProcessor.chain(members(fns, matchFns).toArray(PartProcessor[]::new));
  }

  /**
   * The functions run concurrently on each part, their outputs concatenated in list order (Python's
   * {@code parallel_part_functions}).
   *
   * <p>Unlike in a chain, a function that does not match a part contributes nothing for it, and the
   * part itself is not emitted unless a flag says so: with {@code withAlwaysOutput} it follows the
   * functions' outputs; otherwise, with {@code withDefaultOutput}, it is emitted when they produced
   * nothing. With neither flag, a part no function matches is dropped.
   *
   * @throws IllegalArgumentException if {@code fns} is empty or the lists differ in length
   */
  public static PartProcessor parallel(
      List<? extends PartProcessor> fns,
      List<? extends Predicate<? super ProcessorPart>> matchFns,
      boolean withDefaultOutput,
      boolean withAlwaysOutput) {
    Objects.requireNonNull(matchFns, "matchFns");
    return parallelOf(members(fns, matchFns), withDefaultOutput, withAlwaysOutput);
  }

  /** {@link #parallel(List, List, boolean, boolean)} with every part matched by every function. */
  public static PartProcessor parallel(
      List<? extends PartProcessor> fns, boolean withDefaultOutput, boolean withAlwaysOutput) {
    return parallelOf(members(fns, null), withDefaultOutput, withAlwaysOutput);
  }

  private static PartProcessor parallelOf(
      List<PartProcessor> members, boolean withDefaultOutput, boolean withAlwaysOutput) {
    if (withAlwaysOutput) {
      members.add(PartProcessor.PASSTHROUGH_ALWAYS);
    } else if (withDefaultOutput) {
      members.add(PartProcessor.PASSTHROUGH_FALLBACK);
    }
    return PartProcessor.parallel(members.toArray(PartProcessor[]::new));
  }

  /** The functions, each restricted by its match predicate when there are predicates. */
  private static List<PartProcessor> members(
      List<? extends PartProcessor> fns,
      @Nullable List<? extends Predicate<? super ProcessorPart>> matchFns) {
    Objects.requireNonNull(fns, "fns");
    if (matchFns != null && fns.size() != matchFns.size()) {
      throw new IllegalArgumentException(
          "fns and match_fns must be the same length. Got "
              + fns.size()
              + " != "
              + matchFns.size()
              + ".");
    }
    if (fns.isEmpty()) {
      throw new IllegalArgumentException("fns must hold at least one part function but was empty");
    }
    List<PartProcessor> members = new ArrayList<>(fns.size() + 1);
    for (int i = 0; i < fns.size(); i++) {
      PartProcessor fn = Objects.requireNonNull(fns.get(i), "fns[" + i + "]");
      members.add(
          matchFns == null
              ? fn
              : fn.withMatch(Objects.requireNonNull(matchFns.get(i), "matchFns[" + i + "]")));
    }
    return members;
  }
}
