package dev.genaiprocessors.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads a model's arguments into Java values, checking them against the declared schema first, so a
 * model that sent something else gets an error naming the argument at fault.
 *
 * <p>Every failure is an {@link IllegalArgumentException} whose message starts with {@code argument
 * '<path>'} (or {@code unknown argument '<path>'}), the path in the form {@code
 * trip.stops[1].city}.
 */
final class Arguments {
  private Arguments() {}

  /**
   * Integral floating-point numbers as integers ({@code 3.0} as {@code 3}), deeply: models and JSON
   * decoders often send whole numbers that way (the Python library converts them too). Other values
   * are unchanged.
   */
  static @Nullable Object normalise(@Nullable Object value) {
    if (value instanceof Double d && !d.isInfinite() && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
      return d.longValue();
    }
    if (value instanceof Float f && !f.isInfinite() && f == Math.rint(f) && Math.abs(f) < 0x1p24) {
      return (long) f.floatValue();
    }
    if (value instanceof BigDecimal d && (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0)) {
      return d.toBigIntegerExact();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, @Nullable Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, normalise(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(normalise(v)));
      return copy;
    }
    return value;
  }

  /**
   * Checks that every argument the schema requires is present and not null, recursively through
   * objects and arrays (following {@code $ref}s into {@code $defs}).
   *
   * @throws IllegalArgumentException naming the first missing or null argument
   */
  static void checkRequired(
      Map<String, @Nullable Object> schema, Map<String, @Nullable Object> arguments) {
    check(schema, schema, arguments, "");
  }

  private static void check(
      Map<String, @Nullable Object> root,
      @Nullable Object schemaValue,
      @Nullable Object value,
      String path) {
    Map<String, @Nullable Object> schema = resolve(root, schemaValue);
    if (schema == null) {
      return;
    }
    if (value instanceof Map<?, ?> object
        && schema.get("properties") instanceof Map<?, ?> properties) {
      if (schema.get("required") instanceof List<?> required) {
        for (Object name : required) {
          String child = join(path, String.valueOf(name));
          if (!object.containsKey(name)) {
            throw new IllegalArgumentException("argument '" + child + "' is required but missing");
          }
          if (object.get(name) == null) {
            throw new IllegalArgumentException("argument '" + child + "' is required but was null");
          }
        }
      }
      for (Map.Entry<?, ?> entry : object.entrySet()) {
        Object property = properties.get(entry.getKey());
        if (property != null) {
          check(root, property, entry.getValue(), join(path, String.valueOf(entry.getKey())));
        }
      }
    } else if (value instanceof List<?> list && schema.get("items") != null) {
      for (int i = 0; i < list.size(); i++) {
        check(root, schema.get("items"), list.get(i), path + "[" + i + "]");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static @Nullable Map<String, @Nullable Object> resolve(
      Map<String, @Nullable Object> root, @Nullable Object schemaValue) {
    Object current = schemaValue;
    // A chain of references is short; the bound only guards against a reference to itself.
    for (int hops = 0; hops < 32 && current instanceof Map<?, ?> map; hops++) {
      if (!(map.get("$ref") instanceof String ref) || !ref.startsWith("#/")) {
        return (Map<String, @Nullable Object>) map;
      }
      Object target = root;
      for (String segment : ref.substring(2).split("/", -1)) {
        target =
            target instanceof Map<?, ?> m
                ? m.get(segment.replace("~1", "/").replace("~0", "~"))
                : null;
      }
      current = target;
    }
    return null;
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /**
   * {@code value} (an argument, or the whole arguments object) read as {@code type}; absent or null
   * reads as an empty {@code Optional} for optional types and as {@code null} otherwise.
   *
   * @param path where {@code value} sits in the arguments ({@code ""} for the whole object)
   * @throws IllegalArgumentException when the value does not fit the type, naming the argument
   */
  static @Nullable Object read(@Nullable Object value, JavaType type, String path) {
    if (value == null) {
      return empty(type.getRawClass());
    }
    try {
      JsonNode tree = Schemas.MAPPER.valueToTree(value);
      return Schemas.MAPPER.readerFor(type).readValue(tree);
    } catch (JsonMappingException e) {
      throw invalid(e, value, path);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "argument '"
              + (path.isEmpty() ? "arguments" : path)
              + "' could not be read: "
              + e.getMessage(),
          e);
    }
  }

  private static @Nullable Object empty(Class<?> type) {
    if (type == Optional.class) {
      return Optional.empty();
    } else if (type == OptionalInt.class) {
      return OptionalInt.empty();
    } else if (type == OptionalLong.class) {
      return OptionalLong.empty();
    } else if (type == OptionalDouble.class) {
      return OptionalDouble.empty();
    }
    return null;
  }

  private static IllegalArgumentException invalid(
      JsonMappingException e, Object value, String prefix) {
    StringBuilder path = new StringBuilder(prefix);
    Object at = value;
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getFieldName());
        at = at instanceof Map<?, ?> map ? map.get(reference.getFieldName()) : null;
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
        at =
            at instanceof List<?> list && reference.getIndex() < list.size()
                ? list.get(reference.getIndex())
                : null;
      }
    }
    String name = path.isEmpty() ? "arguments" : path.toString();
    String message;
    if (e instanceof UnrecognizedPropertyException unknown) {
      String known =
          unknown.getKnownPropertyIds() == null
              ? ""
              : unknown.getKnownPropertyIds().stream()
                  .map(String::valueOf)
                  .sorted()
                  .collect(Collectors.joining(", ", " (expected one of: ", ")"));
      message = "unknown argument '" + name + "'" + known;
    } else if (e instanceof InvalidFormatException format) {
      message =
          "argument '"
              + name
              + "' must be "
              + expected(format.getTargetType())
              + " but was "
              + json(format.getValue());
    } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      message =
          "argument '"
              + name
              + "' must be "
              + expected(mismatch.getTargetType())
              + " but was "
              + json(at);
    } else {
      message = "argument '" + name + "' is invalid: " + e.getOriginalMessage();
    }
    return new IllegalArgumentException(message, e);
  }

  /** What a value of {@code type} looks like in JSON, for an error message. */
  private static String expected(@Nullable Class<?> type) {
    if (type == null) {
      return "a valid value";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).toList();
    }
    if (type == int.class
        || type == long.class
        || type == short.class
        || type == byte.class
        || type == Integer.class
        || type == Long.class
        || type == Short.class
        || type == Byte.class
        || type == BigInteger.class
        || type == OptionalInt.class
        || type == OptionalLong.class) {
      return "an integer";
    }
    if (type == double.class
        || type == float.class
        || type == Double.class
        || type == Float.class
        || type == BigDecimal.class
        || type == OptionalDouble.class
        || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "a boolean";
    }
    if (CharSequence.class.isAssignableFrom(type)
        || type == char.class
        || type == Character.class) {
      return "a string";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (TemporalAccessor.class.isAssignableFrom(type)) {
      return "an ISO-8601 " + type.getSimpleName();
    }
    return "an object (" + type.getSimpleName() + ")";
  }

  static String json(@Nullable Object value) {
    try {
      return Schemas.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }
}
