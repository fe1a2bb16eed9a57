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
 * A scripted answer of OpenAI's Responses API ({@code POST /v1/responses}): what the model says
 * (reasoning summary, text deltas, function calls, usage, an incomplete end), how the server
 * delivers it (pacing, a slow first byte) and what goes wrong on the way (a stream cut off, a
 * malformed event, an {@code error} event, {@code response.failed}).
 *
 * <p>{@link OpenAiServer} streams it when the request says {@code "stream":true}, as named SSE
 * events ({@code event: response.output_text.delta} then {@code data: {"type":...,
 * "sequence_number":N,...}}), with no {@code [DONE]}; otherwise it answers with the final {@code
 * response} object as one JSON body. Streamed, the events come in this order (these are the indexes
 * the fault methods count, and the {@code sequence_number}s):
 *
 * <ol>
 *   <li>{@code response.created}, then {@code response.in_progress};
 *   <li>with a {@linkplain #reasoningSummary reasoning summary}: the reasoning item ({@code
 *       response.output_item.added}, {@code response.reasoning_summary_part.added}, one {@code
 *       response.reasoning_summary_text.delta} per delta, {@code ...text.done}, {@code
 *       ...part.done}, {@code response.output_item.done});
 *   <li>with text, or with neither text nor calls: the message item ({@code
 *       response.output_item.added}, {@code response.content_part.added}, one {@code
 *       response.output_text.delta} per delta, {@code response.output_text.done}, {@code
 *       response.content_part.done}, {@code response.output_item.done});
 *   <li>per function call: {@code response.output_item.added}, one {@code
 *       response.function_call_arguments.delta} per fragment, {@code
 *       response.function_call_arguments.done}, {@code response.output_item.done};
 *   <li>{@code response.completed} with the usage, or {@code response.incomplete} when {@link
 *       #incomplete} was set.
 * </ol>
 *
 * <pre>{@code
 * server.enqueue(ResponsesReply.create()
 *     .text("Let me ", "check.")
 *     .functionCall("call_1", "get_weather", "{\"city\":", "\"Paris\"}")
 *     .usage(12, 7)
 *     .cutAfterEvents(5));       // the connection drops after five events
 * }</pre>
 *
 * <p>Immutable: every method returns a copy.
 */
public final class ResponsesReply implements OpenAiReply {

  /** One scripted function call: its call id, function name and argument fragments. */
  record Call(String callId, String name, List<String> argumentFragments) {
    String arguments() {
      return String.join("", argumentFragments);
    }
  }

  final List<String> textDeltas;
  final List<String> reasoningDeltas;
  final List<Call> calls;
  final @Nullable String incompleteReason;
  final ChatReply.@Nullable Usage usage;
  final @Nullable String model;
  final @Nullable String id;
  final @Nullable String requestId;
  final StreamFaults faults;
  final String errorEventMessage;
  final int failedAt;
  final String failedCode;
  final String failedMessage;
  final Map<String, String> headers;

  private ResponsesReply(Copy c) {
    textDeltas = List.copyOf(c.textDeltas);
    reasoningDeltas = List.copyOf(c.reasoningDeltas);
    calls = List.copyOf(c.calls);
    incompleteReason = c.incompleteReason;
    usage = c.usage;
    model = c.model;
    id = c.id;
    requestId = c.requestId;
    faults = c.faults;
    errorEventMessage = c.errorEventMessage;
    failedAt = c.failedAt;
    failedCode = c.failedCode;
    failedMessage = c.failedMessage;
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(c.headers));
  }

  /** An empty answer (an empty message): add to it with the other methods. */
  public static ResponsesReply create() {
    return new ResponsesReply(new Copy());
  }

  /** A copy whose message goes on with these text deltas, one event each when streamed. */
  public ResponsesReply text(String... deltas) {
    Objects.requireNonNull(deltas, "deltas");
    Copy c = new Copy(this);
    for (String delta : deltas) {
      c.textDeltas.add(Objects.requireNonNull(delta, "delta"));
    }
    return new ResponsesReply(c);
  }

  /** A copy that first reasons, its summary arriving in these deltas. */
  public ResponsesReply reasoningSummary(String... deltas) {
    Objects.requireNonNull(deltas, "deltas");
    Copy c = new Copy(this);
    for (String delta : deltas) {
      c.reasoningDeltas.add(Objects.requireNonNull(delta, "delta"));
    }
    return new ResponsesReply(c);
  }

  /**
   * A copy that also calls the function {@code name} ({@code call_id} {@code callId}); its JSON
   * arguments stream in the given fragments (their concatenation must be the whole JSON).
   */
  public ResponsesReply functionCall(String callId, String name, String... argumentFragments) {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(name, "name");
    Copy c = new Copy(this);
    c.calls.add(new Call(callId, name, List.of(argumentFragments)));
    return new ResponsesReply(c);
  }

  /**
   * A copy that ends with {@code response.incomplete} and this {@code incomplete_details.reason}
   * ({@code max_output_tokens}, {@code content_filter}) instead of {@code response.completed}.
   */
  public ResponsesReply incomplete(String reason) {
    Copy c = new Copy(this);
    c.incompleteReason = Objects.requireNonNull(reason, "reason");
    return new ResponsesReply(c);
  }

  /** A copy reporting this usage, with no cached or reasoning tokens. */
  public ResponsesReply usage(long inputTokens, long outputTokens) {
    return usage(inputTokens, outputTokens, 0, 0);
  }

  /**
   * A copy reporting this usage ({@code input_tokens_details.cached_tokens} and {@code
   * output_tokens_details.reasoning_tokens} included). By default the input counts 10 tokens and
   * the output one per delta and argument fragment.
   */
  public ResponsesReply usage(
      long inputTokens, long outputTokens, long cachedTokens, long reasoningTokens) {
    requireNotNegative(inputTokens, "inputTokens");
    requireNotNegative(outputTokens, "outputTokens");
    requireNotNegative(cachedTokens, "cachedTokens");
    requireNotNegative(reasoningTokens, "reasoningTokens");
    Copy c = new Copy(this);
    c.usage = new ChatReply.Usage(inputTokens, outputTokens, cachedTokens, reasoningTokens);
    return new ResponsesReply(c);
  }

  /** A copy answering with this model name; by default the request's {@code model}. */
  public ResponsesReply model(String model) {
    Copy c = new Copy(this);
    c.model = Objects.requireNonNull(model, "model");
    return new ResponsesReply(c);
  }

  /** A copy with this response id ({@code resp_...}); by default one the server numbers. */
  public ResponsesReply id(String id) {
    Copy c = new Copy(this);
    c.id = Objects.requireNonNull(id, "id");
    return new ResponsesReply(c);
  }

  /** A copy sent with this {@code x-request-id} header; by default one the server numbers. */
  public ResponsesReply requestId(String requestId) {
    Copy c = new Copy(this);
    c.requestId = Objects.requireNonNull(requestId, "requestId");
    return new ResponsesReply(c);
  }

  /** A copy sent with one more response header. */
  public ResponsesReply header(String name, String value) {
    Copy c = new Copy(this);
    c.headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new ResponsesReply(c);
  }

  /** A copy that waits this long before every streamed event after the first. */
  public ResponsesReply pacing(Duration pacing) {
    return withFaults(faults.withPacing(pacing));
  }

  /** A copy that waits this long before sending anything, the status line included. */
  public ResponsesReply firstByteDelay(Duration delay) {
    return withFaults(faults.withFirstByteDelay(delay));
  }

  /**
   * A copy whose stream breaks after {@code events} events: the server drops the connection without
   * ending the chunked body.
   */
  public ResponsesReply cutAfterEvents(int events) {
    return withFaults(faults.withCutAfterEvents(events));
  }

  /**
   * A copy whose stream ends cleanly after {@code events} events, before its terminal event, as
   * from a server that gives up without saying so.
   */
  public ResponsesReply endAfterEvents(int events) {
    return withFaults(faults.withEndAfterEvents(events));
  }

  /** A copy that sends an event of truncated, unparsable JSON as event number {@code index}. */
  public ResponsesReply malformedEventAt(int index) {
    return withFaults(faults.withMalformedEventAt(index));
  }

  /**
   * A copy that sends, as event number {@code index}, the Responses {@code error} event ({@code
   * {"type":"error","code":"server_error","message":...,"param":null}}) and ends the stream there.
   */
  public ResponsesReply errorEventAt(int index, String message) {
    Copy c = new Copy(this);
    c.faults = faults.withErrorEventAt(index);
    c.errorEventMessage = Objects.requireNonNull(message, "message");
    return new ResponsesReply(c);
  }

  /**
   * A copy that sends, as event number {@code index}, {@code response.failed} with this {@code
   * response.error} ({@code server_error}, {@code rate_limit_exceeded}, ...) and ends the stream
   * there.
   */
  public ResponsesReply failedAt(int index, String code, String message) {
    Copy c = new Copy(this);
    c.failedAt = requireNotNegative(index, "index");
    c.failedCode = Objects.requireNonNull(code, "code");
    c.failedMessage = Objects.requireNonNull(message, "message");
    return new ResponsesReply(c);
  }

  ChatReply.Usage effectiveUsage() {
    if (usage != null) {
      return usage;
    }
    long output = (long) textDeltas.size() + reasoningDeltas.size();
    for (Call call : calls) {
      output += Math.max(1, call.argumentFragments().size());
    }
    return new ChatReply.Usage(10, output, 0, 0);
  }

  @Override
  public String toString() {
    return "ResponsesReply["
        + textDeltas.size()
        + " text deltas, "
        + calls.size()
        + " function calls"
        + (incompleteReason != null ? ", incomplete: " + incompleteReason : "")
        + faults.describe("error")
        + (failedAt >= 0 ? ", response.failed at " + failedAt : "")
        + "]";
  }

  private ResponsesReply withFaults(StreamFaults faults) {
    Copy c = new Copy(this);
    c.faults = faults;
    return new ResponsesReply(c);
  }

  /** The mutable state a fluent method changes before freezing it into a new reply. */
  private static final class Copy {
    List<String> textDeltas = new ArrayList<>();
    List<String> reasoningDeltas = new ArrayList<>();
    List<Call> calls = new ArrayList<>();
    @Nullable String incompleteReason;
    ChatReply.@Nullable Usage usage;
    @Nullable String model;
    @Nullable String id;
    @Nullable String requestId;
    StreamFaults faults = StreamFaults.NONE;
    String errorEventMessage = "";
    int failedAt = -1;
    String failedCode = "";
    String failedMessage = "";
    Map<String, String> headers = new LinkedHashMap<>();

    Copy() {}

    Copy(ResponsesReply r) {
      textDeltas.addAll(r.textDeltas);
      reasoningDeltas.addAll(r.reasoningDeltas);
      calls.addAll(r.calls);
      incompleteReason = r.incompleteReason;
      usage = r.usage;
      model = r.model;
      id = r.id;
      requestId = r.requestId;
      faults = r.faults;
      errorEventMessage = r.errorEventMessage;
      failedAt = r.failedAt;
      failedCode = r.failedCode;
      failedMessage = r.failedMessage;
      headers.putAll(r.headers);
    }
  }
}
