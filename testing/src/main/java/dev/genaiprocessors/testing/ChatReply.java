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
 * A scripted chat completion: what the model says (text deltas, tool calls, finish reason, usage),
 * how the server delivers it (pacing, a slow first byte) and what goes wrong on the way (a stream
 * cut off, a malformed chunk, an error event).
 *
 * <p>{@link OpenAiServer} renders it in the shape the request asked for: a {@code
 * text/event-stream} of {@code chat.completion.chunk}s when the request said {@code "stream":true},
 * else one {@code chat.completion} JSON body. Streamed, the server sends one SSE <em>event</em> per
 * chunk, in this order (these are the indexes that the fault methods count):
 *
 * <ol>
 *   <li>({@link OpenAiDialect#AZURE} only) the prompt-filter chunk, with empty {@code id} and
 *       {@code model};
 *   <li>the role chunk ({@code "delta":{"role":"assistant","content":""...}});
 *   <li>one chunk per text delta, in order;
 *   <li>per tool call, a chunk with its id, type and name, then one chunk per argument fragment
 *       ({@link OpenAiDialect#OLLAMA}: one chunk with the whole call);
 *   <li>the finish chunk ({@code "delta":{}} and the finish reason; {@link OpenAiDialect#GLM}: the
 *       usage too);
 *   <li>the usage chunk, when the request asked for {@code stream_options.include_usage} (not in
 *       the {@link OpenAiDialect#OLLAMA} and {@link OpenAiDialect#GLM} dialects);
 *   <li>{@code data: [DONE]}.
 * </ol>
 *
 * <pre>{@code
 * ChatReply reply = ChatReply.create()
 *     .text("The weather ", "in Paris")
 *     .toolCall("call_1", "get_weather", "{\"city\":", "\"Paris\"}")
 *     .usage(12, 7)
 *     .pacing(Duration.ofMillis(5))
 *     .cutAfterEvents(3);         // the connection drops after three events
 * }</pre>
 *
 * <p>Immutable: every method returns a copy.
 */
public final class ChatReply implements OpenAiReply {

  /** One scripted tool call: its id, function name and the fragments its arguments arrive in. */
  record ToolCall(String id, String name, List<String> argumentFragments) {
    String arguments() {
      return String.join("", argumentFragments);
    }
  }

  /** Token counts reported in {@code usage}. */
  record Usage(long prompt, long completion, long cached, long reasoning) {}

  final List<String> textDeltas;
  final List<ToolCall> toolCalls;
  final @Nullable String finishReason;
  final @Nullable Usage usage;
  final @Nullable String model;
  final @Nullable String id;
  final @Nullable String requestId;
  final @Nullable OpenAiDialect dialect;
  final StreamFaults faults;
  final String errorEventMessage;
  final boolean withoutDone;
  final Map<String, String> headers;

  private ChatReply(Copy c) {
    textDeltas = List.copyOf(c.textDeltas);
    toolCalls = List.copyOf(c.toolCalls);
    finishReason = c.finishReason;
    usage = c.usage;
    model = c.model;
    id = c.id;
    requestId = c.requestId;
    dialect = c.dialect;
    faults = c.faults;
    errorEventMessage = c.errorEventMessage;
    withoutDone = c.withoutDone;
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(c.headers));
  }

  /** An empty completion (no text, no calls): add to it with the other methods. */
  public static ChatReply create() {
    return new ChatReply(new Copy());
  }

  /** A copy whose answer goes on with these text deltas, one chunk each when streamed. */
  public ChatReply text(String... deltas) {
    return text(List.of(deltas));
  }

  /** A copy whose answer goes on with these text deltas, one chunk each when streamed. */
  public ChatReply text(List<String> deltas) {
    Objects.requireNonNull(deltas, "deltas");
    Copy c = new Copy(this);
    for (String delta : deltas) {
      c.textDeltas.add(Objects.requireNonNull(delta, "delta"));
    }
    return new ChatReply(c);
  }

  /**
   * A copy that also calls the function {@code name}; its JSON arguments stream in the given
   * fragments (their concatenation must be the whole JSON; no fragment means {@code ""}).
   */
  public ChatReply toolCall(String id, String name, String... argumentFragments) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Copy c = new Copy(this);
    c.toolCalls.add(new ToolCall(id, name, List.of(argumentFragments)));
    return new ChatReply(c);
  }

  /**
   * A copy with this finish reason ({@code stop}, {@code length}, {@code tool_calls}, {@code
   * content_filter}, ...); by default {@code tool_calls} when the reply calls a tool, else {@code
   * stop}.
   */
  public ChatReply finishReason(String finishReason) {
    Copy c = new Copy(this);
    c.finishReason = Objects.requireNonNull(finishReason, "finishReason");
    return new ChatReply(c);
  }

  /** A copy reporting this usage, with no cached or reasoning tokens. */
  public ChatReply usage(long promptTokens, long completionTokens) {
    return usage(promptTokens, completionTokens, 0, 0);
  }

  /**
   * A copy reporting this usage ({@code prompt_tokens_details.cached_tokens} and {@code
   * completion_tokens_details.reasoning_tokens} included). By default the prompt counts 10 tokens
   * and the completion one per text delta and argument fragment.
   */
  public ChatReply usage(
      long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens) {
    requireNotNegative(promptTokens, "promptTokens");
    requireNotNegative(completionTokens, "completionTokens");
    requireNotNegative(cachedTokens, "cachedTokens");
    requireNotNegative(reasoningTokens, "reasoningTokens");
    Copy c = new Copy(this);
    c.usage = new Usage(promptTokens, completionTokens, cachedTokens, reasoningTokens);
    return new ChatReply(c);
  }

  /** A copy answering with this model name; by default the request's {@code model}. */
  public ChatReply model(String model) {
    Copy c = new Copy(this);
    c.model = Objects.requireNonNull(model, "model");
    return new ChatReply(c);
  }

  /** A copy with this completion id ({@code chatcmpl-...}); by default one the server numbers. */
  public ChatReply id(String id) {
    Copy c = new Copy(this);
    c.id = Objects.requireNonNull(id, "id");
    return new ChatReply(c);
  }

  /** A copy sent with this {@code x-request-id} header; by default one the server numbers. */
  public ChatReply requestId(String requestId) {
    Copy c = new Copy(this);
    c.requestId = Objects.requireNonNull(requestId, "requestId");
    return new ChatReply(c);
  }

  /** A copy rendered in this dialect instead of the server's. */
  public ChatReply dialect(OpenAiDialect dialect) {
    Copy c = new Copy(this);
    c.dialect = Objects.requireNonNull(dialect, "dialect");
    return new ChatReply(c);
  }

  /** A copy sent with one more response header. */
  public ChatReply header(String name, String value) {
    Copy c = new Copy(this);
    c.headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new ChatReply(c);
  }

  /** A copy that waits this long before every streamed event after the first. */
  public ChatReply pacing(Duration pacing) {
    return withFaults(faults.withPacing(pacing));
  }

  /** A copy that waits this long before sending anything, the status line included. */
  public ChatReply firstByteDelay(Duration delay) {
    return withFaults(faults.withFirstByteDelay(delay));
  }

  /**
   * A copy whose stream breaks after {@code events} events: the server drops the connection without
   * ending the chunked body, as a crashed proxy or server does. Applies to streamed answers only.
   */
  public ChatReply cutAfterEvents(int events) {
    return withFaults(faults.withCutAfterEvents(events));
  }

  /**
   * A copy whose stream ends cleanly after {@code events} events: the chunked body is closed
   * properly but the rest (finish chunk, usage, {@code [DONE]}) never comes, as from a server that
   * gives up without saying so. Applies to streamed answers only.
   */
  public ChatReply endAfterEvents(int events) {
    return withFaults(faults.withEndAfterEvents(events));
  }

  /** A copy that sends a chunk of truncated, unparsable JSON as event number {@code index}. */
  public ChatReply malformedEventAt(int index) {
    return withFaults(faults.withMalformedEventAt(index));
  }

  /**
   * A copy that sends, as event number {@code index}, OpenAI's mid-stream error ({@code data:
   * {"error":{"message":...,"type":"server_error",...}}}) and then ends the stream without {@code
   * [DONE]}.
   */
  public ChatReply errorEventAt(int index, String message) {
    Copy c = new Copy(this);
    c.faults = faults.withErrorEventAt(index);
    c.errorEventMessage = Objects.requireNonNull(message, "message");
    return new ChatReply(c);
  }

  /** A copy whose stream ends cleanly but without {@code data: [DONE]}. */
  public ChatReply withoutDone() {
    Copy c = new Copy(this);
    c.withoutDone = true;
    return new ChatReply(c);
  }

  String effectiveFinishReason() {
    if (finishReason != null) {
      return finishReason;
    }
    return toolCalls.isEmpty() ? "stop" : "tool_calls";
  }

  Usage effectiveUsage() {
    if (usage != null) {
      return usage;
    }
    long completion = textDeltas.size();
    for (ToolCall call : toolCalls) {
      completion += Math.max(1, call.argumentFragments().size());
    }
    return new Usage(10, completion, 0, 0);
  }

  String fullText() {
    return String.join("", textDeltas);
  }

  @Override
  public String toString() {
    return "ChatReply["
        + textDeltas.size()
        + " text deltas, "
        + toolCalls.size()
        + " tool calls"
        + faults.describe("error")
        + "]";
  }

  private ChatReply withFaults(StreamFaults faults) {
    Copy c = new Copy(this);
    c.faults = faults;
    return new ChatReply(c);
  }

  /** The mutable state a fluent method changes before freezing it into a new reply. */
  private static final class Copy {
    List<String> textDeltas = new ArrayList<>();
    List<ToolCall> toolCalls = new ArrayList<>();
    @Nullable String finishReason;
    @Nullable Usage usage;
    @Nullable String model;
    @Nullable String id;
    @Nullable String requestId;
    @Nullable OpenAiDialect dialect;
    StreamFaults faults = StreamFaults.NONE;
    String errorEventMessage = "";
    boolean withoutDone;
    Map<String, String> headers = new LinkedHashMap<>();

    Copy() {}

    Copy(ChatReply r) {
      textDeltas.addAll(r.textDeltas);
      toolCalls.addAll(r.toolCalls);
      finishReason = r.finishReason;
      usage = r.usage;
      model = r.model;
      id = r.id;
      requestId = r.requestId;
      dialect = r.dialect;
      faults = r.faults;
      errorEventMessage = r.errorEventMessage;
      withoutDone = r.withoutDone;
      headers.putAll(r.headers);
    }
  }
}
