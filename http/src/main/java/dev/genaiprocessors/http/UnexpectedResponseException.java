package dev.genaiprocessors.http;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A successful (2xx) response whose body is not what the {@link HttpProcessor} must turn into
 * parts: JSON was expected (the {@code Content-Type} says JSON, or the processor has a {@link
 * HttpProcessor.Builder#jsonPointer JSON pointer}) and the body is not valid JSON, for example a
 * proxy's HTML error page sent with status 200, truncated JSON, or plain text.
 *
 * <p>The message names the processor, the status, the {@code Content-Type} and the start of the
 * body (at most {@value #BODY_START_CHARS} characters, credentials redacted). It reaches the caller
 * as itself, or becomes an error part, as the processor's {@link HttpErrorStrategy} says. It is not
 * retried by default (the same request usually gets the same answer); a {@link
 * dev.genaiprocessors.resilience.RetryConfig.Builder#retryOn retryOn} predicate can ask for it.
 */
public final class UnexpectedResponseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How much of the body the exception keeps and shows. */
  public static final int BODY_START_CHARS = 200;

  private final int status;
  private final @Nullable String contentType;
  private final String bodyStart;

  /**
   * A response that could not be read as expected.
   *
   * @param message what was expected and what came, naming the content type and the body's start
   * @param status the HTTP status of the response
   * @param contentType the response's {@code Content-Type} header, or null when it had none
   * @param bodyStart the start of the body, credentials already removed
   * @param cause the parser's failure, or null (left out when it would show the credentials)
   */
  UnexpectedResponseException(
      String message,
      int status,
      @Nullable String contentType,
      String bodyStart,
      @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.status = status;
    this.contentType = contentType;
    this.bodyStart = Objects.requireNonNull(bodyStart, "bodyStart");
  }

  /** The HTTP status of the response (a 2xx). */
  public int status() {
    return status;
  }

  /** The response's {@code Content-Type} header as sent, or null when it had none. */
  public @Nullable String contentType() {
    return contentType;
  }

  /**
   * The start of the body (at most {@value #BODY_START_CHARS} characters, whitespace runs collapsed
   * to one space, credentials redacted).
   */
  public String bodyStart() {
    return bodyStart;
  }
}
