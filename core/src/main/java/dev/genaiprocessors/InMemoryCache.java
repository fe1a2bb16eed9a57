package dev.genaiprocessors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ProcessorCache} in this JVM's memory, bounded in size, whose entries expire a fixed time
 * after they were stored. Built on Caffeine.
 *
 * <pre>{@code
 * ProcessorCache cache = InMemoryCache.create();                                // 12 h, 1000 entries
 * ProcessorCache small = InMemoryCache.create(Duration.ofMinutes(10), 100);
 * ProcessorCache forever = InMemoryCache.create(Duration.ZERO, 100);            // never expires
 * }</pre>
 *
 * <p><b>Expiry.</b> An entry expires {@code ttl} after it was last {@link #put}; an expired entry
 * is a miss at once. A zero or negative {@code ttl} means entries never expire.
 *
 * <p><b>Size.</b> When a put makes the cache hold more than {@code maxItems} entries, it evicts
 * entries until it holds {@code maxItems}. Which entries go is Caffeine's choice (W-TinyLFU): it
 * keeps the entries most likely to be used again, judged by how often their keys were used
 * recently, which is not always the least recently used one. Under concurrent puts the cache may
 * briefly hold a few more entries.
 *
 * <p><b>Threading.</b> Safe for concurrent use. Caffeine's housekeeping (eviction, removal of
 * expired entries) runs on the thread that calls {@link #put} or {@link #lookup}, never on a
 * background pool, so eviction is done when {@code put} returns.
 *
 * <p><b>Differences from the Python library.</b> Python's {@code InMemoryCache} is a {@code
 * cachetools.TTLCache}: it evicts the least recently used entry; here the eviction policy is
 * W-TinyLFU, as above. The TTL is a {@link Duration} instead of a number of hours. Views made by
 * {@link #withKeyPrefix} share this cache's storage and capacity, as Python's do (whatever its
 * docstring says).
 */
public final class InMemoryCache implements ProcessorCache {
  /** How long entries live by default: 12 hours, as in the Python library. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(12);

  /** How many entries the cache holds by default: 1000, as in the Python library. */
  public static final long DEFAULT_MAX_ITEMS = 1000;

  private final Cache<String, ProcessorContent> entries;
  private final Duration ttl;
  private final long maxItems;

  private InMemoryCache(Duration ttl, long maxItems, Ticker ticker) {
    Objects.requireNonNull(ttl, "ttl");
    if (maxItems <= 0) {
      throw new IllegalArgumentException("maxItems must be positive but was " + maxItems);
    }
    Caffeine<Object, Object> builder =
        Caffeine.newBuilder()
            .maximumSize(maxItems)
            // Housekeeping on the calling thread: no hidden pool, and eviction done when put
            // returns.
            .executor(Runnable::run)
            .ticker(ticker);
    if (ttl.isPositive()) {
      builder.expireAfterWrite(ttl);
    }
    this.entries = builder.build();
    this.ttl = ttl;
    this.maxItems = maxItems;
  }

  /** A cache of at most {@value #DEFAULT_MAX_ITEMS} entries that expire after 12 hours. */
  public static InMemoryCache create() {
    return create(DEFAULT_TTL, DEFAULT_MAX_ITEMS);
  }

  /**
   * A cache of at most {@code maxItems} entries that expire {@code ttl} after they were stored
   * ({@code ttl} zero or negative: never).
   *
   * @throws IllegalArgumentException if {@code maxItems} is not positive
   */
  public static InMemoryCache create(Duration ttl, long maxItems) {
    return new InMemoryCache(ttl, maxItems, Ticker.systemTicker());
  }

  /**
   * Like {@link #create(Duration, long)}, telling time by {@code clock}: for tests, which move a
   * fake clock instead of sleeping. In production prefer {@link #create(Duration, long)}, which
   * measures with {@link System#nanoTime()} and so is immune to wall-clock adjustments.
   *
   * @throws IllegalArgumentException if {@code maxItems} is not positive
   */
  public static InMemoryCache create(Duration ttl, long maxItems, InstantSource clock) {
    Objects.requireNonNull(clock, "clock");
    return new InMemoryCache(ttl, maxItems, () -> nanos(clock.instant()));
  }

  // Caffeine only subtracts ticker readings, so nanoseconds since the epoch (overflowing in 2262,
  // harmlessly for differences) serve.
  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  @Override
  public Optional<ProcessorContent> lookup(String key) {
    Objects.requireNonNull(key, "key");
    return Optional.ofNullable(entries.getIfPresent(key));
  }

  @Override
  public void put(String key, ProcessorContent value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    entries.put(key, value);
  }

  @Override
  public void remove(String key) {
    Objects.requireNonNull(key, "key");
    entries.invalidate(key);
  }

  /** How many entries the cache holds, after pending housekeeping; for tests. */
  long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  @Override
  public String toString() {
    return "InMemoryCache[ttl="
        + (ttl.isPositive() ? ttl : "none")
        + ", maxItems="
        + maxItems
        + "]";
  }
}
