package dev.genaiprocessors;

import java.util.List;
import java.util.Objects;

/**
 * A processor turns a stream of parts into another stream of parts: the building block of every
 * pipeline.
 *
 * <p><b>Writing one</b> (the producer side): implement {@link #call}, plain blocking Java that
 * reads its input and emits its output. It runs on a virtual thread of its own, so blocking on a
 * model, a database or a queue costs nothing.
 *
 * <pre>{@code
 * Processor shout = (input, output) -> {
 *   for (ProcessorPart part : input) {
 *     output.emit(part.isText() ? ProcessorPart.text(part.text().toUpperCase()) : part);
 *   }
 * };
 * }</pre>
 *
 * <p><b>Using one</b> (the consumer side): {@link #apply} takes nearly anything (a string, a part,
 * a content, a list, an {@code Iterable}, an {@code Iterator}, a {@code java.util.stream.Stream}, a
 * {@code Flow.Publisher}) and returns a lazy {@link ProcessorStream}:
 *
 * <pre>{@code
 * String loud = shout.then(PartProcessor.map(p -> p.withRole("model"))).apply("hello").text();
 * }</pre>
 *
 * <p><b>Guarantees.</b> Between two stages sits a bounded buffer, so a slow stage slows the ones
 * before it and memory stays bounded. Every thread a run starts belongs to it: when the consumer
 * closes the stream early, or any stage fails, the whole run is cancelled (threads interrupted) and
 * no thread outlives it. A failure reaches the consumer after every part emitted before it, as
 * Java's own streams rethrow: an unchecked exception or an {@code Error} as itself (the same
 * instance, the failing processor named in a suppressed exception added to it), a checked exception
 * as the cause of a {@link ProcessorException} naming the failing processor. {@link
 * ProcessorException#stageOf} names the failing processor in both cases; a cancelled run throws
 * {@link java.util.concurrent.CancellationException}.
 *
 * <p><b>Difference from the Python library.</b> Python runs plain processor stages pull-driven, one
 * at a time; here each stage runs on its own thread with a buffer in between, so stages overlap.
 * Results are identical; only the interleaving of reserved-substream parts (status, debug) with
 * data can differ, since upstream stages may run ahead. Python raises every failure as itself; here
 * a checked exception arrives inside a {@link ProcessorException}, since {@code read()} and an
 * {@code Iterator} cannot throw it undeclared.
 */
@FunctionalInterface
public interface Processor {

  /**
   * Reads {@code input} and writes to {@code output}; the producer side, implemented by processor
   * authors and called by the runtime. Do not call it directly: use {@link #apply}.
   *
   * <p>It may block (reading, emitting, on I/O); blocking calls must honour interruption, which is
   * how a run is cancelled. It may stop reading early. Throw to fail the run; the runtime closes
   * {@code output} after it returns.
   *
   * @throws Exception anything; it reaches the consumer as itself when unchecked, as the cause of a
   *     {@link ProcessorException} when checked
   */
  void call(PartStream input, PartSink output) throws Exception;

  /**
   * The processor's readable name, used in errors, traces and cache keys: by default the class's
   * simple name, or {@code "lambda"} for a lambda (give it one with {@link #named}).
   */
  default String name() {
    return Names.of(this);
  }

  /**
   * Runs this processor on {@code input} with the default {@link RunConfig}, or, when called from
   * inside a run (a processor applying another), as part of that run, with its settings and
   * interceptors; see {@link #apply(RunConfig, Object)}.
   */
  default ProcessorStream apply(Object input) {
    return apply(RunConfig.defaults(), input);
  }

  /**
   * Runs this processor on {@code input}: the consumer side. Nothing starts until the returned
   * stream is first read; reading it to the end (or {@code gather()}, {@code text()}) runs it
   * completely, closing it early cancels the run.
   *
   * @param input a {@code CharSequence}, {@link ProcessorPart}, {@link ProcessorContent}, {@link
   *     PartStream}, {@code Iterable}, {@code Iterator}, {@code java.util.stream.Stream}, {@code
   *     Object[]} or {@code Flow.Publisher}, whose items are parts or strings
   * @throws IllegalArgumentException naming the type when {@code input} is none of these (items
   *     that cannot become parts fail the run when they are reached)
   */
  default ProcessorStream apply(RunConfig config, Object input) {
    return new ProcessorStream(this, config, Inputs.toStream(input));
  }

  /**
   * This processor, but a failure ends it with an error part instead of failing the run: see {@link
   * ErrorStrategies#emitErrorPart(Processor)}.
   */
  default Processor onErrorEmitPart() {
    return ErrorStrategies.emitErrorPart(this);
  }

  /** This processor with its results cached in {@code cache}: see {@link Cached#processor}. */
  default Processor cached(ProcessorCache cache) {
    return Cached.processor(this, cache);
  }

  /** This processor followed by {@code next}: {@code next} reads what this one emits. */
  default Processor then(Processor next) {
    return chain(this, next);
  }

  /** This processor followed by {@code next}, applied to every part this one emits. */
  default Processor then(PartProcessor next) {
    return chain(this, next);
  }

  /**
   * The processors and part processors in {@code members}, in sequence. Consecutive part processors
   * are fused into one concurrent stage (see {@link PartProcessor#then(PartProcessor)}); nested
   * chains are flattened.
   *
   * @param members each a {@link Processor} or a {@link PartProcessor}
   * @throws IllegalArgumentException if {@code members} is empty or holds anything else
   */
  static Processor chain(Object... members) {
    Objects.requireNonNull(members, "members");
    if (members.length == 0) {
      throw new IllegalArgumentException("chain needs at least one processor but got none");
    }
    return ChainProcessor.of(List.of(members));
  }

  /**
   * Runs every processor on its own copy of the input, concurrently, and emits all of the first
   * one's output, then all of the second one's, and so on (the Python library's {@code
   * parallel_concat}). The outputs of later processors are buffered while earlier ones still run,
   * so their size is the memory this costs; use {@link Streams#merge(java.util.List, boolean)} to
   * interleave outputs by arrival instead.
   *
   * @throws IllegalArgumentException if {@code processors} is empty
   */
  static Processor parallel(Processor... processors) {
    Objects.requireNonNull(processors, "processors");
    if (processors.length == 0) {
      throw new IllegalArgumentException("parallel needs at least one processor but got none");
    }
    return new ConcatProcessor(List.of(processors));
  }

  /**
   * A processor from a function of its whole input, for work that needs all of it at once (a unary
   * model call, a summary): the input is gathered, then the function's result is emitted. The
   * result may be a {@link ProcessorPart}, a {@code CharSequence}, a {@link ProcessorContent}, an
   * {@code Iterable} of parts or strings, or {@code null} (nothing). To stream, implement {@link
   * #call} instead.
   *
   * <pre>{@code
   * Processor summary = Processor.of("summary", content -> model.summarise(content.text()));
   * }</pre>
   */
  static Processor of(
      String name, java.util.function.Function<? super ProcessorContent, ?> function) {
    Objects.requireNonNull(function, "function");
    return named(
        name,
        (input, output) -> {
          Object result = function.apply(input.gather());
          Inputs.emitResult(result, output, name);
        });
  }

  /** {@code processor} under the given name (for lambdas, whose default name says little). */
  static Processor named(String name, Processor processor) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(processor, "processor");
    return new NamedProcessor(
        name, processor instanceof NamedProcessor n ? n.processor() : processor);
  }

  /** The processor that emits its input unchanged. */
  static Processor identity() {
    return Identity.INSTANCE;
  }

  /**
   * A part on the {@code status} substream: progress meant for the user. Inside a composition it
   * bypasses later stages and reaches the caller as early as possible.
   */
  static ProcessorPart status(String text) {
    return ProcessorPart.text(text).withSubstreamName(Substreams.STATUS);
  }

  /** {@code part} moved to the {@code status} substream. */
  static ProcessorPart status(ProcessorPart part) {
    return part.withSubstreamName(Substreams.STATUS);
  }

  /** A part on the {@code debug} substream; like {@link #status(String)}, for developers. */
  static ProcessorPart debug(String text) {
    return ProcessorPart.text(text).withSubstreamName(Substreams.DEBUG);
  }

  /** {@code part} moved to the {@code debug} substream. */
  static ProcessorPart debug(ProcessorPart part) {
    return part.withSubstreamName(Substreams.DEBUG);
  }
}
