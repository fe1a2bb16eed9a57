package dev.genaiprocessors.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.genaiprocessors.model.Secrets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A configuration: the layered values of its {@link ConfigSource}s, read once, to bind to records.
 * Immutable and thread-safe; {@link LiveConfig} is the one that follows changes.
 *
 * <pre>{@code
 * record Model(@NotBlank String model, @Min(0) @Max(2) @Default("0.7") double temperature,
 *              Secret apiKey) {}
 * record App(Map<String, Model> models) {}
 *
 * Config config = Config.builder()
 *     .source(ConfigSource.file(Path.of("app.yaml")))
 *     .source(ConfigSource.environment("APP_"))
 *     .build();
 * App app = config.bind(App.class);                       // or config.bind("models.primary", Model.class)
 * }</pre>
 *
 * <p><b>Layers.</b> Sources are read in the order they were added and each one's values lie over
 * the previous ones': mappings merge key by key, anything else (a value, a list) replaces what lay
 * below. So add defaults first and overrides last; the usual order is files, HTTP, environment
 * variables, system properties.
 *
 * <p><b>References.</b> A text value may hold {@code ${NAME}} or {@code ${NAME:default}}, replaced
 * when bound by the system property {@code NAME}, else the environment variable {@code NAME}, else
 * the default ({@link Builder#variables} replaces this lookup); <code>$${</code> writes a literal
 * <code>${</code>. An unset name without a default is a problem like any other.
 *
 * <p><b>Binding.</b> A record binds from a mapping whose keys name its components (matched ignoring
 * case, dashes and underscores, so {@code max-tokens} binds {@code maxTokens}); records, lists,
 * sets, maps of text keys, enums (any case), {@link java.time.Duration}s ({@code 500ms}, {@code
 * 30s}, {@code 5m}, {@code 1h}, {@code PT30S}), {@link Secret}s, numbers, booleans, text, paths and
 * URIs nest freely, and text converts to the type wanted (variables are text). A component is
 * required unless it has a {@link Default}, is {@code @Nullable}, or is a collection; {@link Min},
 * {@link Max}, {@link NotBlank} and {@link Matches} check values, and the record's own constructor
 * may reject them. Every problem of a bind is reported together in one {@link ConfigException},
 * each naming the key path, the value, the rule and where the value was written.
 *
 * <p><b>Secrets.</b> Values bound as {@link Secret} never appear in messages; {@link #toString()}
 * hides the values of keys whose names say they are secret ({@code password}, {@code token}, {@code
 * secret}, {@code apiKey}, {@code credentials}, ...).
 */
public final class Config {
  private static final List<String> SECRET_ENDINGS =
      List.of(
          "password",
          "passwd",
          "secret",
          "token",
          "apikey",
          "credential",
          "credentials",
          "privatekey",
          "accesskey",
          "secretkey");

  /**
   * Whether a key's name says its value is secret, whatever its type: its loose form (lower case,
   * no dashes or underscores) ends in password, secret, token, apiKey, credentials, privateKey,
   * accessKey ({@code bearerToken}, {@code db_password}), but not {@code maxTokens}.
   */
  static boolean isSecretKey(String key) {
    String loose = Layer.loose(key);
    for (String ending : SECRET_ENDINGS) {
      if (loose.endsWith(ending)) {
        return true;
      }
    }
    return false;
  }

  private final ObjectNode root;
  private final Map<String, String> origins;
  private final Function<String, @Nullable String> variables;

  private Config(
      ObjectNode root, Map<String, String> origins, Function<String, @Nullable String> variables) {
    this.root = root;
    this.origins = origins;
    this.variables = variables;
  }

  /** A builder to which sources are added, lowest precedence first. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The whole configuration bound to {@code type}.
   *
   * @throws ConfigException listing every problem
   */
  public <T> T bind(Class<T> type) {
    return bind("", type);
  }

  /**
   * The configuration under {@code path} (dotted keys, such as {@code models.primary}; empty for
   * the whole) bound to {@code type}. A missing path binds as an empty mapping, so a record whose
   * components all have defaults still binds.
   *
   * @throws ConfigException listing every problem
   */
  public <T> T bind(String path, Class<T> type) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Binder binder = binder();
    Object value = binder.bind(node(path), type, path, false);
    if (!binder.problems.isEmpty()) {
      throw new ConfigException(binder.problems);
    }
    if (value == null) {
      throw new ConfigException(List.of(new ConfigProblem(path, "is required but missing", null)));
    }
    return type.cast(value);
  }

  /**
   * The text at {@code path} with its references resolved; empty when there is none or it is a
   * mapping or a list.
   *
   * @throws ConfigException when a reference cannot be resolved
   */
  public Optional<String> get(String path) {
    JsonNode node = node(Objects.requireNonNull(path, "path"));
    if (node == null || !node.isValueNode() || node.isNull()) {
      return Optional.empty();
    }
    Binder binder = binder();
    String text = binder.resolve(node, path, false);
    if (!binder.problems.isEmpty()) {
      throw new ConfigException(binder.problems);
    }
    return Optional.ofNullable(text);
  }

  /** Where the value at {@code path} was written ({@code app.yaml:4:18}), when known. */
  public Optional<String> origin(String path) {
    return Optional.ofNullable(origins.get(Objects.requireNonNull(path, "path")));
  }

  Binder binder() {
    return new Binder(this::nearestOrigin, variables);
  }

  ObjectNode root() {
    return root;
  }

  /** The origin of {@code path}, or of its nearest ancestor that has one. */
  @Nullable String nearestOrigin(String path) {
    String p = path;
    while (true) {
      String origin = origins.get(p);
      if (origin != null || p.isEmpty()) {
        return origin;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
  }

  /** The node at a dotted path, keys matched exactly and then loosely; null when absent. */
  @Nullable JsonNode node(String path) {
    if (path.isEmpty()) {
      return root;
    }
    JsonNode node = root;
    for (String key : path.split("\\.", -1)) {
      if (!(node instanceof ObjectNode object)) {
        return null;
      }
      JsonNode next = object.get(key);
      if (next == null) {
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
          if (Layer.loose(entry.getKey()).equals(Layer.loose(key))) {
            next = entry.getValue();
            break;
          }
        }
      }
      if (next == null) {
        return null;
      }
      node = next;
    }
    return node;
  }

  /**
   * The merged values as JSON, values of secret-looking keys replaced by {@value Secrets#REDACTED};
   * references are shown unresolved.
   */
  @Override
  public String toString() {
    return redacted(root).toString();
  }

  private static JsonNode redacted(JsonNode node) {
    if (node instanceof ObjectNode object) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> entry : object.properties()) {
        boolean secret = isSecretKey(entry.getKey());
        copy.set(
            entry.getKey(),
            secret && !entry.getValue().isContainerNode()
                ? TextNode.valueOf(Secrets.REDACTED)
                : redacted(entry.getValue()));
      }
      return copy;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      array.forEach(element -> copy.add(redacted(element)));
      return copy;
    }
    return node;
  }

  /**
   * The configuration the layers make, {@code layers.get(0)} lowest.
   *
   * @param layers what each source gave, in order of precedence (lowest first)
   */
  static Config merge(List<Layer> layers, Function<String, @Nullable String> variables) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    // Sorted, so that the paths under a key are one range: replacing a subtree costs its size.
    TreeMap<String, String> origins = new TreeMap<>();
    for (Layer layer : layers) {
      overlay(root, "", layer.root(), "", layer, new TreeMap<>(layer.origins()), origins);
    }
    return new Config(root, Map.copyOf(origins), variables);
  }

  private static void overlay(
      ObjectNode target,
      String targetPath,
      ObjectNode upper,
      String upperPath,
      Layer layer,
      NavigableMap<String, String> upperOrigins,
      NavigableMap<String, String> origins) {
    for (Map.Entry<String, JsonNode> entry : upper.properties()) {
      String key = entry.getKey();
      if (layer.relaxed() && !target.has(key)) {
        for (Iterator<String> names = target.fieldNames(); names.hasNext(); ) {
          String existing = names.next();
          if (Layer.loose(existing).equals(Layer.loose(key))) {
            key = existing;
            break;
          }
        }
      }
      String to = Layer.child(targetPath, key);
      String from = Layer.child(upperPath, entry.getKey());
      JsonNode below = target.get(key);
      if (below instanceof ObjectNode lower && entry.getValue() instanceof ObjectNode higher) {
        overlay(lower, to, higher, from, layer, upperOrigins, origins);
        continue;
      }
      if (below != null) {
        for (String path : List.copyOf(subtree(origins, to).keySet())) {
          origins.remove(path);
        }
      }
      target.set(key, entry.getValue().deepCopy());
      for (Map.Entry<String, String> origin : subtree(upperOrigins, from).entrySet()) {
        origins.put(to + origin.getKey().substring(from.length()), origin.getValue());
      }
    }
  }

  /** The entries of {@code map} at {@code path} and under it. */
  private static java.util.SortedMap<String, String> subtree(
      NavigableMap<String, String> map, String path) {
    // Children follow their parent as "path." and "path[", which sort before this bound; another
    // key that only starts with path ("path2") may sit in the range, so it is filtered out.
    java.util.SortedMap<String, String> range = map.subMap(path, path + Character.MAX_VALUE);
    if (range.keySet().stream().allMatch(p -> under(p, path))) {
      return range;
    }
    TreeMap<String, String> exact = new TreeMap<>();
    range.forEach(
        (p, o) -> {
          if (under(p, path)) {
            exact.put(p, o);
          }
        });
    return exact;
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix)
        || (path.startsWith(prefix)
            && (path.charAt(prefix.length()) == '.' || path.charAt(prefix.length()) == '['));
  }

  /** The lookup of {@code ${NAME}}: the system property, else the environment variable. */
  static @Nullable String systemVariable(String name) {
    String value = System.getProperty(name);
    return value != null ? value : System.getenv(name);
  }

  /**
   * Collects the sources of a {@link Config} (lowest precedence first) and reads them once with
   * {@link #build}, or follows them with {@link #watch}.
   */
  public static final class Builder {
    private final List<ConfigSource> sources = new ArrayList<>();
    private Function<String, @Nullable String> variables = Config::systemVariable;

    private Builder() {}

    /** Adds {@code source} above the ones added before: its values win over theirs. */
    public Builder source(ConfigSource source) {
      sources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    /**
     * How {@code ${NAME}} references are resolved: {@code variables} returns the value of a name,
     * or null when it has none. By default the system property, else the environment variable.
     */
    public Builder variables(Function<String, @Nullable String> variables) {
      this.variables = Objects.requireNonNull(variables, "variables");
      return this;
    }

    /** {@link #variables(Function)} from a map, for tests. */
    public Builder variables(Map<String, String> variables) {
      Map<String, String> copy = Map.copyOf(variables);
      return variables(copy::get);
    }

    /**
     * Reads every source once.
     *
     * @throws ConfigException listing the problems of every source that could not be read
     * @throws IllegalStateException when no source was added
     */
    public Config build() {
      try (ConfigSource.Reading reading = new ConfigSource.Reading()) {
        return read(reading, sourcesOrThrow(), new HashMap<>(), null);
      }
    }

    /**
     * A {@link LiveConfig} following these sources, whose value is the whole configuration bound to
     * {@code type}.
     *
     * @throws ConfigException when the configuration cannot be read or bound now
     */
    public <T> LiveConfig<T> watch(Class<T> type) {
      Objects.requireNonNull(type, "type");
      return watch(config -> config.bind(type));
    }

    /**
     * A {@link LiveConfig} following these sources, whose value is the configuration under {@code
     * path} bound to {@code type}.
     *
     * @throws ConfigException when the configuration cannot be read or bound now
     */
    public <T> LiveConfig<T> watch(String path, Class<T> type) {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(type, "type");
      return watch(config -> config.bind(path, type));
    }

    /**
     * A {@link LiveConfig} following these sources, whose value is what {@code binder} makes of
     * each configuration read; a binder rejects one by throwing {@link ConfigException} (any other
     * exception is reported as one).
     *
     * @throws ConfigException when the configuration cannot be read or bound now
     */
    public <T> LiveConfig<T> watch(Function<? super Config, ? extends T> binder) {
      return new LiveConfig<>(
          sourcesOrThrow(), variables, Objects.requireNonNull(binder, "binder"));
    }

    private List<ConfigSource> sourcesOrThrow() {
      if (sources.isEmpty()) {
        throw new IllegalStateException("a configuration needs at least one source but got none");
      }
      return List.copyOf(sources);
    }

    /**
     * Reads {@code sources}: those in {@code only} (all when null) anew, the others from {@code
     * cache}, which is updated; every source's problems are collected before throwing.
     */
    Config read(
        ConfigSource.Reading reading,
        List<ConfigSource> sources,
        Map<ConfigSource, Layer> cache,
        @Nullable Set<ConfigSource> only) {
      return Config.read(reading, sources, cache, only, variables);
    }
  }

  static Config read(
      ConfigSource.Reading reading,
      List<ConfigSource> sources,
      Map<ConfigSource, Layer> cache,
      @Nullable Set<ConfigSource> only,
      Function<String, @Nullable String> variables) {
    List<Layer> layers = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    Map<ConfigSource, Layer> fresh = new HashMap<>();
    for (ConfigSource source : sources) {
      Layer cached = cache.get(source);
      if (cached != null && only != null && !only.contains(source)) {
        layers.add(cached);
        continue;
      }
      try {
        Layer layer = source.read(reading);
        fresh.put(source, layer);
        layers.add(layer);
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    cache.putAll(fresh);
    return merge(layers, variables);
  }
}
