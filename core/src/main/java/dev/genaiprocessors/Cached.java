package dev.genaiprocessors;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Caches what a processor emits: a call whose input was seen before emits the stored parts and does
 * not run the processor again.
 *
 * <pre>{@code
 * ProcessorCache cache = InMemoryCache.create();
 * Processor model = Cached.processor(geminiFlash, cache);
 * PartProcessor describe = Cached.partProcessor(describeImage, cache);
 * Processor pinned = Cached.using(cache).keyPrefix("flash-v2:").processor(geminiFlash);
 * }</pre>
 *
 * <p><b>Keys.</b> A call's key is a prefix followed by the {@link ProcessorCache.KeyFunction key}
 * of its input ({@link ContentHash} by default). The prefix defaults to the wrapped processor's
 * {@link Processor#name() name} and a colon, so processors with different names can share one cache
 * without seeing each other's entries: give every processor that shares a cache a distinct name, or
 * an explicit {@link #keyPrefix} (note that {@link PartProcessor#map(java.util.function.Function)}
 * is called {@code "map"} unless named). An unnamed lambda is refused: every lambda is called
 * {@code "lambda"}, so they would share entries. Content the key function turns down ({@code null},
 * for example input holding an exception part) passes straight to the processor and nothing is
 * stored.
 *
 * <p><b>A call.</b> On a hit, the stored parts are emitted and the processor is not run. On a miss,
 * the processor runs and its parts are streamed to the caller as they come; when it has finished,
 * they are stored, unless there were none or one of them is a {@code text/x-exception} part. A
 * processor that throws fails the call, and nothing is stored, so the next identical call runs it
 * again. A cache that throws fails the call too.
 *
 * <ul>
 *   <li>{@link #partProcessor}: one key per part, so each part is looked up on its own; parts the
 *       wrapped processor does not {@link PartProcessor#match match} pass through as before.
 *   <li>{@link #processor}: one key for the whole input, which is therefore read to the end before
 *       the processor starts: the wrapper gives up input streaming.
 * </ul>
 *
 * <p><b>Identical calls at once.</b> When a call starts while an identical one (same key, same
 * wrapper) is still running, it does not run the processor a second time: it waits for the first
 * one and emits the same parts, all at once when the first has finished (even parts that are not
 * stored, such as an empty result or one with an exception part). If the first fails (it threw, or
 * its caller cancelled it), the waiting calls do not fail with it: one of them runs the processor
 * afresh, and the others wait for that one. A processor that calls itself, through the same
 * wrapper, with its own input therefore waits for itself forever. Across processes, a shared cache
 * does the same through {@link ProcessorCache#lookupOrReserve}: a miss reserves the key, and the
 * call ends the reservation with {@link ProcessorCache#put put} when it stores its result, with
 * {@link ProcessorCache#release release} when it fails or has nothing to store.
 *
 * <p><b>Differences from the Python library</b> ({@code CachedProcessor}, {@code
 * CachedPartProcessor}): the result is stored before the call ends, not by a background task, so
 * the next identical call finds it (unless the cache has dropped it since); identical overlapping
 * calls share one run (Python runs each); and the cache is given when wrapping instead of through a
 * context variable ({@code set_cache}): for a per-request cache, wrap per request or use a {@link
 * ProcessorCache#withKeyPrefix} view.
 *
 * <p>A {@code Cached} holds settings only; it is immutable and its methods return copies.
 */
public final class Cached {
  private final ProcessorCache cache;
  private final @Nullable String keyPrefix;
  private final ProcessorCache.KeyFunction keyFunction;

  private Cached(
      ProcessorCache cache, @Nullable String keyPrefix, ProcessorCache.KeyFunction keyFunction) {
    this.cache = cache;
    this.keyPrefix = keyPrefix;
    this.keyFunction = keyFunction;
  }

  /**
   * {@code processor} with its results kept in {@code cache}, under the prefix {@code
   * processor.name() + ":"} and the {@link ContentHash} of the whole input.
   *
   * @throws IllegalArgumentException if {@code processor} is an unnamed lambda
   */
  public static Processor processor(Processor processor, ProcessorCache cache) {
    return using(cache).processor(processor);
  }

  /**
   * {@code processor} with its results kept in {@code cache}, part by part, under the prefix {@code
   * processor.name() + ":"} and the {@link ContentHash} of each part.
   *
   * @throws IllegalArgumentException if {@code processor} is an unnamed lambda
   */
  public static PartProcessor partProcessor(PartProcessor processor, ProcessorCache cache) {
    return using(cache).partProcessor(processor);
  }

  /** Settings for caching in {@code cache}, with the default key prefix and key function. */
  public static Cached using(ProcessorCache cache) {
    return new Cached(Objects.requireNonNull(cache, "cache"), null, ContentHash::of);
  }

  /**
   * A copy whose keys start with {@code keyPrefix}, used as given (no separator is added), instead
   * of the wrapped processor's name. Change it to drop every entry stored under the old one, for
   * example when the processor's behaviour changes.
   */
  public Cached keyPrefix(String keyPrefix) {
    return new Cached(cache, Objects.requireNonNull(keyPrefix, "keyPrefix"), keyFunction);
  }

  /** A copy computing keys with {@code keyFunction} instead of {@link ContentHash#of}. */
  public Cached keyFunction(ProcessorCache.KeyFunction keyFunction) {
    return new Cached(cache, keyPrefix, Objects.requireNonNull(keyFunction, "keyFunction"));
  }

  /**
   * {@code processor} with its results cached by these settings, keyed by its whole input. Its name
   * is {@code "cached(" + processor.name() + ")"}.
   *
   * @throws IllegalArgumentException if no key prefix was set and {@code processor} is an unnamed
   *     lambda
   */
  public Processor processor(Processor processor) {
    Objects.requireNonNull(processor, "processor");
    return new CachedProcessor(processor, calls(processor.name()));
  }

  /**
   * {@code processor} with its results cached by these settings, keyed by each part. Its name is
   * {@code "cached(" + processor.name() + ")"}; its {@code match} is the wrapped one's.
   *
   * @throws IllegalArgumentException if no key prefix was set and {@code processor} is an unnamed
   *     lambda
   */
  public PartProcessor partProcessor(PartProcessor processor) {
    Objects.requireNonNull(processor, "processor");
    return new CachedPartProcessor(processor, calls(processor.name()));
  }

  private CachedCalls calls(String name) {
    String prefix = keyPrefix;
    if (prefix == null) {
      if (name.equals("lambda")) {
        throw new IllegalArgumentException(
            "cannot cache the unnamed processor 'lambda': every lambda has that name, and the name"
                + " is the default cache-key prefix, so different lambdas would share entries;"
                + " name it (Processor.named, PartProcessor.named) or set a keyPrefix");
      }
      prefix = name + ":";
    }
    return new CachedCalls(cache, prefix, keyFunction);
  }

  @Override
  public String toString() {
    return "Cached[cache="
        + cache
        + ", keyPrefix="
        + (keyPrefix == null ? "<name>:" : keyPrefix)
        + "]";
  }

  /** A {@link Processor} whose calls go through a {@link CachedCalls}, keyed by the whole input. */
  static final class CachedProcessor implements Processor {
    private final Processor processor;
    private final CachedCalls calls;

    CachedProcessor(Processor processor, CachedCalls calls) {
      this.processor = processor;
      this.calls = calls;
    }

    CachedCalls calls() {
      return calls;
    }

    @Override
    public void call(PartStream input, PartSink output) throws Exception {
      ProcessorContent content = input.gather();
      calls.call(content, output, sink -> processor.call(PartStream.of(content), sink));
    }

    @Override
    public String name() {
      return "cached(" + processor.name() + ")";
    }
  }

  /** A {@link PartProcessor} whose calls go through a {@link CachedCalls}, keyed by each part. */
  static final class CachedPartProcessor implements PartProcessor {
    private final PartProcessor processor;
    private final CachedCalls calls;

    CachedPartProcessor(PartProcessor processor, CachedCalls calls) {
      this.processor = processor;
      this.calls = calls;
    }

    CachedCalls calls() {
      return calls;
    }

    @Override
    public void call(ProcessorPart part, PartSink output) throws Exception {
      calls.call(ProcessorContent.of(part), output, sink -> processor.call(part, sink));
    }

    @Override
    public boolean match(ProcessorPart part) {
      return processor.match(part);
    }

    @Override
    public String name() {
      return "cached(" + processor.name() + ")";
    }
  }
}
