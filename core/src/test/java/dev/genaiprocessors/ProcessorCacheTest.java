package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The SPI's own behaviour, on the smallest implementation there is (the JDBC module's will differ).
 */
class ProcessorCacheTest {
  private static final ProcessorContent VALUE = ProcessorContent.of("value");

  /** A map, and nothing else: everything beyond lookup/put/remove comes from the SPI. */
  static final class MapCache implements ProcessorCache {
    final Map<String, ProcessorContent> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<ProcessorContent> lookup(String key) {
      return Optional.ofNullable(entries.get(key));
    }

    @Override
    public void put(String key, ProcessorContent value) {
      entries.put(key, value);
    }

    @Override
    public void remove(String key) {
      entries.remove(key);
    }
  }

  @Test
  void withKeyPrefix_storesUnderThePrefixedKey_inTheSameStorage() {
    MapCache cache = new MapCache();

    cache.withKeyPrefix("p_").put("k", VALUE);

    assertThat(cache.entries).containsOnlyKeys("p_k");
    assertThat(cache.lookup("p_k")).contains(VALUE);
  }

  @Test
  void withKeyPrefix_viewsWithDifferentPrefixes_keepDifferentValuesForTheSameKey() {
    MapCache cache = new MapCache();
    ProcessorCache a = cache.withKeyPrefix("a:");
    ProcessorCache b = cache.withKeyPrefix("b:");

    a.put("k", ProcessorContent.of("value1"));
    b.put("k", ProcessorContent.of("value2"));

    assertThat(a.lookup("k")).contains(ProcessorContent.of("value1"));
    assertThat(b.lookup("k")).contains(ProcessorContent.of("value2"));
    assertThat(cache.lookup("k")).isEmpty();
  }

  @Test
  void withKeyPrefix_viewsWithTheSamePrefix_seeTheSameEntries() {
    MapCache cache = new MapCache();

    cache.withKeyPrefix("p_").put("k", VALUE);

    assertThat(cache.withKeyPrefix("p_").lookup("k")).contains(VALUE);
  }

  @Test
  void withKeyPrefix_prefixesNest_outerFirst() {
    MapCache cache = new MapCache();

    cache.withKeyPrefix("a:").withKeyPrefix("b:").put("k", VALUE);

    assertThat(cache.entries).containsOnlyKeys("a:b:k");
    assertThat(cache.withKeyPrefix("a:b:").lookup("k")).contains(VALUE);
  }

  @Test
  void withKeyPrefix_remove_removesOnlyTheViewsEntry() {
    MapCache cache = new MapCache();
    ProcessorCache view = cache.withKeyPrefix("p_");
    cache.put("k", VALUE);
    view.put("k", VALUE);

    view.remove("k");

    assertThat(view.lookup("k")).isEmpty();
    assertThat(cache.lookup("k")).contains(VALUE);
  }

  @Test
  void withKeyPrefix_emptyPrefix_isTheCacheItself() {
    MapCache cache = new MapCache();

    assertThat(cache.withKeyPrefix("")).isSameAs(cache);
  }
}
