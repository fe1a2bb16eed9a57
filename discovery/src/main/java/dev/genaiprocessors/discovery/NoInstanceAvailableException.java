package dev.genaiprocessors.discovery;

/**
 * A {@link BalancedProcessor} had no instance to send a call to: its registry lists none, or every
 * instance listed is ejected or failing its health checks (the message says which, and why), and no
 * fallback is left. Not retryable by {@code resilience}: nothing will change before its waits are
 * over.
 */
public final class NoInstanceAvailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with {@code message}. */
  public NoInstanceAvailableException(String message) {
    super(message);
  }
}
