package dev.genaiprocessors.spring;

import dev.genaiprocessors.Processor;
import org.jspecify.annotations.Nullable;

/**
 * What a decorator of the starter's beans is told, and what it gives back.
 *
 * @param name the bean name
 * @param kind {@code model} or {@code pipeline}
 * @param resilience whether the settings ask for resilience
 * @param store whether the settings ask for storage
 * @param processor the processor decorated so far
 * @param storedName the processor name its stored runs carry, once stored
 * @param circuit its circuit breaker's state, once decorated with one
 */
record Decoration(
    String name,
    String kind,
    boolean resilience,
    boolean store,
    Processor processor,
    @Nullable String storedName,
    java.util.function.@Nullable Supplier<String> circuit) {

  Decoration(
      String name,
      String kind,
      boolean resilience,
      boolean store,
      Processor processor,
      @Nullable String storedName,
      java.util.function.@Nullable Supplier<String> circuit) {
    this.name = name;
    this.kind = kind;
    this.resilience = resilience;
    this.store = store;
    this.processor = processor;
    this.storedName = storedName;
    this.circuit = circuit;
  }

  Decoration withProcessor(Processor decorated) {
    return new Decoration(name, kind, resilience, store, decorated, storedName, circuit);
  }

  Decoration stored(Processor decorated, String runsName) {
    return new Decoration(name, kind, resilience, store, decorated, runsName, circuit);
  }

  Decoration withCircuit(Processor decorated, java.util.function.Supplier<String> state) {
    return new Decoration(name, kind, resilience, store, decorated, storedName, state);
  }
}
