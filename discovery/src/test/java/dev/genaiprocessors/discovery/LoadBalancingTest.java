package dev.genaiprocessors.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.discovery.LoadBalancing.Candidate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadBalancingTest {
  private static final int CALLS = 12_000;

  private static Candidate candidate(String id, int weight, int outstanding) {
    return new Candidate(ServiceInstance.of(id, "http://" + id).withWeight(weight), outstanding);
  }

  private static Map<String, Integer> counts(LoadBalancing strategy, List<Candidate> candidates) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < CALLS; i++) {
      counts.merge(strategy.choose(candidates).instance().id(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void roundRobin_givesEachCandidateTheSameCount() {
    List<Candidate> candidates =
        List.of(candidate("a", 1, 0), candidate("b", 5, 9), candidate("c", 1, 0));
    assertThat(counts(LoadBalancing.roundRobin(), candidates))
        .containsEntry("a", 4000)
        .containsEntry("b", 4000)
        .containsEntry("c", 4000);
  }

  @Test
  void weighted_sharesByWeight_withinTwoPercent() {
    List<Candidate> candidates =
        List.of(candidate("a", 1, 0), candidate("b", 2, 0), candidate("c", 3, 0));
    Map<String, Integer> counts = counts(LoadBalancing.weighted(42), candidates);
    assertThat(counts.get("a") / (double) CALLS)
        .isCloseTo(1 / 6.0, org.assertj.core.data.Offset.offset(0.02));
    assertThat(counts.get("b") / (double) CALLS)
        .isCloseTo(2 / 6.0, org.assertj.core.data.Offset.offset(0.02));
    assertThat(counts.get("c") / (double) CALLS)
        .isCloseTo(3 / 6.0, org.assertj.core.data.Offset.offset(0.02));
  }

  @Test
  void weighted_withTheSameSeed_choosesTheSameWay() {
    List<Candidate> candidates =
        List.of(candidate("a", 1, 0), candidate("b", 2, 0), candidate("c", 3, 0));
    LoadBalancing one = LoadBalancing.weighted(7);
    LoadBalancing two = LoadBalancing.weighted(7);
    for (int i = 0; i < 100; i++) {
      assertThat(one.choose(candidates)).isEqualTo(two.choose(candidates));
    }
  }

  @Test
  void leastOutstanding_choosesTheLeastBusy_andRotatesTies() {
    List<Candidate> candidates =
        List.of(candidate("a", 1, 3), candidate("b", 1, 1), candidate("c", 1, 1));
    Map<String, Integer> counts = counts(LoadBalancing.leastOutstanding(), candidates);
    assertThat(counts).doesNotContainKey("a").containsEntry("b", 6000).containsEntry("c", 6000);
  }

  @Test
  void powerOfTwoChoices_spreadsEvenly_whenAllAreEquallyBusy() {
    List<Candidate> candidates =
        List.of(candidate("a", 1, 2), candidate("b", 1, 2), candidate("c", 1, 2));
    Map<String, Integer> counts = counts(LoadBalancing.powerOfTwoChoices(3), candidates);
    for (String id : List.of("a", "b", "c")) {
      assertThat(counts.get(id) / (double) CALLS)
          .isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(0.03));
    }
  }

  @Test
  void powerOfTwoChoices_neverChoosesTheBusiest_andFavoursTheIdle() {
    // The busiest loses every pair it is in; the idle one wins every pair it is in (2 of 3 pairs).
    List<Candidate> candidates =
        List.of(candidate("idle", 1, 0), candidate("some", 1, 4), candidate("busy", 1, 9));
    Map<String, Integer> counts = counts(LoadBalancing.powerOfTwoChoices(3), candidates);
    assertThat(counts).doesNotContainKey("busy");
    assertThat(counts.get("idle") / (double) CALLS)
        .isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(0.03));
  }

  @Test
  void powerOfTwoChoices_weighsLoadByWeight() {
    // 4 calls on weight 4 is as busy as 1 call on weight 1: the tie goes to the first drawn.
    List<Candidate> candidates = List.of(candidate("big", 4, 3), candidate("small", 1, 1));
    assertThat(counts(LoadBalancing.powerOfTwoChoices(5), candidates)).containsKey("big");
  }

  @Test
  void preferZone_staysInTheZone_whileItHasCandidates_thenUsesAll() {
    LoadBalancing strategy = LoadBalancing.preferZone("eu", LoadBalancing.roundRobin());
    Candidate eu1 = new Candidate(ServiceInstance.of("eu1", "http://eu1").withZone("eu"), 0);
    Candidate eu2 = new Candidate(ServiceInstance.of("eu2", "http://eu2").withZone("eu"), 0);
    Candidate us = new Candidate(ServiceInstance.of("us", "http://us").withZone("us"), 0);
    assertThat(counts(strategy, List.of(eu1, us, eu2)))
        .containsEntry("eu1", 6000)
        .containsEntry("eu2", 6000)
        .doesNotContainKey("us");
    assertThat(counts(strategy, List.of(us))).containsEntry("us", CALLS);
  }
}
