package dev.genaiprocessors.queue;

/**
 * A worker's processor failed on a part sent by a {@link RemoteStage}, for good: after its last
 * retry, or at once for input that could never succeed (a message that is not part JSON). The
 * message was dead-lettered; this exception carries what the worker reported.
 */
public final class RemoteProcessingException extends QueueException {
  private static final long serialVersionUID = 1L;

  private final String messageId;
  private final String errorType;
  private final String remoteError;

  /** The failure of message {@code messageId} on {@code destination}, as the worker reported it. */
  public RemoteProcessingException(
      String destination, String messageId, String errorType, String remoteError) {
    super(
        "worker on "
            + destination
            + " failed on message "
            + messageId
            + ": "
            + errorType
            + ": "
            + remoteError);
    this.messageId = messageId;
    this.errorType = errorType;
    this.remoteError = remoteError;
  }

  /** The id of the request message that failed. */
  public String messageId() {
    return messageId;
  }

  /** The class name of the worker's exception, as the worker reported it. */
  public String errorType() {
    return errorType;
  }

  /** The worker's error message. */
  public String remoteError() {
    return remoteError;
  }
}
