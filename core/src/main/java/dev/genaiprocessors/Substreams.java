package dev.genaiprocessors;

import java.util.Set;

/**
 * Names of the substreams with a meaning of their own.
 *
 * <p>Parts on a <em>reserved</em> substream ({@code debug}, {@code status} and {@code ui} by
 * default; any name starting with one of them) carry side information. Inside a composition they
 * bypass every later stage and reach the caller as early as possible (the Python library's capture
 * rule); the last stage's own reserved parts flow in order with its data. Change the reserved set
 * per run with {@link RunConfig#withReservedSubstreams}.
 */
public final class Substreams {
  /** Debugging information. */
  public static final String DEBUG = "debug";

  /** Progress and status messages meant for the user. */
  public static final String STATUS = "status";

  /** Parts meant for a user interface. */
  public static final String UI = "ui";

  /** The prompt sent to a model (not reserved). */
  public static final String PROMPT = "prompt";

  static final Set<String> DEFAULT_RESERVED = Set.of(DEBUG, STATUS, UI);

  private Substreams() {}
}
