package dev.genaiprocessors;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Settings of one run of a processor: buffer sizes, concurrency, the reserved substreams and the
 * interceptors that observe it. Immutable; change it with the {@code with...} methods.
 *
 * <pre>{@code
 * RunConfig config = RunConfig.defaults().withMaxConcurrency(256).withInterceptor(new LoggingInterceptor());
 * pipeline.apply(config, input).gather();
 * }</pre>
 *
 * @param bufferSize how many parts each hop between two stages holds before the producer waits
 *     (default {@value #DEFAULT_BUFFER_SIZE})
 * @param maxConcurrency how many input parts a {@link PartProcessor} stage works on at once
 *     (default {@value #DEFAULT_MAX_CONCURRENCY}); a stage built with {@link
 *     PartProcessor#toProcessor(int)} uses its own figure
 * @param reservedSubstreams the prefixes of substream names whose parts bypass the stages of a
 *     composition and go straight to its output (default {@code debug}, {@code status}, {@code ui})
 * @param interceptors observers of every stage and part of the run, called in order
 */
public record RunConfig(
    int bufferSize,
    int maxConcurrency,
    Set<String> reservedSubstreams,
    List<ProcessorInterceptor> interceptors) {

  /** The default {@link #bufferSize()}. */
  public static final int DEFAULT_BUFFER_SIZE = 64;

  /** The default {@link #maxConcurrency()}. */
  public static final int DEFAULT_MAX_CONCURRENCY = 64;

  private static final RunConfig BUILT_IN =
      new RunConfig(
          DEFAULT_BUFFER_SIZE, DEFAULT_MAX_CONCURRENCY, Substreams.DEFAULT_RESERVED, List.of());

  // Read on every apply(input); written rarely (at start-up, in tests).
  private static final AtomicReference<RunConfig> DEFAULTS = new AtomicReference<>(BUILT_IN);

  /**
   * @throws IllegalArgumentException when a size is below 1 or a reserved name is empty
   */
  public RunConfig {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be at least 1 but was " + bufferSize);
    }
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException(
          "maxConcurrency must be at least 1 but was " + maxConcurrency);
    }
    reservedSubstreams =
        Set.copyOf(Objects.requireNonNull(reservedSubstreams, "reservedSubstreams"));
    if (reservedSubstreams.contains("")) {
      throw new IllegalArgumentException(
          "reservedSubstreams must not contain the default substream \"\": it would capture every part");
    }
    interceptors = List.copyOf(Objects.requireNonNull(interceptors, "interceptors"));
  }

  /**
   * The settings of every run started without settings of its own ({@link Processor#apply(Object)}
   * outside a run): unless changed with {@link #setDefaults}, buffers of 64 parts, 64 parts at once
   * per part stage, debug/status/ui reserved, no interceptors.
   */
  public static RunConfig defaults() {
    return DEFAULTS.get();
  }

  /**
   * Makes {@code defaults} the settings of every run started from now on without settings of its
   * own, for the whole JVM; the way to observe every run with one line:
   *
   * <pre>{@code
   * RunConfig.setDefaults(RunConfig.defaults().withInterceptor(observability));
   * }</pre>
   *
   * <p>Runs already started keep their settings. Build on {@link #defaults()} rather than a new
   * record, so that a library that set defaults earlier keeps its interceptors.
   *
   * @return the defaults replaced, to restore them later (tests do)
   */
  public static RunConfig setDefaults(RunConfig defaults) {
    return DEFAULTS.getAndSet(Objects.requireNonNull(defaults, "defaults"));
  }

  /**
   * The settings of the run the calling thread works for (a processor's {@code call} runs inside
   * one), or {@link #defaults()} outside any run. A processor that handles reserved substreams
   * itself, such as a model passing status parts through, asks {@code
   * RunConfig.current().isReserved(part.substreamName())}.
   */
  public static RunConfig current() {
    return RunContext.current().config;
  }

  private static final String[] DEFAULT_PREFIXES =
      Substreams.DEFAULT_RESERVED.toArray(new String[0]);

  // Every part passes here: an array iterates faster than a Set, and the defaults need no copy.
  private String[] reservedPrefixes() {
    return reservedSubstreams == Substreams.DEFAULT_RESERVED
        ? DEFAULT_PREFIXES
        : reservedSubstreams.toArray(new String[0]);
  }

  /** A copy with another buffer size. */
  public RunConfig withBufferSize(int bufferSize) {
    return new RunConfig(bufferSize, maxConcurrency, reservedSubstreams, interceptors);
  }

  /** A copy with another concurrency limit for part stages. */
  public RunConfig withMaxConcurrency(int maxConcurrency) {
    return new RunConfig(bufferSize, maxConcurrency, reservedSubstreams, interceptors);
  }

  /** A copy whose reserved substreams are exactly {@code names} (this replaces the defaults). */
  public RunConfig withReservedSubstreams(Set<String> names) {
    return new RunConfig(bufferSize, maxConcurrency, names, interceptors);
  }

  /**
   * A copy with {@code interceptor} added after the present ones; this config itself when it holds
   * that interceptor already, so that adding one twice (once by default, once for a run) does not
   * observe every stage twice.
   */
  public RunConfig withInterceptor(ProcessorInterceptor interceptor) {
    Objects.requireNonNull(interceptor, "interceptor");
    if (interceptors.contains(interceptor)) {
      return this;
    }
    List<ProcessorInterceptor> all = new java.util.ArrayList<>(interceptors);
    all.add(interceptor);
    return new RunConfig(bufferSize, maxConcurrency, reservedSubstreams, all);
  }

  /**
   * Whether a part on {@code substreamName} is reserved: the name starts with a reserved prefix.
   */
  public boolean isReserved(String substreamName) {
    if (substreamName.isEmpty()) {
      return false;
    }
    for (String prefix : reservedPrefixes()) {
      if (substreamName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
