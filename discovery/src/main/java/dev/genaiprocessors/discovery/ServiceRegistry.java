package dev.genaiprocessors.discovery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link BalancedProcessor} finds the instances of a service: a static list ({@link #of}),
 * a file reloaded when it changes ({@link FileRegistry}), or ZooKeeper ({@link ZooKeeperRegistry}).
 *
 * <p><b>Implementing one.</b> {@link #instances()} is called on every call of the balancer, from
 * many threads at once: return the current list without blocking (keep it in a volatile field that
 * a background refresh replaces) and return the <em>same</em> list object until it changes, so the
 * balancer notices changes by identity. When a refresh fails, keep the last good list and say why
 * in {@link #problem()}: the balancer reports a new problem once, as an event and (opt-in) a status
 * part, and goes on with the old list.
 */
public interface ServiceRegistry extends AutoCloseable {

  /** The registry's name, used in messages and events. */
  String name();

  /** The instances listed now; possibly empty, never null. */
  List<ServiceInstance> instances();

  /**
   * Why the last refresh failed while the last good list is still served, or null when the list is
   * current.
   */
  default @Nullable String problem() {
    return null;
  }

  /** Stops following changes; a static list has nothing to stop. */
  @Override
  default void close() {}

  /**
   * A registry that always lists {@code instances}.
   *
   * @throws IllegalArgumentException when two instances share an id, naming it
   */
  static ServiceRegistry of(String name, List<ServiceInstance> instances) {
    Objects.requireNonNull(name, "name");
    List<ServiceInstance> list = List.copyOf(instances);
    checkUniqueIds(name, list);
    return new ServiceRegistry() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<ServiceInstance> instances() {
        return list;
      }

      @Override
      public String toString() {
        return "ServiceRegistry[" + name + ", " + list.size() + " instances]";
      }
    };
  }

  /** A registry that always lists {@code instances}. */
  static ServiceRegistry of(String name, ServiceInstance... instances) {
    return of(name, List.of(instances));
  }

  /**
   * A registry read from a YAML or JSON file and reloaded when it changes (checked every {@code
   * pollInterval}); see {@link FileRegistry}.
   *
   * @throws IllegalArgumentException when the file cannot be read or is malformed, naming the file
   *     and what is wrong
   */
  static FileRegistry file(Path file, Duration pollInterval) {
    return FileRegistry.open(file, pollInterval);
  }

  /**
   * @throws IllegalArgumentException when two instances share an id
   */
  private static void checkUniqueIds(String registry, List<ServiceInstance> instances) {
    Set<String> ids = new HashSet<>();
    for (ServiceInstance instance : instances) {
      if (!ids.add(instance.id())) {
        throw new IllegalArgumentException(
            "registry '" + registry + "' lists instance id '" + instance.id() + "' twice");
      }
    }
  }
}
