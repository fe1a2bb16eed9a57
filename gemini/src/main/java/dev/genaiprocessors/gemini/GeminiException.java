package dev.genaiprocessors.gemini;

import dev.genaiprocessors.model.RetryAdvice;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call to Gemini failed: the server answered with an error, blocked the prompt, sent an error or
 * something unreadable in the stream, the stream ended before the answer did, or the connection
 * failed or timed out.
 *
 * <p>It carries what Google said: the HTTP {@link #status()}, Google's {@link #googleStatus()}
 * ({@code RESOURCE_EXHAUSTED}, {@code UNAVAILABLE}, ...), the message, the wait asked for in the
 * error's {@code google.rpc.RetryInfo} ({@link #retryAfter()}), the {@link #quotaIds()} of a {@code
 * google.rpc.QuotaFailure}, and for a blocked prompt the {@link #blockReason()}. {@link #kind()}
 * sorts it for code that decides what to do, such as a retry decorator.
 *
 * <pre>{@code
 * try {
 *   model.apply(prompt).text();
 * } catch (GeminiException error) {         // it reaches the caller as itself
 *   if (error.kind() == Kind.RATE_LIMITED) {
 *     Duration wait = error.retryAfter();   // from RetryInfo.retryDelay ("34s"), or null
 *   }
 * }
 * }</pre>
 *
 * <p>The API key never appears in its message, its {@code toString()} or its causes: should the
 * server echo the key back, it is replaced by {@code <redacted>} and the SDK's exception that held
 * it is left out of the cause chain.
 */
public final class GeminiException extends RuntimeException implements RetryAdvice {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as far as a caller deciding what to do next needs to know. */
  public enum Kind {
    /**
     * 400 ({@code INVALID_ARGUMENT}, {@code FAILED_PRECONDITION}): retrying unchanged will not
     * help.
     */
    BAD_REQUEST,
    /** 401 ({@code UNAUTHENTICATED}): the key or credentials are missing, wrong or expired. */
    AUTHENTICATION,
    /** 403 ({@code PERMISSION_DENIED}): the key may not do this (model, project, region). */
    PERMISSION_DENIED,
    /** 404 ({@code NOT_FOUND}): no such model or endpoint. */
    NOT_FOUND,
    /**
     * 429 ({@code RESOURCE_EXHAUSTED}): too many requests or tokens; wait {@link #retryAfter()}.
     */
    RATE_LIMITED,
    /**
     * 429 whose quota is a daily one ({@code quotaId} containing {@code PerDay}): do not retry
     * today.
     */
    QUOTA_EXCEEDED,
    /** 500 {@code INTERNAL}, 503 {@code UNAVAILABLE} (overloaded) or another 5xx: retry later. */
    SERVER_ERROR,
    /** The server sent an error object inside the stream. */
    STREAM_ERROR,
    /** The stream broke, or ended without a finish reason (Gemini sends no end marker). */
    STREAM_INTERRUPTED,
    /** The connection could not be made or broke before any answer arrived. */
    CONNECTION_FAILED,
    /** A timeout expired (the client's, or Google's 504 {@code DEADLINE_EXCEEDED}). */
    TIMEOUT,
    /**
     * The server sent something that is not Gemini's wire format (a malformed chunk), or answered
     * 200 with something other than an event stream, as a proxy or captive portal does.
     */
    INVALID_RESPONSE,
    /** The prompt was blocked ({@code promptFeedback.blockReason}): no answer was generated. */
    PROMPT_BLOCKED,
    /** Another HTTP status, or a failure the SDK did not classify. */
    OTHER
  }

  private final Kind kind;
  private final int status;
  private final @Nullable String googleStatus;
  private final @Nullable String vendorMessage;
  private final @Nullable Duration retryAfter;
  private final List<String> quotaIds;
  private final @Nullable String blockReason;

  GeminiException(
      String message,
      @Nullable Throwable cause,
      Kind kind,
      int status,
      @Nullable String googleStatus,
      @Nullable String vendorMessage,
      @Nullable Duration retryAfter,
      List<String> quotaIds,
      @Nullable String blockReason) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.status = status;
    this.googleStatus = googleStatus;
    this.vendorMessage = vendorMessage;
    this.retryAfter = retryAfter;
    this.quotaIds = List.copyOf(quotaIds);
    this.blockReason = blockReason;
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /**
   * The HTTP status the server answered with; the error object's code for an error inside a stream;
   * 200 for a blocked prompt; 0 when no status arrived (connection failures, timeouts, cut
   * streams).
   */
  public int status() {
    return status;
  }

  /** Google's status string ({@code RESOURCE_EXHAUSTED}, {@code UNAVAILABLE}, ...), or null. */
  public @Nullable String googleStatus() {
    return googleStatus;
  }

  /** Google's own error message ({@code error.message}), with any API key redacted. */
  public @Nullable String vendorMessage() {
    return vendorMessage;
  }

  /**
   * How long Google asked the client to wait before retrying: the {@code retryDelay} of the error's
   * {@code google.rpc.RetryInfo} detail ({@code "34s"}, {@code "1.5s"}); {@code null} when it said
   * nothing.
   */
  @Override
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /** The {@code quotaId}s of the error's {@code google.rpc.QuotaFailure} violations, if any. */
  public List<String> quotaIds() {
    return quotaIds;
  }

  /** Why the prompt was blocked ({@code SAFETY}, {@code PROHIBITED_CONTENT}, ...), or null. */
  public @Nullable String blockReason() {
    return blockReason;
  }

  /**
   * Whether retrying may succeed: true for rate limits (not a spent daily quota), server errors,
   * errors inside the stream, interrupted streams, connection failures and timeouts. A caller that
   * already passed parts on must not retry a stream blindly.
   */
  @Override
  public boolean isRetryable() {
    return switch (kind) {
      case RATE_LIMITED,
          SERVER_ERROR,
          STREAM_ERROR,
          STREAM_INTERRUPTED,
          CONNECTION_FAILED,
          TIMEOUT ->
          true;
      default -> false;
    };
  }
}
