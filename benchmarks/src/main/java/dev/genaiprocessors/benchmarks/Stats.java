package dev.genaiprocessors.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** Small statistics the paired harnesses share. */
final class Stats {
  private Stats() {}

  /** The median of {@code values} (the mean of the middle two for an even count). */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("the median of no values");
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
