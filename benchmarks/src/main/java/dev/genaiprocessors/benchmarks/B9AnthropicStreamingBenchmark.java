package dev.genaiprocessors.benchmarks;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawContentBlockDelta;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.anthropic.AnthropicModel;
import dev.genaiprocessors.anthropic.MessageSettings;
import dev.genaiprocessors.testing.AnthropicServer;
import dev.genaiprocessors.testing.MessageReply;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * B9: a 1,000-token answer streamed from the local Anthropic server ({@code testing} module, real
 * named SSE events over loopback, no pacing), read two ways in the same run: with the bare official
 * SDK and through {@link AnthropicModel} (on the same SDK client). The {@code *Stream} rows time
 * the whole answer (tokens/s = 1000 / time). The {@code *FirstToken} rows time a one-token answer
 * read to its end from a second server: the request, the first delta and the few closing events
 * (see {@link B8OpenAiStreamingBenchmark} for why not a long answer cut after its first token).
 *
 * <p>Targets: ours ≥ 0.95× the bare SDK's tokens/s; time to first token no more than 1 ms above the
 * bare SDK's. {@link #main} runs the rows and prints the ratios; {@code main quick} runs them with
 * short settings (2 warm-up and 3 measured iterations of 1 s) for a rough check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
public class B9AnthropicStreamingBenchmark {
  static final int TOKENS = 1_000;
  private static final String MODEL = "claude-sonnet-4-5";
  private static final String PROMPT = "Write a long story.";

  private AnthropicServer server;
  private AnthropicServer shortServer;
  private AnthropicClient sdk;
  private AnthropicClient shortSdk;
  private AnthropicModel ours;
  private AnthropicModel oursShort;
  private MessageCreateParams params;

  @Setup
  public void setUp() {
    List<String> tokens = new ArrayList<>(TOKENS);
    for (int i = 0; i < TOKENS; i++) {
      tokens.add(" token" + (i % 100));
    }
    server = AnthropicServer.start();
    server.replyAlways(MessageReply.create().text(tokens).usage(12, TOKENS));
    sdk =
        AnthropicOkHttpClient.builder()
            .baseUrl(server.baseUrl())
            .apiKey("sk-ant-bench")
            .maxRetries(0)
            .build();
    ours = AnthropicModel.builder().model(MODEL).client(sdk).build();
    shortServer = AnthropicServer.start();
    shortServer.replyAlways(MessageReply.create().text("Hello").usage(12, 1));
    shortSdk =
        AnthropicOkHttpClient.builder()
            .baseUrl(shortServer.baseUrl())
            .apiKey("sk-ant-bench")
            .maxRetries(0)
            .build();
    oursShort = AnthropicModel.builder().model(MODEL).client(shortSdk).build();
    // The request our processor sends: the model, max_tokens and one user message.
    params =
        MessageCreateParams.builder()
            .model(MODEL)
            .maxTokens(MessageSettings.DEFAULT_MAX_TOKENS)
            .addUserMessage(PROMPT)
            .build();
  }

  @TearDown
  public void tearDown() {
    ours.close();
    oursShort.close();
    sdk.close();
    shortSdk.close();
    server.close();
    shortServer.close();
  }

  /** Keeps the servers' request logs from growing through a long run. */
  @TearDown(org.openjdk.jmh.annotations.Level.Iteration)
  public void forgetRequests() {
    server.clearRequests();
    shortServer.clearRequests();
  }

  /** The text of a {@code text_delta} event, or {@code null} for any other event. */
  private static String textDelta(RawMessageStreamEvent event) {
    if (!event.isContentBlockDelta()) {
      return null;
    }
    RawContentBlockDelta delta = event.asContentBlockDelta().delta();
    return delta.isText() ? delta.asText().text() : null;
  }

  @Benchmark
  public int bareSdkStream(Blackhole bh) {
    int deltas = 0;
    try (StreamResponse<RawMessageStreamEvent> response = sdk.messages().createStreaming(params)) {
      Iterator<RawMessageStreamEvent> events = response.stream().iterator();
      while (events.hasNext()) {
        String text = textDelta(events.next());
        if (text != null && !text.isEmpty()) {
          bh.consume(text);
          deltas++;
        }
      }
    }
    return check(deltas);
  }

  /**
   * Diagnostic, not a target row: the bare SDK loop run on a virtual thread, as every processor
   * runs; the gap to {@link #bareSdkStream} is the JDK's cost of blocking reads on a virtual
   * thread.
   */
  @Benchmark
  public int bareSdkOnVirtualThread(Blackhole bh) throws Exception {
    int[] deltas = {0};
    Thread reader = Thread.ofVirtual().start(() -> deltas[0] = bareSdkStream(bh));
    reader.join();
    return check(deltas[0]);
  }

  @Benchmark
  public int oursStream(Blackhole bh) {
    int deltas = 0;
    for (ProcessorPart part : ours.apply(PROMPT)) {
      String text = part.text();
      if (!text.isEmpty()) {
        bh.consume(text);
        deltas++;
      }
    }
    return check(deltas);
  }

  /**
   * Diagnostic, not a target row: {@link #oursStream} read by a virtual thread, as a processor
   * downstream reads it.
   */
  @Benchmark
  public int oursStreamReadOnVirtualThread(Blackhole bh) throws Exception {
    int[] deltas = {0};
    Thread reader = Thread.ofVirtual().start(() -> deltas[0] = oursStream(bh));
    reader.join();
    return check(deltas[0]);
  }

  @Benchmark
  public String bareSdkFirstToken() {
    String first = null;
    try (StreamResponse<RawMessageStreamEvent> response =
        shortSdk.messages().createStreaming(params)) {
      Iterator<RawMessageStreamEvent> events = response.stream().iterator();
      while (events.hasNext()) {
        String text = textDelta(events.next());
        if (first == null && text != null && !text.isEmpty()) {
          first = text;
        }
      }
    }
    if (first == null) {
      throw new IllegalStateException("no token arrived");
    }
    return first;
  }

  @Benchmark
  public String oursFirstToken() {
    String first = null;
    for (ProcessorPart part : oursShort.apply(PROMPT)) {
      if (first == null && !part.text().isEmpty()) {
        first = part.text();
      }
    }
    if (first == null) {
      throw new IllegalStateException("no token arrived");
    }
    return first;
  }

  private static int check(int deltas) {
    if (deltas != TOKENS) {
      throw new IllegalStateException("expected " + TOKENS + " deltas but read " + deltas);
    }
    return deltas;
  }

  /**
   * Runs the B9 rows with the settings above (or, given the argument {@code quick}, short ones) and
   * prints the ratios against their targets.
   */
  public static void main(String[] args) throws Exception {
    StreamingRows rows = StreamingRows.run("B9", B9AnthropicStreamingBenchmark.class, TOKENS, args);
    rows.tokensVsSdk();
    rows.diagnostic(
        "ours read by a virtual thread vs bare SDK",
        "bareSdkStream",
        "oursStreamReadOnVirtualThread");
    rows.diagnostic(
        "bare SDK on a virtual thread vs on the platform thread",
        "bareSdkStream",
        "bareSdkOnVirtualThread");
    rows.firstToken(true);
  }
}
