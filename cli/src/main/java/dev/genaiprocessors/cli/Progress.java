package dev.genaiprocessors.cli;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The progress line of a run on standard error: parts in and out, parts per second, tokens in and
 * out, retries, and the estimated time left when the number of inputs is known. Redrawn in place (a
 * carriage return) a few times a second by one virtual thread, owned by this object and stopped by
 * {@link #close()}, which leaves the last line with its totals.
 */
final class Progress implements AutoCloseable {
  private static final Duration PERIOD = Duration.ofMillis(250);

  private final PrintStream err;
  private final TraceRecorder counts;
  private final long total;
  private final long startNanos = System.nanoTime();
  private final Thread drawer;
  private int width;

  private Progress(PrintStream err, TraceRecorder counts, long total) {
    this.err = err;
    this.counts = counts;
    this.total = total;
    this.drawer = Thread.ofVirtual().name("genai-progress").start(this::loop);
  }

  /**
   * Starts drawing progress on {@code err}.
   *
   * @param total the number of input parts, or -1 when unknown (no ETA then)
   */
  static Progress start(PrintStream err, TraceRecorder counts, long total) {
    return new Progress(err, counts, total);
  }

  /**
   * Whether standard error is likely a terminal: the JVM has a console that is a terminal (on Java
   * 22 and later {@code Console.isTerminal()}; on 21 a console exists only for a terminal).
   */
  static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  private void loop() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(PERIOD);
        draw(false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The line as it is now. */
  String line() {
    double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    long in = counts.partsIn.get();
    long out = counts.partsOut.get();
    StringBuilder line = new StringBuilder();
    line.append(String.format(Locale.ROOT, "parts in %d", in));
    if (total >= 0) {
      line.append('/').append(total);
    }
    line.append(
        String.format(
            Locale.ROOT,
            ", out %d (%.1f/s) | tokens in %d, out %d | retries %d | %s",
            out,
            out / seconds,
            counts.promptTokens.get(),
            counts.completionTokens.get(),
            counts.retries.get(),
            clock((long) seconds)));
    @Nullable String eta = eta(in, seconds);
    if (eta != null) {
      line.append(", ETA ").append(eta);
    }
    return line.toString();
  }

  private @Nullable String eta(long in, double seconds) {
    if (total <= 0 || in <= 0 || in >= total) {
      return null;
    }
    return clock((long) (seconds / in * (total - in)));
  }

  private static String clock(long seconds) {
    return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }

  private void draw(boolean last) {
    String line = line();
    int pad = Math.max(0, width - line.length());
    width = line.length();
    err.print("\r" + line + " ".repeat(pad) + (last ? System.lineSeparator() : ""));
    err.flush();
  }

  @Override
  public void close() {
    drawer.interrupt();
    try {
      drawer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    draw(true);
  }
}
