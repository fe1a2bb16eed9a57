package dev.genaiprocessors.model;

import org.jspecify.annotations.Nullable;

/**
 * Reading a failure's cause chain, as the model processors do when they turn a client library's
 * exception into one of their own: whether a cause of a given type is in it, and a one-line
 * description that names the root cause.
 */
public final class Failures {
  // A cause chain longer than this is a loop or a mistake: stop reading.
  private static final int DEEPEST = 64;

  private Failures() {}

  /**
   * Whether {@code error} or any of its causes is a {@code type}.
   *
   * @throws NullPointerException if {@code type} is null
   */
  public static boolean causedBy(@Nullable Throwable error, Class<? extends Throwable> type) {
    java.util.Objects.requireNonNull(type, "type");
    int depth = 0;
    for (Throwable t = error; t != null && depth < DEEPEST; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code error} in one line: its root cause's simple class name and message ({@code
   * "ConnectException: Connection refused"}), after {@code error}'s own message when the root is
   * another exception ({@code "I/O error (ConnectException: Connection refused)"}). The message is
   * as the exceptions give it: redact secrets from it before showing it ({@link Secrets#redact}).
   */
  public static String describe(Throwable error) {
    Throwable root = error;
    int depth = 0;
    while (root.getCause() != null && root.getCause() != root && depth++ < DEEPEST) {
      root = root.getCause();
    }
    String message = root.getMessage();
    String described = root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return root == error ? described : error.getMessage() + " (" + described + ")";
  }
}
