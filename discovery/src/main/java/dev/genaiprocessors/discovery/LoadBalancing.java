package dev.genaiprocessors.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How a {@link BalancedProcessor} chooses among the instances that may take a call: {@link
 * #roundRobin()}, {@link #weighted(long)}, {@link #leastOutstanding()}, {@link
 * #powerOfTwoChoices(long)}, and {@link #preferZone} around any of them.
 *
 * <p>{@link #choose} is given the healthy candidates only (never an empty list) and is called from
 * many threads at once; the strategies here are lock-free. Random ones take a seed, so a test sees
 * the same choices every run.
 */
@FunctionalInterface
public interface LoadBalancing {

  /**
   * One instance that may take a call, as the balancer sees it now.
   *
   * @param instance the instance
   * @param outstanding calls it is serving now, through this balancer
   */
  record Candidate(ServiceInstance instance, int outstanding) {
    /**
     * @throws NullPointerException if {@code instance} is null
     */
    public Candidate {
      Objects.requireNonNull(instance, "instance");
    }
  }

  /** One of {@code candidates} (not empty) to take the next call. */
  Candidate choose(List<Candidate> candidates);

  /** Each candidate in turn. */
  static LoadBalancing roundRobin() {
    AtomicLong next = new AtomicLong();
    return candidates -> candidates.get(index(next.getAndIncrement(), candidates.size()));
  }

  /**
   * At random, in proportion to {@link ServiceInstance#weight()}.
   *
   * @param seed of the random choices
   */
  static LoadBalancing weighted(long seed) {
    Random random = new Random(seed);
    return candidates -> {
      long total = 0;
      for (Candidate c : candidates) {
        total += c.instance().weight();
      }
      long pick = random.nextLong(total);
      for (Candidate c : candidates) {
        pick -= c.instance().weight();
        if (pick < 0) {
          return c;
        }
      }
      return candidates.get(candidates.size() - 1);
    };
  }

  /** The candidate serving the fewest calls; ties broken in turn. */
  static LoadBalancing leastOutstanding() {
    AtomicLong next = new AtomicLong();
    return candidates -> {
      int least = Integer.MAX_VALUE;
      List<Candidate> tied = new ArrayList<>(candidates.size());
      for (Candidate c : candidates) {
        if (c.outstanding() < least) {
          least = c.outstanding();
          tied.clear();
        }
        if (c.outstanding() == least) {
          tied.add(c);
        }
      }
      return tied.size() == 1 ? tied.get(0) : tied.get(index(next.getAndIncrement(), tied.size()));
    };
  }

  /**
   * Two distinct candidates at random, and of them the one serving fewer calls per unit of weight
   * (the first on a tie): nearly the balance of {@link #leastOutstanding()} without every caller
   * piling onto the same idle instance.
   *
   * @param seed of the random choices
   */
  static LoadBalancing powerOfTwoChoices(long seed) {
    Random random = new Random(seed);
    return candidates -> {
      int n = candidates.size();
      if (n == 1) {
        return candidates.get(0);
      }
      int a = random.nextInt(n);
      int b = random.nextInt(n - 1);
      if (b >= a) {
        b++;
      }
      Candidate first = candidates.get(a);
      Candidate second = candidates.get(b);
      long left = (long) first.outstanding() * second.instance().weight();
      long right = (long) second.outstanding() * first.instance().weight();
      return right < left ? second : first;
    };
  }

  /**
   * The candidates in {@code zone}, chosen among by {@code within}, while any of them may take the
   * call; all candidates otherwise (the zone's instances are all down or ejected).
   */
  static LoadBalancing preferZone(String zone, LoadBalancing within) {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(within, "within");
    return candidates -> {
      List<Candidate> local = new ArrayList<>(candidates.size());
      for (Candidate c : candidates) {
        if (zone.equals(c.instance().zone())) {
          local.add(c);
        }
      }
      return within.choose(local.isEmpty() ? candidates : local);
    };
  }

  private static int index(long counter, int size) {
    return (int) Math.floorMod(counter, (long) size);
  }
}
