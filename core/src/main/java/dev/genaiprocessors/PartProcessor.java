package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A processor of one part at a time: given a part, it emits zero or more parts. Over a stream, the
 * runtime calls it on many parts at once (up to {@link RunConfig#maxConcurrency()}) and still emits
 * the outputs in input order, streaming each part's outputs as soon as every earlier part is done.
 *
 * <pre>{@code
 * PartProcessor translate = (part, output) -> output.emit(model.translate(part.text()));
 * PartProcessor upper = PartProcessor.map(p -> p.text().toUpperCase()).withMatch(ProcessorPart::isText);
 * ProcessorContent out = translate.then(upper).apply(List.of("one", "two")).gather();
 * }</pre>
 *
 * <p>Parts that {@link #match} rejects are passed through unchanged, in their place, without
 * calling {@link #call}. Parts on a reserved substream (see {@link Substreams}) are never given to
 * a part processor: they pass straight to the output, as do reserved parts it emits.
 *
 * <p>The outputs of a part processor are those of its {@code call} alone; it cannot see other
 * parts. For that, write a {@link Processor}.
 */
@FunctionalInterface
public interface PartProcessor {

  /**
   * A marker for {@link #parallel}: the input part itself is emitted after every branch's outputs.
   * It is never called.
   */
  // Passthrough has no static state, so only this initializer ever initializes it.
  @SuppressWarnings("ClassInitializationDeadlock")
  PartProcessor PASSTHROUGH_ALWAYS = new Passthrough("PASSTHROUGH_ALWAYS");

  /**
   * A marker for {@link #parallel}: the input part itself is emitted when no branch emitted
   * anything for it. It is never called.
   */
  // Passthrough has no static state, so only this initializer ever initializes it.
  @SuppressWarnings("ClassInitializationDeadlock")
  PartProcessor PASSTHROUGH_FALLBACK = new Passthrough("PASSTHROUGH_FALLBACK");

  /**
   * Processes one part: the producer side, implemented by authors and called by the runtime on a
   * virtual thread of its own. Do not call it directly: use {@link #apply}.
   *
   * @throws Exception anything; it fails the run and reaches the consumer as itself when unchecked,
   *     as the cause of a {@link ProcessorException} when checked (see {@link Processor})
   */
  void call(ProcessorPart part, PartSink output) throws Exception;

  /** Whether {@link #call} should see {@code part}; parts it rejects pass through unchanged. */
  default boolean match(ProcessorPart part) {
    return true;
  }

  /** The readable name, used in errors, traces and cache keys (see {@link Processor#name()}). */
  default String name() {
    return Names.of(this);
  }

  /** This part processor as a {@link Processor} using the run's concurrency limit. */
  default Processor toProcessor() {
    return new PartProcessorStage(this, 0);
  }

  /**
   * This part processor as a {@link Processor} working on at most {@code maxConcurrency} parts at
   * once, whatever the run's setting (for example 256 for a stage that waits on I/O).
   */
  default Processor toProcessor(int maxConcurrency) {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException(
          "maxConcurrency must be at least 1 but was " + maxConcurrency);
    }
    return new PartProcessorStage(this, maxConcurrency);
  }

  /** Runs this part processor over {@code input}; see {@link Processor#apply(Object)}. */
  default ProcessorStream apply(Object input) {
    return toProcessor().apply(input);
  }

  /** Runs this part processor over {@code input} with {@code config}. */
  default ProcessorStream apply(RunConfig config, Object input) {
    return toProcessor().apply(config, input);
  }

  /**
   * This part processor followed by {@code next}, fused into one part processor (one stage of a
   * chain, no thread or buffer of its own between the two). Parts {@code next} does not match skip
   * it.
   *
   * <p>What a caller can rely on:
   *
   * <ul>
   *   <li><b>Order.</b> The outputs come in the order of the tree they form: everything that
   *       follows from this one's first output, then everything from its second, and so on,
   *       whatever order the work finishes in. Over a stream, input order is kept as for any part
   *       processor.
   *   <li><b>Pipelining.</b> Each output of this one is given to {@code next} as soon as it is
   *       emitted, while this one goes on; so are the outputs of the branches of a {@link
   *       #parallel} member, each as soon as its branch emits it. A chain of two parallel groups
   *       whose slow branches take T takes about T, not 2T.
   *   <li><b>Reserved parts</b> (status, debug; see {@link Substreams}) emitted by any member reach
   *       the output at once, ahead of the data parts still being worked on, and skip the remaining
   *       members.
   *   <li><b>Cost.</b> A member measured as cheap (its own time, without what it passes on, under
   *       about 20 microseconds a call) is called inline, on the thread of the member before it,
   *       inside {@code emit}: a chain of cheap members costs about what a loop calling them costs,
   *       however many parts each emits. A member not yet measured, or slow, runs on a virtual
   *       thread of its own per output (at most {@link RunConfig#maxConcurrency()} at once per
   *       input part; beyond that, inline). The cost is sampled as the stage runs, so a member that
   *       turns slow is soon pipelined again; but an output given to a member inline waits for that
   *       call, so a member measured as cheap that blocks now and then holds up the member before
   *       it (and the reserved parts that member would emit next) for that long.
   *   <li><b>Bounds.</b> Outputs waiting behind slower ones are buffered, at most {@link
   *       RunConfig#bufferSize()} parts per input part; a member that would exceed it waits, so a
   *       slow consumer still holds back every member.
   *   <li><b>Failure.</b> A member's failure fails the part after every output before it in order
   *       has left; other work on the part is then cancelled.
   * </ul>
   */
  default PartProcessor then(PartProcessor next) {
    return FusedPartProcessor.of(this, next);
  }

  /** This part processor followed by the processor {@code next}. */
  default Processor then(Processor next) {
    return Processor.chain(this, next);
  }

  /**
   * This part processor, but a failure on a part ends that part with an error part instead of
   * failing the run: see {@link ErrorStrategies#emitErrorPart(PartProcessor)}.
   */
  default PartProcessor onErrorEmitPart() {
    return ErrorStrategies.emitErrorPart(this);
  }

  /**
   * This part processor, but a failure on a part emits the part unchanged plus a status part
   * describing the error: see {@link ErrorStrategies#passThroughOnError(PartProcessor)}.
   */
  default PartProcessor onErrorPassThrough() {
    return ErrorStrategies.passThroughOnError(this);
  }

  /**
   * This part processor with its results cached in {@code cache}: see {@link Cached#partProcessor}.
   */
  default PartProcessor cached(ProcessorCache cache) {
    return Cached.partProcessor(this, cache);
  }

  /**
   * A copy that only sees parts accepted by both {@code predicate} and this one's {@link #match}.
   */
  default PartProcessor withMatch(Predicate<? super ProcessorPart> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    PartProcessor self = this;
    return new PartProcessor() {
      @Override
      public void call(ProcessorPart part, PartSink output) throws Exception {
        self.call(part, output);
      }

      @Override
      public boolean match(ProcessorPart part) {
        return predicate.test(part) && self.match(part);
      }

      @Override
      public String name() {
        return self.name();
      }
    };
  }

  /**
   * A part processor from a function of one part. The function may return a {@link ProcessorPart},
   * a {@code CharSequence} (a text part), a {@link ProcessorContent} or an {@code Iterable} of
   * parts or strings (emitted in order), or {@code null} (nothing emitted).
   */
  static PartProcessor map(Function<? super ProcessorPart, ?> function) {
    return map("map", function);
  }

  /** {@link #map(Function)} under the given name: the same as {@link #map(String, Function)}. */
  static PartProcessor of(String name, Function<? super ProcessorPart, ?> function) {
    return map(name, function);
  }

  /** {@link #map(Function)} under the given name. */
  static PartProcessor map(String name, Function<? super ProcessorPart, ?> function) {
    Objects.requireNonNull(function, "function");
    return named(name, (part, output) -> Inputs.emitResult(function.apply(part), output, name));
  }

  /**
   * The part processor that emits each part unchanged (the Python library's {@code passthrough()}
   * as a processor that runs, for example as a {@link PartSwitch} default).
   */
  static PartProcessor identity() {
    return IdentityPart.INSTANCE;
  }

  /** A part processor that keeps the parts satisfying {@code predicate} and drops the others. */
  static PartProcessor filter(Predicate<? super ProcessorPart> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return named(
        "filter",
        (part, output) -> {
          if (predicate.test(part)) {
            output.emit(part);
          }
        });
  }

  /** {@code processor} under the given name. */
  static PartProcessor named(String name, PartProcessor processor) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(processor, "processor");
    return new PartProcessor() {
      @Override
      public void call(ProcessorPart part, PartSink output) throws Exception {
        processor.call(part, output);
      }

      @Override
      public boolean match(ProcessorPart part) {
        return processor.match(part);
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  /** The part processors in sequence, fused (see {@link #then(PartProcessor)}). */
  static PartProcessor chain(PartProcessor... members) {
    Objects.requireNonNull(members, "members");
    if (members.length == 0) {
      throw new IllegalArgumentException("chain needs at least one part processor but got none");
    }
    PartProcessor result = members[0];
    for (int i = 1; i < members.length; i++) {
      result = result.then(members[i]);
    }
    return result;
  }

  /**
   * Runs every member whose {@link #match} accepts the part, concurrently, and emits all outputs of
   * the first, then of the second, and so on, streaming each as soon as the earlier ones are done.
   * With {@link #PASSTHROUGH_ALWAYS} among the members the input part follows the outputs; with
   * {@link #PASSTHROUGH_FALLBACK} it is emitted when nothing else was. A part no member matches is
   * dropped, unless a passthrough marker is present, in which case it passes unchanged. Nested
   * parallels are flattened.
   *
   * @throws IllegalArgumentException if {@code members} is empty
   */
  static PartProcessor parallel(PartProcessor... members) {
    Objects.requireNonNull(members, "members");
    if (members.length == 0) {
      throw new IllegalArgumentException("parallel needs at least one part processor but got none");
    }
    List<PartProcessor> flat = new ArrayList<>();
    for (PartProcessor member : members) {
      if (member instanceof ParallelPartProcessor nested) {
        flat.addAll(nested.members());
      } else {
        flat.add(Objects.requireNonNull(member, "member"));
      }
    }
    return new ParallelPartProcessor(flat);
  }
}
