package dev.genaiprocessors.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configuration that follows its sources: a file changed or replaced, an HTTP source that answers
 * something new. Each change is read, merged and bound again; a value that differs from the current
 * one becomes the next {@link Versioned version}, and one that cannot be read, parsed or bound is
 * rejected: the current value stays, and the rejection is logged and told to the {@link
 * #onRejection} listeners.
 *
 * <pre>{@code
 * try (LiveConfig<ModelSettings> settings = Config.builder()
 *         .source(ConfigSource.file(Path.of("model.yaml")))
 *         .watch("model", ModelSettings.class)) {
 *   settings.onChange((old, now) -> log.info("model settings {} -> {}", old.value(), now.value()));
 *   Processor model = Reconfigurable.of(settings, s -> buildModel(s));
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> It starts one virtual thread to watch the directories of its file sources
 * (with a {@link WatchService}, so a file written in place, replaced by a rename as editors do, or
 * deleted and created again, is seen alike; events are gathered until the directory has been quiet
 * for {@link #SETTLE} before reading) and one per HTTP source to poll it; {@link #close()} stops
 * and joins them. Reloads, whether from these threads or from {@link #reload()}, run one at a time;
 * listeners are called on the thread that reloaded, in the order they were added, after the new
 * value is current. Reading {@link #current()} never blocks.
 *
 * <p><b>Versions.</b> The version grows only when the bound value changes ({@code equals}): a file
 * saved unchanged, or an HTTP 304, makes no new version.
 *
 * @param <T> the type the configuration is bound to
 */
public final class LiveConfig<T> implements AutoCloseable {
  /** How long a watched directory must be quiet before a changed file is read. */
  public static final Duration SETTLE = Duration.ofMillis(50);

  private static final Logger log = LoggerFactory.getLogger(LiveConfig.class);

  private final List<ConfigSource> sources;
  private final Function<String, @Nullable String> variables;
  private final Function<? super Config, ? extends T> binder;
  private final ReentrantLock reloading = new ReentrantLock();
  private final Map<ConfigSource, Layer> layers = new HashMap<>();
  private final ConfigSource.Reading reading = new ConfigSource.Reading();
  private final List<BiConsumer<Versioned<T>, Versioned<T>>> changeListeners =
      new CopyOnWriteArrayList<>();
  private final List<Consumer<ConfigException>> rejectionListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong rejections = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private volatile Versioned<T> current;
  private volatile @Nullable Rejection lastRejection;
  private volatile boolean closed;
  private @Nullable WatchService watcher;

  /** A rejected configuration, numbered from 1 in the order they happened. */
  record Rejection(long sequence, ConfigException error) {}

  LiveConfig(
      List<ConfigSource> sources,
      Function<String, @Nullable String> variables,
      Function<? super Config, ? extends T> binder) {
    this.sources = sources;
    this.variables = variables;
    this.binder = binder;
    try {
      T first = bind(Config.read(reading, sources, layers, null, variables));
      this.current = new Versioned<>(1, first);
      startWatching();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The current value and its version. */
  public Versioned<T> current() {
    return current;
  }

  /** The current value. */
  public T get() {
    return current.value();
  }

  /** The current version, 1 for the first value. */
  public long version() {
    return current.version();
  }

  /**
   * Calls {@code listener} with the old and the new value after each change, on the thread that
   * reloaded. A listener that throws is logged and does not stop the others.
   */
  public void onChange(BiConsumer<Versioned<T>, Versioned<T>> listener) {
    changeListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Calls {@code listener} with the problems of each rejected configuration, on the thread that
   * reloaded; the current value stays.
   */
  public void onRejection(Consumer<ConfigException> listener) {
    rejectionListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The last rejection, if any happened. */
  public Optional<ConfigException> lastRejection() {
    Rejection r = lastRejection;
    return r == null ? Optional.empty() : Optional.of(r.error());
  }

  /** How many configurations were rejected so far. */
  public long rejections() {
    return rejections.get();
  }

  @Nullable Rejection rejection() {
    return lastRejection;
  }

  /**
   * Reads every source now, as a change would.
   *
   * @return true when a new version was applied; false when the value did not change or was
   *     rejected ({@link #lastRejection()} tells which)
   */
  public boolean reload() {
    return reload(null);
  }

  /** Reads {@code only} (every source when null) anew, the others as they were last read. */
  boolean reload(@Nullable Set<ConfigSource> only) {
    reloading.lock();
    try {
      if (closed) {
        return false;
      }
      T value;
      try {
        Map<ConfigSource, Layer> next = new HashMap<>(layers);
        value = bind(Config.read(reading, sources, next, only, variables));
        layers.putAll(next);
      } catch (ConfigException e) {
        reject(e);
        return false;
      }
      Versioned<T> old = current;
      if (old.value().equals(value)) {
        return false;
      }
      Versioned<T> now = new Versioned<>(old.version() + 1, value);
      current = now;
      log.info("configuration version {} applied", now.version());
      for (BiConsumer<Versioned<T>, Versioned<T>> listener : changeListeners) {
        try {
          listener.accept(old, now);
        } catch (RuntimeException e) {
          log.warn("a configuration change listener failed", e);
        }
      }
      return true;
    } finally {
      reloading.unlock();
    }
  }

  private T bind(Config config) {
    T value;
    try {
      value = binder.apply(config);
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConfigException(
          List.of(new ConfigProblem("", "could not be bound: " + e.getMessage(), null)));
    }
    if (value == null) {
      throw new ConfigException(List.of(new ConfigProblem("", "was bound to nothing", null)));
    }
    return value;
  }

  /**
   * Reports {@code e} as a rejection that happened past binding (a processor that could not be made
   * of the new value): logged and told to the rejection listeners like any other.
   */
  void rejectApplied(ConfigException e) {
    reject(e);
  }

  private void reject(ConfigException e) {
    long sequence = rejections.incrementAndGet();
    lastRejection = new Rejection(sequence, e);
    log.warn("configuration rejected, keeping version {}: {}", current.version(), e.getMessage());
    for (Consumer<ConfigException> listener : rejectionListeners) {
      try {
        listener.accept(e);
      } catch (RuntimeException failure) {
        log.warn("a configuration rejection listener failed", failure);
      }
    }
  }

  private void startWatching() {
    Set<Path> directories = new LinkedHashSet<>();
    for (ConfigSource source : sources) {
      Path file = source.watchedFile();
      if (file != null) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          directories.add(parent);
        }
      }
      if (source.nextPoll() != null) {
        threads.add(
            Thread.ofVirtual().name("config-poll-" + source.describe()).start(() -> poll(source)));
      }
    }
    if (!directories.isEmpty()) {
      try {
        WatchService service = FileSystems.getDefault().newWatchService();
        watcher = service;
        for (Path directory : directories) {
          directory.register(
              service,
              StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY,
              StandardWatchEventKinds.ENTRY_DELETE);
        }
        threads.add(Thread.ofVirtual().name("config-watch").start(() -> watch(service)));
      } catch (IOException e) {
        throw new ConfigException(
            List.of(
                new ConfigProblem(
                    "", "the configuration files cannot be watched: " + e.getMessage(), null)));
      }
    }
  }

  private void watch(WatchService service) {
    try {
      while (!closed) {
        WatchKey key = service.take();
        key.pollEvents();
        if (!key.reset()) {
          log.warn(
              "a watched configuration directory ({}) is gone; its files are no longer watched",
              key.watchable());
        }
        // Editors write a file in several steps (truncate, write, rename): wait until the
        // directory is quiet so the file is read once, whole.
        for (WatchKey more = service.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
            more != null;
            more = service.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS)) {
          more.pollEvents();
          more.reset();
        }
        reloadFiles();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  private void reloadFiles() {
    // Only files are read anew: an HTTP source is read on its own schedule.
    boolean http = sources.stream().anyMatch(s -> s.nextPoll() != null);
    if (!http) {
      reload(null);
      return;
    }
    Set<ConfigSource> files = new LinkedHashSet<>();
    for (ConfigSource source : sources) {
      if (source.watchedFile() != null) {
        files.add(source);
      }
    }
    reload(files);
  }

  private void poll(ConfigSource source) {
    try {
      while (!closed) {
        Duration wait = source.nextPoll();
        if (wait == null) {
          return;
        }
        Thread.sleep(wait);
        reload(Set.of(source));
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  /** Stops watching and polling, and waits for those threads to end. */
  @Override
  public void close() {
    closed = true;
    WatchService service = watcher;
    if (service != null) {
      try {
        service.close();
      } catch (IOException e) {
        log.debug("closing the watch service failed", e);
      }
    }
    for (Thread thread : threads) {
      thread.interrupt();
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    reading.close();
  }

  @Override
  public String toString() {
    return "LiveConfig[version " + current.version() + ", " + sources + "]";
  }
}
