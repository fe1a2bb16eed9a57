package dev.genaiprocessors.config.types;

import dev.genaiprocessors.config.Default;
import dev.genaiprocessors.config.Matches;
import dev.genaiprocessors.config.Min;
import dev.genaiprocessors.config.NotBlank;
import dev.genaiprocessors.config.ProcessorType;
import dev.genaiprocessors.config.Secret;
import dev.genaiprocessors.http.HttpAuth;
import dev.genaiprocessors.http.HttpErrorStrategy;
import dev.genaiprocessors.http.HttpProcessor;
import dev.genaiprocessors.http.RequestBody;
import dev.genaiprocessors.resilience.Resilience;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code http}: an {@code HttpProcessor}, one request per part. */
public final class HttpType implements ProcessorType<HttpType.Settings> {
  /** What a request carries. */
  public enum Body {
    /**
     * The HTTP processor's default: none for GET, HEAD and DELETE, the part's content otherwise.
     */
    DEFAULT,
    /** No body. */
    NONE,
    /** The part's own content. */
    PART,
    /** {@code {"<jsonField>": "<the part's text>"}}. */
    JSON
  }

  /**
   * The settings of an HTTP processor.
   *
   * @param url the URL template: {@code {text}} is the part's text, {@code {name}} its metadata
   * @param method the HTTP method
   * @param headers headers sent with every request
   * @param bearerToken sent as {@code Authorization: Bearer} (write it as a reference)
   * @param body what a request carries
   * @param jsonField the field of a {@code json} body that holds the part's text
   * @param jsonPointer the field of a JSON response to emit
   * @param connectTimeout the most connecting may take
   * @param requestTimeout the most waiting for the response headers may take
   * @param maxConcurrentRequests the most requests in flight at once
   * @param errorStrategy what a failure does: fail, pass_through or emit_error_part
   * @param builtInResilience whether the processor's own retry and rate limit are on; turn them off
   *     under a {@code resilience} node
   */
  public record Settings(
      @NotBlank String url,
      @Default("POST") @Matches("[A-Za-z]+") String method,
      Map<String, String> headers,
      @Nullable Secret bearerToken,
      @Default("default") Body body,
      @Default("text") String jsonField,
      @Nullable String jsonPointer,
      @Nullable Duration connectTimeout,
      @Nullable Duration requestTimeout,
      @Min(1) @Nullable Integer maxConcurrentRequests,
      @Default("fail") HttpErrorStrategy errorStrategy,
      @Default("true") boolean builtInResilience) {}

  /**
   * The type; found by {@link java.util.ServiceLoader}.
   *
   * @throws IllegalStateException when the {@code http} module is missing
   */
  public HttpType() {
    Modules.require("dev.genaiprocessors.http.HttpProcessor", "dev.genaiprocessors.http");
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public Class<Settings> settingsType() {
    return Settings.class;
  }

  @Override
  public String description() {
    return "An HTTP API called once per part; the response becomes parts.";
  }

  @Override
  public Object create(Settings s, @Nullable Object wrapped) {
    HttpProcessor.Builder http = HttpProcessor.builder(s.url()).method(s.method());
    s.headers().forEach(http::header);
    Secret bearerToken = s.bearerToken();
    if (bearerToken != null) {
      http.auth(HttpAuth.bearer(bearerToken.reveal()));
    }
    String field = s.jsonField();
    switch (s.body()) {
      case NONE -> http.body(RequestBody.none());
      case PART -> http.body(RequestBody.partContent());
      case JSON -> http.body(RequestBody.json(part -> Map.of(field, part.text())));
      case DEFAULT -> {}
    }
    String jsonPointer = s.jsonPointer();
    if (jsonPointer != null) {
      http.jsonPointer(jsonPointer);
    }
    Duration connectTimeout = s.connectTimeout();
    if (connectTimeout != null) {
      http.connectTimeout(connectTimeout);
    }
    Duration requestTimeout = s.requestTimeout();
    if (requestTimeout != null) {
      http.requestTimeout(requestTimeout);
    }
    Integer maxConcurrentRequests = s.maxConcurrentRequests();
    if (maxConcurrentRequests != null) {
      http.maxConcurrentRequests(maxConcurrentRequests);
    }
    http.errorStrategy(s.errorStrategy());
    if (!s.builtInResilience()) {
      http.resilience(Resilience.none());
    }
    return http.build();
  }
}
