package dev.genaiprocessors;

import java.util.Objects;
import java.util.Optional;

/**
 * The view {@link ProcessorCache#withKeyPrefix} returns: every key gets {@code prefix} in front.
 */
record PrefixedCache(ProcessorCache delegate, String prefix) implements ProcessorCache {
  @Override
  public Optional<ProcessorContent> lookup(String key) {
    return delegate.lookup(prefix + Objects.requireNonNull(key, "key"));
  }

  @Override
  public void put(String key, ProcessorContent value) {
    delegate.put(prefix + Objects.requireNonNull(key, "key"), value);
  }

  @Override
  public void remove(String key) {
    delegate.remove(prefix + Objects.requireNonNull(key, "key"));
  }

  @Override
  public Optional<ProcessorContent> lookupOrReserve(String key) {
    return delegate.lookupOrReserve(prefix + Objects.requireNonNull(key, "key"));
  }

  @Override
  public void release(String key) {
    delegate.release(prefix + Objects.requireNonNull(key, "key"));
  }

  @Override
  public String toString() {
    return delegate + ".withKeyPrefix(" + prefix + ")";
  }
}
