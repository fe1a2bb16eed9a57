package dev.genaiprocessors.cli;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress line of a run on standard error, drawn by the {@code progressbar} library (JLine
 * underneath): input parts read out of the total when it is known, with their rate and the
 * estimated time left, then the parts out, tokens in and out, and retries. One virtual thread owned
 * by this object copies the run's totals into the bar a few times a second; {@link #close()} stops
 * it and leaves the last line with the final totals.
 */
final class Progress implements AutoCloseable {
  private static final Duration PERIOD = Duration.ofMillis(200);

  private final TraceRecorder counts;
  private final ProgressBar bar;
  private final Thread updater;

  private Progress(PrintStream err, TraceRecorder counts, long total) {
    this.counts = counts;
    this.bar =
        new ProgressBarBuilder()
            .setTaskName("genai run")
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" parts", 1)
            .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
            .setUpdateIntervalMillis((int) PERIOD.toMillis())
            .setConsumer(new ConsoleProgressBarConsumer(err, 150))
            .build();
    update();
    this.updater = Thread.ofVirtual().name("genai-progress").start(this::loop);
  }

  /**
   * Starts showing progress on {@code err}.
   *
   * @param total the number of input parts, or -1 when unknown (no percentage or ETA then)
   */
  static Progress start(PrintStream err, TraceRecorder counts, long total) {
    return new Progress(err, counts, total);
  }

  /**
   * Whether the JVM runs on a terminal: it has a console that is one ({@code Console.isTerminal()}
   * on Java 22 and later; on 21 a console exists only when standard input and output are
   * terminals). Standard error is not checked on its own: redirect it along with standard output,
   * or say {@code --no-progress}.
   */
  // Java 22+ always has a console; isTerminal() says whether it is one, and 21 has no such method.
  @SuppressWarnings("SystemConsoleNull")
  static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console));
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  private void loop() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(PERIOD);
        update();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void update() {
    bar.stepTo(counts.partsIn.get());
    bar.setExtraMessage(
        " out "
            + counts.partsOut.get()
            + " | tokens in "
            + counts.promptTokens.get()
            + ", out "
            + counts.completionTokens.get()
            + " | retries "
            + counts.retries.get());
  }

  @Override
  public void close() {
    updater.interrupt();
    try {
      updater.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    update();
    bar.close();
  }
}
