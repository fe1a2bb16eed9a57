package dev.genaiprocessors.spring;

import dev.genaiprocessors.Processor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Owns the models and pipelines the starter builds: decorates each with the decorators present,
 * remembers it for the actuator, and closes what it built when the context closes (newest first).
 */
final class GenAiBeans implements DisposableBean {
  private final ObjectProvider<Decorator> decorators;
  private final ConcurrentLinkedDeque<AutoCloseable> owned = new ConcurrentLinkedDeque<>();
  private final Map<String, Registered> registered = new ConcurrentSkipListMap<>();

  GenAiBeans(ObjectProvider<Decorator> decorators) {
    this.decorators = decorators;
  }

  /**
   * Takes ownership of {@code built} and returns it decorated.
   *
   * @param details what the actuator shows of it
   */
  Processor register(
      String name,
      String kind,
      Map<String, Object> details,
      boolean resilience,
      boolean store,
      Processor built) {
    if (built instanceof AutoCloseable closeable) {
      owned.push(closeable);
    }
    Decoration d = new Decoration(name, kind, resilience, store, built, null, null);
    for (Decorator decorator : decorators.orderedStream().toList()) {
      d = decorator.decorate(d);
    }
    registered.put(
        name, new Registered(name, kind, details, d.processor(), d.storedName(), d.circuit()));
    return d.processor();
  }

  Collection<Registered> registered() {
    return registered.values();
  }

  @Override
  public void destroy() throws Exception {
    List<Exception> failures = new ArrayList<>();
    AutoCloseable next;
    while ((next = owned.poll()) != null) {
      try {
        next.close();
      } catch (Exception e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      Exception first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }
}
