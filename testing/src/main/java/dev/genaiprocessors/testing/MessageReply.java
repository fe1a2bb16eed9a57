package dev.genaiprocessors.testing;

import static dev.genaiprocessors.testing.Arguments.requireNotNegative;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scripted Anthropic message: its content blocks (text, thinking with its signature, redacted
 * thinking, tool use), stop reason and usage; how the server delivers it (pacing, a slow first
 * byte); and what goes wrong on the way (a stream cut off, a malformed event, an {@code error}
 * event such as {@code overloaded_error}).
 *
 * <p>{@link AnthropicServer} renders it in the shape the request asked for: a {@code
 * text/event-stream} of named events when the request said {@code "stream":true}, else one {@code
 * message} JSON body. Streamed, the events come in this order (these are the indexes the fault
 * methods count):
 *
 * <ol>
 *   <li>{@code message_start} (id, model, input and cache token counts, {@code output_tokens: 1});
 *   <li>per block, in the order added: {@code content_block_start}, then one {@code
 *       content_block_delta} per delta ({@code text_delta}, {@code thinking_delta} followed by one
 *       {@code signature_delta}, {@code input_json_delta} per input fragment), then {@code
 *       content_block_stop}; a {@code ping} follows the first {@code content_block_start} (right
 *       after {@code message_start} when there is no block), as Anthropic sends it;
 *   <li>{@code message_delta} (stop reason, stop sequence, cumulative {@code output_tokens});
 *   <li>{@code message_stop}.
 * </ol>
 *
 * <pre>{@code
 * MessageReply reply = MessageReply.create()
 *     .thinking("sig-1", "Let me ", "think.")
 *     .text("The weather ", "in Paris")
 *     .toolUse("toolu_1", "get_weather", "{\"city\":", "\"Paris\"}")
 *     .usage(12, 7, 100, 0)
 *     .pacing(Duration.ofMillis(5))
 *     .errorEventAt(4, "overloaded_error", "Overloaded");
 * }</pre>
 *
 * <p>Immutable: every method returns a copy.
 */
public final class MessageReply implements AnthropicReply {

  /** One scripted content block. */
  sealed interface Block permits Text, Thinking, RedactedThinking, ToolUse {}

  /** A text block whose text arrives as these deltas. */
  record Text(List<String> deltas) implements Block {}

  /** A thinking block: its thinking deltas, then its signature. */
  record Thinking(List<String> deltas, String signature) implements Block {}

  /** A redacted thinking block: opaque data, whole in its start event. */
  record RedactedThinking(String data) implements Block {}

  /** A tool use block whose JSON input arrives as these fragments. */
  record ToolUse(String id, String name, List<String> inputFragments) implements Block {
    String input() {
      return String.join("", inputFragments);
    }
  }

  /** Token counts reported in {@code usage}. */
  record Usage(long input, long output, long cacheCreation, long cacheRead) {}

  final List<Block> blocks;
  final @Nullable String stopReason;
  final @Nullable String stopSequence;
  final @Nullable Usage usage;
  final @Nullable String model;
  final @Nullable String id;
  final @Nullable String requestId;
  final StreamFaults faults;
  final int unknownEventAt;
  final String errorEventType;
  final String errorEventMessage;
  final Map<String, String> headers;

  private MessageReply(Copy c) {
    blocks = List.copyOf(c.blocks);
    stopReason = c.stopReason;
    stopSequence = c.stopSequence;
    usage = c.usage;
    model = c.model;
    id = c.id;
    requestId = c.requestId;
    faults = c.faults;
    unknownEventAt = c.unknownEventAt;
    errorEventType = c.errorEventType;
    errorEventMessage = c.errorEventMessage;
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(c.headers));
  }

  /** An empty message (no content blocks): add to it with the other methods. */
  public static MessageReply create() {
    return new MessageReply(new Copy());
  }

  /** A copy with one more text block, whose text arrives as these deltas (one event each). */
  public MessageReply text(String... deltas) {
    return text(List.of(deltas));
  }

  /** A copy with one more text block, whose text arrives as these deltas (one event each). */
  public MessageReply text(List<String> deltas) {
    Objects.requireNonNull(deltas, "deltas");
    return with(new Text(copyStrings(deltas, "delta")));
  }

  /**
   * A copy with one more thinking block: its thinking arrives as these deltas, then the block's
   * {@code signature} in one {@code signature_delta}.
   */
  public MessageReply thinking(String signature, String... deltas) {
    Objects.requireNonNull(signature, "signature");
    return with(new Thinking(copyStrings(List.of(deltas), "delta"), signature));
  }

  /** A copy with one more {@code redacted_thinking} block carrying this opaque data. */
  public MessageReply redactedThinking(String data) {
    return with(new RedactedThinking(Objects.requireNonNull(data, "data")));
  }

  /**
   * A copy with one more {@code tool_use} block calling {@code name}; its JSON input streams in the
   * given fragments (their concatenation must be the whole JSON object; no fragment means {@code
   * {}}).
   */
  public MessageReply toolUse(String id, String name, String... inputFragments) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    return with(new ToolUse(id, name, copyStrings(List.of(inputFragments), "inputFragment")));
  }

  /**
   * A copy with this stop reason ({@code end_turn}, {@code max_tokens}, {@code stop_sequence},
   * {@code tool_use}, {@code pause_turn}, {@code refusal}, or any other text); by default {@code
   * tool_use} when the message uses a tool, else {@code end_turn}.
   */
  public MessageReply stopReason(String stopReason) {
    Copy c = new Copy(this);
    c.stopReason = Objects.requireNonNull(stopReason, "stopReason");
    return new MessageReply(c);
  }

  /** A copy that stopped on this stop sequence ({@code stop_reason} {@code stop_sequence}). */
  public MessageReply stopSequence(String sequence) {
    Copy c = new Copy(this);
    c.stopSequence = Objects.requireNonNull(sequence, "sequence");
    c.stopReason = "stop_sequence";
    return new MessageReply(c);
  }

  /** A copy reporting this usage, with no cache reads or writes. */
  public MessageReply usage(long inputTokens, long outputTokens) {
    return usage(inputTokens, outputTokens, 0, 0);
  }

  /**
   * A copy reporting this usage: {@code input_tokens}, {@code output_tokens}, {@code
   * cache_creation_input_tokens} and {@code cache_read_input_tokens}. By default the input counts
   * 10 tokens, nothing is cached, and the output one token per delta and input fragment.
   */
  public MessageReply usage(
      long inputTokens, long outputTokens, long cacheCreationTokens, long cacheReadTokens) {
    requireNotNegative(inputTokens, "inputTokens");
    requireNotNegative(outputTokens, "outputTokens");
    requireNotNegative(cacheCreationTokens, "cacheCreationTokens");
    requireNotNegative(cacheReadTokens, "cacheReadTokens");
    Copy c = new Copy(this);
    c.usage = new Usage(inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens);
    return new MessageReply(c);
  }

  /** A copy answering with this model name; by default the request's {@code model}. */
  public MessageReply model(String model) {
    Copy c = new Copy(this);
    c.model = Objects.requireNonNull(model, "model");
    return new MessageReply(c);
  }

  /** A copy with this message id ({@code msg_...}); by default one the server numbers. */
  public MessageReply id(String id) {
    Copy c = new Copy(this);
    c.id = Objects.requireNonNull(id, "id");
    return new MessageReply(c);
  }

  /** A copy sent with this {@code request-id} header; by default one the server numbers. */
  public MessageReply requestId(String requestId) {
    Copy c = new Copy(this);
    c.requestId = Objects.requireNonNull(requestId, "requestId");
    return new MessageReply(c);
  }

  /** A copy sent with one more response header (replacing one of the same name). */
  public MessageReply header(String name, String value) {
    Copy c = new Copy(this);
    c.headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new MessageReply(c);
  }

  /** A copy that waits this long before every streamed event after the first. */
  public MessageReply pacing(Duration pacing) {
    return withFaults(faults.withPacing(pacing));
  }

  /** A copy that waits this long before sending anything, the status line included. */
  public MessageReply firstByteDelay(Duration delay) {
    return withFaults(faults.withFirstByteDelay(delay));
  }

  /**
   * A copy whose stream breaks after {@code events} events: the server drops the connection without
   * ending the chunked body, as a crashed proxy or server does. Streamed answers only.
   */
  public MessageReply cutAfterEvents(int events) {
    return withFaults(faults.withCutAfterEvents(events));
  }

  /**
   * A copy whose stream ends cleanly after {@code events} events: the chunked body is closed
   * properly but the rest ({@code message_delta}, {@code message_stop}) never comes. Streamed
   * answers only.
   */
  public MessageReply endAfterEvents(int events) {
    return withFaults(faults.withEndAfterEvents(events));
  }

  /**
   * A copy that sends, as event number {@code index}, a {@code content_block_delta} of truncated
   * JSON.
   */
  public MessageReply malformedEventAt(int index) {
    return withFaults(faults.withMalformedEventAt(index));
  }

  /**
   * A copy that sends, as event number {@code index}, an event of a type Anthropic may add in the
   * future ({@code event: content_block_annotation}), which clients must ignore.
   */
  public MessageReply unknownEventAt(int index) {
    Copy c = new Copy(this);
    c.unknownEventAt = requireNotNegative(index, "index");
    return new MessageReply(c);
  }

  /**
   * A copy that sends, as event number {@code index}, Anthropic's mid-stream error ({@code event:
   * error}, {@code data: {"type":"error","error":{"type":...,"message":...}}}) and then ends the
   * stream. {@code overloaded_error} is the in-stream form of HTTP 529.
   */
  public MessageReply errorEventAt(int index, String type, String message) {
    Copy c = new Copy(this);
    c.faults = faults.withErrorEventAt(index);
    c.errorEventType = Objects.requireNonNull(type, "type");
    c.errorEventMessage = Objects.requireNonNull(message, "message");
    return new MessageReply(c);
  }

  String effectiveStopReason() {
    if (stopReason != null) {
      return stopReason;
    }
    return blocks.stream().anyMatch(b -> b instanceof ToolUse) ? "tool_use" : "end_turn";
  }

  Usage effectiveUsage() {
    if (usage != null) {
      return usage;
    }
    long output = 0;
    for (Block block : blocks) {
      output +=
          switch (block) {
            case Text t -> t.deltas().size();
            case Thinking t -> t.deltas().size();
            case RedactedThinking r -> 1;
            case ToolUse t -> Math.max(1, t.inputFragments().size());
          };
    }
    return new Usage(10, Math.max(1, output), 0, 0);
  }

  @Override
  public String toString() {
    return "MessageReply[" + blocks.size() + " blocks" + faults.describe(errorEventType) + "]";
  }

  private MessageReply with(Block block) {
    Copy c = new Copy(this);
    c.blocks.add(block);
    return new MessageReply(c);
  }

  private static List<String> copyStrings(List<String> values, String name) {
    for (String value : values) {
      Objects.requireNonNull(value, name);
    }
    return List.copyOf(values);
  }

  private MessageReply withFaults(StreamFaults faults) {
    Copy c = new Copy(this);
    c.faults = faults;
    return new MessageReply(c);
  }

  /** The mutable state a fluent method changes before freezing it into a new reply. */
  private static final class Copy {
    List<Block> blocks = new ArrayList<>();
    @Nullable String stopReason;
    @Nullable String stopSequence;
    @Nullable Usage usage;
    @Nullable String model;
    @Nullable String id;
    @Nullable String requestId;
    StreamFaults faults = StreamFaults.NONE;
    int unknownEventAt = -1;
    String errorEventType = "";
    String errorEventMessage = "";
    Map<String, String> headers = new LinkedHashMap<>();

    Copy() {}

    Copy(MessageReply r) {
      blocks.addAll(r.blocks);
      stopReason = r.stopReason;
      stopSequence = r.stopSequence;
      usage = r.usage;
      model = r.model;
      id = r.id;
      requestId = r.requestId;
      faults = r.faults;
      unknownEventAt = r.unknownEventAt;
      errorEventType = r.errorEventType;
      errorEventMessage = r.errorEventMessage;
      headers.putAll(r.headers);
    }
  }
}
