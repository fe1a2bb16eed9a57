package dev.genaiprocessors.http;

import com.fasterxml.jackson.core.JsonPointer;
import dev.genaiprocessors.ErrorStrategies;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.resilience.HttpStatusException;
import dev.genaiprocessors.resilience.RateLimitConfig;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.resilience.RetryConfig;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * An external HTTP API as a {@link PartProcessor}: each part becomes a request, the response
 * becomes parts.
 *
 * <pre>{@code
 * try (HttpProcessor translate = HttpProcessor.builder("https://api.example.com/v1/translate?to={lang}")
 *         .auth(HttpAuth.bearer(System.getenv("API_TOKEN")))
 *         .body(RequestBody.json(part -> Map.of("text", part.text())))
 *         .jsonPointer("/translation")
 *         .build()) {
 *   String french = translate.apply(ProcessorPart.text("hello").withMetadata("lang", "fr")).text();
 * }
 * }</pre>
 *
 * <p><b>The request.</b> The URL template's {@code {text}} takes the part's text and any other
 * {@code {name}} the part's metadata value {@code name} (URL-encoded). The body is a {@link
 * RequestBody}: by default none for GET, HEAD and DELETE, the part's own content otherwise.
 *
 * <p><b>The response.</b> A 2xx response becomes parts by its {@code Content-Type}, and each part
 * carries the type the server sent, never one guessed from the body: {@code application/json}
 * becomes one JSON part (or, with a {@link Builder#jsonPointer JSON pointer}, the field it picks: a
 * text part for a string, a JSON part otherwise); {@code text/*} a text part of that type (JSON
 * sent as {@code text/plain} stays a {@code text/plain} part); {@code application/x-ndjson} one
 * JSON part per line and {@code text/event-stream} one part per event (both streamed as they
 * arrive, {@code [DONE]} ends an event stream); anything else one bytes part.
 *
 * <p><b>JSON is checked.</b> JSON is expected when the {@code Content-Type} says JSON (or NDJSON,
 * or an event looks like JSON), and for any non-streamed body when a JSON pointer is set: the
 * pointer is the processor's promise to pick a field, so a body that parses as JSON is read
 * whatever its content type (servers label JSON {@code text/plain} or {@code text/html}), and one
 * that does not fails. A body expected as JSON that is not valid JSON (a proxy's HTML page sent
 * with 200, truncated JSON, plain text) is an {@link UnexpectedResponseException} naming the
 * status, the content type and the start of the body (credentials redacted), handled by the error
 * strategy like any other failure: never a JSON part that is not JSON. Every part keeps the input's
 * role, substream and metadata, plus {@code http_status} and {@code http_elapsed_ms} (time to the
 * response headers). Any other status is an {@link HttpStatusException} naming the URL, the status
 * and the start of the body.
 *
 * <p><b>Resilience.</b> By default the exchange is wrapped in a {@link Resilience} with {@link
 * RetryConfig#defaults()} and a rate limit of {@value #DEFAULT_REQUESTS_PER_SECOND} requests per
 * second per processor; replace it with {@link Builder#resilience}, for example to share one limit
 * between processors calling the same API ({@link Resilience#none()} turns it off). Retries honour
 * {@code Retry-After} and the other hints {@link HttpStatusException} describes; a streamed
 * response is retried only while none of its parts has reached the caller. Failures that remain are
 * handled by the {@link HttpErrorStrategy} (by default {@link HttpErrorStrategy#FAIL FAIL}).
 *
 * <p><b>Connections.</b> Built without a {@link Builder#client client}, it owns a JDK {@link
 * HttpClient} with the {@link Builder#connectTimeout connect timeout}, running on virtual threads,
 * which {@link #close()} closes. At most {@link Builder#maxConcurrentRequests} requests are in
 * flight at once; each waits at most {@link Builder#requestTimeout} for its response headers.
 *
 * <p>Secrets ({@link HttpAuth}) never appear in its name, its {@code toString()} or its errors,
 * even when a server echoes them: every form of the credentials sent is redacted from the URL, the
 * body, the headers and the request id an {@link HttpStatusException} keeps, and so from error
 * parts and logs; an exception whose cause chain shows them is replaced by one without that cause.
 * Thread-safe: one instance serves every part of every run at once.
 */
public final class HttpProcessor implements PartProcessor, AutoCloseable {

  /** The rate limit of the default resilience, per processor. */
  public static final int DEFAULT_REQUESTS_PER_SECOND = 20;

  private final String name;
  private final PartProcessor processor;
  private final Predicate<? super ProcessorPart> match;
  private final @Nullable HttpClient ownedClient;
  private final @Nullable ExecutorService ownedExecutor;
  private final String description;

  private HttpProcessor(
      String name,
      PartProcessor processor,
      Predicate<? super ProcessorPart> match,
      @Nullable HttpClient ownedClient,
      @Nullable ExecutorService ownedExecutor,
      String description) {
    this.name = name;
    this.processor = processor;
    this.match = match;
    this.ownedClient = ownedClient;
    this.ownedExecutor = ownedExecutor;
    this.description = description;
  }

  /**
   * A builder of a processor calling {@code urlTemplate}, an absolute http or https URL that may
   * hold {@code {name}} placeholders. Put API keys in {@link Builder#auth}, not in the template:
   * the template is shown in names and errors.
   *
   * @throws IllegalArgumentException when {@code urlTemplate} is not an absolute http(s) URL
   */
  public static Builder builder(String urlTemplate) {
    return new Builder(urlTemplate);
  }

  @Override
  public void call(ProcessorPart part, PartSink output) throws Exception {
    processor.call(part, output);
  }

  @Override
  public boolean match(ProcessorPart part) {
    return match.test(part);
  }

  /** {@code "http <METHOD> <url template>"}, or the name given to the builder. */
  @Override
  public String name() {
    return name;
  }

  /** Closes the HTTP client it built, if it built one; a client given to it stays open. */
  @Override
  public void close() {
    if (ownedClient != null) {
      ownedClient.close();
    }
    if (ownedExecutor != null) {
      ownedExecutor.close();
    }
  }

  /** Its name and settings; never a secret. */
  @Override
  public String toString() {
    return description;
  }

  /** The error part for {@code error}: the core's standard one plus the HTTP details. */
  static ProcessorPart errorPart(Throwable error, int maxErrorBodyChars) {
    ProcessorPart part = ErrorStrategies.errorPart(error);
    Throwable http = error;
    while (http != null
        && !(http instanceof HttpStatusException)
        && !(http instanceof UnexpectedResponseException)) {
      http = http.getCause();
    }
    if (http instanceof UnexpectedResponseException unexpected) {
      String body = unexpected.bodyStart();
      part =
          part.withMetadata("http_status", unexpected.status())
              .withMetadata(
                  "http_error_body",
                  body.length() > maxErrorBodyChars ? body.substring(0, maxErrorBodyChars) : body);
      if (unexpected.contentType() != null) {
        part = part.withMetadata("http_content_type", unexpected.contentType());
      }
    }
    if (http instanceof HttpStatusException status) {
      String body = status.body();
      part =
          part.withMetadata("http_status", status.status())
              .withMetadata(
                  "http_error_body",
                  body.length() > maxErrorBodyChars ? body.substring(0, maxErrorBodyChars) : body);
      if (status.requestId() != null) {
        part = part.withMetadata("http_request_id", status.requestId());
      }
    }
    return part;
  }

  /** {@code processor} with the error strategy applied: the core's, with HTTP error parts. */
  private static PartProcessor withStrategy(
      PartProcessor processor, HttpErrorStrategy strategy, int maxErrorBodyChars) {
    return switch (strategy) {
      case FAIL -> processor;
      case EMIT_ERROR_PART ->
          ErrorStrategies.emitErrorPart(processor, e -> errorPart(e, maxErrorBodyChars));
      case PASS_THROUGH ->
          ErrorStrategies.passThroughOnError(processor, e -> errorPart(e, maxErrorBodyChars));
    };
  }

  /**
   * Builds an {@link HttpProcessor}. Every setting has a default; each is checked when set, and the
   * message names the setting and the value.
   */
  public static final class Builder {
    private final UrlTemplate url;
    private String method = "POST";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private HttpAuth auth = HttpAuth.none();
    private @Nullable RequestBody body;
    private @Nullable JsonPointer pointer;
    private HttpErrorStrategy errorStrategy = HttpErrorStrategy.FAIL;
    private @Nullable HttpClient client;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int maxConcurrentRequests = 64;
    private int maxErrorBodyChars = 1024;
    private @Nullable Resilience resilience;
    private Predicate<? super ProcessorPart> match = part -> true;
    private @Nullable String name;

    private Builder(String urlTemplate) {
      this.url = new UrlTemplate(Objects.requireNonNull(urlTemplate, "urlTemplate"));
    }

    /** The HTTP method (default POST). */
    public Builder method(String method) {
      Objects.requireNonNull(method, "method");
      if (!method.matches("[A-Za-z]+")) {
        throw new IllegalArgumentException(
            "method must be a word such as GET but was \"" + method + "\"");
      }
      this.method = method.toUpperCase(Locale.ROOT);
      return this;
    }

    /** A header sent with every request (do not put secrets here: use {@link #auth}). */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** How requests authenticate (default none). */
    public Builder auth(HttpAuth auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    /**
     * What the request body is (default: none for GET, HEAD, DELETE; the part's content otherwise).
     */
    public Builder body(RequestBody body) {
      this.body = Objects.requireNonNull(body, "body");
      return this;
    }

    /**
     * A JSON pointer (RFC 6901, such as {@code /choices/0/text}) picking the field of each JSON
     * response (or NDJSON line, or JSON event) that becomes the part.
     */
    public Builder jsonPointer(String pointer) {
      Objects.requireNonNull(pointer, "pointer");
      try {
        this.pointer = JsonPointer.compile(pointer);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "jsonPointer is not a JSON pointer: \"" + pointer + "\"", e);
      }
      return this;
    }

    /** What happens when a request fails for good (default {@link HttpErrorStrategy#FAIL}). */
    public Builder errorStrategy(HttpErrorStrategy errorStrategy) {
      this.errorStrategy = Objects.requireNonNull(errorStrategy, "errorStrategy");
      return this;
    }

    /**
     * The HTTP client to use, owned by the caller (not closed by {@link HttpProcessor#close()});
     * {@link #connectTimeout} then does not apply.
     */
    public Builder client(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The longest a connection may take to open (default 10 s). */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("connectTimeout", connectTimeout);
      return this;
    }

    /** The longest a request may wait for its response headers (default 60 s). */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive("requestTimeout", requestTimeout);
      return this;
    }

    /** The most requests in flight at once from this processor (default 64). */
    public Builder maxConcurrentRequests(int maxConcurrentRequests) {
      if (maxConcurrentRequests < 1) {
        throw new IllegalArgumentException(
            "maxConcurrentRequests must be at least 1 but was " + maxConcurrentRequests);
      }
      this.maxConcurrentRequests = maxConcurrentRequests;
      return this;
    }

    /** How much of an error body an error part carries (default 1024 characters). */
    public Builder maxErrorBodyChars(int maxErrorBodyChars) {
      if (maxErrorBodyChars < 0) {
        throw new IllegalArgumentException(
            "maxErrorBodyChars must not be negative but was " + maxErrorBodyChars);
      }
      this.maxErrorBodyChars = maxErrorBodyChars;
      return this;
    }

    /**
     * The resilience wrapped around each request (default: {@link RetryConfig#defaults()} and
     * {@value HttpProcessor#DEFAULT_REQUESTS_PER_SECOND} requests per second); {@link
     * Resilience#none()} for none.
     */
    public Builder resilience(Resilience resilience) {
      this.resilience = Objects.requireNonNull(resilience, "resilience");
      return this;
    }

    /** Which parts make a request; the others pass through unchanged (default: every part). */
    public Builder match(Predicate<? super ProcessorPart> match) {
      this.match = Objects.requireNonNull(match, "match");
      return this;
    }

    /**
     * The processor's name, in errors and traces (default {@code "http <METHOD> <url template>"}).
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    private static Duration positive(String setting, Duration value) {
      Objects.requireNonNull(value, setting);
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(setting + " must be positive but was " + value);
      }
      return value;
    }

    /** The processor. */
    public HttpProcessor build() {
      String processorName =
          name != null ? name : "http " + method + " " + auth.redact(url.template());
      RequestBody requestBody =
          body != null
              ? body
              : switch (method) {
                case "GET", "HEAD", "DELETE" -> RequestBody.none();
                default -> RequestBody.partContent();
              };
      HttpClient httpClient = client;
      ExecutorService executor = null;
      if (httpClient == null) {
        executor = Executors.newVirtualThreadPerTaskExecutor();
        httpClient =
            HttpClient.newBuilder().connectTimeout(connectTimeout).executor(executor).build();
      }
      Exchange exchange =
          new Exchange(
              processorName,
              httpClient,
              method,
              url,
              headers,
              auth,
              requestBody,
              pointer,
              requestTimeout,
              maxConcurrentRequests);
      Resilience layer =
          resilience != null
              ? resilience
              : Resilience.builder(processorName)
                  .retry(RetryConfig.defaults())
                  .rateLimit(RateLimitConfig.perSecond(DEFAULT_REQUESTS_PER_SECOND))
                  .build();
      PartProcessor processor =
          withStrategy(layer.decorate(exchange), errorStrategy, maxErrorBodyChars);
      String description =
          "HttpProcessor["
              + processorName
              + ", "
              + auth
              + ", "
              + layer
              + ", on error "
              + errorStrategy
              + "]";
      return new HttpProcessor(
          processorName,
          processor,
          match,
          client == null ? httpClient : null,
          executor,
          description);
    }
  }
}
