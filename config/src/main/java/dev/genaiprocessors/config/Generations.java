package dev.genaiprocessors.config;

import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.RunEvents;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegates a reconfigurable processor made from each version of its settings, and which one is
 * current. A run or a part {@link #acquire acquires} the current one and {@link Generation#release
 * releases} it when done; a delegate replaced by a newer one is closed (when it is {@link
 * AutoCloseable}) once the last run or part using it has released it, never while one still does.
 *
 * <p>The delegate of a new version is made lazily, by the first acquire that sees the version: so
 * every run or part that starts after the {@link LiveConfig} moved to a version uses it. A factory
 * that throws rejects the version: the current delegate stays and the failure is reported like a
 * configuration the {@link LiveConfig} rejected.
 */
final class Generations<S, P> {
  private static final Logger log = LoggerFactory.getLogger(Generations.class);

  private final String name;
  private final LiveConfig<S> config;
  private final Function<? super S, ? extends P> factory;
  private final boolean statusParts;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong reportedRejection;
  private volatile Generation<P> current;
  private volatile long failedVersion;
  private volatile boolean closed;

  Generations(
      String name,
      LiveConfig<S> config,
      Function<? super S, ? extends P> factory,
      boolean statusParts) {
    this.name = name;
    this.config = config;
    this.factory = factory;
    this.statusParts = statusParts;
    Versioned<S> first = config.current();
    this.current = new Generation<>(first.version(), make(first.value()));
    // Rejections from before this processor existed are not its news.
    LiveConfig.Rejection earlier = config.rejection();
    this.reportedRejection = new AtomicLong(earlier == null ? 0 : earlier.sequence());
  }

  private P make(S settings) {
    P made = factory.apply(settings);
    if (made == null) {
      throw new IllegalStateException("the factory made nothing of " + settings);
    }
    return made;
  }

  /**
   * The current delegate, acquired: the caller must {@link Generation#release} it.
   *
   * @throws IllegalStateException when closed
   */
  Generation<P> acquire() {
    while (true) {
      if (closed) {
        throw new IllegalStateException(name + " is closed");
      }
      Generation<P> g = current;
      Versioned<S> latest = config.current();
      if (latest.version() > g.version && latest.version() != failedVersion) {
        g = advance(latest);
      }
      if (g.tryAcquire()) {
        return g;
      }
    }
  }

  private Generation<P> advance(Versioned<S> latest) {
    lock.lock();
    try {
      Generation<P> g = current;
      if (latest.version() <= g.version || latest.version() == failedVersion || closed) {
        return g;
      }
      P made;
      try {
        made = make(latest.value());
      } catch (RuntimeException e) {
        failedVersion = latest.version();
        ConfigException rejection =
            e instanceof ConfigException c
                ? c
                : new ConfigException(
                    List.of(
                        new ConfigProblem(
                            "",
                            "version "
                                + latest.version()
                                + " could not be applied: "
                                + (e.getMessage() == null ? e.toString() : e.getMessage()),
                            null)));
        // Told to the LiveConfig, which logs it, tells its listeners and keeps it as its last
        // rejection, where the next run finds it: one path for every rejection.
        config.rejectApplied(rejection);
        return g;
      }
      Generation<P> next = new Generation<>(latest.version(), made);
      current = next;
      g.retire();
      return next;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reports to the run, once per processor, what happened since the last report: a rejected
   * configuration (a {@code config_rejected} event to the run's interceptors, and a status part
   * when asked for) and a new version first used ({@code config_applied}).
   */
  void report(Generation<P> g, PartSink output) {
    if (g.announced.compareAndSet(false, true) && g.version > 1) {
      RunEvents.report(name, "config_applied", Map.of("version", g.version));
    }
    // Read from the LiveConfig, which records a rejection before it tells any listener: a run
    // that starts after a rejection was announced always sees it.
    LiveConfig.Rejection rejection = config.rejection();
    long reported = reportedRejection.get();
    if (rejection != null
        && rejection.sequence() > reported
        && reportedRejection.compareAndSet(reported, rejection.sequence())) {
      String message = rejection.error().getMessage();
      RunEvents.report(
          name, "config_rejected", Map.of("kept_version", g.version, "problems", message));
      if (statusParts) {
        output.emit(
            Processor.status(
                name
                    + ": new configuration rejected, still on version "
                    + g.version
                    + ": "
                    + message));
      }
    }
  }

  long version() {
    return current.version;
  }

  P delegate() {
    return current.delegate;
  }

  /** Stops making delegates and closes the current one once it is no longer in use. */
  void close() {
    lock.lock();
    try {
      closed = true;
      current.retire();
    } finally {
      lock.unlock();
    }
  }

  /** One version's delegate and how many runs or parts use it. */
  static final class Generation<P> {
    private static final int CLOSED = -1;

    final long version;
    final P delegate;
    final AtomicBoolean announced = new AtomicBoolean();
    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean retired;

    Generation(long version, P delegate) {
      this.version = version;
      this.delegate = delegate;
    }

    boolean tryAcquire() {
      while (true) {
        int n = users.get();
        if (n == CLOSED) {
          return false;
        }
        if (users.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (users.decrementAndGet() == 0 && retired) {
        closeIfUnused();
      }
    }

    void retire() {
      retired = true;
      closeIfUnused();
    }

    private void closeIfUnused() {
      if (users.compareAndSet(0, CLOSED) && delegate instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          log.warn("closing the delegate of configuration version {} failed", version, e);
        }
      }
    }
  }
}
