package dev.genaiprocessors.model;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
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
 *
 * <p>When one set of credentials has several forms that can be echoed (a password and the base64
 * {@code user:password} sent with it, a key and its URL-encoded form), {@link #redactAll} and
 * {@link #appearsInAny} take them all at once.
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
   * {@code text} with every occurrence of each of {@code secrets} replaced by {@value #REDACTED}.
   * Longer secrets are replaced first, so a secret that contains another (a header value holding a
   * token) is replaced whole rather than leaving its other characters behind. Null and empty
   * secrets are ignored.
   */
  public static String redactAll(String text, Collection<? extends @Nullable String> secrets) {
    String redacted = text;
    for (String secret : longestFirst(secrets)) {
      redacted = redacted.replace(secret, REDACTED);
    }
    return redacted;
  }

  /**
   * Whether any of {@code secrets} shows where {@link #appearsIn(Throwable, String)} looks. Null
   * and empty secrets are ignored.
   */
  public static boolean appearsInAny(
      @Nullable Throwable error, Collection<? extends @Nullable String> secrets) {
    for (String secret : longestFirst(secrets)) {
      if (appearsIn(error, secret)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> longestFirst(Collection<? extends @Nullable String> secrets) {
    return secrets.stream()
        .filter(secret -> secret != null && !secret.isEmpty())
        .map(secret -> (String) secret)
        .sorted(Comparator.comparingInt(String::length).reversed())
        .toList();
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
