package dev.genaiprocessors.model;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Pairs the function calls and function responses of one conversation by id, for a model processor
 * whose vendor requires the pairing (OpenAI's {@code tool_call_id} and {@code call_id}, Anthropic's
 * {@code tool_use_id}). Walk the conversation in order: a call keeps its id, or gets a new one
 * ({@code prefix} and a number) when it has none; a response keeps its id, or answers the oldest
 * call of its function's name that no response answered yet.
 *
 * <p>One instance per request; not thread-safe.
 */
public final class CallIds {
  private final String prefix;
  private final Map<String, Deque<String>> unansweredByName = new HashMap<>();
  private int generated;

  /** Pairs one conversation; ids it makes up are {@code prefix} followed by 0, 1, 2... */
  public CallIds(String prefix) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  /** The id to send for {@code call}: its own, or a new one; the call now waits for a response. */
  public String ofCall(FunctionCall call) {
    String id = call.id() != null ? call.id() : prefix + generated++;
    unansweredByName.computeIfAbsent(call.name(), n -> new ArrayDeque<>()).add(id);
    return id;
  }

  /**
   * The id of the call {@code response} answers: its own, or that of the oldest unanswered call of
   * its function's name.
   *
   * @param vendorNeeds what the vendor requires, for the error (e.g. {@code "OpenAI needs the
   *     tool_call_id"})
   * @throws IllegalArgumentException when the response has no id and no earlier call of its
   *     function's name waits for one, naming the function
   */
  public String ofResponse(FunctionResponse response, String vendorNeeds) {
    Deque<String> unanswered =
        response.name() == null ? null : unansweredByName.get(response.name());
    String id = response.id();
    if (id == null) {
      if (unanswered == null || unanswered.isEmpty()) {
        throw new IllegalArgumentException(
            "function response "
                + response.name()
                + " has no id and answers no earlier function call of that name: "
                + vendorNeeds);
      }
      return unanswered.poll();
    }
    if (unanswered != null) {
      unanswered.remove(id);
    }
    return id;
  }
}
