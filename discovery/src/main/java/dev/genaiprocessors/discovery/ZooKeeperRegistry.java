package dev.genaiprocessors.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.curator.x.discovery.details.InstanceSerializer;
import org.apache.curator.x.discovery.details.ServiceCacheListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ServiceRegistry} in ZooKeeper, through Apache Curator's service discovery ({@code
 * curator-x-discovery}): instances register themselves as ephemeral nodes under {@code
 * <basePath>/<service>/<id>} (gone when their session ends, so a crashed instance leaves by
 * itself), and a Curator {@code ServiceCache} watches the service's nodes and follows every change.
 *
 * <pre>{@code
 * CuratorFramework client = CuratorFrameworkFactory.newClient("zk1:2181,zk2:2181",
 *     new ExponentialBackoffRetry(1000, 3));
 * client.start();
 * // On each model server:
 * ZooKeeperRegistry registry = ZooKeeperRegistry.open(client, "/services", "llama");
 * ZooKeeperRegistry.Registration me =
 *     registry.register(ServiceInstance.of("vllm-1", "http://10.0.0.7:8000/v1").withWeight(2));
 * // In the application: the same registry, given to a BalancedProcessor.
 * }</pre>
 *
 * <p><b>What is stored.</b> Each node holds Curator's JSON instance ({@code name}, {@code id},
 * {@code address} and {@code port} from the instance's URL, {@code serviceType: DYNAMIC}) with the
 * whole {@link ServiceInstance} (address, weight, zone, metadata) as its {@code payload}. Nodes of
 * other Curator clients without that payload are read as {@code http://<address>:<port>} of weight
 * 1; a node that cannot be read at all is left out and reported through {@link #problem()}.
 *
 * <p><b>Connection.</b> While the client's connection is suspended or lost, the last known list is
 * served and {@link #problem()} says so; it clears when the client reconnects. The client belongs
 * to the caller: {@link #close()} stops the cache and removes this registry's registrations, and
 * leaves the client open.
 */
public final class ZooKeeperRegistry implements ServiceRegistry {
  private static final Logger log = LoggerFactory.getLogger(ZooKeeperRegistry.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String service;
  private final String basePath;
  private final ServiceDiscovery<ServiceInstance> discovery;
  private final ServiceCache<ServiceInstance> cache;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile List<ServiceInstance> instances = List.of();
  private volatile @Nullable String connectionProblem;
  private volatile @Nullable String readProblem;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ZooKeeperRegistry(CuratorFramework client, String basePath, String service)
      throws Exception {
    this.service = service;
    this.basePath = basePath;
    this.discovery =
        ServiceDiscoveryBuilder.builder(ServiceInstance.class)
            .client(client)
            .basePath(basePath)
            .serializer(new Serializer())
            .watchInstances(true)
            .build();
    discovery.start();
    this.cache = discovery.serviceCacheBuilder().name(service).build();
    cache.addListener(
        new ServiceCacheListener() {
          @Override
          public void cacheChanged() {
            refresh();
          }

          @Override
          public void stateChanged(CuratorFramework c, ConnectionState state) {
            switch (state) {
              case SUSPENDED, LOST -> {
                connectionProblem =
                    "the connection to ZooKeeper is "
                        + state.name().toLowerCase(java.util.Locale.ROOT)
                        + ": serving the last known "
                        + instances.size()
                        + " instances of '"
                        + service
                        + "'";
                log.warn("{}", connectionProblem);
              }
              case RECONNECTED, CONNECTED -> {
                connectionProblem = null;
                refresh();
              }
              default -> {}
            }
          }
        });
    cache.start();
    refresh();
  }

  /**
   * A registry of the instances of {@code service} under {@code basePath}, following their changes
   * through {@code client} (started, and left open by {@link #close()}).
   *
   * @throws IllegalStateException when service discovery cannot start (ZooKeeper unreachable), with
   *     the cause
   */
  public static ZooKeeperRegistry open(CuratorFramework client, String basePath, String service) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(basePath, "basePath");
    Objects.requireNonNull(service, "service");
    if (!basePath.startsWith("/")) {
      throw new IllegalArgumentException(
          "basePath must start with '/' but was \"" + basePath + "\"");
    }
    if (service.isBlank() || service.contains("/")) {
      throw new IllegalArgumentException(
          "service must be a non-blank name without '/' but was \"" + service + "\"");
    }
    try {
      return new ZooKeeperRegistry(client, basePath, service);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting service discovery", e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start service discovery of '"
              + service
              + "' under "
              + basePath
              + " in ZooKeeper: "
              + e,
          e);
    }
  }

  /** A registration of one instance: closing it removes the instance's node. */
  public interface Registration extends AutoCloseable {
    /** The instance registered. */
    ServiceInstance instance();

    /** Removes the instance from the registry (the node would go with the session anyway). */
    @Override
    void close();
  }

  /**
   * Registers {@code instance} under this service as an ephemeral node: it stays while this
   * process's ZooKeeper session lives (Curator registers it again after a new session) or until the
   * registration is closed.
   *
   * @throws IllegalStateException when ZooKeeper refuses it, with the cause
   */
  public Registration register(ServiceInstance instance) {
    Objects.requireNonNull(instance, "instance");
    org.apache.curator.x.discovery.ServiceInstance<ServiceInstance> node = toCurator(instance);
    try {
      discovery.registerService(node);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot register '" + instance.id() + "' as '" + service + "' in ZooKeeper: " + e, e);
    }
    AtomicBoolean done = new AtomicBoolean();
    return new Registration() {
      @Override
      public ServiceInstance instance() {
        return instance;
      }

      @Override
      public void close() {
        if (!done.compareAndSet(false, true) || closed.get()) {
          return;
        }
        try {
          discovery.unregisterService(node);
        } catch (Exception e) {
          throw new IllegalStateException(
              "cannot unregister '" + instance.id() + "' from ZooKeeper: " + e, e);
        }
      }
    };
  }

  private org.apache.curator.x.discovery.ServiceInstance<ServiceInstance> toCurator(
      ServiceInstance instance) {
    String host = instance.address();
    Integer port = null;
    try {
      URI uri = URI.create(instance.address());
      if (uri.getHost() != null) {
        host = uri.getHost();
        port = uri.getPort() >= 0 ? uri.getPort() : null;
      }
    } catch (IllegalArgumentException e) {
      // Not a URL (a model name, say): the address goes as it is.
    }
    return new org.apache.curator.x.discovery.ServiceInstance<>(
        service,
        instance.id(),
        host,
        port,
        null,
        instance,
        System.currentTimeMillis(),
        ServiceType.DYNAMIC,
        null,
        true);
  }

  private void refresh() {
    lock.lock();
    try {
      List<ServiceInstance> listed = new ArrayList<>();
      for (org.apache.curator.x.discovery.ServiceInstance<ServiceInstance> node :
          cache.getInstances()) {
        ServiceInstance payload = node.getPayload();
        if (payload != null && node.isEnabled()) {
          listed.add(payload);
        }
      }
      listed.sort(Comparator.comparing(ServiceInstance::id));
      if (!listed.equals(instances)) {
        instances = List.copyOf(listed);
        log.debug("'{}' in ZooKeeper: {} instances", service, listed.size());
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String name() {
    return service;
  }

  @Override
  public List<ServiceInstance> instances() {
    return instances;
  }

  @Override
  public @Nullable String problem() {
    String connection = connectionProblem;
    return connection != null ? connection : readProblem;
  }

  /** Stops following the service and removes the instances this registry registered. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      cache.close();
    } catch (IOException e) {
      log.warn("closing the service cache of '{}' failed: {}", service, e.toString());
    }
    try {
      discovery.close();
    } catch (IOException e) {
      log.warn("closing service discovery of '{}' failed: {}", service, e.toString());
    }
  }

  @Override
  public String toString() {
    return "ZooKeeperRegistry["
        + basePath
        + "/"
        + service
        + ", "
        + instances.size()
        + " instances]";
  }

  /** Curator's JSON instance, our instance as its payload. */
  private final class Serializer implements InstanceSerializer<ServiceInstance> {
    @Override
    public byte[] serialize(org.apache.curator.x.discovery.ServiceInstance<ServiceInstance> node)
        throws Exception {
      ObjectNode json = JSON.createObjectNode();
      json.put("name", node.getName());
      json.put("id", node.getId());
      json.put("address", node.getAddress());
      if (node.getPort() != null) {
        json.put("port", node.getPort());
      } else {
        json.putNull("port");
      }
      json.putNull("sslPort");
      ServiceInstance instance = node.getPayload();
      if (instance != null) {
        ObjectNode payload = json.putObject("payload");
        payload.put("address", instance.address());
        payload.put("weight", instance.weight());
        if (instance.zone() != null) {
          payload.put("zone", instance.zone());
        }
        ObjectNode metadata = payload.putObject("metadata");
        instance.metadata().forEach(metadata::put);
      }
      json.put("registrationTimeUTC", node.getRegistrationTimeUTC());
      json.put("serviceType", node.getServiceType().name());
      json.putNull("uriSpec");
      json.put("enabled", node.isEnabled());
      return JSON.writeValueAsBytes(json);
    }

    @Override
    public org.apache.curator.x.discovery.ServiceInstance<ServiceInstance> deserialize(byte[] bytes)
        throws Exception {
      try {
        JsonNode json = JSON.readTree(bytes);
        String id = json.path("id").asText();
        String host = json.path("address").asText();
        Integer port = json.path("port").isInt() ? json.path("port").asInt() : null;
        JsonNode p = json.path("payload");
        ServiceInstance instance;
        if (p.isObject() && p.hasNonNull("address")) {
          Map<String, String> metadata = new LinkedHashMap<>();
          p.path("metadata")
              .properties()
              .forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
          instance =
              new ServiceInstance(
                  id,
                  p.get("address").asText(),
                  p.path("weight").asInt(1),
                  p.hasNonNull("zone") ? p.get("zone").asText() : null,
                  metadata);
        } else {
          instance = ServiceInstance.of(id, "http://" + host + (port == null ? "" : ":" + port));
        }
        ServiceType type =
            ServiceType.valueOf(json.path("serviceType").asText(ServiceType.DYNAMIC.name()));
        return new org.apache.curator.x.discovery.ServiceInstance<>(
            json.path("name").asText(service),
            id,
            host,
            port,
            null,
            instance,
            json.path("registrationTimeUTC").asLong(),
            type,
            null,
            json.path("enabled").asBoolean(true));
      } catch (IOException | RuntimeException e) {
        readProblem = "an instance node of '" + service + "' cannot be read: " + e;
        log.warn("{}", readProblem);
        throw e;
      }
    }
  }
}
