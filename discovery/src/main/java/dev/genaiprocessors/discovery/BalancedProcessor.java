package dev.genaiprocessors.discovery;

import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunEvents;
import dev.genaiprocessors.resilience.Failover;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor that sends each call to one instance of a service, chosen by a {@link LoadBalancing}
 * strategy among the healthy instances of a {@link ServiceRegistry}, and fails over to another
 * instance (then to the fallbacks) when the call fails before any part reached the caller.
 *
 * <pre>{@code
 * ServiceRegistry replicas = ServiceRegistry.of("llama",
 *     ServiceInstance.of("a", "http://10.0.0.7:8000/v1"),
 *     ServiceInstance.of("b", "http://10.0.0.8:8000/v1"));
 * try (BalancedProcessor model = BalancedProcessor.builder(replicas,
 *         instance -> OpenAiModel.builder().baseUrl(instance.address()).model("llama-3.1-8b")
 *             .apiKey("none").maxRetries(0).build())
 *     .strategy(LoadBalancing.powerOfTwoChoices(42))
 *     .healthCheck(HealthCheck.of(HealthProbe.http(HttpClient.newHttpClient(), "/health")))
 *     .fallback(openAiModel)                     // another vendor, when no replica is left
 *     .build()) {
 *   String answer = model.apply("Hello").text();
 * }
 * }</pre>
 *
 * <p><b>Instances.</b> The factory makes one processor per instance, the first time the registry
 * lists it; the processor serves every call to that instance and is closed (when {@link
 * AutoCloseable}) once the registry drops the instance and its last call ended, or when this
 * balancer closes. The registry is read on every call, so a change reaches the next call. An
 * instance whose processor cannot be made stays out of the balance, its error in {@link #health()}.
 *
 * <p><b>Health.</b> One view per instance ({@link #health()}) fed by two sources: the optional
 * active {@link HealthCheck}, run by one virtual thread this balancer owns; and passive {@link
 * OutlierDetection} (on by default), which ejects an instance whose calls keep failing and brings
 * it back gradually. Only {@link InstanceHealth.State#HEALTHY} and (for a growing share of calls)
 * {@link InstanceHealth.State#RAMPING_UP} instances are chosen.
 *
 * <p><b>Failover.</b> A call that fails with what {@code resilience}'s retry would retry (network
 * errors, timeouts, 408, 429, 5xx, a vendor's retryable error, or what {@link Builder#retryOn}
 * adds) moves at once to another instance not yet tried in this call, then to the fallbacks in
 * order, at most {@link Builder#maxAttempts} attempts, but only while no part of the call has
 * reached the caller: this is {@link Failover}, the rule of {@code resilience}'s retry, so no token
 * is ever delivered twice. A failure after a part was delivered reaches the caller after those
 * parts, as any failure does.
 *
 * <p><b>Errors.</b> No instance to try at all (an empty registry; every instance ejected or
 * unhealthy) and no fallback: {@link NoInstanceAvailableException}, naming each instance and why it
 * is out. Running out of instances after failures: the last failure itself, the earlier ones
 * suppressed in it.
 *
 * <p><b>Observing it.</b> Every choice ({@code instance_chosen}), failover ({@code failover}), move
 * to a fallback ({@code fallback}), ejection ({@code instance_ejected}), return ({@code
 * instance_returned}), health-check change ({@code instance_unhealthy}, {@code instance_healthy})
 * and registry problem ({@code registry_problem}) is reported through {@link RunEvents} to the
 * run's interceptors, with attributes {@code balancer}, {@code instance}, {@code address} and more,
 * and, with {@link Builder#statusParts}, emitted into the call's output as a status part carrying
 * the same metadata (key {@value #EVENT_KEY}). Health-check changes happen off any call: they are
 * logged at once and reported with the next call. Instances are thread-safe.
 */
public final class BalancedProcessor implements Processor, AutoCloseable {
  /** The metadata key naming the event on a status part. */
  public static final String EVENT_KEY = "discovery_event";

  private static final Logger log = LoggerFactory.getLogger(BalancedProcessor.class);
  private static final int MAX_PENDING = 256;

  private final String name;
  private final ServiceRegistry registry;
  private final Function<ServiceInstance, ? extends Processor> factory;
  private final LoadBalancing strategy;
  private final @Nullable OutlierDetection outliers;
  private final @Nullable HealthCheck healthCheck;
  private final List<Processor> fallbacks;
  private final int maxAttempts;
  private final boolean statusParts;
  private final Predicate<Throwable> retryOn;
  private final Clock clock;
  private final Random rampRandom;

  private final ReentrantLock refreshLock = new ReentrantLock();
  private volatile Pool pool = new Pool(List.of(), List.of());
  private final AtomicReference<@Nullable String> reportedProblem = new AtomicReference<>();
  private final ConcurrentLinkedQueue<Event> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final @Nullable Thread checker;
  private volatile boolean closed;

  /** The instances listed by the registry at one moment, with their states. */
  private record Pool(List<ServiceInstance> source, List<InstanceState> states) {}

  /** Something to report. */
  private record Event(String kind, Map<String, Object> attributes, String message) {}

  private BalancedProcessor(Builder b) {
    this.name = b.name != null ? b.name : "balanced(" + b.registry.name() + ")";
    this.registry = b.registry;
    this.factory = b.factory;
    this.strategy = b.strategy;
    this.outliers = b.outliers;
    this.healthCheck = b.healthCheck;
    this.fallbacks = List.copyOf(b.fallbacks);
    this.maxAttempts = b.maxAttempts;
    this.statusParts = b.statusParts;
    this.retryOn = b.retryOn;
    this.clock = b.clock;
    this.rampRandom = new Random(b.seed);
    HealthCheck check = healthCheck;
    this.checker =
        check == null
            ? null
            : Thread.ofVirtual().name("discovery-health-" + name).start(() -> checkLoop(check));
  }

  /**
   * A builder of a processor balancing calls over {@code registry}'s instances, each served by the
   * processor {@code factory} makes for it.
   */
  public static Builder builder(
      ServiceRegistry registry, Function<ServiceInstance, ? extends Processor> factory) {
    return new Builder(registry, factory);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    if (closed) {
      throw new IllegalStateException("balancer '" + name + "' is closed");
    }
    drainPending(output);
    Pool current = refresh(output);
    List<InstanceState> tried = new ArrayList<>(2);
    int[] fallbackNext = {0};
    Failover.call(
        input,
        output,
        (attempt, failure) -> {
          if (attempt >= maxAttempts) {
            return null;
          }
          String from = tried.isEmpty() ? null : tried.get(tried.size() - 1).instance.id();
          InstanceState chosen = choose(current, tried, output);
          if (chosen != null) {
            tried.add(chosen);
            if (failure != null) {
              report(
                  "failover",
                  attributes(chosen.instance, attempt, "from", String.valueOf(from)),
                  "failing over from '"
                      + from
                      + "' to '"
                      + chosen.instance.id()
                      + "' after "
                      + brief(failure),
                  output);
            }
            report(
                "instance_chosen",
                attributes(chosen.instance, attempt, null, null),
                "call "
                    + (attempt == 0 ? "" : "attempt " + (attempt + 1) + " ")
                    + "sent to '"
                    + chosen.instance.id()
                    + "'",
                output);
            return attempt(chosen, output);
          }
          if (fallbackNext[0] < fallbacks.size()) {
            Processor fallback = fallbacks.get(fallbackNext[0]++);
            Map<String, Object> attrs = new LinkedHashMap<>();
            attrs.put("balancer", name);
            attrs.put("fallback", fallback.name());
            attrs.put("attempt", attempt);
            report(
                "fallback",
                attrs,
                "no instance of '"
                    + registry.name()
                    + "' left to try: calling fallback '"
                    + fallback.name()
                    + "'"
                    + (failure == null ? "" : " after " + brief(failure)),
                output);
            return fallback;
          }
          if (failure == null) {
            throw noInstance(current);
          }
          return null;
        },
        retryOn);
  }

  /** The processor of one attempt on {@code state}: counts it and feeds its outcome to health. */
  private Processor attempt(InstanceState state, PartSink callOutput) {
    Processor processor = Objects.requireNonNull(state.processor, "processor");
    return new Processor() {
      @Override
      public void call(PartStream input, PartSink output) throws Exception {
        if (!state.enter()) {
          // It left the registry between the choice and now: another instance takes the call.
          throw new java.io.IOException("instance '" + state.instance.id() + "' left the registry");
        }
        DownstreamWatch watch = new DownstreamWatch(output);
        try {
          processor.call(input, watch);
        } catch (Throwable e) {
          if (countsAgainst(e, watch)) {
            String because = state.failed(clock.instant(), outliers);
            if (because != null) {
              Map<String, Object> attrs = attributes(state.instance, -1, "reason", because);
              attrs.put("ejection_ms", Objects.requireNonNull(outliers).ejection().toMillis());
              report(
                  "instance_ejected",
                  attrs,
                  "ejected '"
                      + state.instance.id()
                      + "' for "
                      + outliers.ejection()
                      + " after "
                      + because,
                  callOutput);
            }
          }
          throw e;
        } finally {
          state.outstanding.decrementAndGet();
          if (state.retired) {
            closeIfIdle(state);
          }
        }
        state.succeeded();
      }

      @Override
      public String name() {
        return processor.name();
      }
    };
  }

  private boolean countsAgainst(Throwable e, DownstreamWatch watch) {
    return watch.failure == null
        && !(e instanceof CancellationException)
        && !(e instanceof InterruptedException)
        && !Thread.currentThread().isInterrupted()
        && (Failover.retryable(e) || retryOn.test(e));
  }

  /** The attempt's output, remembering a failure of whoever reads it (not the instance's doing). */
  private static final class DownstreamWatch implements PartSink {
    private final PartSink output;
    volatile @Nullable RuntimeException failure;

    DownstreamWatch(PartSink output) {
      this.output = output;
    }

    @Override
    public void emit(ProcessorPart part) {
      try {
        output.emit(part);
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
    }
  }

  /** One of the available instances not yet tried, or null when none is left. */
  private @Nullable InstanceState choose(Pool current, List<InstanceState> tried, PartSink output) {
    Instant now = clock.instant();
    Duration rampUp = outliers == null ? Duration.ZERO : outliers.rampUp();
    List<LoadBalancing.Candidate> candidates = new ArrayList<>(current.states().size());
    List<InstanceState> states = new ArrayList<>(current.states().size());
    List<InstanceState> ramping = null;
    InstanceState.Transition[] transition = {InstanceState.Transition.NONE};
    for (InstanceState state : current.states()) {
      if (state.retired || tried.contains(state)) {
        continue;
      }
      transition[0] = InstanceState.Transition.NONE;
      InstanceHealth.State health = state.state(now, rampUp, transition);
      if (transition[0] == InstanceState.Transition.RETURNED) {
        report(
            "instance_returned",
            attributes(state.instance, -1, "ramp_up_ms", rampUp.toMillis()),
            "'" + state.instance.id() + "' is back after its ejection, ramping up over " + rampUp,
            output);
      }
      if (health == InstanceHealth.State.RAMPING_UP) {
        if (ramping == null) {
          ramping = new ArrayList<>(2);
        }
        ramping.add(state);
        if (rampRandom.nextDouble() >= state.rampShare(now, rampUp)) {
          continue;
        }
      } else if (health != InstanceHealth.State.HEALTHY) {
        continue;
      }
      candidates.add(new LoadBalancing.Candidate(state.instance, state.outstanding.get()));
      states.add(state);
    }
    if (candidates.isEmpty()) {
      // A ramping instance left out by its share is still better than no instance at all.
      if (ramping == null) {
        return null;
      }
      for (InstanceState state : ramping) {
        candidates.add(new LoadBalancing.Candidate(state.instance, state.outstanding.get()));
        states.add(state);
      }
    }
    LoadBalancing.Candidate chosen = strategy.choose(candidates);
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.get(i).instance().id().equals(chosen.instance().id())) {
        return states.get(i);
      }
    }
    throw new IllegalStateException(
        "strategy " + strategy + " chose a candidate it was not given: " + chosen);
  }

  private NoInstanceAvailableException noInstance(Pool current) {
    if (current.states().isEmpty()) {
      String problem = registry.problem();
      return new NoInstanceAvailableException(
          "registry '"
              + registry.name()
              + "' lists no instance"
              + (problem == null ? "" : " (" + problem + ")")
              + " and balancer '"
              + name
              + "' has no fallback");
    }
    Instant now = clock.instant();
    StringBuilder s =
        new StringBuilder("no instance of '")
            .append(registry.name())
            .append("' can take a call and balancer '")
            .append(name)
            .append("' has no fallback: ");
    List<InstanceState> states = current.states();
    for (int i = 0; i < states.size(); i++) {
      InstanceState state = states.get(i);
      s.append(i == 0 ? "" : "; ")
          .append('\'')
          .append(state.instance.id())
          .append("' ")
          .append(state.whyUnavailable(now));
    }
    return new NoInstanceAvailableException(s.toString());
  }

  /** The pool for the registry's current list, rebuilt when the list changed. */
  private Pool refresh(@Nullable PartSink output) {
    List<ServiceInstance> listed = registry.instances();
    // Only a call reports a problem (health() and the checker have no output to report it to).
    String problem = output == null ? null : registry.problem();
    if (output != null && !Objects.equals(problem, reportedProblem.get())) {
      String before = reportedProblem.getAndSet(problem);
      if (problem != null && !problem.equals(before)) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("balancer", name);
        attrs.put("registry", registry.name());
        attrs.put("problem", problem);
        attrs.put("instances", listed.size());
        String message =
            "registry '"
                + registry.name()
                + "' keeps its last good list of "
                + listed.size()
                + " instances: "
                + problem;
        log.warn("{}", message);
        report("registry_problem", attrs, message, output);
      }
    }
    Pool current = pool;
    if (current.source() == listed) {
      return current;
    }
    refreshLock.lock();
    try {
      current = pool;
      if (current.source() == listed || closed) {
        return current;
      }
      Map<String, InstanceState> old = new HashMap<>();
      for (InstanceState state : current.states()) {
        old.put(state.instance.id(), state);
      }
      List<InstanceState> states = new ArrayList<>(listed.size());
      for (ServiceInstance instance : listed) {
        InstanceState kept = old.get(instance.id());
        if (kept != null && kept.instance.equals(instance)) {
          old.remove(instance.id());
          states.add(kept);
        } else {
          states.add(newState(instance));
        }
      }
      for (InstanceState gone : old.values()) {
        gone.retired = true;
        closeIfIdle(gone);
      }
      Pool next = new Pool(listed, List.copyOf(states));
      pool = next;
      return next;
    } finally {
      refreshLock.unlock();
    }
  }

  private InstanceState newState(ServiceInstance instance) {
    int window = outliers == null ? 0 : outliers.window();
    try {
      Processor processor =
          Objects.requireNonNull(factory.apply(instance), "the factory returned null");
      return new InstanceState(instance, processor, null, window);
    } catch (RuntimeException e) {
      String why = brief(e);
      log.warn("balancer '{}': no processor for instance '{}': {}", name, instance.id(), why);
      return new InstanceState(instance, null, why, window);
    }
  }

  private void closeIfIdle(InstanceState state) {
    if (state.closeIfIdle() && state.processor instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.warn("closing the processor of '{}' failed: {}", state.instance.id(), brief(e));
      }
    }
  }

  /**
   * The health of every instance the registry lists now, in the registry's order.
   *
   * <p>Reads the registry, like a call does, but starts nothing.
   */
  public List<InstanceHealth> health() {
    Pool current = refresh(null);
    Instant now = clock.instant();
    Duration rampUp = outliers == null ? Duration.ZERO : outliers.rampUp();
    List<InstanceHealth> view = new ArrayList<>(current.states().size());
    InstanceState.Transition[] ignored = {InstanceState.Transition.NONE};
    for (InstanceState state : current.states()) {
      view.add(
          new InstanceHealth(
              state.instance,
              state.state(now, rampUp, ignored),
              state.outstanding.get(),
              state.calls.get(),
              state.failures.get()));
    }
    return List.copyOf(view);
  }

  private void checkLoop(HealthCheck check) {
    while (!closed) {
      long started = System.nanoTime();
      try {
        checkAll(check);
        long left = check.interval().toNanos() - (System.nanoTime() - started);
        if (left > 0) {
          Thread.sleep(Duration.ofNanos(left));
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One round: every instance probed at once, each on a virtual thread joined by its deadline. */
  private void checkAll(HealthCheck check) throws InterruptedException {
    List<InstanceState> states = refresh(null).states();
    List<Thread> probes = new ArrayList<>(states.size());
    List<AtomicReference<@Nullable Throwable>> outcomes = new ArrayList<>(states.size());
    for (InstanceState state : states) {
      Processor processor = state.processor;
      AtomicReference<@Nullable Throwable> outcome = new AtomicReference<>();
      outcomes.add(outcome);
      if (processor == null) {
        probes.add(Thread.ofVirtual().unstarted(() -> {}));
        continue;
      }
      probes.add(
          Thread.ofVirtual()
              .name("discovery-probe-" + state.instance.id())
              .start(
                  () -> {
                    try {
                      check.probe().check(state.instance, processor);
                    } catch (Throwable e) {
                      outcome.set(e);
                    }
                  }));
    }
    long deadline = System.nanoTime() + check.timeout().toNanos();
    for (int i = 0; i < states.size(); i++) {
      Thread probe = probes.get(i);
      if (probe.getState() == Thread.State.NEW) {
        continue;
      }
      long left = deadline - System.nanoTime();
      boolean done = left > 0 && probe.join(Duration.ofNanos(left));
      if (!done) {
        probe.interrupt();
        outcomes
            .get(i)
            .compareAndSet(
                null, new java.util.concurrent.TimeoutException("no answer in " + check.timeout()));
      }
      judge(states.get(i), outcomes.get(i).get(), check);
    }
  }

  private void judge(InstanceState state, @Nullable Throwable failure, HealthCheck check) {
    if (failure == null) {
      state.checkFailures = 0;
      state.checkPasses++;
      if (!state.checkHealthy && state.checkPasses >= check.healthyThreshold()) {
        state.checkHealthy = true;
        state.checkFailure = null;
        queue(
            "instance_healthy",
            attributes(state.instance, -1, "passes", state.checkPasses),
            "'" + state.instance.id() + "' passed " + state.checkPasses + " health checks");
      }
      return;
    }
    state.checkPasses = 0;
    state.checkFailures++;
    state.checkFailure = brief(failure);
    if (state.checkHealthy && state.checkFailures >= check.unhealthyThreshold()) {
      state.checkHealthy = false;
      queue(
          "instance_unhealthy",
          attributes(state.instance, -1, "reason", brief(failure)),
          "'"
              + state.instance.id()
              + "' failed "
              + state.checkFailures
              + " health checks: "
              + brief(failure));
    }
  }

  private void queue(String kind, Map<String, Object> attributes, String message) {
    log.info("balancer '{}': {}", name, message);
    if (pendingCount.incrementAndGet() <= MAX_PENDING) {
      pending.add(new Event(kind, attributes, message));
    } else {
      pendingCount.decrementAndGet();
    }
  }

  private void drainPending(PartSink output) {
    if (pendingCount.get() == 0) {
      return;
    }
    for (Event e = pending.poll(); e != null; e = pending.poll()) {
      pendingCount.decrementAndGet();
      report(e.kind(), e.attributes(), e.message(), output);
    }
  }

  private Map<String, Object> attributes(
      ServiceInstance instance, int attempt, @Nullable String key, @Nullable Object value) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("balancer", name);
    attrs.put("instance", instance.id());
    attrs.put("address", instance.address());
    if (instance.zone() != null) {
      attrs.put("zone", instance.zone());
    }
    if (attempt >= 0) {
      attrs.put("attempt", attempt);
    }
    if (key != null && value != null) {
      attrs.put(key, value);
    }
    return attrs;
  }

  private void report(String kind, Map<String, Object> attributes, String message, PartSink out) {
    RunEvents.report(name, kind, attributes);
    if (statusParts) {
      Map<String, Object> metadata = new LinkedHashMap<>(attributes);
      metadata.put(EVENT_KEY, kind);
      out.emit(Processor.status(ProcessorPart.text(message).withMetadata(metadata)));
    }
  }

  private static String brief(Throwable failure) {
    String message = failure.getMessage();
    String text = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  /**
   * Stops the health checks and closes the processors the factory made (those that are {@link
   * AutoCloseable}); the registry and the fallbacks belong to the caller and stay open. Calls after
   * this fail with an {@link IllegalStateException}.
   */
  @Override
  public void close() {
    refreshLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      refreshLock.unlock();
    }
    Thread t = checker;
    if (t != null) {
      t.interrupt();
      boolean interrupted = false;
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    for (InstanceState state : pool.states()) {
      state.retired = true;
      closeIfIdle(state);
    }
  }

  @Override
  public String toString() {
    return "BalancedProcessor[" + name + " over " + registry + ", " + strategy + "]";
  }

  /** Builds a {@link BalancedProcessor}; {@link #build()} checks the settings. */
  public static final class Builder {
    private final ServiceRegistry registry;
    private final Function<ServiceInstance, ? extends Processor> factory;
    private @Nullable String name;
    private LoadBalancing strategy = LoadBalancing.roundRobin();
    private @Nullable OutlierDetection outliers = OutlierDetection.defaults();
    private @Nullable HealthCheck healthCheck;
    private final List<Processor> fallbacks = new ArrayList<>();
    private int maxAttempts = Integer.MAX_VALUE;
    private boolean statusParts;
    private Predicate<Throwable> retryOn = e -> false;
    private Clock clock = Clock.systemUTC();
    private long seed = 0x5eed;

    private Builder(
        ServiceRegistry registry, Function<ServiceInstance, ? extends Processor> factory) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** Its name in events and messages; {@code balanced(<registry>)} by default. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** How an instance is chosen; {@link LoadBalancing#roundRobin()} by default. */
    public Builder strategy(LoadBalancing strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /** Passive outlier ejection; {@link OutlierDetection#defaults()} by default. */
    public Builder outlierDetection(OutlierDetection outliers) {
      this.outliers = Objects.requireNonNull(outliers, "outliers");
      return this;
    }

    /** No passive outlier ejection: failures are counted, never acted on. */
    public Builder noOutlierDetection() {
      this.outliers = null;
      return this;
    }

    /** Active health checks; none by default. */
    public Builder healthCheck(HealthCheck healthCheck) {
      this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
      return this;
    }

    /**
     * A processor tried, in the order added, once no instance is left to try (all tried, or none
     * available): another vendor, say. Not closed by the balancer.
     */
    public Builder fallback(Processor fallback) {
      fallbacks.add(Objects.requireNonNull(fallback, "fallback"));
      return this;
    }

    /**
     * The most attempts of one call, the first included; every instance and fallback by default.
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Whether every event is also emitted into the call's output as a status part (off). */
    public Builder statusParts(boolean statusParts) {
      this.statusParts = statusParts;
      return this;
    }

    /** Further failures to fail over after, beside those {@code resilience}'s retry retries. */
    public Builder retryOn(Predicate<Throwable> retryOn) {
      this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
      return this;
    }

    /** The clock ejections and ramp-ups are timed by. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The seed of the random admission of ramping-up instances, for repeatable tests. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The balancer, its health checks started when it has any.
     *
     * @throws IllegalArgumentException naming the setting when one is out of range
     */
    public BalancedProcessor build() {
      Checks.atLeast("maxAttempts", maxAttempts, 1);
      if (name != null && name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank but was \"" + name + "\"");
      }
      return new BalancedProcessor(this);
    }
  }
}
