package dev.genaiprocessors.http;

/**
 * What an {@link HttpProcessor} does when a request fails for good (after its retries): an error
 * status, a network error, a timeout, a refusal of its circuit breaker or rate limit, a response
 * that is not the JSON expected ({@link UnexpectedResponseException}). Cancellation always stops
 * the run, whatever the strategy.
 */
public enum HttpErrorStrategy {
  /**
   * Fail the run: the original exception (an {@link
   * dev.genaiprocessors.resilience.HttpStatusException} for an error status) reaches the caller as
   * itself, naming the processor ({@link dev.genaiprocessors.ProcessorException#stageOf}); a
   * checked one, such as an {@code IOException}, as the cause of a {@link
   * dev.genaiprocessors.ProcessorException}.
   */
  FAIL,

  /**
   * Emit the input part unchanged, then an error part (see {@link #EMIT_ERROR_PART}); the run goes
   * on. Per part it is all or nothing: the parts a response produced are held until it is complete,
   * so a streamed response does not stream under this strategy.
   */
  PASS_THROUGH,

  /**
   * Emit an error part in place of the response's remaining parts; the run goes on. The error part
   * is the core's ({@code text/x-exception} on the {@code status} substream, metadata {@code
   * original_exception}, {@code exception_type} and {@code exception_class}) plus, for an error
   * status, {@code http_status}, {@code http_error_body} (the start of the body) and {@code
   * http_request_id} (when the server gave one); for an {@link UnexpectedResponseException}, {@code
   * http_status}, {@code http_content_type} (when the response had one) and {@code http_error_body}
   * (the start of the body). No credentials of its {@link HttpAuth} show in it, even when the
   * server echoed them.
   */
  EMIT_ERROR_PART
}
