package dev.genaiprocessors.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What the streaming model rows (B8, B9, B10) share in their {@code main}: running one benchmark
 * class (with {@code quick}: 2 short warm-up and 3 short measurement iterations) and printing its
 * ratios. Every row times a whole answer of {@code tokens} deltas in microseconds per answer, so
 * tokens/s is {@code tokens / time}; the bare SDK's row is {@code bareSdkStream}, ours {@code
 * oursStream}, and the first-token rows {@code bareSdkFirstToken} and {@code oursFirstToken}.
 */
final class StreamingRows {
  private final String row;
  private final int tokens;
  private final Map<String, Double> scores;

  private StreamingRows(String row, int tokens, Map<String, Double> scores) {
    this.row = row;
    this.tokens = tokens;
    this.scores = scores;
  }

  /**
   * Runs every benchmark method of {@code benchmark}, with short settings when {@code args[0]} is
   * {@code quick} (2 + 3 iterations of 1 s), and returns the results by method name, in run order.
   */
  static Map<String, RunResult> runRows(Class<?> benchmark, String[] args) throws RunnerException {
    ChainedOptionsBuilder options = new OptionsBuilder().include(benchmark.getName() + "\\.");
    if (args.length > 0 && args[0].equals("quick")) {
      options
          .warmupIterations(2)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(3)
          .measurementTime(TimeValue.seconds(1));
    }
    Map<String, RunResult> results = new LinkedHashMap<>();
    for (RunResult result : new Runner(options.build()).run()) {
      String label = result.getParams().getBenchmark();
      results.put(label.substring(label.lastIndexOf('.') + 1), result);
    }
    return results;
  }

  /** Runs every benchmark of {@code benchmark} and prints the heading of the row's ratios. */
  static StreamingRows run(String row, Class<?> benchmark, int tokens, String[] args)
      throws RunnerException {
    boolean quick = args.length > 0 && args[0].equals("quick");
    Map<String, Double> scores = new LinkedHashMap<>();
    runRows(benchmark, args)
        .forEach((name, result) -> scores.put(name, result.getPrimaryResult().getScore()));
    System.out.println();
    System.out.println(row + (quick ? " (quick)" : "") + ", " + CallRatios.machine());
    return new StreamingRows(row, tokens, scores);
  }

  private double score(String benchmark) {
    Double score = scores.get(benchmark);
    if (score == null) {
      throw new IllegalStateException("no result for " + benchmark + " among " + scores.keySet());
    }
    return score;
  }

  /** Ours against the bare SDK in tokens/s, against the target of 0.95. */
  void tokensVsSdk() {
    double sdk = score("bareSdkStream");
    double ours = score("oursStream");
    System.out.printf(
        "%s tokens/s vs bare SDK  ratio %5.3f  target >= 0.95  %s  (ours %.0f tok/s,"
            + " SDK %.0f tok/s)%n",
        row, sdk / ours, verdict(sdk / ours >= 0.95), perSecond(ours), perSecond(sdk));
  }

  /** Ours against another library's row in tokens/s. */
  void tokensVs(String library, String benchmark, double target) {
    double other = score(benchmark);
    double ours = score("oursStream");
    System.out.printf(
        "%s tokens/s vs %s  ratio %5.3f  target >= %.2f  %s  (%s %.0f tok/s)%n",
        row,
        library,
        other / ours,
        target,
        verdict(other / ours >= target),
        library,
        perSecond(other));
  }

  /** A diagnostic ratio of two rows' speeds ({@code baseline}'s time over {@code benchmark}'s). */
  void diagnostic(String what, String baseline, String benchmark) {
    System.out.printf(
        "%s diagnostic: %s  ratio %5.3f%n", row, what, score(baseline) / score(benchmark));
  }

  /** Ours minus the bare SDK in time to the first token, against a target when one is given. */
  void firstToken(boolean targetOneMillisecond) {
    double sdk = score("bareSdkFirstToken");
    double ours = score("oursFirstToken");
    System.out.printf(
        "%s time to first token  diff %+7.3f ms%s  (ours %.3f ms, SDK %.3f ms)%n",
        row,
        (ours - sdk) / 1000,
        targetOneMillisecond ? "  target <= +1 ms  " + verdict(ours - sdk <= 1000) : "",
        ours / 1000,
        sdk / 1000);
  }

  private double perSecond(double microsPerAnswer) {
    return tokens / microsPerAnswer * 1e6;
  }

  private static String verdict(boolean met) {
    return met ? "met" : "NOT MET";
  }
}
