package dev.genaiprocessors.aws;

import dev.genaiprocessors.model.RetryAdvice;
import java.io.Serial;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An AWS call made for one part failed: the service's answer (error code, HTTP status, request id)
 * or the client's failure to get one, with the part it was made for and what a retry may achieve.
 *
 * <p>The message names the service, the operation, the part ({@code "text/plain part #3, 6012
 * bytes"}) and the service's error code and message, so a log line says what went wrong with which
 * input; the original SDK exception is the cause. No credential appears in it.
 *
 * <p>It is {@link RetryAdvice}: throttling ({@code ThrottlingException}, {@code
 * ProvisionedThroughputExceededException}, 429 and the like), 5xx answers and failures to connect
 * are retryable, with the wait of a {@code Retry-After} header when the service sent one; bad
 * input, access denied and missing buckets are not. The {@code resilience} module's retry decorator
 * reads this. The SDK has already made its own retries (its standard strategy) before this is
 * thrown.
 */
public final class AwsException extends RuntimeException implements RetryAdvice {
  @Serial private static final long serialVersionUID = 1L;

  private final String service;
  private final String operation;
  private final @Nullable String errorCode;
  private final int statusCode;
  private final @Nullable String requestId;
  private final boolean retryable;
  private final @Nullable Duration retryAfter;

  AwsException(
      String message,
      String service,
      String operation,
      @Nullable String errorCode,
      int statusCode,
      @Nullable String requestId,
      boolean retryable,
      @Nullable Duration retryAfter,
      @Nullable Throwable cause) {
    super(message, cause);
    this.service = service;
    this.operation = operation;
    this.errorCode = errorCode;
    this.statusCode = statusCode;
    this.requestId = requestId;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** Wraps an SDK failure of {@code service}'s {@code operation} made for {@code part}. */
  static AwsException of(String service, String operation, String part, SdkException e) {
    if (e instanceof AwsServiceException s) {
      String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
      String detail =
          s.awsErrorDetails() == null ? s.getMessage() : s.awsErrorDetails().errorMessage();
      int status = s.statusCode();
      boolean retryable = s.isThrottlingException() || status >= 500;
      Duration wait = null;
      if (s.awsErrorDetails() != null && s.awsErrorDetails().sdkHttpResponse() != null) {
        var headers = s.awsErrorDetails().sdkHttpResponse();
        wait =
            RetryAdvice.waitFromHeaders(
                name -> headers.firstMatchingHeader(name).orElse(null), Clock.systemUTC());
      }
      String message =
          service
              + " "
              + operation
              + " failed for "
              + part
              + ": "
              + (code == null ? "error" : code)
              + (detail == null ? "" : ": " + detail)
              + " (HTTP "
              + status
              + (s.requestId() == null ? "" : ", request id " + s.requestId())
              + ")";
      return new AwsException(
          message, service, operation, code, status, s.requestId(), retryable, wait, e);
    }
    boolean retryable = e instanceof SdkClientException || e.retryable();
    return new AwsException(
        service + " " + operation + " failed for " + part + ": " + e.getMessage(),
        service,
        operation,
        null,
        0,
        null,
        retryable,
        null,
        e);
  }

  /**
   * The failure {@code service} reported for one item of a batch call ({@code operation}) made for
   * {@code part}: an entry of the answer's error list, with the HTTP status of the whole answer.
   */
  static AwsException ofItem(
      String service,
      String operation,
      String part,
      @Nullable String errorCode,
      @Nullable String errorMessage) {
    return new AwsException(
        service + " " + operation + " failed for " + part + ": " + errorCode + ": " + errorMessage,
        service,
        operation,
        errorCode,
        200,
        null,
        false,
        null,
        null);
  }

  /** The service: {@code "comprehend"}, {@code "rekognition"} or {@code "s3"}. */
  public String service() {
    return service;
  }

  /** The operation that failed, as AWS names it ({@code "BatchDetectSentiment"}). */
  public String operation() {
    return operation;
  }

  /**
   * The service's error code ({@code "TextSizeLimitExceededException"}, {@code "NoSuchBucket"}), or
   * null when no answer came.
   */
  public @Nullable String errorCode() {
    return errorCode;
  }

  /** The HTTP status of the service's answer, or 0 when none came. */
  public int statusCode() {
    return statusCode;
  }

  /** AWS's id of the failed request, for AWS support, or null when none came. */
  public @Nullable String requestId() {
    return requestId;
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }

  @Override
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
