package dev.genaiprocessors.queue;

import org.jspecify.annotations.Nullable;

/**
 * A broker or queue failure: a publish the broker did not confirm, a destination that does not
 * exist, a lost connection, a result that did not come in time. The message names the destination
 * and, where there is one, the message id; the cause is the broker client's exception.
 */
public class QueueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public QueueException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public QueueException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
