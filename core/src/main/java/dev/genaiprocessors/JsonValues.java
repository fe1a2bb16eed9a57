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

  /**
   * A JSON object that is already frozen: freezing it again returns it as it is. Its entries sit in
   * two arrays in insertion order, found by a scan while there are few (metadata, arguments and
   * results mostly hold a handful) and through an index built on first use when there are more;
   * copying one costs two array copies, not a hash table of entry nodes.
   */
  private static final class FrozenObject extends AbstractMap<String, @Nullable Object> {
    /** The size from which lookups go through an index rather than a scan. */
    private static final int INDEX_FROM = 9;

    private final String[] keys;
    private final @Nullable Object[] values;
    private final int height; // how deep containers nest in it, itself included
    private @Nullable Map<String, Integer> index; // built on first lookup, when large

    /** Takes the arrays, which hold distinct keys and nothing after them; no copy. */
    private FrozenObject(String[] keys, @Nullable Object[] values, int height) {
      this.keys = keys;
      this.values = values;
      this.height = height;
    }

    private int indexOf(@Nullable Object key) {
      if (keys.length < INDEX_FROM) {
        for (int i = 0; i < keys.length; i++) {
          if (keys[i].equals(key)) {
            return i;
          }
        }
        return -1;
      }
      Map<String, Integer> lookup = index;
      if (lookup == null) {
        // Racy but safe: every thread builds the same map from final arrays.
        Map<String, Integer> built = new java.util.HashMap<>(keys.length * 2);
        for (int i = 0; i < keys.length; i++) {
          built.put(keys[i], i);
        }
        lookup = Collections.unmodifiableMap(built);
        index = lookup;
      }
      Integer at = lookup.get(key);
      return at == null ? -1 : at;
    }

    @Override
    public @Nullable Object get(Object key) {
      int i = indexOf(key);
      return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
      return indexOf(key) >= 0;
    }

    @Override
    public int size() {
      return keys.length;
    }

    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super @Nullable Object> f) {
      for (int i = 0; i < keys.length; i++) {
        f.accept(keys[i], values[i]);
      }
    }

    @Override
    public Set<Entry<String, @Nullable Object>> entrySet() {
      return new java.util.AbstractSet<>() {
        @Override
        public java.util.Iterator<Entry<String, @Nullable Object>> iterator() {
          return new java.util.Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < keys.length;
            }

            @Override
            public Entry<String, @Nullable Object> next() {
              if (next >= keys.length) {
                throw new java.util.NoSuchElementException();
              }
              int i = next++;
              return new SimpleImmutableEntry<>(keys[i], values[i]);
            }
          };
        }

        @Override
        public int size() {
          return keys.length;
        }
      };
    }
  }

  /**
   * Collects a frozen object's entries in insertion order; a key put again keeps its first place
   * and takes the new value, as a {@link LinkedHashMap} does.
   */
  static final class ObjectBuilder {
    private String[] keys;
    private @Nullable Object[] values;
    private int size;
    private int height;
    private java.util.@Nullable HashMap<String, Integer> index; // once the entries are many

    ObjectBuilder(int expected) {
      keys = new String[expected];
      values = new Object[expected];
    }

    /** Adds or replaces {@code key}; {@code value} is frozen already. */
    void put(String key, @Nullable Object value) {
      put(key, value, false);
    }

    /**
     * {@link #put}, told whether {@code key} is known to be new (the entries come from a map that
     * holds each key once by {@code equals}), which spares the search for it.
     */
    void put(String key, @Nullable Object value, boolean known) {
      height = Math.max(height, height(value));
      int at = known && index == null ? -1 : find(key);
      if (at >= 0) {
        values[at] = value;
        return;
      }
      if (size == keys.length) {
        int capacity = Math.max(4, size * 2);
        keys = java.util.Arrays.copyOf(keys, capacity);
        values = java.util.Arrays.copyOf(values, capacity);
      }
      keys[size] = key;
      values[size] = value;
      if (index != null) {
        index.put(key, size);
      }
      size++;
    }

    private int find(String key) {
      if (index == null && size < FrozenObject.INDEX_FROM) {
        for (int i = 0; i < size; i++) {
          if (keys[i].equals(key)) {
            return i;
          }
        }
        return -1;
      }
      if (index == null) {
        index = new java.util.HashMap<>(size * 4);
        for (int i = 0; i < size; i++) {
          index.put(keys[i], i);
        }
      }
      Integer at = index.get(key);
      return at == null ? -1 : at;
    }

    /** The frozen object; {@code what} names it when it nests too deep. */
    FrozenObject build(Object what) {
      if (height + 1 > MAX_DEPTH) {
        throw tooDeep(what);
      }
      String[] k = size == keys.length ? keys : java.util.Arrays.copyOf(keys, size);
      @Nullable Object[] v = size == values.length ? values : java.util.Arrays.copyOf(values, size);
      return new FrozenObject(k, v, height + 1);
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

  /** {@code map}, whose values are frozen already, as a frozen object (its entries copied). */
  static Map<String, @Nullable Object> frozen(Map<String, @Nullable Object> map, String what) {
    ObjectBuilder entries = new ObjectBuilder(map.size());
    map.forEach(entries::put);
    return entries.build(what);
  }

  /**
   * {@code frozen} (a frozen object, or any map of frozen values) with {@code key} added or its
   * value replaced by {@code value}, which is frozen already; {@code what} names it in errors.
   */
  static Map<String, @Nullable Object> with(
      Map<String, @Nullable Object> frozen, String key, @Nullable Object value, String what) {
    if (frozen instanceof FrozenObject object) {
      int at = object.indexOf(key);
      int size = object.keys.length;
      String[] keys = java.util.Arrays.copyOf(object.keys, at < 0 ? size + 1 : size);
      @Nullable Object[] values = java.util.Arrays.copyOf(object.values, keys.length);
      keys[at < 0 ? size : at] = key;
      values[at < 0 ? size : at] = value;
      int height = at < 0 ? object.height - 1 : 0;
      if (at >= 0) {
        for (Object v : values) {
          height = Math.max(height, height(v));
        }
      }
      height = Math.max(height, height(value));
      if (height + 1 > MAX_DEPTH) {
        throw tooDeep(what);
      }
      return new FrozenObject(keys, values, height + 1);
    }
    ObjectBuilder entries = new ObjectBuilder(frozen.size() + 1);
    frozen.forEach(entries::put);
    entries.put(key, value);
    return entries.build(what);
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

  /**
   * {@link #freeze} for the value of {@code key} in the object named {@code root} ({@code
   * "metadata"}): its path ({@code metadata.key}) is only spelled out when the value needs it.
   */
  static @Nullable Object freeze(@Nullable Object value, String root, String key) {
    Object leaf = Freezer.leaf(value);
    return leaf != Freezer.NOT_A_LEAF ? leaf : Freezer.value(value, Where.of(root).key(key));
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

    /** What {@link #leaf} answers for a value that needs {@link #value} and its path. */
    static final Object NOT_A_LEAF = new Object();

    /**
     * The frozen form of the commonest leaves (no container, no number to check or normalise but
     * for widening an int), found without naming their path; {@link #NOT_A_LEAF} for the rest.
     */
    static @Nullable Object leaf(@Nullable Object value) {
      if (value == null || value instanceof String || value instanceof Boolean) {
        return value;
      }
      if (value instanceof Long) {
        return value;
      }
      if (value instanceof Integer i) {
        return i.longValue();
      }
      if (value instanceof Double d && Double.isFinite(d)) {
        return d;
      }
      return NOT_A_LEAF;
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
          Object leaf = leaf(elements[i]);
          elements[i] = leaf != NOT_A_LEAF ? leaf : value(elements[i], path.index(i), depth + 1);
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
      ObjectBuilder copy = new ObjectBuilder(map.size());
      // These hold each key once by equals (an IdentityHashMap, say, may hold "a" twice).
      boolean distinct = map instanceof java.util.HashMap;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              path + " must have string keys but had key " + describe(e.getKey()));
        }
        Object value = e.getValue();
        Object leaf = leaf(value);
        copy.put(key, leaf != NOT_A_LEAF ? leaf : value(value, path.key(key), depth + 1), distinct);
      }
      leave(map);
      return copy.build(path);
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
    ObjectBuilder entries = new ObjectBuilder(4);
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      parser.nextToken();
      entries.put(key, read(parser, path.key(key), depth + 1));
    }
    return entries.build(path);
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
