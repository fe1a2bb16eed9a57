package dev.genaiprocessors.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.queue.Broker;
import dev.genaiprocessors.queue.InProcessBroker;
import dev.genaiprocessors.queue.QueueSpec;
import dev.genaiprocessors.queue.RemoteStage;
import dev.genaiprocessors.queue.Worker;
import dev.genaiprocessors.rabbitmq.RabbitMqBroker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Q1 and Q2: workers behind a broker, a timed harness (not JMH: each measurement is a whole run of
 * thousands of broker round trips, and the figures that matter are throughput and per-message
 * latency percentiles, measured the same way on both sides).
 *
 * <p><b>Q1, overhead</b> (target: ours &gt;= 0.9x the bare client's throughput): {@code MESSAGES}
 * round trips, each a part published with a confirm, taken by a worker that runs a pass-through,
 * publishes the result with a confirm and acknowledges, and the result read back by the caller.
 * Ours: a {@link RemoteStage} ({@code toProcessor(64)}) and a {@link Worker} (8 threads, prefetch
 * 16) on {@link RabbitMqBroker}. Bare: the same with {@code amqp-client} alone, written as one
 * would by hand: 64 caller threads each publishing and waiting for its confirm and its reply, a
 * consumer handing deliveries to 8 threads that publish the result, wait for its confirm and
 * acknowledge. The same quorum queues, the same part JSON bodies, the same prefetch. The sides
 * alternate over rounds after two warm-up rounds each (the JIT compiles far more code on our side,
 * which a short warm-up leaves in the measured CPU); the best round of each side counts.
 *
 * <p><b>Q2, scale</b> (target: 4 workers &gt;= 3.5x one): a stage that waits 10 ms a part (I/O),
 * served by 1 worker and by 4 workers (each one thread, prefetch 1, its own connection), fed by one
 * remote stage with 64 parts in flight; on RabbitMQ and on the in-process broker.
 *
 * <p>Latency is per message, from the caller's publish to its result. Run: {@code java -cp
 * benchmarks/target/benchmarks.jar dev.genaiprocessors.benchmarks.QueueWorkerBenchmark [quick]}
 * with RabbitMQ on 127.0.0.1:5672 (guest).
 */
public final class QueueWorkerBenchmark {
  private static final int WINDOW = 64;
  private static final int WORKER_THREADS = 8;
  private static final int PREFETCH = 16;

  private QueueWorkerBenchmark() {}

  /** Throughput and latency of one measured run. */
  record Run(int messages, long nanos, long[] latencies, long cpuNanos) {
    double perSecond() {
      return messages * 1e9 / nanos;
    }

    double percentileMs(double p) {
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
      return sorted[Math.max(0, i)] / 1e6;
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "%,.0f msg/s, p50 %.2f ms, p99 %.2f ms, %.0f us of this JVM's CPU a message",
          perSecond(),
          percentileMs(50),
          percentileMs(99),
          cpuNanos / 1e3 / messages);
    }
  }

  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("quick");
    int messages = quick ? 3_000 : 10_000;
    int rounds = quick ? 2 : 3;
    int scaleMessages = quick ? 200 : 400;

    Run ours = null;
    Run bare = null;
    for (int warmUp = 0; warmUp < 2; warmUp++) { // until the JIT has compiled both paths
      ours(messages);
      bare(messages);
    }
    for (int round = 0; round < rounds; round++) {
      ours = best(ours, ours(messages));
      bare = best(bare, bare(messages));
    }
    double q1 = ours.perSecond() / bare.perSecond();
    System.out.printf(
        Locale.ROOT,
        "Q1 rabbitmq round trip: %.2fx (target >= 0.90, %s)%n  ours %s%n  bare %s%n",
        q1,
        q1 >= 0.9 ? "met" : "NOT MET",
        ours.describe(),
        bare.describe());

    for (String broker : List.of("rabbitmq", "in-process")) {
      Supplier<Broker> connect =
          broker.equals("rabbitmq") ? () -> RabbitMqBroker.builder().build() : sharedInProcess();
      scale(connect, 1, scaleMessages / 4);
      Run one = scale(connect, 1, scaleMessages);
      Run four = scale(connect, 4, scaleMessages);
      double q2 = four.perSecond() / one.perSecond();
      System.out.printf(
          Locale.ROOT,
          "Q2 %s, 10 ms stage, 4 workers vs 1: %.2fx (target >= 3.50, %s)%n"
              + "  4 workers %s%n  1 worker  %s%n",
          broker,
          q2,
          q2 >= 3.5 ? "met" : "NOT MET",
          four.describe(),
          one.describe());
    }
  }

  private static Supplier<Broker> sharedInProcess() {
    InProcessBroker server = InProcessBroker.create();
    return server::connect;
  }

  private static Run best(Run current, Run next) {
    return current == null || next.perSecond() > current.perSecond() ? next : current;
  }

  private static List<ProcessorPart> parts(int n) {
    return IntStream.range(0, n).mapToObj(i -> ProcessorPart.text("message " + i)).toList();
  }

  private static QueueSpec spec(String what) {
    return QueueSpec.of("bench-" + what + "-" + UUID.randomUUID().toString().substring(0, 8));
  }

  // ---------------------------------------------------------------- Q1, ours

  static Run ours(int n) throws Exception {
    QueueSpec spec = spec("ours");
    try (RabbitMqBroker caller = RabbitMqBroker.builder().build();
        RabbitMqBroker workerConnection = RabbitMqBroker.builder().build()) {
      caller.declare(spec);
      try (Worker worker =
              Worker.builder(workerConnection, spec, Processor.identity())
                  .concurrency(WORKER_THREADS)
                  .prefetch(PREFETCH)
                  .start();
          RemoteStage remote = RemoteStage.builder(caller, spec).build()) {
        return timedThroughRemote(remote, n);
      } finally {
        caller.delete(spec);
      }
    }
  }

  private static Run timedThroughRemote(RemoteStage remote, int n) {
    long[] latencies = new long[n];
    AtomicInteger next = new AtomicInteger();
    PartProcessor timed =
        (part, output) -> {
          long t0 = System.nanoTime();
          remote.call(part, output);
          latencies[next.getAndIncrement()] = System.nanoTime() - t0;
        };
    List<ProcessorPart> input = parts(n);
    long cpu = cpuNanos();
    long start = System.nanoTime();
    // Read by a virtual thread, as the bare side's results are taken by its virtual threads: a
    // platform thread reading would add a kernel wake-up per part that the bare side does not pay.
    int[] counted = new int[1];
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (ProcessorPart ignored : timed.toProcessor(WINDOW).apply(input)) {
                    counted[0]++;
                  }
                });
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    int count = counted[0];
    long nanos = System.nanoTime() - start;
    if (count != n) {
      throw new IllegalStateException("expected " + n + " results but got " + count);
    }
    return new Run(n, nanos, latencies, cpuNanos() - cpu);
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  // ---------------------------------------------------------------- Q1, the bare client

  static Run bare(int n) throws Exception {
    QueueSpec spec = spec("bare");
    QueueSpec replies = spec("bare-replies");
    try (RabbitMqBroker admin = RabbitMqBroker.builder().build()) {
      admin.declare(spec); // the same quorum queues as ours
      admin.declare(replies);
      ConnectionFactory factory = new ConnectionFactory();
      factory.setHost("127.0.0.1");
      try (Connection callerConnection = factory.newConnection();
          Connection workerConnection = factory.newConnection()) {
        BareWorker worker = new BareWorker(workerConnection, spec.name());
        try {
          return bareCaller(callerConnection, spec.name(), replies.name(), n);
        } finally {
          worker.stop();
        }
      } finally {
        admin.delete(spec);
        admin.delete(replies);
      }
    }
  }

  /** A channel in confirm mode whose publishes can be awaited from many threads. */
  static final class ConfirmingChannel {
    final Channel channel;
    final ReentrantLock lock = new ReentrantLock();
    final ConcurrentNavigableMap<Long, CompletableFuture<Void>> pending =
        new ConcurrentSkipListMap<>();

    ConfirmingChannel(Connection connection) throws IOException {
      channel = connection.createChannel();
      channel.confirmSelect();
      channel.addConfirmListener((seq, multiple) -> done(seq, multiple), (seq, multiple) -> {});
    }

    private void done(long seq, boolean multiple) {
      if (multiple) {
        var head = pending.headMap(seq, true);
        head.values().forEach(f -> f.complete(null));
        head.clear();
      } else {
        CompletableFuture<Void> f = pending.remove(seq);
        if (f != null) {
          f.complete(null);
        }
      }
    }

    void publishAndWait(String queue, AMQP.BasicProperties props, byte[] body) throws Exception {
      CompletableFuture<Void> confirmed = new CompletableFuture<>();
      lock.lock();
      try {
        pending.put(channel.getNextPublishSeqNo(), confirmed);
        channel.basicPublish("", queue, true, props, body);
      } finally {
        lock.unlock();
      }
      confirmed.get(60, TimeUnit.SECONDS);
    }
  }

  private static Run bareCaller(Connection connection, String queue, String replyQueue, int n)
      throws Exception {
    ConfirmingChannel requests = new ConfirmingChannel(connection);
    Map<String, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();
    Channel replies = connection.createChannel();
    replies.basicQos(256);
    replies.basicConsume(
        replyQueue,
        false,
        new DefaultConsumer(replies) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
              throws IOException {
            Object id =
                props.getHeaders() == null ? null : props.getHeaders().get("correlation-id");
            CompletableFuture<byte[]> f = waiting.remove(String.valueOf(id));
            if (f != null) {
              f.complete(body);
            }
            try {
              replies.basicAck(envelope.getDeliveryTag(), false);
            } catch (com.rabbitmq.client.AlreadyClosedException e) {
              // The run is over and its channel closed: nothing is waiting for this reply.
            }
          }
        });
    List<byte[]> bodies = parts(n).stream().map(PartJson::toJsonBytes).toList();
    long[] latencies = new long[n];
    AtomicInteger next = new AtomicInteger();
    long cpu = cpuNanos();
    long start = System.nanoTime();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < WINDOW; t++) {
      callers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                      String id = UUID.randomUUID().toString();
                      CompletableFuture<byte[]> reply = new CompletableFuture<>();
                      waiting.put(id, reply);
                      AMQP.BasicProperties props =
                          new AMQP.BasicProperties.Builder()
                              .messageId(id)
                              .deliveryMode(2)
                              .headers(Map.of("reply-to", replyQueue))
                              .build();
                      long t0 = System.nanoTime();
                      try {
                        requests.publishAndWait(queue, props, bodies.get(i));
                        reply.get(60, TimeUnit.SECONDS);
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                      latencies[i] = System.nanoTime() - t0;
                    }
                  }));
    }
    for (Thread caller : callers) {
      caller.join();
    }
    long nanos = System.nanoTime() - start;
    long cpuUsed = cpuNanos() - cpu;
    replies.close();
    requests.channel.close();
    return new Run(n, nanos, latencies, cpuUsed);
  }

  /** The worker side, by hand: a consumer feeding threads that publish, await, then ack. */
  static final class BareWorker {
    private final Channel consumer;
    private final ConfirmingChannel results;
    private final LinkedBlockingQueue<Object[]> deliveries = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    BareWorker(Connection connection, String queue) throws IOException {
      results = new ConfirmingChannel(connection);
      consumer = connection.createChannel();
      consumer.basicQos(PREFETCH);
      consumer.basicConsume(
          queue,
          false,
          new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
              deliveries.add(new Object[] {envelope.getDeliveryTag(), props, body});
            }
          });
      for (int i = 0; i < WORKER_THREADS; i++) {
        threads.add(Thread.ofVirtual().start(this::serve));
      }
    }

    private void serve() {
      ReentrantLock ackLock = new ReentrantLock();
      while (!stopping) {
        Object[] d;
        try {
          d = deliveries.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          return;
        }
        if (d == null) {
          continue;
        }
        AMQP.BasicProperties props = (AMQP.BasicProperties) d[1];
        String replyTo = String.valueOf(props.getHeaders().get("reply-to"));
        AMQP.BasicProperties reply =
            new AMQP.BasicProperties.Builder()
                .messageId(props.getMessageId() + ".result")
                .deliveryMode(2)
                .headers(Map.of("correlation-id", props.getMessageId()))
                .build();
        try {
          results.publishAndWait(replyTo, reply, (byte[]) d[2]);
          ackLock.lock();
          try {
            consumer.basicAck((Long) d[0], false);
          } finally {
            ackLock.unlock();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }

    void stop() throws Exception {
      stopping = true;
      for (Thread thread : threads) {
        thread.join();
      }
      consumer.close();
      results.channel.close();
    }
  }

  // ---------------------------------------------------------------- Q2

  static Run scale(Supplier<Broker> connect, int workers, int n) throws Exception {
    QueueSpec spec = spec("scale");
    Processor io =
        PartProcessor.map(
                "io",
                part -> {
                  try {
                    Thread.sleep(10);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return part;
                })
            .toProcessor();
    List<Broker> connections = new ArrayList<>();
    List<Worker> running = new ArrayList<>();
    Broker caller = connect.get();
    try {
      caller.declare(spec);
      for (int i = 0; i < workers; i++) {
        Broker connection = connect.get();
        connections.add(connection);
        running.add(Worker.builder(connection, spec, io).concurrency(1).prefetch(1).start());
      }
      try (RemoteStage remote = RemoteStage.builder(caller, spec).build()) {
        return timedThroughRemote(remote, n);
      }
    } finally {
      running.forEach(Worker::close);
      connections.forEach(Broker::close);
      caller.delete(spec);
      caller.close();
    }
  }
}
