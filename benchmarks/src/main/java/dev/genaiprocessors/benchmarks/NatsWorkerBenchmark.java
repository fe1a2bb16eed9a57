package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.nats.NatsBroker;
import dev.genaiprocessors.queue.QueueSpec;
import dev.genaiprocessors.queue.RemoteStage;
import dev.genaiprocessors.queue.Worker;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Queue workers on NATS (row "NATS" in benchmarks/README.md): worker round trips through the NATS
 * server on 127.0.0.1:4222 (JetStream), a timed harness rather than JMH (a round of thousands of
 * broker round trips is the unit), ours and the baseline alternating in the same run.
 *
 * <ul>
 *   <li><b>Round trip</b>: {@value #MESSAGES} parts, each published with a JetStream ack, taken by
 *       a worker, passed through, its result published with an ack, then the request acknowledged
 *       and the result read by the caller. Ours: a {@link RemoteStage} ({@code toProcessor(64)})
 *       and a {@link Worker} of 8 threads on {@link NatsBroker}. Baseline: bare jnats doing the
 *       same (64 callers publishing and waiting for their result, 8 workers on one durable pull
 *       consumer, acknowledging after the result's ack, a reader of the reply stream), with the
 *       same part JSON bodies, passed through unparsed. Target: ours ≥ 0.9× the baseline's
 *       throughput.
 *   <li><b>Latency</b>: one part at a time, p50 and p99 of the round trip, ours and bare.
 *   <li><b>Scale</b>: a stage that waits 10 ms a part, served by 4 workers vs 1 (one thread and a
 *       prefetch of 2 each). Target ≥ 3.5×.
 * </ul>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.genaiprocessors.benchmarks.NatsWorkerBenchmark [rounds]}. It creates and deletes its own
 * streams ({@code nats-bench-*}).
 */
public final class NatsWorkerBenchmark {
  static final int MESSAGES = 5_000;
  private static final int WINDOW = 64;
  private static final int WORKER_THREADS = 8;
  private static final String URL = "nats://127.0.0.1:4222";

  private NatsWorkerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    List<Double> ours = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    // A warm-up round of each, not counted.
    oursThroughput(MESSAGES / 5);
    bareThroughput(MESSAGES / 5);
    for (int r = 0; r < rounds; r++) {
      ours.add(oursThroughput(MESSAGES));
      bare.add(bareThroughput(MESSAGES));
      System.out.printf(
          "NATS round %d: ours %.0f msg/s, bare jnats %.0f msg/s%n",
          r + 1, ours.get(r), bare.get(r));
    }
    double o = Stats.median(ours);
    double b = Stats.median(bare);
    System.out.printf(
        "NATS round trip, median rounds: ours %.0f msg/s vs bare jnats %.0f msg/s = %.2fx (target"
            + " >= 0.9x) %s%n",
        o, b, o / b, o / b >= 0.9 ? "MET" : "NOT MET");
    double ob = best(ours);
    double bb = best(bare);
    System.out.printf(
        "NATS round trip, best rounds (as Q1): ours %.0f msg/s vs bare jnats %.0f msg/s = %.2fx"
            + " (target >= 0.9x) %s%n",
        ob, bb, ob / bb, ob / bb >= 0.9 ? "MET" : "NOT MET");

    long[] oursLatency = oursLatency(1_000);
    long[] bareLatency = bareLatency(1_000);
    System.out.printf(
        "NATS latency, one at a time: ours p50 %.2f ms p99 %.2f ms; bare jnats p50 %.2f ms p99 %.2f"
            + " ms%n",
        pct(oursLatency, 50), pct(oursLatency, 99), pct(bareLatency, 50), pct(bareLatency, 99));

    double one = scale(1, 300);
    double four = scale(4, 1_200);
    System.out.printf(
        "NATS scale, 10 ms stage: 4 workers %.0f msg/s vs 1 worker %.0f msg/s = %.2fx (target >="
            + " 3.5x) %s%n",
        four, one, four / one, four / one >= 3.5 ? "MET" : "NOT MET");
  }

  // ------------------------------------------------------------------ ours

  private static final Processor PASS = (input, output) -> input.forEach(output::emit);

  private static QueueSpec spec() {
    return QueueSpec.of("nats-bench-" + UUID.randomUUID().toString().substring(0, 8));
  }

  private static NatsBroker broker() {
    return NatsBroker.builder().server(URL).connect();
  }

  static double oursThroughput(int n) throws Exception {
    QueueSpec spec = spec();
    List<String> inputs = IntStream.range(0, n).mapToObj(i -> "part " + i).toList();
    try (NatsBroker caller = broker();
        NatsBroker served = broker()) {
      try (Worker worker =
              Worker.builder(served, spec, PASS)
                  .concurrency(WORKER_THREADS)
                  .prefetch(2 * WORKER_THREADS)
                  .start();
          RemoteStage remote = RemoteStage.builder(caller, spec).build()) {
        long start = System.nanoTime();
        int count = remote.toProcessor(WINDOW).apply(inputs).gather().parts().size();
        long elapsed = System.nanoTime() - start;
        check(count, n);
        return n / (elapsed / 1e9);
      } finally {
        caller.delete(spec);
      }
    }
  }

  static long[] oursLatency(int n) throws Exception {
    QueueSpec spec = spec();
    try (NatsBroker caller = broker();
        NatsBroker served = broker()) {
      try (Worker worker = Worker.builder(served, spec, PASS).concurrency(1).start();
          RemoteStage remote = RemoteStage.builder(caller, spec).build()) {
        long[] times = new long[n];
        for (int i = 0; i < n + 100; i++) {
          long start = System.nanoTime();
          remote.apply("part " + i).gather();
          if (i >= 100) {
            times[i - 100] = System.nanoTime() - start;
          }
        }
        return times;
      } finally {
        caller.delete(spec);
      }
    }
  }

  static double scale(int workers, int n) throws Exception {
    QueueSpec spec = spec();
    Processor io =
        (input, output) -> {
          for (ProcessorPart part : input) {
            Thread.sleep(10);
            output.emit(part);
          }
        };
    List<String> inputs = IntStream.range(0, n).mapToObj(i -> "part " + i).toList();
    List<NatsBroker> connections = new ArrayList<>();
    List<Worker> started = new ArrayList<>();
    try (NatsBroker caller = broker()) {
      try (RemoteStage remote = RemoteStage.builder(caller, spec).build()) {
        for (int w = 0; w < workers; w++) {
          NatsBroker connection = broker();
          connections.add(connection);
          // One message in hand and one on its way, so the next pull's round trip is hidden.
          started.add(Worker.builder(connection, spec, io).concurrency(1).prefetch(2).start());
        }
        long start = System.nanoTime();
        int count = remote.toProcessor(WINDOW).apply(inputs).gather().parts().size();
        long elapsed = System.nanoTime() - start;
        check(count, n);
        return n / (elapsed / 1e9);
      } finally {
        started.forEach(Worker::close);
        connections.forEach(NatsBroker::close);
        caller.delete(spec);
      }
    }
  }

  // ------------------------------------------------------------------ bare jnats

  /** Two work-queue streams (requests, replies) and their durable pull consumers, by hand. */
  private static final class Bare implements AutoCloseable {
    final String requests = "nats-bench-bare-" + UUID.randomUUID().toString().substring(0, 8);
    final String replies = requests + ".reply";
    final Connection callerConnection;
    final Connection workerConnection;
    final JetStream callerJs;
    final JetStream workerJs;
    final ConcurrentHashMap<String, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();
    final List<Thread> threads = new ArrayList<>();
    volatile boolean stop;

    Bare() throws Exception {
      callerConnection = Nats.connect(URL);
      workerConnection = Nats.connect(URL);
      callerJs = callerConnection.jetStream();
      workerJs = workerConnection.jetStream();
      JetStreamManagement jsm = callerConnection.jetStreamManagement();
      for (String subject : List.of(requests, replies)) {
        String stream = subject.replace('.', '_');
        jsm.addStream(
            StreamConfiguration.builder()
                .name(stream)
                .subjects(subject)
                .retentionPolicy(RetentionPolicy.WorkQueue)
                .storageType(StorageType.File)
                .build());
        jsm.addOrUpdateConsumer(
            stream,
            ConsumerConfiguration.builder()
                .durable("bare")
                .filterSubject(subject)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(Duration.ofSeconds(30))
                .maxAckPending(100_000)
                .build());
      }
    }

    void startWorkers(int count) throws Exception {
      for (int w = 0; w < count; w++) {
        JetStreamSubscription sub =
            workerJs.subscribe(requests, PullSubscribeOptions.bind(stream(requests), "bare"));
        threads.add(Thread.ofVirtual().start(() -> work(sub)));
      }
      JetStreamSubscription replySub =
          callerJs.subscribe(replies, PullSubscribeOptions.bind(stream(replies), "bare"));
      threads.add(Thread.ofVirtual().start(() -> readReplies(replySub)));
    }

    private static String stream(String subject) {
      return subject.replace('.', '_');
    }

    private void work(JetStreamSubscription sub) {
      while (!stop) {
        Iterator<Message> it = sub.iterate(2, Duration.ofMillis(500));
        while (it.hasNext()) {
          Message request = it.next();
          try {
            String id = request.getHeaders().getFirst("Nats-Msg-Id");
            Headers headers = new Headers().put("corr", id);
            workerJs
                .publishAsync(
                    replies,
                    headers,
                    request.getData(),
                    PublishOptions.builder().messageId(id + ".result").build())
                .get(5, TimeUnit.SECONDS);
            request.ack();
          } catch (Exception e) {
            request.nak();
          }
        }
      }
    }

    private void readReplies(JetStreamSubscription sub) {
      while (!stop) {
        Iterator<Message> it = sub.iterate(256, Duration.ofMillis(100));
        while (it.hasNext()) {
          Message reply = it.next();
          CompletableFuture<byte[]> f = waiting.remove(reply.getHeaders().getFirst("corr"));
          if (f != null) {
            f.complete(reply.getData());
          }
          reply.ack();
        }
      }
    }

    byte[] call(String id, byte[] body) throws Exception {
      CompletableFuture<byte[]> f = new CompletableFuture<>();
      waiting.put(id, f);
      callerJs
          .publishAsync(requests, null, body, PublishOptions.builder().messageId(id).build())
          .get(5, TimeUnit.SECONDS);
      return f.get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
      stop = true;
      for (Thread t : threads) {
        t.join();
      }
      JetStreamManagement jsm = callerConnection.jetStreamManagement();
      jsm.deleteStream(stream(requests));
      jsm.deleteStream(stream(replies));
      callerConnection.close();
      workerConnection.close();
    }
  }

  static double bareThroughput(int n) throws Exception {
    try (Bare bare = new Bare()) {
      bare.startWorkers(WORKER_THREADS);
      Semaphore window = new Semaphore(WINDOW);
      long start = System.nanoTime();
      try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < n; i++) {
          window.acquire();
          int part = i;
          callers.submit(
              () -> {
                try {
                  return bare.call(
                      UUID.randomUUID().toString(),
                      PartJson.toJsonBytes(ProcessorPart.text("part " + part)));
                } finally {
                  window.release();
                }
              });
        }
      }
      long elapsed = System.nanoTime() - start;
      return n / (elapsed / 1e9);
    }
  }

  static long[] bareLatency(int n) throws Exception {
    try (Bare bare = new Bare()) {
      bare.startWorkers(1);
      long[] times = new long[n];
      for (int i = 0; i < n + 100; i++) {
        long start = System.nanoTime();
        bare.call(
            UUID.randomUUID().toString(), PartJson.toJsonBytes(ProcessorPart.text("part " + i)));
        if (i >= 100) {
          times[i - 100] = System.nanoTime() - start;
        }
      }
      return times;
    }
  }

  // ------------------------------------------------------------------ figures

  private static void check(int count, int n) {
    if (count != n) {
      throw new IllegalStateException("expected " + n + " results but got " + count);
    }
  }

  private static double best(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }

  private static double pct(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index =
        Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
