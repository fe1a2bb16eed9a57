package dev.genaiprocessors.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of the model endpoints, as far as it is known without calling them (a call costs
 * tokens): DOWN while a model's circuit breaker is open, UP otherwise, with each model's provider,
 * model and circuit state as details. The database's health is Boot's own {@code db} indicator, on
 * the same {@code DataSource} the storage uses.
 */
final class GenAiHealthIndicator {
  // Not a HealthIndicator itself but a function behind a lambda, so this class loads without the
  // actuator on the class path (the API check loads every class of the package).
  private GenAiHealthIndicator() {}

  static Health health(GenAiBeans beans) {
    boolean down = false;
    Map<String, Object> details = new LinkedHashMap<>();
    for (Registered registered : beans.registered()) {
      if (!registered.kind().equals("model")) {
        continue;
      }
      Map<String, Object> model = new LinkedHashMap<>(registered.details());
      if (registered.circuit() != null) {
        String state = registered.circuit().get();
        model.put("circuit", state);
        down |= state.equals("OPEN");
      }
      details.put(registered.name(), model);
    }
    return (down ? Health.down() : Health.up()).withDetails(details).build();
  }
}
