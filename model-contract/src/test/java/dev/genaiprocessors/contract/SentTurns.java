package dev.genaiprocessors.contract;

import dev.genaiprocessors.contract.ModelHarness.SentTurn;
import java.util.ArrayList;
import java.util.List;

/** Normalising what vendors send, so one assertion fits all three. */
final class SentTurns {
  private SentTurns() {}

  /**
   * Consecutive turns of one role joined into one: OpenAI sends each function result as a message
   * of its own where Anthropic and Gemini send them together in one user turn.
   */
  static List<SentTurn> merged(List<SentTurn> turns) {
    List<SentTurn> merged = new ArrayList<>();
    for (SentTurn turn : turns) {
      SentTurn last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && last.role().equals(turn.role())) {
        merged.set(
            merged.size() - 1,
            new SentTurn(
                turn.role(), concat(last.texts(), turn.texts()),
                concat(last.imagesBase64(), turn.imagesBase64()),
                    concat(last.calls(), turn.calls()),
                concat(last.resultIds(), turn.resultIds()),
                    concat(last.results(), turn.results())));
      } else {
        merged.add(turn);
      }
    }
    return List.copyOf(merged);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
