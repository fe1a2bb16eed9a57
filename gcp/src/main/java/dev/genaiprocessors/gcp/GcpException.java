package dev.genaiprocessors.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ErrorDetails;
import com.google.cloud.BaseServiceException;
import com.google.rpc.RetryInfo;
import dev.genaiprocessors.model.RetryAdvice;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A Google Cloud service refused or failed a call: its status, whether trying again may help, and
 * how long the service asked to wait.
 *
 * <p>Its message names the service, what was being done (the parts, the object) and the service's
 * status and message: {@code "Translation of parts #0-#3 to 'xx' failed: INVALID_ARGUMENT: Target
 * language is invalid."}. As a {@link RetryAdvice} it is retryable for {@code RESOURCE_EXHAUSTED}
 * and {@code UNAVAILABLE} (for Cloud Storage: HTTP 429, 500, 502, 503, 504), and its {@link
 * #retryAfter()} is the {@code google.rpc.RetryInfo} delay when the service sent one; so the {@code
 * resilience} module's retry decorator retries these and nothing else. Bad requests, permission and
 * not-found failures are not retryable. The original client exception is the cause.
 */
public final class GcpException extends RuntimeException implements RetryAdvice {
  private static final long serialVersionUID = 1L;
  private static final Set<Integer> RETRYABLE_HTTP = Set.of(429, 500, 502, 503, 504);

  private final String service;
  private final String status;
  private final boolean retryable;
  private final transient @Nullable Duration retryAfter;

  GcpException(
      String service,
      String message,
      String status,
      boolean retryable,
      @Nullable Duration retryAfter,
      @Nullable Throwable cause) {
    super(message, cause);
    this.service = Objects.requireNonNull(service, "service");
    this.status = Objects.requireNonNull(status, "status");
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /**
   * The service that failed: {@code "Translation"}, {@code "Vision"} or {@code "Cloud Storage"}.
   */
  public String service() {
    return service;
  }

  /**
   * The service's status: a gRPC code name ({@code "INVALID_ARGUMENT"}, {@code
   * "RESOURCE_EXHAUSTED"}) for Translation and Vision, an HTTP status ({@code "404"}) for Cloud
   * Storage.
   */
  public String status() {
    return status;
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }

  @Override
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /** The exception for {@code failure} of a gRPC service while doing {@code what}. */
  static GcpException fromGrpc(String service, String what, ApiException failure) {
    String code = failure.getStatusCode().getCode().name();
    boolean retryable = code.equals("RESOURCE_EXHAUSTED") || code.equals("UNAVAILABLE");
    return new GcpException(
        service,
        what + " failed: " + code + ": " + failure.getMessage(),
        code,
        retryable,
        retryDelay(failure.getErrorDetails()),
        failure);
  }

  /** The exception for a per-item {@code google.rpc.Status} a batched answer carried. */
  static GcpException fromStatus(String service, String what, com.google.rpc.Status status) {
    com.google.rpc.Code code = com.google.rpc.Code.forNumber(status.getCode());
    String name = code == null ? Integer.toString(status.getCode()) : code.name();
    boolean retryable = name.equals("RESOURCE_EXHAUSTED") || name.equals("UNAVAILABLE");
    Duration wait = null;
    for (com.google.protobuf.Any detail : status.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          wait = toDuration(detail.unpack(RetryInfo.class).getRetryDelay());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          // A malformed hint is no hint: the caller's own backoff applies.
        }
      }
    }
    return new GcpException(
        service,
        what + " failed: " + name + ": " + status.getMessage(),
        name,
        retryable,
        wait,
        null);
  }

  /** The exception for {@code failure} of Cloud Storage while doing {@code what}. */
  static GcpException fromStorage(String what, BaseServiceException failure) {
    int code = failure.getCode();
    return new GcpException(
        "Cloud Storage",
        what + " failed: " + code + " " + failure.getMessage(),
        Integer.toString(code),
        RETRYABLE_HTTP.contains(code) || (code == 0 && failure.isRetryable()),
        null,
        failure);
  }

  private static @Nullable Duration retryDelay(@Nullable ErrorDetails details) {
    if (details == null) {
      return null;
    }
    RetryInfo info = details.getRetryInfo();
    return info == null || !info.hasRetryDelay() ? null : toDuration(info.getRetryDelay());
  }

  private static Duration toDuration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
