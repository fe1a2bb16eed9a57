package dev.genaiprocessors;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A store of processor results by key: what {@link Cached} reads before it calls a processor and
 * writes after. Implement it to keep results somewhere new; {@link InMemoryCache} keeps them in
 * memory, the {@code jdbc} module in a database.
 *
 * <pre>{@code
 * ProcessorCache cache = InMemoryCache.create(Duration.ofHours(1), 10_000);
 * Processor model = Cached.processor(geminiFlash, cache);   // keys "gemini-flash:<hash>"
 * }</pre>
 *
 * <p>Keys are plain strings, usually a prefix naming the processor followed by the {@link
 * ContentHash} of its input; see {@link KeyFunction}. Values are whole {@link ProcessorContent}s,
 * which are immutable, so an implementation may hand out the instance it stored.
 *
 * <p><b>Threading.</b> Implementations must be safe for concurrent use. Every method may block (on
 * a database, say): callers run on virtual threads, so blocking is cheap, but it should honour
 * interruption and must not hold a Java monitor while it waits. A method that fails throws; {@link
 * Cached} then fails the call rather than silently skip the cache.
 *
 * <p><b>Difference from the Python library.</b> Python's {@code CacheBase} hashes the query itself
 * ({@code lookup(query)}); here the cache sees keys only and the caller, {@link Cached}, applies
 * the {@link KeyFunction}. A key function that returns {@code null} (content that must not be
 * cached) therefore never reaches the cache.
 */
public interface ProcessorCache {

  /**
   * The content stored under {@code key}, or empty when there is none (never stored, removed,
   * expired or evicted).
   */
  Optional<ProcessorContent> lookup(String key);

  /** Stores {@code value} under {@code key}, replacing what was stored there before. */
  void put(String key, ProcessorContent value);

  /** Removes what is stored under {@code key}; nothing happens when there is nothing. */
  void remove(String key);

  /**
   * Looks {@code key} up for a caller that will compute the value itself on a miss: {@link Cached}
   * calls this, not {@link #lookup}, before it runs a processor. A cache shared by several
   * processes (a database) may then <em>reserve</em> the key, so that an identical call in another
   * process waits here for this caller's value instead of computing it too; a call that finds the
   * key reserved elsewhere waits until the value is {@link #put} (and returns it), or until the
   * reservation is {@link #release released} or expires (and reserves the key itself).
   *
   * <p>A caller that gets an empty answer must end the reservation: with {@link #put} once it has
   * the value, or with {@link #release} when it will store nothing (its computation failed, or
   * produced nothing worth storing). The default does not reserve: it is {@link #lookup}.
   *
   * @throws java.util.concurrent.CancellationException when interrupted while waiting for another
   *     caller's value
   */
  default Optional<ProcessorContent> lookupOrReserve(String key) {
    return lookup(key);
  }

  /**
   * Ends a reservation made by {@link #lookupOrReserve} without storing anything, so that a caller
   * waiting for {@code key} computes the value itself. Nothing happens when this caller holds no
   * reservation of {@code key}; the default does nothing.
   */
  default void release(String key) {}

  /**
   * A view of this cache that puts {@code prefix} in front of every key, so that two views with
   * different prefixes keep different entries for the same key. The view shares this cache's
   * storage (and so its capacity and expiry); nothing is copied.
   *
   * <p>Prefixes nest like directories: {@code cache.withKeyPrefix("a:").withKeyPrefix("b:")} stores
   * the key {@code k} as {@code a:b:k} in {@code cache}. (Python's {@code with_key_prefix} puts the
   * newest prefix first, {@code b:a:k}; keys are not shared with Python anyway, see {@link
   * ContentHash}.)
   */
  default ProcessorCache withKeyPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return prefix.isEmpty() ? this : new PrefixedCache(this, prefix);
  }

  /**
   * Computes the cache key of a processor's input: the whole input of a {@link Processor}, or a
   * single part for a {@link PartProcessor}. The default is {@link
   * ContentHash#of(ProcessorContent)}.
   *
   * <p>It must be deterministic and free of side effects: equal inputs give equal keys, in this
   * process and (for a persistent cache) the next one.
   */
  @FunctionalInterface
  interface KeyFunction {
    /** The key of {@code content}, or {@code null} when the content must not be cached. */
    @Nullable String keyOf(ProcessorContent content);
  }
}
