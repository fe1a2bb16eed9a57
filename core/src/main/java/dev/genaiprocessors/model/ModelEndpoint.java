package dev.genaiprocessors.model;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * How a model processor reaches its vendor's API: the API key, the base URL, the timeouts and how
 * often the vendor's SDK retries by itself. Every setting is optional ({@code null}: the SDK's own
 * default); each is checked when it is set, and the error names the setting and the bad value.
 *
 * <p>The model builders ({@code OpenAiModel}, {@code AnthropicModel}, {@code GeminiModel}) keep one
 * and hand it to the SDK client they build, so the same setting means and checks the same
 * everywhere. Immutable; {@link #toString()} never shows the key.
 *
 * @param apiKey the API key, never blank
 * @param baseUrl an absolute http or https URL
 * @param timeout the most a whole call may take: every attempt the SDK makes, the waits between
 *     them and the streamed answer together (the model holds the SDK to it with a {@link
 *     CallDeadline}); positive
 * @param connectTimeout the most connecting may take, in each attempt; positive
 * @param readTimeout the most the server may stay silent in one attempt: before the first byte of
 *     the answer and between two reads of it; positive
 * @param maxRetries how often the SDK retries a failed request by itself; not negative (a retrying
 *     decorator turns the SDK's default retries off, and refuses a count given here: see {@link
 *     SdkRetries})
 */
public record ModelEndpoint(
    @Nullable String apiKey,
    @Nullable String baseUrl,
    @Nullable Duration timeout,
    @Nullable Duration connectTimeout,
    @Nullable Duration readTimeout,
    @Nullable Integer maxRetries) {

  private static final ModelEndpoint DEFAULTS =
      new ModelEndpoint(null, null, null, null, null, null);

  /**
   * @throws IllegalArgumentException when a setting that is given is invalid, naming it and its
   *     value (never the key's)
   */
  public ModelEndpoint {
    if (apiKey != null && apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    if (baseUrl != null) {
      checkHttpUrl(baseUrl);
    }
    positive("timeout", timeout);
    positive("connectTimeout", connectTimeout);
    positive("readTimeout", readTimeout);
    if (maxRetries != null && maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative but was " + maxRetries);
    }
  }

  /** No setting given: every one is the SDK's default. */
  public static ModelEndpoint defaults() {
    return DEFAULTS;
  }

  /** A copy with this API key. */
  public ModelEndpoint withApiKey(String apiKey) {
    return new ModelEndpoint(
        Objects.requireNonNull(apiKey, "apiKey"),
        baseUrl,
        timeout,
        connectTimeout,
        readTimeout,
        maxRetries);
  }

  /** A copy with this base URL. */
  public ModelEndpoint withBaseUrl(String baseUrl) {
    return new ModelEndpoint(
        apiKey,
        Objects.requireNonNull(baseUrl, "baseUrl"),
        timeout,
        connectTimeout,
        readTimeout,
        maxRetries);
  }

  /** A copy with this timeout of the whole call. */
  public ModelEndpoint withTimeout(Duration timeout) {
    return new ModelEndpoint(
        apiKey,
        baseUrl,
        Objects.requireNonNull(timeout, "timeout"),
        connectTimeout,
        readTimeout,
        maxRetries);
  }

  /** A copy with this connect timeout. */
  public ModelEndpoint withConnectTimeout(Duration connectTimeout) {
    return new ModelEndpoint(
        apiKey,
        baseUrl,
        timeout,
        Objects.requireNonNull(connectTimeout, "connectTimeout"),
        readTimeout,
        maxRetries);
  }

  /** A copy with this read timeout. */
  public ModelEndpoint withReadTimeout(Duration readTimeout) {
    return new ModelEndpoint(
        apiKey,
        baseUrl,
        timeout,
        connectTimeout,
        Objects.requireNonNull(readTimeout, "readTimeout"),
        maxRetries);
  }

  /** A copy with this count of SDK retries. */
  public ModelEndpoint withMaxRetries(int maxRetries) {
    return new ModelEndpoint(apiKey, baseUrl, timeout, connectTimeout, readTimeout, maxRetries);
  }

  /**
   * The names of the settings given, in declaration order: for a builder that must refuse them next
   * to an SDK client of the caller's own.
   */
  public List<String> given() {
    List<String> names = new ArrayList<>();
    if (apiKey != null) names.add("apiKey");
    if (baseUrl != null) names.add("baseUrl");
    if (timeout != null) names.add("timeout");
    if (connectTimeout != null) names.add("connectTimeout");
    if (readTimeout != null) names.add("readTimeout");
    if (maxRetries != null) names.add("maxRetries");
    return names;
  }

  /** The settings given, the key shown as {@code <redacted>}. */
  @Override
  public String toString() {
    StringJoiner fields = new StringJoiner(", ", "ModelEndpoint[", "]");
    if (baseUrl != null) fields.add("baseUrl=" + baseUrl);
    if (apiKey != null) fields.add("apiKey=<redacted>");
    if (timeout != null) fields.add("timeout=" + timeout);
    if (connectTimeout != null) fields.add("connectTimeout=" + connectTimeout);
    if (readTimeout != null) fields.add("readTimeout=" + readTimeout);
    if (maxRetries != null) fields.add("maxRetries=" + maxRetries);
    return fields.toString();
  }

  private static void checkHttpUrl(String baseUrl) {
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "baseUrl must be an http or https URL but was '" + baseUrl + "'", e);
    }
    if (uri.getHost() == null
        || !("http".equalsIgnoreCase(uri.getScheme())
            || "https".equalsIgnoreCase(uri.getScheme()))) {
      throw new IllegalArgumentException(
          "baseUrl must be an http or https URL but was '" + baseUrl + "'");
    }
  }

  private static void positive(String name, @Nullable Duration value) {
    if (value != null && (value.isNegative() || value.isZero())) {
      throw new IllegalArgumentException(name + " must be positive but was " + value);
    }
  }
}
