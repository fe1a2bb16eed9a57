package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.ProcessorInterceptor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunConfig;
import dev.genaiprocessors.discovery.BalancedProcessor;
import dev.genaiprocessors.discovery.HealthCheck;
import dev.genaiprocessors.discovery.HealthProbe;
import dev.genaiprocessors.discovery.LoadBalancing;
import dev.genaiprocessors.discovery.OutlierDetection;
import dev.genaiprocessors.discovery.ServiceInstance;
import dev.genaiprocessors.discovery.ServiceRegistry;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.results.RunResult;

/**
 * B13: a 50-token answer streamed from local OpenAI servers ({@code testing} module, real SSE over
 * loopback), read two ways in the same run: straight from one {@link OpenAiModel}, and through a
 * {@link BalancedProcessor} over three such servers (round robin, outlier detection on). Both time
 * one whole call; the ratio is the balancer's throughput over the direct call's. Target: at least
 * 0.95x.
 *
 * <p>{@link #main} also runs the failover harness (not JMH): four callers call the balancer over
 * three servers without pause; one server is killed; the harness reports the time from the kill to
 * the last call sent to the dead server, with passive outlier ejection alone and with active health
 * checks every 100 ms besides, and whether every call succeeded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
public class B13BalancedProcessorBenchmark {
  static final int TOKENS = 50;
  private static final String PROMPT = "Say something.";

  private final List<OpenAiServer> servers = new ArrayList<>();
  private OpenAiModel direct;
  private BalancedProcessor balanced;

  static ChatReply answer() {
    List<String> tokens = new ArrayList<>(TOKENS);
    for (int i = 0; i < TOKENS; i++) {
      tokens.add(" token" + i);
    }
    return ChatReply.create().text(tokens).usage(12, TOKENS);
  }

  static OpenAiModel model(String baseUrl) {
    return OpenAiModel.builder()
        .model("llama-3.1-8b")
        .apiKey("sk-bench")
        .baseUrl(baseUrl)
        .maxRetries(0)
        .build();
  }

  @Setup
  public void setUp() {
    List<ServiceInstance> instances = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      OpenAiServer server = OpenAiServer.start();
      server.replyAlways(answer());
      servers.add(server);
      instances.add(ServiceInstance.of("s" + i, server.baseUrl()));
    }
    direct = model(servers.get(0).baseUrl());
    balanced =
        BalancedProcessor.builder(
                ServiceRegistry.of("bench", instances), instance -> model(instance.address()))
            .strategy(LoadBalancing.roundRobin())
            .build();
  }

  @TearDown
  public void tearDown() {
    balanced.close();
    direct.close();
    servers.forEach(OpenAiServer::close);
  }

  /** Keeps the servers' request logs from growing through a long run. */
  @TearDown(org.openjdk.jmh.annotations.Level.Iteration)
  public void forgetRequests() {
    servers.forEach(OpenAiServer::clearRequests);
  }

  @Benchmark
  public int directCall(Blackhole bh) {
    return read(direct.apply(PROMPT), bh);
  }

  @Benchmark
  public int balancedCall(Blackhole bh) {
    return read(balanced.apply(PROMPT), bh);
  }

  private static int read(Iterable<ProcessorPart> parts, Blackhole bh) {
    int deltas = 0;
    for (ProcessorPart part : parts) {
      String text = part.text();
      if (!text.isEmpty()) {
        bh.consume(text);
        deltas++;
      }
    }
    if (deltas != TOKENS) {
      throw new IllegalStateException("expected " + TOKENS + " deltas but read " + deltas);
    }
    return deltas;
  }

  /**
   * Runs the JMH rows ({@code quick}: 2 + 3 iterations of 1 s) and prints their ratio, then the
   * failover harness.
   */
  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("quick");
    Map<String, RunResult> results =
        StreamingRows.runRows(B13BalancedProcessorBenchmark.class, args);
    double directUs = results.get("directCall").getPrimaryResult().getScore();
    double balancedUs = results.get("balancedCall").getPrimaryResult().getScore();
    System.out.println();
    System.out.println("B13" + (quick ? " (quick)" : "") + ", " + CallRatios.machine());
    double ratio = directUs / balancedUs;
    System.out.printf(
        "B13 balanced over 3 vs one instance directly  ratio %5.3f  target >= 0.95  %s"
            + "  (balanced %.1f us/call, direct %.1f us/call)%n",
        ratio, ratio >= 0.95 ? "met" : "NOT MET", balancedUs, directUs);
    for (int round = 1; round <= 3; round++) {
      failover("passive ejection (5 failures)", null, round);
      failover(
          "passive + health checks every 100 ms",
          HealthCheck.of(HealthProbe.processor("ping"))
              .withInterval(Duration.ofMillis(100))
              .withTimeout(Duration.ofMillis(500))
              .withThresholds(1, 1),
          round);
    }
  }

  /**
   * Four callers without pause; server 0 killed after 500 calls; the time from the kill to the last
   * call chosen for it, from the balancer's own {@code instance_chosen} events.
   */
  static void failover(String label, HealthCheck check, int round) throws Exception {
    List<OpenAiServer> servers = new ArrayList<>();
    List<ServiceInstance> instances = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      OpenAiServer server = OpenAiServer.start();
      server.replyAlways(answer());
      servers.add(server);
      instances.add(ServiceInstance.of("s" + i, server.baseUrl()));
    }
    AtomicLong killedAt = new AtomicLong();
    AtomicLong lastToDead = new AtomicLong();
    ProcessorInterceptor chosen =
        new ProcessorInterceptor() {
          @Override
          public void onEvent(Stage stage, String kind, Map<String, ?> attributes) {
            if (kind.equals("instance_chosen")
                && "s0".equals(attributes.get("instance"))
                && killedAt.get() != 0) {
              lastToDead.accumulateAndGet(System.nanoTime(), Math::max);
            }
          }
        };
    RunConfig config = RunConfig.defaults().withInterceptor(chosen);
    BalancedProcessor.Builder builder =
        BalancedProcessor.builder(
                ServiceRegistry.of("bench", instances), instance -> model(instance.address()))
            .strategy(LoadBalancing.roundRobin())
            .outlierDetection(OutlierDetection.defaults().withEjection(Duration.ofMinutes(5)));
    if (check != null) {
      builder.healthCheck(check);
    }
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong calls = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    try (BalancedProcessor balancer = builder.build()) {
      List<Thread> callers = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        callers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (running.get()) {
                        try {
                          balancer.apply(config, PROMPT).gather();
                          calls.incrementAndGet();
                        } catch (RuntimeException e) {
                          failures.incrementAndGet();
                        }
                      }
                    }));
      }
      while (calls.get() < 500) {
        Thread.sleep(5);
      }
      killedAt.set(System.nanoTime());
      servers.get(0).close();
      long after = calls.get();
      while (calls.get() < after + 1000) {
        Thread.sleep(5);
      }
      running.set(false);
      for (Thread caller : callers) {
        caller.join();
      }
    } finally {
      servers.forEach(OpenAiServer::close);
    }
    long last = lastToDead.get();
    System.out.printf(
        "B13 death to no more calls, %-38s round %d: %7.2f ms  (%d calls, %d failed)%n",
        label, round, last == 0 ? 0.0 : (last - killedAt.get()) / 1e6, calls.get(), failures.get());
  }
}
