package dev.genaiprocessors.config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A JSON or YAML document served over HTTP, read with conditional requests: the last {@code ETag}
 * goes back as {@code If-None-Match} and the last {@code Last-Modified} as {@code
 * If-Modified-Since}, and a 304 gives the last good answer again.
 */
final class HttpSource extends ConfigSource {
  /** How many times the interval the wait grows to after failures in a row. */
  static final int MAX_BACKOFF_FACTOR = 32;

  private final URI uri;
  private final Duration every;
  private final @Nullable HttpClient client;
  private final Duration timeout;
  private final Map<String, Secret> headers;
  private final ReentrantLock lock = new ReentrantLock();
  private @Nullable String etag;
  private @Nullable String lastModified;
  private @Nullable Layer lastGood;
  private int failures;

  HttpSource(
      URI uri,
      Duration every,
      @Nullable HttpClient client,
      Duration timeout,
      Map<String, Secret> headers) {
    this.uri = Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(every, "every");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("the URI must be http or https but was " + shown(uri));
    }
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("the poll interval must be positive but was " + every);
    }
    this.every = every;
    this.client = client;
    this.timeout = timeout;
    this.headers = headers;
  }

  /** {@code uri} without its user information and query, which may hold credentials. */
  static String shown(URI uri) {
    String text =
        uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    return text + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  @Override
  Layer read(Reading reading) {
    lock.lock();
    try {
      Layer layer = fetch(client == null ? reading.client() : client);
      failures = 0;
      return layer;
    } catch (ConfigException e) {
      failures++;
      throw e;
    } finally {
      lock.unlock();
    }
  }

  private Layer fetch(HttpClient http) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header(
                "Accept", "application/json, application/yaml;q=0.9, text/yaml;q=0.9, */*;q=0.1")
            .GET();
    headers.forEach((name, value) -> request.header(name, value.reveal()));
    if (etag != null) {
      request.header("If-None-Match", etag);
    }
    if (lastModified != null) {
      request.header("If-Modified-Since", lastModified);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw failure("could not be reached: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("was not read: the thread was interrupted");
    }
    int status = response.statusCode();
    if (status == 304) {
      Layer last = lastGood;
      if (last == null) {
        throw failure("answered 304 Not Modified, but nothing was read from it before");
      }
      return last;
    }
    if (status != 200) {
      throw failure("answered HTTP " + status + ", not 200 or 304");
    }
    // Validators are kept even when the body turns out bad: the server would send the same bad
    // body again, and a 304 then means "what you had", which is the last good answer.
    etag = response.headers().firstValue("ETag").orElse(null);
    lastModified = response.headers().firstValue("Last-Modified").orElse(null);
    String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    Documents.Format format;
    if (type.contains("json")) {
      format = Documents.Format.JSON;
    } else if (type.isEmpty() || type.contains("yaml") || type.startsWith("text/plain")) {
      format = Documents.Format.YAML;
    } else {
      throw failure(
          "answered " + type.split(";", 2)[0].strip() + ", which is neither JSON nor YAML");
    }
    String text = new String(response.body(), StandardCharsets.UTF_8);
    Layer layer = Documents.parse(text, format, describe());
    lastGood = layer;
    return layer;
  }

  private ConfigException failure(String message) {
    return new ConfigException(List.of(new ConfigProblem("", describe() + " " + message, null)));
  }

  /**
   * The poll interval, doubled after each failure in a row up to {@value #MAX_BACKOFF_FACTOR}
   * times.
   */
  @Override
  Duration nextPoll() {
    lock.lock();
    try {
      return backoff(every, failures);
    } finally {
      lock.unlock();
    }
  }

  static Duration backoff(Duration every, int failures) {
    long factor = 1L << Math.min(failures, Integer.numberOfTrailingZeros(MAX_BACKOFF_FACTOR));
    return every.multipliedBy(factor);
  }

  @Override
  String describe() {
    return shown(uri);
  }
}
