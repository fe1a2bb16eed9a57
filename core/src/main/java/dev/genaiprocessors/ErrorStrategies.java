package dev.genaiprocessors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * Opt-in alternatives to failing: decorators that turn a processor's exceptions into parts.
 *
 * <p>By default a processor that throws fails the whole run. Decorated with one of these, it
 * reports the failure in the stream instead and the run goes on:
 *
 * <ul>
 *   <li>{@link #emitErrorPart(Processor)} / {@link #emitErrorPart(PartProcessor)}: the call stops
 *       and one error part takes the place of what it would have emitted next (the Python library's
 *       {@code @yield_exceptions_as_parts});
 *   <li>{@link #passThroughOnError(PartProcessor)}: the failed part goes on unchanged, followed by
 *       an error part.
 * </ul>
 *
 * <pre>{@code
 * PartProcessor enrich = ErrorStrategies.passThroughOnError(httpLookup);
 * try (ProcessorStream out = enrich.apply(rows)) {
 *   for (ProcessorPart part : out) {
 *     if (part.isException()) log.warn("lookup failed: {}", part.metadata("original_exception"));
 *   }
 * }
 * }</pre>
 *
 * <p><b>The error part</b> is a {@code text/x-exception} part ({@link ProcessorPart#isException()})
 * on the {@value Substreams#STATUS} substream, with the text {@code "An unexpected error occurred:
 * <exception class>: <message>"} (a format for people, not for parsing) and the metadata {@code
 * original_exception} (the message, {@code ""} when there is none), {@code exception_type} (the
 * exception's simple class name, as Python writes it, so that Python peers read the same key the
 * same way) and {@code exception_class} (its fully qualified Java name). When the failure comes out
 * of a composition, the exception described is the original one, never a {@link ProcessorException}
 * wrapping a checked one, and the suppressed trace naming the failing stage that the runtime adds
 * to an unchecked one plays no part in it.
 *
 * <p><b>What is not caught.</b> Cancellation ({@link CancellationException}, an {@link
 * InterruptedException}, or anything thrown while the thread is interrupted) passes through, so
 * closing a stream still stops the run; so do {@link Error}s, which no part can stand for. So does
 * a failure of whoever reads the output: in a fused chain such as {@code emitErrorPart(a).then(b)},
 * {@code b} runs inside {@code a}'s {@code emit}, and {@code b}'s exception still fails the run
 * rather than becoming {@code a}'s error part.
 *
 * <p><b>Reserved substreams: the error part bypasses later stages.</b> Because it is on {@code
 * status}, the capture rule applies to it: inside a composition (a chain, a parallel, a part
 * processor stage) it goes straight to the caller, possibly ahead of data emitted earlier, and no
 * later stage ever sees it. A downstream processor written to react to error parts therefore never
 * gets them. To hand them to later stages, run with a reserved set that leaves {@code status} out:
 *
 * <pre>{@code
 * RunConfig config =
 *     RunConfig.defaults().withReservedSubstreams(Set.of(Substreams.DEBUG, Substreams.UI));
 * ErrorStrategies.emitErrorPart(model).then(recovery).apply(config, prompt);
 * }</pre>
 */
public final class ErrorStrategies {
  /** The metadata key holding the exception's message. */
  static final String ORIGINAL_EXCEPTION = "original_exception";

  /** The metadata key holding the exception's simple class name, as in Python. */
  static final String EXCEPTION_TYPE = "exception_type";

  /** The metadata key holding the exception's fully qualified class name. */
  static final String EXCEPTION_CLASS = "exception_class";

  private ErrorStrategies() {}

  /** The class's simple name; for an anonymous or hidden class, its name after the last dot. */
  static String simpleName(Class<?> type) {
    String simple = type.getSimpleName();
    if (!simple.isEmpty()) {
      return simple;
    }
    String name = type.getName();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /**
   * {@code processor}, except that an exception stops its call and emits one error part in its
   * place. The parts emitted before the failure are kept; the rest of the input is not read. The
   * decorated processor keeps the original's name.
   */
  public static Processor emitErrorPart(Processor processor) {
    Objects.requireNonNull(processor, "processor");
    return new Processor() {
      @Override
      public void call(PartStream input, PartSink output) throws Exception {
        DownstreamGuard guarded = new DownstreamGuard(output);
        try {
          processor.call(input, guarded);
        } catch (Exception e) {
          guarded.rethrowIfDownstream(e);
          output.emit(errorPart(e));
        }
      }

      @Override
      public String name() {
        return processor.name();
      }
    };
  }

  /**
   * {@code processor}, except that an exception while processing one part stops that part's call
   * and emits one error part in its place; the other parts are processed as usual. The parts
   * emitted for that part before the failure are kept. The decorated processor keeps the original's
   * name and {@link PartProcessor#match}.
   */
  public static PartProcessor emitErrorPart(PartProcessor processor) {
    return emitErrorPart(processor, ErrorStrategies::errorPart);
  }

  /**
   * {@link #emitErrorPart(PartProcessor)} with error parts made by {@code describe} (for example
   * the standard {@link #errorPart(Throwable)} with an integration's own metadata added).
   */
  public static PartProcessor emitErrorPart(
      PartProcessor processor, java.util.function.Function<Throwable, ProcessorPart> describe) {
    Objects.requireNonNull(processor, "processor");
    Objects.requireNonNull(describe, "describe");
    return new Decorated(processor) {
      @Override
      public void call(ProcessorPart part, PartSink output) throws Exception {
        DownstreamGuard guarded = new DownstreamGuard(output);
        try {
          processor.call(part, guarded);
        } catch (Exception e) {
          guarded.rethrowIfDownstream(e);
          output.emit(describe.apply(e));
        }
      }
    };
  }

  /**
   * {@code processor}, except that when processing a part fails, that part is emitted unchanged,
   * followed by an error part; the other parts are processed as usual.
   *
   * <p>For each part the outcome is all or nothing: either everything the call emitted, or the
   * input part alone. To keep that promise the data parts a call emits are held until it returns,
   * so they do not stream out one by one, and one call's output is what this costs in memory. Parts
   * on a reserved substream (progress, debugging) are not held back: they go out at once, even when
   * the call later fails. The decorated processor keeps the original's name and {@link
   * PartProcessor#match}.
   */
  public static PartProcessor passThroughOnError(PartProcessor processor) {
    return passThroughOnError(processor, ErrorStrategies::errorPart);
  }

  /** {@link #passThroughOnError(PartProcessor)} with error parts made by {@code describe}. */
  public static PartProcessor passThroughOnError(
      PartProcessor processor, java.util.function.Function<Throwable, ProcessorPart> describe) {
    Objects.requireNonNull(processor, "processor");
    Objects.requireNonNull(describe, "describe");
    return new Decorated(processor) {
      @Override
      public void call(ProcessorPart part, PartSink output) throws Exception {
        RunConfig config = RunContext.current().config;
        // Sinks may be called from several threads (a parallel member's reserved parts).
        Queue<ProcessorPart> held = new ConcurrentLinkedQueue<>();
        DownstreamGuard guarded = new DownstreamGuard(output);
        try {
          processor.call(
              part,
              out -> {
                if (config.isReserved(out.substreamName())) {
                  guarded.emit(out);
                } else {
                  held.add(out);
                }
              });
        } catch (Exception e) {
          guarded.rethrowIfDownstream(e);
          output.emit(part);
          output.emit(describe.apply(e));
          return;
        }
        output.emitAll(held);
      }
    };
  }

  /**
   * The standard error part describing {@code error} (or the original exception a {@link
   * ProcessorException} carries): {@code text/x-exception} text "An unexpected error occurred:
   * &lt;type&gt;: &lt;message&gt;" on the {@code status} substream, with metadata {@code
   * original_exception}, {@code exception_type} (the simple class name) and {@code exception_class}
   * (the full one).
   */
  public static ProcessorPart errorPart(Throwable error) {
    Throwable original = error;
    while (original instanceof ProcessorException && original.getCause() != null) {
      original = original.getCause();
    }
    String message = Objects.requireNonNullElse(original.getMessage(), "");
    String type = original.getClass().getName();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put(ORIGINAL_EXCEPTION, message);
    metadata.put(EXCEPTION_TYPE, simpleName(original.getClass()));
    metadata.put(EXCEPTION_CLASS, type);
    String text =
        "An unexpected error occurred: " + type + (message.isEmpty() ? "" : ": " + message);
    return ProcessorPart.text(text)
        .withMimeType(MimeTypes.TEXT_EXCEPTION)
        .withSubstreamName(Substreams.STATUS)
        .withMetadata(metadata);
  }

  /**
   * The decorated processor's output, remembering a failure of whoever reads it. In a fused part
   * processor chain the later members run inside {@code emit}, so their exceptions surface in the
   * decorated processor's call; they are not its failures and must not become its error parts.
   */
  private static final class DownstreamGuard implements PartSink {
    private final PartSink output;
    private volatile @Nullable RuntimeException failure;

    DownstreamGuard(PartSink output) {
      this.output = output;
    }

    @Override
    public void emit(ProcessorPart part) {
      try {
        output.emit(part);
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
    }

    /**
     * Rethrows what must not become an error part: a downstream failure (the original one, even if
     * the processor threw something else after it), and cancellation, which must stop the run.
     */
    void rethrowIfDownstream(Exception e) throws Exception {
      RuntimeException downstream = failure;
      if (downstream != null) {
        throw downstream;
      }
      if (e instanceof CancellationException
          || e instanceof InterruptedException
          || Thread.currentThread().isInterrupted()) {
        throw e;
      }
    }
  }

  /** A part processor decorator keeping the original's name and match. */
  private abstract static class Decorated implements PartProcessor {
    private final PartProcessor processor;

    Decorated(PartProcessor processor) {
      this.processor = processor;
    }

    @Override
    public boolean match(ProcessorPart part) {
      return processor.match(part);
    }

    @Override
    public String name() {
      return processor.name();
    }
  }
}
