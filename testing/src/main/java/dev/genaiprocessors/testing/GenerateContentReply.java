package dev.genaiprocessors.testing;

import static dev.genaiprocessors.testing.Arguments.requireNotNegative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scripted Gemini {@code GenerateContentResponse}: what the model says (text, thoughts with their
 * signatures, function calls, inline data), how it ends (finish reason, safety ratings, usage, or a
 * blocked prompt), how the server delivers it (pacing, a slow first byte) and what goes wrong on
 * the way (a stream cut off or ended early, a malformed event, an error event).
 *
 * <p>{@link GeminiServer} streams it from {@code :streamGenerateContent?alt=sse} as un-named
 * server-sent events, each {@code data:} a complete {@code GenerateContentResponse}, and no {@code
 * [DONE]}: the end of the body is the end of the answer. Every method that adds content adds one
 * <em>chunk</em>, sent as one event; the events are numbered from 0 in the order the chunks were
 * added (these are the indexes the fault methods count). The last chunk carries the finish reason,
 * the safety ratings and the full usage; the others carry the prompt's token count only, as Gemini
 * does. A reply without content sends one chunk with an empty text. {@code :generateContent}
 * returns the same response as one JSON body, its parts joined in one candidate.
 *
 * <pre>{@code
 * GenerateContentReply reply = GeminiReply.create()
 *     .thought("The user wants the weather.", "c2lnLTE=")
 *     .functionCalls(GenerateContentReply.call("get_weather", "{\"city\":\"Paris\"}"),
 *                    GenerateContentReply.call("get_time", "{\"zone\":\"CET\"}"))
 *     .usage(12, 7, 5, 0)
 *     .pacing(Duration.ofMillis(5));
 * }</pre>
 *
 * <p>Immutable: every method returns a copy.
 */
public final class GenerateContentReply implements GeminiReply {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * One function call of a chunk: the function's name, its whole arguments as a JSON object, and
   * optionally the call's id and a thought signature on its part.
   *
   * @param id the call's id, or {@code null} (the Gemini API sends none; Vertex AI may)
   * @param name the function's name
   * @param argsJson the arguments, a JSON object
   * @param thoughtSignature the part's {@code thoughtSignature} (base64), or {@code null}
   */
  public record Call(
      @Nullable String id, String name, String argsJson, @Nullable String thoughtSignature) {
    /**
     * @throws IllegalArgumentException when {@code argsJson} is not a JSON object
     */
    public Call {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(argsJson, "argsJson");
      JsonNode args;
      try {
        args = MAPPER.readTree(argsJson);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(
            "arguments of " + name + " must be a JSON object but were " + argsJson, e);
      }
      if (args == null || !args.isObject()) {
        throw new IllegalArgumentException(
            "arguments of " + name + " must be a JSON object but were " + argsJson);
      }
    }

    /** A copy with this id. */
    public Call withId(String id) {
      return new Call(Objects.requireNonNull(id, "id"), name, argsJson, thoughtSignature);
    }

    /** A copy whose part carries this {@code thoughtSignature} (base64). */
    public Call withThoughtSignature(String signature) {
      return new Call(id, name, argsJson, Objects.requireNonNull(signature, "signature"));
    }
  }

  /** One safety rating: category, probability and whether it blocked the answer. */
  record Rating(String category, String probability, boolean blocked) {}

  /** Token counts reported in {@code usageMetadata}. */
  record Usage(long prompt, long candidates, long thoughts, long cached) {}

  final List<List<String>> chunks; // each chunk: its parts, as JSON
  final @Nullable String finishReason;
  final List<Rating> safetyRatings;
  final @Nullable String blockReason;
  final @Nullable Usage usage;
  final @Nullable String modelVersion;
  final @Nullable String responseId;
  final StreamFaults faults;
  final int errorEventCode;
  final String errorEventMessage;
  final Map<String, String> headers;
  final int thoughtChunks;

  private GenerateContentReply(Copy c) {
    List<List<String>> frozen = new ArrayList<>();
    c.chunks.forEach(chunk -> frozen.add(List.copyOf(chunk)));
    chunks = List.copyOf(frozen);
    finishReason = c.finishReason;
    safetyRatings = List.copyOf(c.safetyRatings);
    blockReason = c.blockReason;
    usage = c.usage;
    modelVersion = c.modelVersion;
    responseId = c.responseId;
    faults = c.faults;
    errorEventCode = c.errorEventCode;
    errorEventMessage = c.errorEventMessage;
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(c.headers));
    thoughtChunks = c.thoughtChunks;
  }

  /** An empty response: add chunks with the other methods. */
  public static GenerateContentReply create() {
    return new GenerateContentReply(new Copy());
  }

  /** A function call for {@link #functionCalls}: {@code argsJson} is the whole arguments object. */
  public static Call call(String name, String argsJson) {
    return new Call(null, name, argsJson, null);
  }

  /** A copy that goes on with these texts, one chunk each. */
  public GenerateContentReply text(String... chunks) {
    Objects.requireNonNull(chunks, "chunks");
    return text(List.of(chunks));
  }

  /** A copy that goes on with these texts, one chunk each. */
  public GenerateContentReply text(List<String> chunks) {
    Objects.requireNonNull(chunks, "chunks");
    Copy c = new Copy(this);
    for (String text : chunks) {
      c.chunks.add(
          List.of("{\"text\":" + ChatRendering.quote(Objects.requireNonNull(text, "text")) + "}"));
    }
    return new GenerateContentReply(c);
  }

  /**
   * A copy that goes on with one chunk of text whose part carries a {@code thoughtSignature}
   * (base64), as Gemini signs the first answer part after its thoughts.
   */
  public GenerateContentReply signedText(String text, String thoughtSignature) {
    Copy c = new Copy(this);
    c.chunks.add(
        List.of(
            "{\"text\":"
                + ChatRendering.quote(Objects.requireNonNull(text, "text"))
                + ",\"thoughtSignature\":"
                + ChatRendering.quote(signature(thoughtSignature))
                + "}"));
    return new GenerateContentReply(c);
  }

  /** A copy that goes on with one chunk holding a thought ({@code "thought":true}). */
  public GenerateContentReply thought(String text) {
    return thought(text, null);
  }

  /**
   * A copy that goes on with one chunk holding a thought ({@code "thought":true}) whose part
   * carries this {@code thoughtSignature} (base64), or none for {@code null}.
   */
  public GenerateContentReply thought(String text, @Nullable String thoughtSignature) {
    Objects.requireNonNull(text, "text");
    Copy c = new Copy(this);
    c.chunks.add(
        List.of(
            "{\"text\":"
                + ChatRendering.quote(text)
                + ",\"thought\":true"
                + (thoughtSignature == null
                    ? ""
                    : ",\"thoughtSignature\":" + ChatRendering.quote(signature(thoughtSignature)))
                + "}"));
    c.thoughtChunks++;
    return new GenerateContentReply(c);
  }

  /** A copy that goes on with one chunk calling {@code name} with these whole arguments. */
  public GenerateContentReply functionCall(String name, String argsJson) {
    return functionCalls(call(name, argsJson));
  }

  /** A copy that goes on with one chunk holding all these calls, in order. */
  public GenerateContentReply functionCalls(Call... calls) {
    Objects.requireNonNull(calls, "calls");
    if (calls.length == 0) {
      throw new IllegalArgumentException("functionCalls needs at least one call");
    }
    List<String> parts = new ArrayList<>();
    for (Call call : calls) {
      Objects.requireNonNull(call, "call");
      parts.add(
          "{\"functionCall\":{"
              + (call.id() == null ? "" : "\"id\":" + ChatRendering.quote(call.id()) + ",")
              + "\"name\":"
              + ChatRendering.quote(call.name())
              + ",\"args\":"
              + compact(call.argsJson())
              + "}"
              + (call.thoughtSignature() == null
                  ? ""
                  : ",\"thoughtSignature\":" + ChatRendering.quote(call.thoughtSignature()))
              + "}");
    }
    Copy c = new Copy(this);
    c.chunks.add(parts);
    return new GenerateContentReply(c);
  }

  /** A copy that goes on with one chunk of inline bytes ({@code inlineData}, base64). */
  public GenerateContentReply inlineData(String mimeType, byte[] data) {
    Objects.requireNonNull(mimeType, "mimeType");
    Objects.requireNonNull(data, "data");
    Copy c = new Copy(this);
    c.chunks.add(
        List.of(
            "{\"inlineData\":{\"mimeType\":"
                + ChatRendering.quote(mimeType)
                + ",\"data\":\""
                + Base64.getEncoder().encodeToString(data)
                + "\"}}"));
    return new GenerateContentReply(c);
  }

  /**
   * A copy ending with this finish reason ({@code STOP}, {@code MAX_TOKENS}, {@code SAFETY}, {@code
   * RECITATION}, {@code OTHER}, ...); {@code STOP} by default.
   */
  public GenerateContentReply finishReason(String finishReason) {
    Copy c = new Copy(this);
    c.finishReason = Objects.requireNonNull(finishReason, "finishReason");
    return new GenerateContentReply(c);
  }

  /**
   * A copy whose last chunk (or blocked prompt) carries one more safety rating ({@code
   * HARM_CATEGORY_DANGEROUS_CONTENT}, {@code NEGLIGIBLE}...).
   */
  public GenerateContentReply safetyRating(String category, String probability) {
    return safetyRating(category, probability, false);
  }

  /** {@link #safetyRating(String, String)} that says whether this rating blocked the answer. */
  public GenerateContentReply safetyRating(String category, String probability, boolean blocked) {
    Copy c = new Copy(this);
    c.safetyRatings.add(
        new Rating(
            Objects.requireNonNull(category, "category"),
            Objects.requireNonNull(probability, "probability"),
            blocked));
    return new GenerateContentReply(c);
  }

  /**
   * A copy that answers as Gemini does to a blocked prompt: one chunk with {@code
   * promptFeedback.blockReason} ({@code SAFETY}, {@code PROHIBITED_CONTENT}, {@code OTHER}...), the
   * safety ratings and the usage, and no candidates; any content scripted is not sent.
   */
  public GenerateContentReply blockedPrompt(String blockReason) {
    Copy c = new Copy(this);
    c.blockReason = Objects.requireNonNull(blockReason, "blockReason");
    return new GenerateContentReply(c);
  }

  /** A copy reporting this usage, with no thoughts and no cached tokens. */
  public GenerateContentReply usage(long promptTokens, long candidatesTokens) {
    return usage(promptTokens, candidatesTokens, 0, 0);
  }

  /**
   * A copy reporting this usage: {@code promptTokenCount}, {@code candidatesTokenCount}, {@code
   * thoughtsTokenCount} and {@code cachedContentTokenCount} (sent when not 0); {@code
   * totalTokenCount} is prompt + candidates + thoughts. By default the prompt counts 10 tokens, the
   * candidates one per answer chunk and the thoughts one per thought chunk.
   */
  // The Javadoc names the wire fields (candidatesTokenCount), not the parameters.
  @SuppressWarnings("InvalidParam")
  public GenerateContentReply usage(
      long promptTokens, long candidatesTokens, long thoughtsTokens, long cachedTokens) {
    requireNotNegative(promptTokens, "promptTokens");
    requireNotNegative(candidatesTokens, "candidatesTokens");
    requireNotNegative(thoughtsTokens, "thoughtsTokens");
    requireNotNegative(cachedTokens, "cachedTokens");
    Copy c = new Copy(this);
    c.usage = new Usage(promptTokens, candidatesTokens, thoughtsTokens, cachedTokens);
    return new GenerateContentReply(c);
  }

  /** A copy answering with this {@code modelVersion}; by default the model named in the path. */
  public GenerateContentReply modelVersion(String modelVersion) {
    Copy c = new Copy(this);
    c.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
    return new GenerateContentReply(c);
  }

  /** A copy with this {@code responseId}; by default one the server numbers. */
  public GenerateContentReply responseId(String responseId) {
    Copy c = new Copy(this);
    c.responseId = Objects.requireNonNull(responseId, "responseId");
    return new GenerateContentReply(c);
  }

  /** A copy sent with one more response header. */
  public GenerateContentReply header(String name, String value) {
    Copy c = new Copy(this);
    c.headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new GenerateContentReply(c);
  }

  /** A copy that waits this long before every streamed event after the first. */
  public GenerateContentReply pacing(Duration pacing) {
    return withFaults(faults.withPacing(pacing));
  }

  /** A copy that waits this long before sending anything, the status line included. */
  public GenerateContentReply firstByteDelay(Duration delay) {
    return withFaults(faults.withFirstByteDelay(delay));
  }

  /**
   * A copy whose stream breaks after {@code events} events: the server drops the connection without
   * ending the chunked body. Applies to streamed answers only.
   */
  public GenerateContentReply cutAfterEvents(int events) {
    return withFaults(faults.withCutAfterEvents(events));
  }

  /**
   * A copy whose stream ends cleanly after {@code events} events, so the chunk with the finish
   * reason never comes: since Gemini sends no {@code [DONE]}, only the missing finish reason tells
   * a client that the answer is incomplete. Applies to streamed answers only.
   */
  public GenerateContentReply endAfterEvents(int events) {
    return withFaults(faults.withEndAfterEvents(events));
  }

  /** A copy that sends an event of truncated, unparsable JSON as event number {@code index}. */
  public GenerateContentReply malformedEventAt(int index) {
    return withFaults(faults.withMalformedEventAt(index));
  }

  /**
   * A copy that sends, as event number {@code index}, an error object ({@code data:
   * {"error":{"code":...,"message":...,"status":...}}}) and then ends the stream.
   */
  public GenerateContentReply errorEventAt(int index, int code, String message) {
    Copy c = new Copy(this);
    c.faults = faults.withErrorEventAt(index);
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("error code must be in [400, 599] but was " + code);
    }
    c.errorEventCode = code;
    c.errorEventMessage = Objects.requireNonNull(message, "message");
    return new GenerateContentReply(c);
  }

  Usage effectiveUsage() {
    if (usage != null) {
      return usage;
    }
    return new Usage(10, Math.max(0, chunks.size() - thoughtChunks), thoughtChunks, 0);
  }

  String effectiveFinishReason() {
    return finishReason != null ? finishReason : "STOP";
  }

  @Override
  public String toString() {
    return "GenerateContentReply["
        + chunks.size()
        + " chunks"
        + (blockReason == null ? "" : ", prompt blocked: " + blockReason)
        + faults.describe("error")
        + "]";
  }

  private static String signature(String base64) {
    Objects.requireNonNull(base64, "thoughtSignature");
    try {
      Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "thoughtSignature must be base64 but was '" + base64 + "'", e);
    }
    return base64;
  }

  private static String compact(String json) {
    try {
      return MAPPER.writeValueAsString(MAPPER.readTree(json));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  private GenerateContentReply withFaults(StreamFaults faults) {
    Copy c = new Copy(this);
    c.faults = faults;
    return new GenerateContentReply(c);
  }

  /** The mutable state a fluent method changes before freezing it into a new reply. */
  private static final class Copy {
    List<List<String>> chunks = new ArrayList<>();
    @Nullable String finishReason;
    List<Rating> safetyRatings = new ArrayList<>();
    @Nullable String blockReason;
    @Nullable Usage usage;
    @Nullable String modelVersion;
    @Nullable String responseId;
    StreamFaults faults = StreamFaults.NONE;
    int errorEventCode = 500;
    String errorEventMessage = "";
    Map<String, String> headers = new LinkedHashMap<>();
    int thoughtChunks;

    Copy() {}

    Copy(GenerateContentReply r) {
      r.chunks.forEach(chunk -> chunks.add(new ArrayList<>(chunk)));
      finishReason = r.finishReason;
      safetyRatings.addAll(r.safetyRatings);
      blockReason = r.blockReason;
      usage = r.usage;
      modelVersion = r.modelVersion;
      responseId = r.responseId;
      faults = r.faults;
      errorEventCode = r.errorEventCode;
      errorEventMessage = r.errorEventMessage;
      headers.putAll(r.headers);
      thoughtChunks = r.thoughtChunks;
    }
  }
}
