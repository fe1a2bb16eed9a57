package dev.genaiprocessors.discovery;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One instance of a service, as a {@link ServiceRegistry} lists it: an id unique in the registry,
 * an address (a base URL, a host and port, a model name: whatever the processor factory of a {@link
 * BalancedProcessor} understands), a weight, an optional zone and free metadata.
 *
 * <pre>{@code
 * ServiceInstance replica = ServiceInstance.of("vllm-1", "http://10.0.0.7:8000/v1")
 *     .withWeight(3).withZone("eu-west-1a").withMetadata(Map.of("model", "llama-3.1-8b"));
 * }</pre>
 *
 * @param id unique within its registry, not blank
 * @param address where the instance is reached, not blank
 * @param weight its share of the traffic under {@link LoadBalancing#weighted}, at least 1
 * @param zone where it runs, for {@link LoadBalancing#preferZone}; null when unknown
 * @param metadata anything else (the model it serves, its vendor), copied
 */
public record ServiceInstance(
    String id, String address, int weight, @Nullable String zone, Map<String, String> metadata) {

  /**
   * @throws IllegalArgumentException naming the field and its value when one is invalid
   */
  public ServiceInstance {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(metadata, "metadata");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank but was \"" + id + "\"");
    }
    if (address.isBlank()) {
      throw new IllegalArgumentException(
          "address of instance '" + id + "' must not be blank but was \"" + address + "\"");
    }
    if (weight < 1) {
      throw new IllegalArgumentException(
          "weight of instance '" + id + "' must be at least 1 but was " + weight);
    }
    if (zone != null && zone.isBlank()) {
      zone = null;
    }
    metadata = Map.copyOf(metadata);
  }

  /** An instance of weight 1, no zone and no metadata. */
  public static ServiceInstance of(String id, String address) {
    return new ServiceInstance(id, address, 1, null, Map.of());
  }

  /** A copy with {@code weight}. */
  public ServiceInstance withWeight(int weight) {
    return new ServiceInstance(id, address, weight, zone, metadata);
  }

  /** A copy in {@code zone}. */
  public ServiceInstance withZone(String zone) {
    return new ServiceInstance(id, address, weight, Objects.requireNonNull(zone, "zone"), metadata);
  }

  /** A copy with {@code metadata} in place of its own. */
  public ServiceInstance withMetadata(Map<String, String> metadata) {
    return new ServiceInstance(id, address, weight, zone, metadata);
  }
}
