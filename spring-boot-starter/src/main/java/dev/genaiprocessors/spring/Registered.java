package dev.genaiprocessors.spring;

import dev.genaiprocessors.Processor;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A model or pipeline the starter made a bean of, as the actuator shows it.
 *
 * @param name the bean name
 * @param kind {@code model} or {@code pipeline}
 * @param details what the actuator shows of it (never a key)
 * @param processor the bean itself
 * @param storedName the processor name its stored runs carry, or null when its runs are not stored
 * @param circuit its circuit breaker's state, or null when it has none
 */
record Registered(
    String name,
    String kind,
    Map<String, Object> details,
    Processor processor,
    @Nullable String storedName,
    @Nullable Supplier<String> circuit) {

  Registered(
      String name,
      String kind,
      Map<String, Object> details,
      Processor processor,
      @Nullable String storedName,
      @Nullable Supplier<String> circuit) {
    this.name = name;
    this.kind = kind;
    this.details = Map.copyOf(details);
    this.processor = processor;
    this.storedName = storedName;
    this.circuit = circuit;
  }
}
