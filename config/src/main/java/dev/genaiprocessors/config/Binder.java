package dev.genaiprocessors.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genaiprocessors.model.Secrets;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Binds a configuration tree to Java types, collecting every problem instead of stopping at the
 * first: records component by component (unknown keys, missing ones, {@link Min}, {@link Max},
 * {@link NotBlank}, {@link Matches}), lists, maps, enums, durations, secrets and scalars, with
 * {@code ${VAR}} references resolved in text. A value that failed leaves a {@code null} behind and
 * a {@link ConfigProblem}; the caller throws them all at once.
 */
final class Binder {
  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A record type's components and canonical constructor, looked up once per class. */
  private record Shape(List<RecordComponent> components, @Nullable Constructor<?> constructor) {}

  private static final ClassValue<Shape> SHAPES =
      new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
          RecordComponent[] components = type.getRecordComponents();
          Class<?>[] parameterTypes = new Class<?>[components.length];
          for (int i = 0; i < components.length; i++) {
            parameterTypes[i] = components[i].getType();
          }
          try {
            Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
            return new Shape(List.of(components), constructor);
          } catch (ReflectiveOperationException | RuntimeException e) {
            return new Shape(List.of(components), null);
          }
        }
      };

  private final Function<String, @Nullable String> origins;
  private final Function<String, @Nullable String> variables;
  final List<ConfigProblem> problems = new ArrayList<>();
  private final Set<String> secrets = new LinkedHashSet<>();

  /**
   * @param origins where the value at a key path was written (the nearest known ancestor's place
   *     for a missing key), or null
   * @param variables the values of {@code ${NAME}} references, null for an unknown name
   */
  Binder(Function<String, @Nullable String> origins, Function<String, @Nullable String> variables) {
    this.origins = origins;
    this.variables = variables;
  }

  /** A problem at {@code path}. */
  void problem(String path, String message) {
    problems.add(new ConfigProblem(path, Secrets.redactAll(message, secrets), origins.apply(path)));
  }

  /** Binds {@code node} (null when absent) to {@code type}; null after a problem. */
  @Nullable Object bind(@Nullable JsonNode node, Type type, String path, boolean secret) {
    Class<?> raw = rawType(type);
    if (raw.isRecord()) {
      return bindRecord(node, raw, path, secret);
    }
    if (node == null || node.isNull()) {
      return null;
    }
    if (raw == List.class || raw == Set.class) {
      return bindList(node, elementType(type, 0), path, secret, raw == Set.class);
    }
    if (raw == Map.class) {
      return bindMap(node, elementType(type, 1), path, secret);
    }
    if (raw == JsonNode.class) {
      return node;
    }
    if (!node.isValueNode()) {
      if (raw == Object.class) {
        return MAPPER.convertValue(node, Object.class);
      }
      problem(path, kind(node, secret) + " is not " + expected(raw));
      return null;
    }
    boolean isSecret = secret || raw == Secret.class;
    String text = resolve(node, path, isSecret);
    if (text == null) {
      return null;
    }
    if (isSecret) {
      secrets.add(text);
    }
    String shown = isSecret ? Secrets.REDACTED : show(node, text);
    return scalar(raw, text, shown, path);
  }

  /** The text of a scalar with its references resolved; null after a problem. */
  @Nullable String resolve(JsonNode node, String path, boolean secret) {
    String raw = node.asText();
    if (!node.isTextual() || !raw.contains("$")) {
      return raw;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < raw.length()) {
      if (raw.startsWith("$${", i)) {
        out.append("${");
        i += 3;
        continue;
      }
      if (!raw.startsWith("${", i)) {
        out.append(raw.charAt(i++));
        continue;
      }
      int end = raw.indexOf('}', i);
      if (end < 0) {
        problem(path, show(raw, secret) + " has a ${ without its closing }");
        return null;
      }
      String reference = raw.substring(i + 2, end);
      int colon = reference.indexOf(':');
      String name = colon < 0 ? reference : reference.substring(0, colon);
      if (!name.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
        problem(path, "${" + reference + "} does not name a variable");
        return null;
      }
      String value = variables.apply(name);
      if (value == null && colon >= 0) {
        value = reference.substring(colon + 1);
      }
      if (value == null) {
        problem(
            path,
            "${"
                + name
                + "} is not set (no system property or environment variable "
                + name
                + ", and no default)");
        return null;
      }
      out.append(value);
      i = end + 1;
    }
    return out.toString();
  }

  private @Nullable Object scalar(Class<?> raw, String text, String shown, String path) {
    if (raw == String.class || raw == Object.class || raw == CharSequence.class) {
      return text;
    }
    if (raw == Secret.class) {
      return Secret.of(text);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(text);
      }
      problem(path, shown + " is not true or false");
      return null;
    }
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      boolean isInt = raw == int.class || raw == Integer.class;
      BigDecimal number = number(text);
      if (number == null) {
        problem(path, shown + " is not a whole number");
        return null;
      }
      try {
        long value = number.longValueExact();
        if (isInt && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
          problem(path, shown + " is too large for a whole number of 32 bits");
          return null;
        }
        return isInt ? (Object) (int) value : (Object) value;
      } catch (ArithmeticException e) {
        problem(
            path,
            shown
                + (number.stripTrailingZeros().scale() > 0
                    ? " is not a whole number"
                    : " is too large for a whole number of 64 bits"));
        return null;
      }
    }
    if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
      BigDecimal number = number(text);
      if (number == null) {
        problem(path, shown + " is not a number");
        return null;
      }
      return raw == float.class || raw == Float.class
          ? (Object) number.floatValue()
          : (Object) number.doubleValue();
    }
    if (raw.isEnum()) {
      String wanted = Layer.loose(text);
      List<String> names = new ArrayList<>();
      for (Object constant : raw.getEnumConstants()) {
        String name = ((Enum<?>) constant).name();
        if (Layer.loose(name).equals(wanted)) {
          return constant;
        }
        names.add(name.toLowerCase(Locale.ROOT));
      }
      problem(path, shown + " is not one of " + String.join(", ", names));
      return null;
    }
    if (raw == Duration.class) {
      Duration duration = duration(text);
      if (duration == null) {
        problem(path, shown + " is not a duration (such as 500ms, 30s, 5m, 1h or PT30S)");
      }
      return duration;
    }
    if (raw == Path.class) {
      try {
        return Path.of(text);
      } catch (java.nio.file.InvalidPathException e) {
        problem(path, shown + " is not a file path: " + e.getReason());
        return null;
      }
    }
    if (raw == URI.class) {
      try {
        return new URI(text);
      } catch (URISyntaxException e) {
        problem(path, shown + " is not a URI: " + e.getReason());
        return null;
      }
    }
    try {
      return MAPPER.convertValue(JsonNodeFactory.instance.textNode(text), raw);
    } catch (IllegalArgumentException e) {
      problem(path, shown + " is not " + expected(raw));
      return null;
    }
  }

  private static @Nullable BigDecimal number(String text) {
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * {@code 500ms}, {@code 30s}, {@code 1.5m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT30S}).
   */
  static @Nullable Duration duration(String text) {
    String t = text.strip();
    if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return Duration.parse(t);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    Matcher m = DURATION.matcher(t);
    if (!m.matches()) {
      return null;
    }
    BigDecimal amount = new BigDecimal(m.group(1));
    long nanosPerUnit =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "ns" -> 1L;
          case "us" -> 1_000L;
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          default -> 86_400_000_000_000L;
        };
    try {
      return Duration.ofNanos(amount.multiply(BigDecimal.valueOf(nanosPerUnit)).longValueExact());
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private @Nullable Object bindList(
      JsonNode node, Type element, String path, boolean secret, boolean asSet) {
    List<@Nullable Object> values = new ArrayList<>();
    int before = problems.size();
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        values.add(bind(node.get(i), element, Layer.element(path, i), secret));
      }
    } else if (node.isTextual()) {
      // A list written as one text, as an environment variable must: "a, b, c".
      String text = resolve(node, path, secret);
      if (text == null) {
        return null;
      }
      String[] items = text.split(",", -1);
      for (int i = 0; i < items.length; i++) {
        values.add(
            bind(
                JsonNodeFactory.instance.textNode(items[i].strip()),
                element,
                Layer.element(path, i),
                secret));
      }
    } else {
      problem(path, kind(node, secret) + " is not a list");
      return null;
    }
    if (problems.size() > before) {
      return null;
    }
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        problem(Layer.element(path, i), "is empty, and a list holds no empty element");
        return null;
      }
    }
    @SuppressWarnings("NullAway") // checked just above
    List<Object> checked = List.copyOf(values);
    return asSet ? Set.copyOf(new LinkedHashSet<>(checked)) : checked;
  }

  private @Nullable Object bindMap(JsonNode node, Type valueType, String path, boolean secret) {
    if (!node.isObject()) {
      problem(path, kind(node, secret) + " is not a mapping of keys");
      return null;
    }
    Map<String, Object> values = new LinkedHashMap<>();
    int before = problems.size();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String child = Layer.child(path, entry.getKey());
      Object value =
          bind(entry.getValue(), valueType, child, secret || Config.isSecretKey(entry.getKey()));
      if (value == null && problems.size() == before) {
        problem(child, "is empty, and a mapping holds no empty value");
      } else if (value != null) {
        values.put(entry.getKey(), value);
      }
    }
    return problems.size() > before ? null : java.util.Collections.unmodifiableMap(values);
  }

  private @Nullable Object bindRecord(
      @Nullable JsonNode node, Class<?> type, String path, boolean secret) {
    if (node == null || node.isNull()) {
      node = JsonNodeFactory.instance.objectNode();
    }
    if (!(node instanceof ObjectNode object)) {
      problem(path, kind(node, secret) + " is not a mapping of keys");
      return null;
    }
    List<RecordComponent> components = SHAPES.get(type).components();
    Map<String, String> looseNames = new LinkedHashMap<>();
    for (RecordComponent component : components) {
      looseNames.put(Layer.loose(component.getName()), component.getName());
    }
    // Which key gives which component: the exact name, else the loose one (max-tokens, MAXTOKENS).
    Map<String, List<String>> keysOf = new LinkedHashMap<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      String component = looseNames.containsValue(key) ? key : looseNames.get(Layer.loose(key));
      if (component == null) {
        problem(Layer.child(path, key), unknownKey(key, looseNames.values()));
        continue;
      }
      keysOf.computeIfAbsent(component, k -> new ArrayList<>()).add(key);
    }
    int before = problems.size();
    @Nullable Object[] arguments = new @Nullable Object[components.size()];
    boolean complete = true;
    for (int i = 0; i < components.size(); i++) {
      RecordComponent component = components.get(i);
      String name = component.getName();
      List<String> keys = keysOf.getOrDefault(name, List.of());
      if (keys.size() > 1) {
        problem(
            Layer.child(path, keys.get(1)),
            "is given twice (as " + String.join(" and ", keys) + ")");
        complete = false;
        continue;
      }
      String key = keys.isEmpty() ? name : keys.get(0);
      String child = Layer.child(path, key);
      JsonNode value = keys.isEmpty() ? null : object.get(key);
      Default fallback = component.getAnnotation(Default.class);
      if ((value == null || value.isNull()) && fallback != null) {
        value = JsonNodeFactory.instance.textNode(fallback.value());
      }
      Class<?> raw = component.getType();
      boolean nullable = hasNullable(component) || hasNullable(component.getAnnotatedType());
      if ((value == null || value.isNull()) && !raw.isRecord()) {
        if (raw == List.class) {
          arguments[i] = nullable ? null : List.of();
        } else if (raw == Set.class) {
          arguments[i] = nullable ? null : Set.of();
        } else if (raw == Map.class) {
          arguments[i] = nullable ? null : Map.of();
        } else if (!nullable) {
          problem(child, "is required but missing");
          complete = false;
        }
        continue;
      }
      if ((value == null || value.isNull()) && raw.isRecord() && nullable) {
        continue;
      }
      int problemsBefore = problems.size();
      // A component named like a secret (password, token, apiKey) is shown as one even when it
      // is plain text: its value stays out of every message.
      boolean secretName = Config.isSecretKey(name);
      Object bound = bind(value, component.getGenericType(), child, secretName);
      if (bound == null || problems.size() > problemsBefore) {
        complete = false;
        continue;
      }
      if (!check(component, bound, child)) {
        complete = false;
        continue;
      }
      arguments[i] = bound;
    }
    if (!complete || problems.size() > before) {
      return null;
    }
    return construct(type, arguments, path);
  }

  private @Nullable Object construct(Class<?> type, @Nullable Object[] arguments, String path) {
    Constructor<?> constructor = SHAPES.get(type).constructor();
    if (constructor == null) {
      problem(
          path,
          "cannot be built as "
              + type.getName()
              + ": its constructor is not accessible; in a named module, open its package to"
              + " dev.genaiprocessors.config");
      return null;
    }
    try {
      return constructor.newInstance(arguments);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      String message =
          cause == null || cause.getMessage() == null ? String.valueOf(cause) : cause.getMessage();
      problem(path, "rejected by " + type.getSimpleName() + ": " + message);
      return null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      problem(path, "cannot be built as " + type.getName() + ": " + e);
      return null;
    }
  }

  /** Applies the rules annotated on {@code component}; false after a problem. */
  private boolean check(RecordComponent component, Object value, String path) {
    boolean secret = value instanceof Secret || Config.isSecretKey(component.getName());
    String text = value instanceof Secret s ? s.reveal() : null;
    boolean ok = true;
    Min min = component.getAnnotation(Min.class);
    Max max = component.getAnnotation(Max.class);
    if ((min != null || max != null) && value instanceof Number number) {
      boolean whole = !(value instanceof Double || value instanceof Float);
      double v = number.doubleValue();
      if (min != null && v < min.value()) {
        problem(path, show(number, whole) + " is below " + bound(min.value(), whole));
        ok = false;
      }
      if (max != null && v > max.value()) {
        problem(path, show(number, whole) + " is above " + bound(max.value(), whole));
        ok = false;
      }
    }
    if (value instanceof String s) {
      text = s;
    }
    if (text != null && component.getAnnotation(NotBlank.class) != null && text.isBlank()) {
      problem(path, show(text, secret) + " is blank");
      ok = false;
    }
    Matches matches = component.getAnnotation(Matches.class);
    if (text != null && matches != null) {
      try {
        if (!Pattern.compile(matches.value()).matcher(text).matches()) {
          problem(path, show(text, secret) + " does not match " + matches.value());
          ok = false;
        }
      } catch (PatternSyntaxException e) {
        problem(path, "cannot be checked: @Matches holds a bad pattern: " + e.getDescription());
        ok = false;
      }
    }
    return ok;
  }

  private static String show(Number number, boolean whole) {
    return whole ? String.valueOf(number.longValue()) : String.valueOf(number.doubleValue());
  }

  private static String bound(double bound, boolean whole) {
    return whole && bound == Math.rint(bound)
        ? String.valueOf((long) bound)
        : String.valueOf(bound);
  }

  private static String unknownKey(String key, java.util.Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : known) {
      int d = distance(Layer.loose(key), Layer.loose(name));
      if (d < bestDistance) {
        bestDistance = d;
        best = name;
      }
    }
    if (best != null && bestDistance <= Math.max(1, Math.min(3, key.length() / 3))) {
      return "is not a known key; did you mean " + best + "?";
    }
    return known.isEmpty()
        ? "is not a known key; none is expected here"
        : "is not a known key; the known keys are " + String.join(", ", known);
  }

  /** Levenshtein distance, for "did you mean". */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** How a scalar is shown in a message: text quoted, numbers and booleans as they are. */
  static String show(JsonNode node, String text) {
    return node.isTextual() ? show(text, false) : text;
  }

  static String show(String text, boolean secret) {
    if (secret) {
      return Secrets.REDACTED;
    }
    String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    return "\"" + shown.replace("\n", "\\n") + "\"";
  }

  /** {@link #kind(JsonNode)}, a scalar shown as {@value Secrets#REDACTED} when secret. */
  static String kind(JsonNode node, boolean secret) {
    return secret && node.isValueNode() ? Secrets.REDACTED : kind(node);
  }

  /** What a value is, for messages: "a mapping", "a list", or the scalar itself. */
  static String kind(JsonNode node) {
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    return node.isTextual() ? show(node.asText(), false) : node.asText();
  }

  private static String expected(Class<?> raw) {
    if (raw == String.class || raw == Secret.class) {
      return "text";
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return "true or false";
    }
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      return "a whole number";
    }
    if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
      return "a number";
    }
    if (raw == Duration.class) {
      return "a duration";
    }
    return "a " + raw.getSimpleName();
  }

  static Class<?> rawType(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return rawType(p.getRawType());
    }
    if (type instanceof WildcardType w) {
      return rawType(w.getUpperBounds()[0]);
    }
    return Object.class;
  }

  private static Type elementType(Type type, int index) {
    if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
      return p.getActualTypeArguments()[index];
    }
    return Object.class;
  }

  /**
   * Whether {@code element} carries an annotation named {@code Nullable}, from whichever library
   * (JSpecify's is a type-use annotation, older ones are declaration annotations).
   */
  static boolean hasNullable(AnnotatedElement element) {
    for (Annotation annotation : element.getAnnotations()) {
      if (annotation.annotationType().getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    return false;
  }
}
