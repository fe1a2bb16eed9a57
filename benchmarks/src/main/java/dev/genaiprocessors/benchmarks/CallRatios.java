package dev.genaiprocessors.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/**
 * The ratios of a cloud benchmark's {@code <call>Ours} rows to its {@code <call>Bare} rows (B14,
 * B15), each with the interval its error bars allow and a verdict that does not call noise a
 * result.
 */
final class CallRatios {
  /** The throughput ours must reach, as a share of the bare client's. */
  static final double TARGET = 0.95;

  private CallRatios() {}

  /** Prints a heading for {@code row}, then one line per call found in {@code results}. */
  static void print(String row, boolean quick, Map<String, RunResult> results, List<String> calls) {
    System.out.println();
    System.out.println(row + (quick ? " (quick)" : "") + ", " + machine());
    int width = calls.stream().mapToInt(String::length).max().orElse(0);
    for (String call : calls) {
      RunResult ours = results.get(call + "Ours");
      RunResult bare = results.get(call + "Bare");
      if (ours == null || bare == null) {
        continue;
      }
      double o = ours.getPrimaryResult().getScore();
      double oError = ours.getPrimaryResult().getScoreError();
      double b = bare.getPrimaryResult().getScore();
      double bError = bare.getPrimaryResult().getScoreError();
      System.out.printf(
          "%s %-"
              + width
              + "s ours/bare = %.3fx, %.3fx to %.3fx within the error bars"
              + " (target >= %.2fx: %s)  ours %.1f ± %.1f calls/s, bare %.1f ± %.1f calls/s%n",
          row,
          call,
          o / b,
          (o - oError) / (b + bError),
          b > bError ? (o + oError) / (b - bError) : Double.POSITIVE_INFINITY,
          TARGET,
          verdict(o, oError, b, bError),
          o,
          oError,
          b,
          bError);
    }
  }

  /**
   * "met" only when the whole interval of the ratio that the error bars allow is at or above the
   * target, "NOT met" when all of it is below, else "undecided": a target is not met on noise.
   */
  static String verdict(double ours, double oursError, double bare, double bareError) {
    double low = (ours - oursError) / (bare + bareError);
    double high =
        bare > bareError ? (ours + oursError) / (bare - bareError) : Double.POSITIVE_INFINITY;
    return low >= TARGET
        ? "met"
        : high < TARGET ? "NOT met" : "undecided, the error bars span " + TARGET + "x";
  }

  /**
   * What a result line's heading says of the run: the date, the cores, the JDK and the load
   * average, so figures from different days and machines can be told apart.
   */
  static String machine() {
    return LocalDate.now(ZoneOffset.UTC)
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores, JDK "
        + Runtime.version()
        + ", load average "
        + loadAverage();
  }

  /** The system's load average over the last minute, or "unknown". */
  static String loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "unknown" : String.format("%.2f", load);
  }
}
