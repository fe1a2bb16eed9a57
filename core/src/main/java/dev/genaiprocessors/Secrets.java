package dev.genaiprocessors;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Keeping a secret (an API key, a token) out of what a processor shows: messages, {@code
 * toString()} and the exceptions it throws. Integrations call it where text from a server, or an
 * exception of an SDK, may echo the secret back.
 *
 * <pre>{@code
 * String message = Secrets.redact("OpenAI answered 401: " + vendorMessage, apiKey);
 * Throwable cause = Secrets.appearsIn(sdkError, apiKey) ? null : sdkError;   // never chain a leak
 * }</pre>
 */
public final class Secrets {
  /** What {@link #redact} puts in place of a secret. */
  public static final String REDACTED = "<redacted>";

  private Secrets() {}

  /** {@code text} with every occurrence of {@code secret} replaced by {@value #REDACTED}. */
  public static String redact(String text, @Nullable String secret) {
    return secret == null || secret.isEmpty() ? text : text.replace(secret, REDACTED);
  }

  /**
   * Whether {@code secret} shows in {@code error}'s {@code toString()} or in that of any exception
   * in its cause chain or among their suppressed ones (a stack trace prints all of them).
   */
  public static boolean appearsIn(@Nullable Throwable error, @Nullable String secret) {
    if (error == null || secret == null || secret.isEmpty()) {
      return false;
    }
    return appearsIn(error, secret, Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static boolean appearsIn(Throwable error, String secret, Set<Throwable> seen) {
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      if (String.valueOf(t).contains(secret)) {
        return true;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (appearsIn(suppressed, secret, seen)) {
          return true;
        }
      }
    }
    return false;
  }
}
