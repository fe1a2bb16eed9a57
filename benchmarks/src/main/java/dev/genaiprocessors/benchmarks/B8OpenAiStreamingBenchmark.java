package dev.genaiprocessors.benchmarks;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * B8: a 1,000-token answer streamed from the local OpenAI server ({@code testing} module, real SSE
 * over loopback, no pacing), read three ways in the same run: with the bare official SDK, through
 * {@link OpenAiModel} (on the same SDK client), and with LangChain4j's {@code
 * OpenAiStreamingChatModel}. The {@code *Stream} rows time the whole answer (tokens/s = 1000 /
 * time). The {@code *FirstToken} rows time a one-token answer read to its end from a second server:
 * the request, the first delta and the few closing chunks. (Reading a long answer to its first
 * token and closing would time OkHttp's close instead, which drains the rest of the body for up to
 * 100 ms on the SDK's side but is cut short by the interrupt on ours.)
 *
 * <p>Targets: ours ≥ 0.95× the bare SDK's tokens/s and ≥ 1.0× LangChain4j's; time to first token no
 * more than 1 ms above the bare SDK's. {@link #main} runs the rows and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
public class B8OpenAiStreamingBenchmark {
  static final int TOKENS = 1_000;
  private static final String MODEL = "gpt-4o-mini";
  private static final String PROMPT = "Write a long story.";

  private OpenAiServer server;
  private OpenAiServer shortServer;
  private OpenAIClient sdk;
  private OpenAIClient shortSdk;
  private OpenAiModel ours;
  private OpenAiModel oursShort;
  private OpenAiStreamingChatModel langchain4j;
  private ChatCompletionCreateParams params;

  @Setup
  public void setUp() {
    List<String> tokens = new ArrayList<>(TOKENS);
    for (int i = 0; i < TOKENS; i++) {
      tokens.add(" token" + (i % 100));
    }
    server = OpenAiServer.start();
    server.replyAlways(ChatReply.create().text(tokens).usage(12, TOKENS));
    sdk =
        OpenAIOkHttpClient.builder()
            .baseUrl(server.baseUrl())
            .apiKey("sk-bench")
            .maxRetries(0)
            .build();
    ours = OpenAiModel.builder().model(MODEL).client(sdk).build();
    shortServer = OpenAiServer.start();
    shortServer.replyAlways(ChatReply.create().text("Hello").usage(12, 1));
    shortSdk =
        OpenAIOkHttpClient.builder()
            .baseUrl(shortServer.baseUrl())
            .apiKey("sk-bench")
            .maxRetries(0)
            .build();
    oursShort = OpenAiModel.builder().model(MODEL).client(shortSdk).build();
    langchain4j =
        OpenAiStreamingChatModel.builder()
            .baseUrl(server.baseUrl())
            .apiKey("sk-bench")
            .modelName(MODEL)
            .build();
    // The same request our processor sends: one user message, usage requested.
    params =
        ChatCompletionCreateParams.builder()
            .model(MODEL)
            .addUserMessage(PROMPT)
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
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

  /** Keeps the server's request log from growing through a long run. */
  @TearDown(org.openjdk.jmh.annotations.Level.Iteration)
  public void forgetRequests() {
    server.clearRequests();
    shortServer.clearRequests();
  }

  @Benchmark
  public int bareSdkStream(Blackhole bh) {
    int deltas = 0;
    try (StreamResponse<ChatCompletionChunk> response =
        sdk.chat().completions().createStreaming(params)) {
      Iterator<ChatCompletionChunk> chunks = response.stream().iterator();
      while (chunks.hasNext()) {
        for (ChatCompletionChunk.Choice choice : chunks.next().choices()) {
          String content = choice.delta().content().orElse(null);
          if (content != null && !content.isEmpty()) {
            bh.consume(content);
            deltas++;
          }
        }
      }
    }
    return check(deltas);
  }

  /**
   * Diagnostic, not a target row: the bare SDK loop run on a virtual thread, as every processor
   * runs. The gap between this and {@link #bareSdkStream} is the JDK's cost of blocking socket
   * reads on a virtual thread (parking and the poller's wake-up per chunk), not our code's.
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
   * downstream reads it. The gap to {@link #oursStream} is the cost of waking a platform thread
   * once per delta.
   */
  @Benchmark
  public int oursStreamReadOnVirtualThread(Blackhole bh) throws Exception {
    int[] deltas = {0};
    Thread reader = Thread.ofVirtual().start(() -> deltas[0] = oursStream(bh));
    reader.join();
    return check(deltas[0]);
  }

  @Benchmark
  public int langchain4jStream(Blackhole bh) throws Exception {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    int[] deltas = {0};
    langchain4j.chat(
        PROMPT,
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String partial) {
            bh.consume(partial);
            deltas[0]++;
          }

          @Override
          public void onCompleteResponse(ChatResponse response) {
            done.complete(deltas[0]);
          }

          @Override
          public void onError(Throwable error) {
            done.completeExceptionally(error);
          }
        });
    return check(done.get(30, TimeUnit.SECONDS));
  }

  @Benchmark
  public String bareSdkFirstToken() {
    String first = null;
    try (StreamResponse<ChatCompletionChunk> response =
        shortSdk.chat().completions().createStreaming(params)) {
      Iterator<ChatCompletionChunk> chunks = response.stream().iterator();
      while (chunks.hasNext()) {
        for (ChatCompletionChunk.Choice choice : chunks.next().choices()) {
          String content = choice.delta().content().orElse("");
          if (first == null && !content.isEmpty()) {
            first = content;
          }
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

  /** Runs the B8 rows with the settings above and prints the ratios against their targets. */
  public static void main(String[] args) throws Exception {
    StreamingRows rows = StreamingRows.run("B8", B8OpenAiStreamingBenchmark.class, TOKENS, args);
    rows.tokensVsSdk();
    rows.tokensVs("LangChain4j", "langchain4jStream", 1.0);
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
