package dev.genaiprocessors.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@code paired} mode of the call benchmarks (B14, B15): both sides of each call in one
 * process, for a machine whose load comes and goes (JMH runs each side in a fork of its own, one
 * after the other, so a change of load between them moves the ratio). After a warm-up of 10 s per
 * side, each round runs each side for 1 s, in an order that alternates from round to round, and
 * counts its calls and the CPU time of every thread of the process (the loopback servers' and the
 * clients' included; the JIT compiler's and the GC's, which are not Java threads, not). Prints the
 * median of the rounds' ratios of calls per second, and each side's median CPU time per call, which
 * a loaded machine moves much less than it moves throughput. Checks on the way that each side made
 * exactly as many calls to the server as it counted. A check of the JMH figures when their error
 * bars are wide, not a replacement for them.
 */
final class PairedCalls {
  private PairedCalls() {}

  /** One side of one call on the benchmark's state. */
  interface Call<S> {
    void run(S state, Blackhole bh);
  }

  /**
   * One call, both sides; {@code serverCalls} counts the calls the server received, or answers -1
   * where it cannot tell.
   */
  record Row<S>(String name, Call<S> ours, Call<S> bare, LongSupplier serverCalls) {}

  /** Prints the heading, then runs and prints every row in turn. */
  static <S> void run(String benchmark, S state, int rounds, List<Row<S>> rows) {
    System.out.println(
        benchmark
            + " paired, "
            + rounds
            + " rounds of 1 s a side after 10 s of warm-up a side, "
            + CallRatios.machine());
    Blackhole bh =
        new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is"
                + " dangerous.");
    for (Row<S> row : rows) {
      row(benchmark, state, bh, rounds, row);
    }
    System.out.println("load average after: " + CallRatios.loadAverage());
  }

  private static <S> void row(String benchmark, S state, Blackhole bh, int rounds, Row<S> row) {
    timed(state, bh, row.ours(), TimeUnit.SECONDS.toNanos(10), row.serverCalls());
    timed(state, bh, row.bare(), TimeUnit.SECONDS.toNanos(10), row.serverCalls());
    List<Double> ratios = new ArrayList<>();
    List<Double> oursRates = new ArrayList<>();
    List<Double> bareRates = new ArrayList<>();
    List<Double> oursCpu = new ArrayList<>();
    List<Double> bareCpu = new ArrayList<>();
    long second = TimeUnit.SECONDS.toNanos(1);
    for (int round = 0; round < rounds; round++) {
      double[] o;
      double[] b;
      if (round % 2 == 0) {
        o = timed(state, bh, row.ours(), second, row.serverCalls());
        b = timed(state, bh, row.bare(), second, row.serverCalls());
      } else {
        b = timed(state, bh, row.bare(), second, row.serverCalls());
        o = timed(state, bh, row.ours(), second, row.serverCalls());
      }
      ratios.add(o[0] / b[0]);
      oursRates.add(o[0]);
      bareRates.add(b[0]);
      oursCpu.add(o[1]);
      bareCpu.add(b[1]);
    }
    System.out.printf(
        "%s paired %-11s median ratio %.3f (rounds %s); ours median %.0f calls/s, %.0f us CPU a"
            + " call; bare median %.0f calls/s, %.0f us CPU a call; CPU ratio bare/ours %.3f%n",
        benchmark,
        row.name(),
        Stats.median(ratios),
        ratios.stream().map(r -> String.format("%.2f", r)).toList(),
        Stats.median(oursRates),
        Stats.median(oursCpu),
        Stats.median(bareRates),
        Stats.median(bareCpu),
        Stats.median(bareCpu) / Stats.median(oursCpu));
  }

  /**
   * Runs {@code call} for {@code nanos}; returns calls per second and microseconds of CPU time (all
   * Java threads) per call. Fails when the server saw another number of calls than were made.
   */
  private static <S> double[] timed(
      S state, Blackhole bh, Call<S> call, long nanos, LongSupplier serverCalls) {
    long served = serverCalls.getAsLong();
    long cpu = cpuTime();
    long start = System.nanoTime();
    long end = start + nanos;
    long calls = 0;
    long now;
    do {
      call.run(state, bh);
      calls++;
      now = System.nanoTime();
    } while (now < end);
    double cpuMicros = (cpuTime() - cpu) / 1e3;
    if (served >= 0 && serverCalls.getAsLong() - served != calls) {
      throw new IllegalStateException(
          "made " + calls + " calls but the server received " + (serverCalls.getAsLong() - served));
    }
    return new double[] {calls / ((now - start) / 1e9), cpuMicros / calls};
  }

  /** The CPU time of every live Java thread, in nanoseconds. */
  private static long cpuTime() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      long time = threads.getThreadCpuTime(id);
      if (time > 0) {
        total += time;
      }
    }
    return total;
  }
}
