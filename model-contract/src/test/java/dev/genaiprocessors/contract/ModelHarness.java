package dev.genaiprocessors.contract;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.Processor;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One vendor's model processor and its local server, seen through the same few operations so that
 * {@link ModelContractTest} can run every scenario against every vendor: script the server's next
 * answer, build the model pointed at it, and read back what the model sent, normalised.
 */
interface ModelHarness extends AutoCloseable {

  /** The API key the harness's model sends; it must never show in an error. */
  String API_KEY = "contract-secret-7f3e9a1b5c2d";

  /** How long a scripted silence lasts: longer than any test; closing the server ends it. */
  Duration SILENCE = Duration.ofMinutes(5);

  /** The vendor's name, for test names. */
  String vendor();

  /**
   * The model processor on the vendor's SDK, pointed at the local server, the SDK's retries off.
   */
  Processor model();

  /**
   * Scripts one streamed answer: these text deltas, the normal finish, usage of 12 prompt and 3
   * completion tokens, a response id and a model name.
   */
  void replyText(String... deltas);

  /** Scripts one streamed answer of these text deltas, each sent {@code pacing} after the last. */
  void replySlowText(Duration pacing, String... deltas);

  /**
   * Scripts one streamed answer that calls these functions (their ids included) and nothing else.
   */
  void replyCalls(List<FunctionCall> calls);

  /** Scripts one faulty answer. */
  void replyFault(Fault fault);

  /**
   * Scripts one answer in no vendor's format, as a proxy in the vendor's place sends it: this
   * status, {@code Content-Type} (none when null) and body.
   */
  void replyRaw(int status, @Nullable String contentType, String body);

  /** Whether the vendor's wire format has this fault at all (Gemini has no error event). */
  default boolean supports(Fault fault) {
    return true;
  }

  /**
   * Another model pointed at the local server, closed with the harness: {@code maxRetries} null
   * leaves the SDK's retries at the model's default, {@code timeout} null sets none.
   */
  Processor model(@Nullable Integer maxRetries, @Nullable Duration timeout);

  /** Scripts one answer that never comes: the server reads the request and sends nothing. */
  void replyNothing();

  /** Scripts one streamed answer that sends its headers and first event, then nothing. */
  void replyThenStall();

  /** The kind ({@code TIMEOUT}, ...) of the vendor's exception in {@code failure}'s cause chain. */
  @Nullable String kind(Throwable failure);

  /** How many requests the server received. */
  int requestCount();

  /** The {@code index}-th request the server received, normalised. */
  SentRequest request(int index);

  @Override
  void close();

  /** The faults every vendor's server can script, as the vendor sends them. */
  enum Fault {
    /**
     * 429 asking the client to wait {@link ModelContractTest#RETRY_AFTER} (header or body hint).
     */
    RATE_LIMITED,
    /** The vendor's overload answer (OpenAI 503, Anthropic 529, Gemini 503 UNAVAILABLE). */
    OVERLOADED,
    /** 500 with the vendor's error body. */
    SERVER_ERROR,
    /** 401 whose error message quotes the API key back. */
    AUTHENTICATION,
    /** The stream breaks after the deltas "Hel" and "lo" were sent. */
    CUT_OFF,
    /** An event that is not JSON after the delta "Hel". */
    MALFORMED,
    /** The vendor's error event in the middle of the stream, after the delta "Hel". */
    ERROR_EVENT
  }

  /** A request as the vendor received it: its system instruction and its turns in order. */
  record SentRequest(String system, List<SentTurn> turns, List<String> functionNames) {}

  /**
   * One turn of a sent conversation.
   *
   * @param role {@code user} or {@code model}, whatever the vendor calls them
   * @param texts the turn's text blocks
   * @param imagesBase64 the turn's inline images, base64
   * @param calls the function calls of a model turn, with their ids
   * @param resultIds the call ids the turn's function results answer, in order
   * @param results the function results' content as sent (JSON text, or the text the vendor took)
   */
  record SentTurn(
      String role,
      List<String> texts,
      List<String> imagesBase64,
      List<FunctionCall> calls,
      List<String> resultIds,
      List<String> results) {}
}
