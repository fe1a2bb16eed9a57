package dev.genaiprocessors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON values as plain Java objects: {@code null}, {@link String}, {@link Boolean}, {@link Long}
 * or {@link BigInteger} for integers, {@link Double} or {@link BigDecimal} for other numbers,
 * {@link List} and {@link Map} with string keys.
 *
 * <p>Function-call arguments, function responses and part metadata hold such values. They are
 * deep-copied into unmodifiable collections and numbers are normalised, so a value compares equal
 * to itself after a JSON round trip ({@code 1} and {@code 1L} both become {@code 1L}).
 */
final class JsonValues {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private JsonValues() {}

  /** A JSON object that is already frozen: freezing it again returns it as it is. */
  private static final class FrozenObject extends java.util.AbstractMap<String, @Nullable Object> {
    private final Map<String, @Nullable Object> entries;

    FrozenObject(Map<String, @Nullable Object> entries) {
      this.entries = Collections.unmodifiableMap(entries);
    }

    @Override
    public java.util.Set<Entry<String, @Nullable Object>> entrySet() {
      return entries.entrySet();
    }

    @Override
    public @Nullable Object get(Object key) {
      return entries.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return entries.containsKey(key);
    }

    @Override
    public int size() {
      return entries.size();
    }
  }

  /** {@code map}, whose values are frozen already, as a frozen object (not copied again). */
  static Map<String, @Nullable Object> frozen(Map<String, @Nullable Object> map) {
    return new FrozenObject(map);
  }

  /** Deep, unmodifiable, normalised copy of a JSON object; {@code what} names it in errors. */
  static Map<String, @Nullable Object> freezeObject(Map<?, ?> map, String what) {
    if (map instanceof FrozenObject frozen) {
      return frozen;
    }
    Map<String, @Nullable Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException(
            what + " must have string keys but had key " + describe(e.getKey()));
      }
      copy.put(key, freeze(e.getValue(), what + "." + key));
    }
    return new FrozenObject(copy);
  }

  /** Deep, unmodifiable, normalised copy of any JSON value; {@code path} names it in errors. */
  static @Nullable Object freeze(@Nullable Object value, String path) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long || value instanceof Double || value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return Double.valueOf(f.toString());
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    if (value instanceof CharSequence chars) {
      return chars.toString();
    }
    if (value instanceof Map<?, ?> map) {
      return freezeObject(map, path);
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(freeze(list.get(i), path + "[" + i + "]"));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        path
            + " must be a JSON value (null, String, Boolean, Number, List or Map) but was "
            + describe(value));
  }

  /** Whether {@code value} is a JSON value as {@link #freeze} accepts it (shallowly). */
  static boolean isJsonValue(@Nullable Object value) {
    return value == null
        || value instanceof CharSequence
        || value instanceof Boolean
        || value instanceof Number
        || value instanceof Map<?, ?>
        || value instanceof List<?>;
  }

  static String describe(@Nullable Object value) {
    return value == null ? "null" : "a " + value.getClass().getName();
  }
}
