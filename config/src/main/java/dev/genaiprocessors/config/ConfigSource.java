package dev.genaiprocessors.config;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where configuration comes from: a file, an HTTP endpoint, environment variables, system
 * properties or a text given in code. A {@link Config} layers several; the one added last wins
 * where two give the same key.
 *
 * <pre>{@code
 * Config config = Config.builder()
 *     .source(ConfigSource.file(Path.of("app.yaml")))                      // lowest precedence
 *     .source(ConfigSource.http(URI.create("https://config.internal/app"), Duration.ofSeconds(30)))
 *     .source(ConfigSource.environment("APP_"))                           // APP_MODELS_PRIMARY_MODEL
 *     .source(ConfigSource.systemProperties("app."))                      // -Dapp.models.primary.model
 *     .build();
 * }</pre>
 *
 * <p>A file is YAML unless its name ends in {@code .json} (JSON) or {@code .properties}. An HTTP
 * source answers JSON or YAML (by its {@code Content-Type}; YAML, which reads JSON too, when it
 * names neither) and is polled with {@code If-None-Match} and {@code If-Modified-Since}, so an
 * unchanged configuration costs a 304; after a failed poll the interval doubles, up to 32 times,
 * and returns to normal after the next success. A source remembers what it last read (an HTTP
 * source its validators and its last good answer), so give each {@link Config} or {@link
 * LiveConfig} sources of its own.
 *
 * <p>Instances are made only by these factories.
 */
public abstract sealed class ConfigSource
    permits FileSource, HttpSource, VariablesSource, TextSource {

  ConfigSource() {}

  /**
   * The file at {@code file}; it must exist when read (see {@link #optionalFile} for one that may
   * be missing). A {@link LiveConfig} watches its directory, so a file replaced by an editor (a new
   * file renamed over it) is seen like one written in place.
   */
  public static ConfigSource file(Path file) {
    return new FileSource(Objects.requireNonNull(file, "file"), false);
  }

  /** {@link #file}, but a missing file gives no configuration instead of a problem. */
  public static ConfigSource optionalFile(Path file) {
    return new FileSource(Objects.requireNonNull(file, "file"), true);
  }

  /**
   * The JSON or YAML document at {@code uri}, read with a JDK {@link HttpClient} (one on virtual
   * threads, owned by the {@link Config} or {@link LiveConfig} reading it), polled every {@code
   * every} by a {@link LiveConfig}.
   *
   * @throws IllegalArgumentException unless {@code uri} is http or https and {@code every} positive
   */
  public static ConfigSource http(URI uri, Duration every) {
    return new HttpSource(uri, every, null, Duration.ofSeconds(10), Map.of());
  }

  /**
   * {@link #http(URI, Duration)} sending {@code headers} with every request, such as {@code
   * Authorization: Bearer ...} for a configuration server that wants credentials; their values
   * never appear in messages.
   */
  public static ConfigSource http(URI uri, Duration every, Map<String, Secret> headers) {
    return new HttpSource(uri, every, null, Duration.ofSeconds(10), Map.copyOf(headers));
  }

  /** {@link #http(URI, Duration)} through {@code client}, which the caller keeps and closes. */
  public static ConfigSource http(URI uri, Duration every, HttpClient client) {
    return new HttpSource(
        uri, every, Objects.requireNonNull(client, "client"), Duration.ofSeconds(10), Map.of());
  }

  /**
   * The environment variables whose names start with {@code prefix}: {@code APP_MODELS_PRIMARY_
   * MAXTOKENS=512} with prefix {@code APP_} sets {@code models.primary.maxTokens}. The rest of the
   * name splits into keys at each {@code _}, and each key matches an existing key of a lower layer
   * ignoring case, dashes and underscores (so {@code MAXTOKENS} is {@code maxTokens}); keys no
   * lower layer has are lower-cased.
   *
   * @throws IllegalArgumentException when {@code prefix} is empty (every variable would be read)
   */
  public static ConfigSource environment(String prefix) {
    return new VariablesSource(prefix, "environment variable ", "_", System::getenv);
  }

  /**
   * The system properties whose names start with {@code prefix}: {@code -Dapp.models.primary.model
   * =gpt-4o} with prefix {@code app.} sets {@code models.primary.model}; keys split at {@code .}
   * and match existing keys as {@link #environment} does.
   *
   * @throws IllegalArgumentException when {@code prefix} is empty
   */
  public static ConfigSource systemProperties(String prefix) {
    return new VariablesSource(
        prefix, "system property ", "\\.", VariablesSource.systemProperties());
  }

  /**
   * Name-value pairs standing for variables (a test's environment, a command line's options), read
   * as {@link #environment} reads the environment: names start with {@code prefix} and split at
   * {@code _}.
   */
  public static ConfigSource variables(String prefix, Map<String, String> variables) {
    Map<String, String> copy = Map.copyOf(variables);
    return new VariablesSource(prefix, "variable ", "_", () -> copy);
  }

  /**
   * A YAML (or JSON) document given as text, named {@code name} in messages: defaults shipped in
   * code, or a test's configuration.
   */
  public static ConfigSource yaml(String name, String text) {
    return new TextSource(name, text, Documents.Format.YAML);
  }

  /** A properties document given as text, named {@code name} in messages. */
  public static ConfigSource properties(String name, String text) {
    return new TextSource(name, text, Documents.Format.PROPERTIES);
  }

  /**
   * What the source holds now.
   *
   * @throws ConfigException when it cannot be read or parsed
   */
  abstract Layer read(Reading reading);

  /** The file whose changes a {@link LiveConfig} watches, if this source is one. */
  @Nullable Path watchedFile() {
    return null;
  }

  /** How long a {@link LiveConfig} waits before reading this source again; null: never polled. */
  @Nullable Duration nextPoll() {
    return null;
  }

  /** What the source is, for messages: a file name, a URL, a variable prefix. */
  abstract String describe();

  /** {@link #describe()}. */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + describe() + "]";
  }

  /**
   * What a reading of sources shares: the HTTP client of the sources that have none of their own,
   * made on first use and closed with the reading.
   */
  static final class Reading implements AutoCloseable {
    private @Nullable HttpClient client;
    private final java.util.concurrent.locks.ReentrantLock lock =
        new java.util.concurrent.locks.ReentrantLock();

    HttpClient client() {
      lock.lock();
      try {
        HttpClient c = client;
        if (c == null) {
          c =
              HttpClient.newBuilder()
                  .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
                  .connectTimeout(Duration.ofSeconds(10))
                  .followRedirects(HttpClient.Redirect.NORMAL)
                  .build();
          client = c;
        }
        return c;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      lock.lock();
      try {
        if (client != null) {
          client.close();
          client = null;
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
