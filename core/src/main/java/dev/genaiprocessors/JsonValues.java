package dev.genaiprocessors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * JSON values as plain Java objects: {@code null}, {@link String}, {@link Boolean}, {@link Long} or
 * {@link BigInteger} for integers, {@link Double} or {@link BigDecimal} for other numbers, {@link
 * List} and {@link Map} with string keys.
 *
 * <p>Function-call arguments, function responses and part metadata hold such values. They are
 * deep-copied into unmodifiable collections and normalised to the form in which {@link PartJson}
 * reads them back, so a value compares equal to itself after a JSON round trip:
 *
 * <ul>
 *   <li>an integer is a {@code Long}, or a {@code BigInteger} when it does not fit one ({@code 1}
 *       and {@code 1L} both become {@code 1L});
 *   <li>any other number is a {@code Double} when a double holds it exactly (its shortest decimal
 *       form is the number), otherwise a {@code BigDecimal} with at least one decimal place, so
 *       that no digit is lost and a number too large for a double ({@code 1e999}) stays a number;
 *   <li>NaN and the infinities are rejected: JSON has no way to write them.
 * </ul>
 *
 * <p>A value must be a tree: a map or list that contains itself is rejected, naming the path to the
 * cycle, and so is nesting deeper than {@link #MAX_DEPTH}, which the JSON reader could not read
 * back.
 */
final class JsonValues {
  /**
   * How deep maps and lists may nest in one value (the outer map counts as 1). Jackson reads and
   * writes at most 1000 levels; a part wraps its metadata or arguments in up to 4 more.
   */
  static final int MAX_DEPTH = 990;

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private JsonValues() {}

  /** A JSON object that is already frozen: freezing it again returns it as it is. */
  private static final class FrozenObject extends AbstractMap<String, @Nullable Object> {
    private final Map<String, @Nullable Object> entries;
    private final int height; // how deep containers nest in it, itself included

    FrozenObject(Map<String, @Nullable Object> entries, int height) {
      this.entries = Collections.unmodifiableMap(entries);
      this.height = height;
    }

    @Override
    public Set<Entry<String, @Nullable Object>> entrySet() {
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

  /** A JSON array that is already frozen. */
  private static final class FrozenList extends AbstractList<@Nullable Object>
      implements RandomAccess {
    private final @Nullable Object[] elements;
    private final int height;

    FrozenList(@Nullable Object[] elements, int height) {
      this.elements = elements;
      this.height = height;
    }

    @Override
    public @Nullable Object get(int index) {
      return elements[index];
    }

    @Override
    public int size() {
      return elements.length;
    }
  }

  /** {@code map}, whose values are frozen already, as a frozen object (not copied again). */
  static Map<String, @Nullable Object> frozen(Map<String, @Nullable Object> map, String what) {
    int height = 0;
    for (Object value : map.values()) {
      height = Math.max(height, height(value));
    }
    if (height + 1 > MAX_DEPTH) {
      throw tooDeep(what);
    }
    return new FrozenObject(map, height + 1);
  }

  /** Deep, unmodifiable, normalised copy of a JSON object; {@code what} names it in errors. */
  static Map<String, @Nullable Object> freezeObject(Map<?, ?> map, String what) {
    if (map instanceof FrozenObject frozen) {
      return frozen;
    }
    return Freezer.object(map, Where.of(what));
  }

  /** Deep, unmodifiable, normalised copy of any JSON value; {@code path} names it in errors. */
  static @Nullable Object freeze(@Nullable Object value, String path) {
    return Freezer.value(value, Where.of(path));
  }

  /** One walk over a value: the containers being copied, to tell a cycle from a shared branch. */
  private static final class Freezer {
    /**
     * How deep a walk goes before it remembers containers. A container that contains itself nests
     * without end, so it gets there; the walk then starts again, remembering every container from
     * the top, so that the error names the shortest way round. The usual shallow values (metadata,
     * arguments) cost no identity map at all.
     */
    private static final int TRACK_FROM = 8;

    /** Thrown by a walk that does not remember containers once it gets {@link #TRACK_FROM} deep. */
    private static final RuntimeException TOO_DEEP_TO_TRUST =
        new RuntimeException("walk again, remembering containers", null, false, false) {
          private static final long serialVersionUID = 1L;
        };

    // The containers being copied, when this walk remembers them.
    private final @Nullable IdentityHashMap<Object, Where> open;

    private Freezer(boolean remember) {
      this.open = remember ? new IdentityHashMap<>() : null;
    }

    static FrozenObject object(Map<?, ?> map, Where path) {
      return walk(freezer -> freezer.object(map, path, 1));
    }

    static @Nullable Object value(@Nullable Object value, Where path) {
      // Depth 2: the value goes into a map (metadata, args) that is itself one level.
      return walk(freezer -> freezer.value(value, path, 2));
    }

    /** {@code walk} without remembering containers, and again remembering them if it must. */
    private static <T extends @Nullable Object> T walk(Function<Freezer, T> walk) {
      try {
        return walk.apply(new Freezer(false));
      } catch (RuntimeException e) {
        if (e != TOO_DEEP_TO_TRUST) {
          throw e;
        }
        return walk.apply(new Freezer(true));
      }
    }

    @Nullable Object value(@Nullable Object value, Where path, int depth) {
      if (value == null || value instanceof String || value instanceof Boolean) {
        return value;
      }
      if (value instanceof Number number) {
        return number(number, path);
      }
      if (value instanceof CharSequence chars) {
        return chars.toString();
      }
      if (value instanceof FrozenObject || value instanceof FrozenList) {
        if (depth - 1 + height(value) > MAX_DEPTH) {
          throw tooDeep(path);
        }
        return value;
      }
      if (value instanceof Map<?, ?> map) {
        return object(map, path, depth);
      }
      if (value instanceof List<?> list) {
        enter(list, path, depth);
        @Nullable Object[] elements = list.toArray();
        int height = 0;
        for (int i = 0; i < elements.length; i++) {
          elements[i] = value(elements[i], path.index(i), depth + 1);
          height = Math.max(height, height(elements[i]));
        }
        leave(list);
        return new FrozenList(elements, height + 1);
      }
      throw new IllegalArgumentException(
          path
              + " must be a JSON value (null, String, Boolean, Number, List or Map) but was "
              + describe(value));
    }

    FrozenObject object(Map<?, ?> map, Where path, int depth) {
      enter(map, path, depth);
      Map<String, @Nullable Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
      int height = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              path + " must have string keys but had key " + describe(e.getKey()));
        }
        Object value = value(e.getValue(), path.key(key), depth + 1);
        copy.put(key, value);
        height = Math.max(height, height(value));
      }
      leave(map);
      return new FrozenObject(copy, height + 1);
    }

    private void enter(Object container, Where path, int depth) {
      IdentityHashMap<Object, Where> containers = open;
      if (containers == null) {
        if (depth >= TRACK_FROM) {
          throw TOO_DEEP_TO_TRUST;
        }
        return;
      }
      Where outer = containers.putIfAbsent(container, path);
      if (outer != null) {
        throw new IllegalArgumentException(
            path + " is " + outer + " again: a map or list that contains itself cannot be JSON");
      }
      if (depth > MAX_DEPTH) {
        throw tooDeep(path);
      }
    }

    private void leave(Object container) {
      IdentityHashMap<Object, Where> containers = open;
      if (containers != null) {
        containers.remove(container);
      }
    }
  }

  /**
   * Where a value sits in the value being frozen or read, for error messages alone: a chain of keys
   * and indexes, rendered ({@code metadata.a.b[2]}) only when an error names it, so that a value
   * that is fine costs no string per nested value.
   */
  static final class Where {
    private final @Nullable Where parent;
    private final @Nullable String name; // the root's name, or a key
    private final int index; // an index, when name is null

    private Where(@Nullable Where parent, @Nullable String name, int index) {
      this.parent = parent;
      this.name = name;
      this.index = index;
    }

    static Where of(String root) {
      return new Where(null, root, -1);
    }

    Where key(String key) {
      return new Where(this, key, -1);
    }

    Where index(int i) {
      return new Where(this, null, i);
    }

    @Override
    public String toString() {
      // A loop, not recursion: a path may be as deep as the deepest value refused.
      ArrayDeque<Where> chain = new ArrayDeque<>();
      for (Where w = this; w != null; w = w.parent) {
        chain.push(w);
      }
      StringBuilder text = new StringBuilder();
      for (Where w : chain) {
        if (w.parent == null) {
          text.append(w.name);
        } else if (w.name != null) {
          text.append('.').append(Strings.truncated(w.name));
        } else {
          text.append('[').append(w.index).append(']');
        }
      }
      return text.toString();
    }
  }

  private static int height(@Nullable Object frozen) {
    if (frozen instanceof FrozenObject o) {
      return o.height;
    }
    return frozen instanceof FrozenList l ? l.height : 0;
  }

  private static IllegalArgumentException tooDeep(Object path) {
    return new IllegalArgumentException(
        Strings.truncated(path.toString())
            + " nests maps and lists more than "
            + MAX_DEPTH
            + " deep");
  }

  /** {@code number} in its normal form (see the class comment); {@code path} names it in errors. */
  static Number number(Number number, Object path) {
    return switch (number) {
      case Long l -> l;
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case BigInteger big -> integer(big);
      case Double d -> finite(d, path);
      // Float's own decimal form: (double) 0.1f would be 0.10000000149011612.
      case Float f -> finite(Double.valueOf(f.toString()), path);
      case BigDecimal big -> decimal(big, big.doubleValue());
      default ->
          throw new IllegalArgumentException(
              path
                  + " must be a JSON number (an Integer, Long, Double, BigDecimal, ...) but was "
                  + describe(number));
    };
  }

  private static Number integer(BigInteger big) {
    return big.bitLength() < 64 ? (Number) big.longValue() : big;
  }

  private static Double finite(Double d, Object path) {
    if (d.isNaN() || d.isInfinite()) {
      throw new IllegalArgumentException(
          path + " must be a finite number (JSON cannot hold NaN or Infinity) but was " + d);
    }
    return d;
  }

  /**
   * A non-integer number: {@code asDouble} when that double's shortest decimal form is exactly
   * {@code big} (keeping the sign of {@code -0.0}, which a BigDecimal has not), else {@code big}
   * with at least one decimal place, since a BigDecimal of scale 0 would be written as an integer.
   */
  private static Number decimal(BigDecimal big, double asDouble) {
    if (Double.isFinite(asDouble)
        && new BigDecimal(Double.toString(asDouble)).compareTo(big) == 0) {
      return asDouble;
    }
    return big.scale() == 0 ? big.setScale(1) : big;
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads the JSON value at the parser's current token (which must start one) as a frozen value,
   * with numbers in their normal form; {@code path} names it in errors.
   *
   * @throws IllegalArgumentException for a value nested deeper than {@link #MAX_DEPTH}
   */
  static @Nullable Object read(JsonParser parser, String path, int depth) throws IOException {
    return read(parser, Where.of(path), depth);
  }

  private static @Nullable Object read(JsonParser parser, Where path, int depth)
      throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new IllegalArgumentException(path + " is missing: the input ended");
    }
    switch (token) {
      case START_OBJECT -> {
        return readObject(parser, path, depth);
      }
      case START_ARRAY -> {
        if (depth > MAX_DEPTH) {
          throw tooDeep(path);
        }
        ArrayList<@Nullable Object> elements = new ArrayList<>();
        int height = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          Object element = read(parser, path.index(elements.size()), depth + 1);
          height = Math.max(height, height(element));
          elements.add(element);
        }
        return new FrozenList(elements.toArray(), height + 1);
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_TRUE -> {
        return true;
      }
      case VALUE_FALSE -> {
        return false;
      }
      case VALUE_NULL -> {
        return null;
      }
      case VALUE_NUMBER_INT -> {
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? integer(parser.getBigIntegerValue())
            : (Object) parser.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        try {
          // The double first: Jackson derives it from the BigDecimal otherwise, losing -0.0's sign.
          double asDouble = parser.getDoubleValue();
          return decimal(parser.getDecimalValue(), asDouble);
        } catch (NumberFormatException | ArithmeticException e) {
          throw new IllegalArgumentException(
              path + " is a number out of range: " + Strings.quoted(parser.getText()), e);
        }
      }
      default -> throw new IllegalArgumentException(path + " is not a JSON value but " + token);
    }
  }

  /** {@link #read} for an object at the current token (START_OBJECT). */
  static Map<String, @Nullable Object> readObject(JsonParser parser, String path, int depth)
      throws IOException {
    return readObject(parser, Where.of(path), depth);
  }

  private static Map<String, @Nullable Object> readObject(JsonParser parser, Where path, int depth)
      throws IOException {
    if (depth > MAX_DEPTH) {
      throw tooDeep(path);
    }
    Map<String, @Nullable Object> entries = new LinkedHashMap<>();
    int height = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      parser.nextToken();
      Object value = read(parser, path.key(key), depth + 1);
      height = Math.max(height, height(value));
      entries.put(key, value);
    }
    return new FrozenObject(entries, height + 1);
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
