package dev.genaiprocessors.benchmarks;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.AutomaticFunctionCallingConfig;
import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.gemini.GeminiModel;
import dev.genaiprocessors.testing.GeminiReply;
import dev.genaiprocessors.testing.GeminiServer;
import java.util.ArrayList;
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
 * B10: a 1,000-token answer streamed from the local Gemini server ({@code testing} module, real SSE
 * over loopback, one text part per event, no pacing), read two ways in the same run: with the bare
 * official Gen AI SDK ({@code generateContentStream}) and through {@link GeminiModel} built with
 * the same settings (key, base URL, API version, no SDK retries), as a user builds it: the SDK
 * sends the request and our processor reads the stream. The {@code *Stream} rows time the whole
 * answer (tokens/s = 1000 / time); the {@code *FirstToken} rows time a one-token answer read to its
 * end from a second server. A diagnostic row runs our processor on an SDK client given to its
 * builder, where it reads the chunks the SDK decoded.
 *
 * <p>Target: ours ≥ 0.95× the bare SDK's tokens/s. {@link #main} runs the rows and prints the
 * ratios; {@code main quick} runs them with short warm-up and measurement, for a smoke check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
public class B10GeminiStreamingBenchmark {
  static final int TOKENS = 1_000;
  private static final String MODEL = "gemini-2.5-flash";
  private static final String PROMPT = "Write a long story.";

  private GeminiServer server;
  private GeminiServer shortServer;
  private Client sdk;
  private Client shortSdk;
  private GeminiModel ours;
  private GeminiModel oursOnSdkClient;
  private GeminiModel oursShort;
  private List<Content> contents;
  private GenerateContentConfig config;

  @Setup
  public void setUp() {
    List<String> tokens = new ArrayList<>(TOKENS);
    for (int i = 0; i < TOKENS; i++) {
      tokens.add(" token" + (i % 100));
    }
    server = GeminiServer.start();
    server.replyAlways(GeminiReply.create().text(tokens).usage(12, TOKENS));
    sdk = client(server);
    ours = model(server);
    oursOnSdkClient = GeminiModel.builder().model(MODEL).client(sdk).build();
    shortServer = GeminiServer.start();
    shortServer.replyAlways(GeminiReply.text("Hello").usage(12, 1));
    shortSdk = client(shortServer);
    oursShort = model(shortServer);
    // The same request our processor sends: one user content, automatic function calling off.
    contents =
        List.of(
            Content.builder()
                .role("user")
                .parts(List.of(Part.builder().text(PROMPT).build()))
                .build());
    config =
        GenerateContentConfig.builder()
            .automaticFunctionCalling(
                AutomaticFunctionCallingConfig.builder().disable(true).build())
            .build();
  }

  private static Client client(GeminiServer server) {
    return Client.builder()
        .apiKey("bench-key")
        .httpOptions(
            HttpOptions.builder()
                .baseUrl(server.baseUrl())
                .apiVersion("v1beta")
                .retryOptions(HttpRetryOptions.builder().attempts(1).build())
                .build())
        .build();
  }

  private static GeminiModel model(GeminiServer server) {
    return GeminiModel.builder()
        .model(MODEL)
        .apiKey("bench-key")
        .baseUrl(server.baseUrl())
        .apiVersion("v1beta")
        .maxRetries(0)
        .build();
  }

  @TearDown
  public void tearDown() {
    ours.close();
    oursOnSdkClient.close();
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
    try (ResponseStream<GenerateContentResponse> stream =
        sdk.models.generateContentStream(MODEL, contents, config)) {
      for (GenerateContentResponse chunk : stream) {
        deltas += consume(chunk, bh);
      }
    }
    return check(deltas);
  }

  /**
   * Diagnostic: the bare SDK read on a virtual thread, where our processor runs it; the gap to
   * {@link #bareSdkStream} is what the SDK's own decoding costs more off a platform thread.
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
    return read(ours, bh);
  }

  /** Diagnostic: our processor on an SDK client of the user's, reading the SDK's decoded chunks. */
  @Benchmark
  public int oursOnSdkClientStream(Blackhole bh) {
    return read(oursOnSdkClient, bh);
  }

  private static int read(GeminiModel model, Blackhole bh) {
    int deltas = 0;
    for (ProcessorPart part : model.apply(PROMPT)) {
      String text = part.text();
      if (!text.isEmpty()) {
        bh.consume(text);
        deltas++;
      }
    }
    return check(deltas);
  }

  @Benchmark
  public int bareSdkFirstToken(Blackhole bh) {
    int deltas = 0;
    try (ResponseStream<GenerateContentResponse> stream =
        shortSdk.models.generateContentStream(MODEL, contents, config)) {
      for (GenerateContentResponse chunk : stream) {
        deltas += consume(chunk, bh);
      }
    }
    return deltas;
  }

  @Benchmark
  public int oursFirstToken(Blackhole bh) {
    int deltas = 0;
    for (ProcessorPart part : oursShort.apply(PROMPT)) {
      if (!part.text().isEmpty()) {
        bh.consume(part.text());
        deltas++;
      }
    }
    return deltas;
  }

  private static int consume(GenerateContentResponse chunk, Blackhole bh) {
    int deltas = 0;
    List<Candidate> candidates = chunk.candidates().orElse(List.of());
    if (!candidates.isEmpty()) {
      for (Part part : candidates.get(0).content().flatMap(Content::parts).orElse(List.of())) {
        String text = part.text().orElse("");
        if (!text.isEmpty()) {
          bh.consume(text);
          deltas++;
        }
      }
    }
    return deltas;
  }

  private static int check(int deltas) {
    if (deltas != TOKENS) {
      throw new IllegalStateException("expected " + TOKENS + " deltas but read " + deltas);
    }
    return deltas;
  }

  /**
   * Runs the B10 rows with the settings above (or, with the argument {@code quick}, 2 short warm-up
   * and 3 short measurement iterations) and prints the ratios against their targets.
   */
  public static void main(String[] args) throws Exception {
    StreamingRows rows = StreamingRows.run("B10", B10GeminiStreamingBenchmark.class, TOKENS, args);
    rows.tokensVsSdk();
    rows.diagnostic(
        "ours on an SDK client of your own vs bare SDK", "bareSdkStream", "oursOnSdkClientStream");
    rows.diagnostic(
        "bare SDK on a virtual thread vs on the platform thread",
        "bareSdkStream",
        "bareSdkOnVirtualThread");
    rows.firstToken(false);
  }
}
