package dev.genaiprocessors.queue;

/**
 * The names of the headers the library writes and reads, all starting with {@code gp-}; broker
 * implementations add none of their own with that prefix.
 *
 * <p>A request to a worker carries {@link #REPLY_TO}; the worker's result carries {@link
 * #CORRELATION_ID} and {@link #STATUS}, and, when it failed, {@link #ERROR} and {@link
 * #ERROR_TYPE}. A dead-lettered message carries {@link #ERROR}, {@link #ERROR_TYPE} (when an
 * exception caused it), {@link #ORIGINAL_DESTINATION} and {@link #DELIVERY_COUNT}.
 */
public final class Headers {
  /** The destination to which a worker publishes the results of a request. */
  public static final String REPLY_TO = "gp-reply-to";

  /** On a result: the id of the request message it answers. */
  public static final String CORRELATION_ID = "gp-correlation-id";

  /** On a result: {@value #STATUS_OK} or {@value #STATUS_ERROR}. */
  public static final String STATUS = "gp-status";

  /** The value of {@link #STATUS} on a result that holds the processor's output parts. */
  public static final String STATUS_OK = "ok";

  /** The value of {@link #STATUS} on a result that reports a failed request. */
  public static final String STATUS_ERROR = "error";

  /** Why a message failed or was dead-lettered, in words. */
  public static final String ERROR = "gp-error";

  /** The class name of the exception that made a message fail. */
  public static final String ERROR_TYPE = "gp-error-type";

  /** On a dead-lettered message: the destination it was taken from. */
  public static final String ORIGINAL_DESTINATION = "gp-original-destination";

  /** On a dead-lettered message: how many deliveries it had. */
  public static final String DELIVERY_COUNT = "gp-delivery-count";

  private Headers() {}
}
