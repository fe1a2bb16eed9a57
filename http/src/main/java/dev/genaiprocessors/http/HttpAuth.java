package dev.genaiprocessors.http;

import dev.genaiprocessors.model.Secrets;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link HttpProcessor} authenticates: a bearer token, an API key in a header or in the
 * query, or basic credentials.
 *
 * <p>The secret never shows: not in {@link #toString()}, not in the processor's name, not in error
 * messages (a key in the query is replaced by {@code REDACTED} in every URL shown). When a server
 * echoes it back (in an error body or a header), every form it was sent in is replaced by {@value
 * Secrets#REDACTED}: the token, the key and its URL-encoded form, the password, {@code
 * user:password} and its base64 form. It is held in memory as given and sent only in the request.
 * Immutable.
 *
 * <pre>{@code
 * HttpAuth auth = HttpAuth.bearer(System.getenv("API_TOKEN"));
 * HttpAuth key = HttpAuth.apiKeyQuery("key", System.getenv("GEMINI_API_KEY"));
 * }</pre>
 */
public final class HttpAuth {
  private static final HttpAuth NONE =
      new HttpAuth(null, null, null, List.of(), "no authentication");

  private final @Nullable String header;
  private final @Nullable String queryParameter;
  private final @Nullable String secret;

  /** Every form of the secret a server may echo: as given, as sent, URL-encoded. */
  private final List<String> forms;

  private final String description;

  private HttpAuth(
      @Nullable String header,
      @Nullable String queryParameter,
      @Nullable String secret,
      List<String> given,
      String description) {
    this.header = header;
    this.queryParameter = queryParameter;
    this.secret = secret;
    Set<String> all = new LinkedHashSet<>();
    for (String form : given) {
      all.add(form);
      all.add(encode(form));
    }
    if (secret != null) {
      all.add(secret);
    }
    this.forms = List.copyOf(all);
    this.description = description;
  }

  /** No authentication. */
  public static HttpAuth none() {
    return NONE;
  }

  /** {@code Authorization: Bearer <token>}. */
  public static HttpAuth bearer(String token) {
    requireSecret(token, "token");
    return new HttpAuth("Authorization", null, "Bearer " + token, List.of(token), "bearer token");
  }

  /** The API key in the header {@code headerName}, for example {@code x-api-key}. */
  public static HttpAuth apiKeyHeader(String headerName, String key) {
    Objects.requireNonNull(headerName, "headerName");
    requireSecret(key, "key");
    return new HttpAuth(headerName, null, key, List.of(key), "API key in header " + headerName);
  }

  /** The API key as the query parameter {@code parameterName}, for example {@code key}. */
  public static HttpAuth apiKeyQuery(String parameterName, String key) {
    Objects.requireNonNull(parameterName, "parameterName");
    requireSecret(key, "key");
    return new HttpAuth(
        null, parameterName, key, List.of(key), "API key in query parameter " + parameterName);
  }

  /** {@code Authorization: Basic ...} from {@code user} and {@code password}. */
  public static HttpAuth basic(String user, String password) {
    Objects.requireNonNull(user, "user");
    String pair = user + ":" + requireSecret(password, "password");
    String credential = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    return new HttpAuth(
        "Authorization",
        null,
        "Basic " + credential,
        List.of(password, pair, credential),
        "basic credentials of user " + user);
  }

  private static String requireSecret(String secret, String name) {
    Objects.requireNonNull(secret, name);
    if (secret.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return secret;
  }

  /** Adds the credentials to {@code request} for {@code uri}; returns the URI to send it to. */
  URI apply(URI uri, HttpRequest.Builder request) {
    if (secret == null) {
      return uri;
    }
    if (header != null) {
      request.setHeader(header, secret);
      return uri;
    }
    String pair = encode(Objects.requireNonNull(queryParameter)) + "=" + encode(secret);
    String raw = uri.toString();
    int fragment = raw.indexOf('#');
    String base = fragment < 0 ? raw : raw.substring(0, fragment);
    String separator = uri.getRawQuery() == null ? "?" : "&";
    return URI.create(base + separator + pair + (fragment < 0 ? "" : raw.substring(fragment)));
  }

  /** {@code url} as it may be shown: without the secret. */
  String redact(String url) {
    if (queryParameter == null || secret == null) {
      return url;
    }
    return url.replace(encode(secret), "REDACTED").replace(secret, "REDACTED");
  }

  /** {@code text} (an error body, a header value) with every form of the secret redacted. */
  String redactSecrets(String text) {
    return Secrets.redactAll(text, forms);
  }

  /**
   * Whether a form of the secret shows in {@code error}, its cause chain or its suppressed ones.
   */
  boolean appearsIn(Throwable error) {
    return Secrets.appearsInAny(error, forms);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** What kind of credentials these are; never the secret. */
  @Override
  public String toString() {
    return secret == null ? description : description + " (secret redacted)";
  }
}
