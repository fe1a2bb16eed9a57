package dev.genaiprocessors.model;

import dev.genaiprocessors.ProcessorPart;

/**
 * The metadata keys every model processor uses on the last part of an answer, so code that reads an
 * answer works the same with any vendor.
 *
 * <p>A model processor emits its answer as parts with role {@code model}: text deltas, thoughts,
 * function calls; then one empty text part whose metadata holds {@link #FINISH_REASON}, {@link
 * #MODEL}, {@link #RESPONSE_ID}, {@link #USAGE} (a {@link TokenUsage} in map form) and {@link
 * ProcessorPart#TURN_COMPLETE}. Vendors may add keys of their own.
 *
 * <pre>{@code
 * ProcessorContent answer = model.apply("Hello").gather();
 * ProcessorPart end = answer.get(answer.size() - 1);
 * String why = (String) end.metadata(ModelOutput.FINISH_REASON);   // "stop", "end_turn", "STOP"...
 * }</pre>
 */
public final class ModelOutput {
  /**
   * Why the model stopped, in the vendor's own words ({@code stop}, {@code end_turn}, {@code
   * STOP}...).
   */
  public static final String FINISH_REASON = "finish_reason";

  /** The model that answered, as the server names it. */
  public static final String MODEL = "model";

  /** The vendor's id of the response ({@code chatcmpl-...}, {@code msg_...}). */
  public static final String RESPONSE_ID = "response_id";

  /** The token counts, a map read by {@link TokenUsage#of}; absent when the server sent none. */
  public static final String USAGE = "usage";

  private ModelOutput() {}
}
