package dev.genaiprocessors.spring;

import dev.genaiprocessors.discovery.BalancedProcessor;
import dev.genaiprocessors.discovery.InstanceHealth;
import dev.genaiprocessors.discovery.ServiceInstance;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of one balanced endpoint group (a {@link BalancedProcessor} bean), from its own view
 * of its instances ({@link BalancedProcessor#health()}), which costs no call: UP while at least one
 * instance takes calls (healthy, or probing back after an ejection), DOWN when none does (all
 * ejected or failing their health checks, or the registry lists none). Each instance is a detail
 * under its id: its state ({@code up}, {@code probing}, {@code ejected}, {@code down}), address,
 * zone, and its outstanding, total and failed calls.
 */
final class DiscoveryHealth {
  // Not a HealthIndicator itself, as GenAiHealthIndicator is not: the class loads without the
  // actuator on the class path.
  private DiscoveryHealth() {}

  static Health health(BalancedProcessor balancer) {
    boolean takesCalls = false;
    Map<String, Object> instances = new LinkedHashMap<>();
    for (InstanceHealth health : balancer.health()) {
      takesCalls |=
          health.state() == InstanceHealth.State.HEALTHY
              || health.state() == InstanceHealth.State.RAMPING_UP;
      ServiceInstance instance = health.instance();
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("state", state(health.state()));
      detail.put("address", instance.address());
      if (instance.zone() != null) {
        detail.put("zone", instance.zone());
      }
      detail.put("outstanding", health.outstanding());
      detail.put("calls", health.calls());
      detail.put("failures", health.failures());
      instances.put(instance.id(), detail);
    }
    return (takesCalls ? Health.up() : Health.down())
        .withDetail("balancer", balancer.name())
        .withDetail("instances", instances)
        .build();
  }

  /** The state as the health endpoint shows it. */
  static String state(InstanceHealth.State state) {
    return switch (state) {
      case HEALTHY -> "up";
      case RAMPING_UP -> "probing";
      case EJECTED -> "ejected";
      case UNHEALTHY -> "down";
    };
  }
}
