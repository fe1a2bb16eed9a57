package dev.genaiprocessors.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor types a YAML {@link Pipeline} may name, by name: those found through {@link
 * ServiceLoader} ({@link #load()}) or given explicitly ({@link #of}, {@link #with}).
 *
 * <pre>{@code
 * ProcessorRegistry registry = ProcessorRegistry.load().with(new TranslateType());
 * Files.writeString(Path.of("pipeline.schema.json"), registry.jsonSchema());   // for editors
 * try (Pipeline pipeline = Pipeline.load(Path.of("pipeline.yaml"), registry)) { ... }
 * }</pre>
 *
 * <p>With the {@code config} module come {@code identity} and {@code template} (core), and, when
 * their modules are present, {@code openai}, {@code http} and {@code resilience}. Immutable.
 */
public final class ProcessorRegistry {
  private static final Logger log = LoggerFactory.getLogger(ProcessorRegistry.class);

  private final Map<String, ProcessorType<?>> types;

  private ProcessorRegistry(Map<String, ProcessorType<?>> types) {
    this.types = Collections.unmodifiableMap(new TreeMap<>(types));
  }

  /**
   * The types registered as services, seen by the class loader of this class (the module layer's
   * services on the module path). A type whose class cannot be loaded, because a module it needs is
   * missing, is skipped.
   *
   * @throws IllegalStateException when two types share a name, or one has a bad name
   */
  public static ProcessorRegistry load() {
    return load(ServiceLoader.load(ProcessorType.class, ProcessorRegistry.class.getClassLoader()));
  }

  /** {@link #load()} through {@code loader}. */
  public static ProcessorRegistry load(ClassLoader loader) {
    return load(ServiceLoader.load(ProcessorType.class, Objects.requireNonNull(loader, "loader")));
  }

  @SuppressWarnings("rawtypes")
  private static ProcessorRegistry load(ServiceLoader<ProcessorType> loader) {
    List<ProcessorType<?>> found = new ArrayList<>();
    for (ServiceLoader.Provider<ProcessorType> provider : loader.stream().toList()) {
      try {
        found.add(provider.get());
      } catch (ServiceConfigurationError | LinkageError e) {
        log.debug("processor type {} skipped: {}", provider.type().getName(), e.toString());
      }
    }
    return of(found);
  }

  /**
   * The registry of exactly {@code types}.
   *
   * @throws IllegalStateException when two types share a name, or one has a bad name
   */
  public static ProcessorRegistry of(ProcessorType<?>... types) {
    return of(List.of(types));
  }

  private static ProcessorRegistry of(List<ProcessorType<?>> types) {
    Map<String, ProcessorType<?>> byName = new TreeMap<>();
    for (ProcessorType<?> type : types) {
      add(byName, type);
    }
    return new ProcessorRegistry(byName);
  }

  private static void add(Map<String, ProcessorType<?>> byName, ProcessorType<?> type) {
    String name = Objects.requireNonNull(type.name(), "name");
    if (!name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalStateException(
          "a processor type's name must be lower case letters, digits and dashes, starting with a"
              + " letter, but "
              + type.getClass().getName()
              + " is called '"
              + name
              + "'");
    }
    ProcessorType<?> previous = byName.put(name, type);
    if (previous != null) {
      throw new IllegalStateException(
          "two processor types are called '"
              + name
              + "': "
              + previous.getClass().getName()
              + " and "
              + type.getClass().getName());
    }
  }

  /**
   * This registry plus {@code type}.
   *
   * @throws IllegalStateException when a type of that name is already registered
   */
  public ProcessorRegistry with(ProcessorType<?> type) {
    Map<String, ProcessorType<?>> byName = new TreeMap<>(types);
    add(byName, Objects.requireNonNull(type, "type"));
    return new ProcessorRegistry(byName);
  }

  /** The names of the registered types, sorted. */
  public Set<String> names() {
    return types.keySet();
  }

  /** The type called {@code name}. */
  public Optional<ProcessorType<?>> type(String name) {
    return Optional.ofNullable(types.get(Objects.requireNonNull(name, "name")));
  }

  /**
   * The JSON Schema (draft 2020-12) of pipeline files built from these types, generated from their
   * settings records: give it to an editor for completion and checking as you type.
   */
  public String jsonSchema() {
    return PipelineSchema.generate(this);
  }

  @Override
  public String toString() {
    return "ProcessorRegistry" + names();
  }
}
