package dev.genaiprocessors.queue;

import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.ProcessorPart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A pipeline stage served by {@link Worker}s behind a broker: each part is sent to the workers as a
 * message and the parts they produce come back, in input order, so that {@code
 * local.then(remote).then(local)} is one pipeline across machines.
 *
 * <pre>{@code
 * try (RemoteStage summarise = RemoteStage.builder(broker, QueueSpec.of("summaries"))
 *     .timeout(Duration.ofMinutes(2))
 *     .build()) {
 *   ProcessorContent out = extract.then(summarise).then(format).apply(documents).gather();
 * }
 * }</pre>
 *
 * <p>It is a {@link PartProcessor}: the runtime sends up to the run's {@code maxConcurrency} parts
 * at once (use {@link #toProcessor(int)} for another bound) and emits each part's results as soon
 * as those of every earlier part have been emitted. Each part becomes a message with a new id and
 * {@link Headers#REPLY_TO} naming this stage's own reply destination ({@code
 * <name>.reply-<random>}, declared by {@link Builder#build()}, deleted by {@link #close()}). A
 * worker's result carries the request's id in {@link Headers#CORRELATION_ID}; the first result for
 * an id is taken, and any later one, which a worker sends when a message was redelivered after the
 * worker died between publishing and acknowledging, is dropped: the caller sees each result once.
 *
 * <p><b>Failures.</b> A part with no result within the timeout fails the run with a {@link
 * QueueException} naming the destination, the message id and the timeout; a part the worker
 * dead-lettered fails it with a {@link RemoteProcessingException} carrying the worker's error. Use
 * the core's error strategies ({@code onErrorEmitPart()}) to carry on past either.
 *
 * <p><b>Threads.</b> One virtual thread, started by {@code build()} and joined by {@code close()},
 * reads the reply destination and hands each result to the part waiting for it.
 *
 * <p><b>Difference from the Python library.</b> The Python library has no remote stage; its seed's
 * queue processor only publishes (see {@link QueuePublisher}).
 */
public final class RemoteStage implements PartProcessor, AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final Broker broker;
  private final QueueSpec spec;
  private final QueueSpec replies;
  private final Duration timeout;
  private final Supplier<String> ids;
  private final ConcurrentHashMap<String, CompletableFuture<Message>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final Subscription subscription;
  private final Thread dispatcher;
  private volatile boolean closed;

  private RemoteStage(Builder b) {
    this.broker = b.broker;
    this.spec = b.spec;
    this.timeout = b.timeout;
    this.ids = b.ids;
    String suffix = ".reply-" + UUID.randomUUID().toString().substring(0, 8);
    String base =
        spec.name().length() + suffix.length() + 4 <= 200
            ? spec.name()
            : spec.name().substring(0, 200 - suffix.length() - 4);
    this.replies = QueueSpec.of(base + suffix);
    broker.declare(spec);
    broker.declare(replies);
    this.subscription = broker.subscribe(replies.name(), 256);
    this.dispatcher =
        Thread.ofVirtual().name("remote-stage-" + spec.name()).start(this::dispatchReplies);
  }

  /** A builder for a stage whose parts are served by the workers of {@code spec}'s destination. */
  public static Builder builder(Broker broker, QueueSpec spec) {
    return new Builder(broker, spec);
  }

  /** The destination the parts are sent to. */
  public QueueSpec spec() {
    return spec;
  }

  /** The destination the results come back on. */
  public String replyDestination() {
    return replies.name();
  }

  /**
   * How many results were dropped because no part was waiting for them: duplicates of a result
   * already taken (after a redelivery), or results that came after their part's timeout.
   */
  public long droppedResults() {
    return dropped.get();
  }

  @Override
  public void call(ProcessorPart part, PartSink output) throws Exception {
    if (closed) {
      throw new QueueException("remote stage for " + spec.name() + " is closed");
    }
    String id = ids.get();
    CompletableFuture<Message> result = new CompletableFuture<>();
    pending.put(id, result);
    Message reply;
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      broker.publish(
          spec.name(),
          new Message(id, PartJson.toJsonBytes(part), Map.of(Headers.REPLY_TO, replies.name())));
      reply = result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new QueueException(
          "no result from the workers of "
              + spec.name()
              + " for message "
              + id
              + " within "
              + timeout,
          e);
    } catch (ExecutionException e) {
      throw new QueueException(
          "remote stage for " + spec.name() + " failed on message " + id, e.getCause());
    } finally {
      pending.remove(id);
    }
    if (Headers.STATUS_ERROR.equals(reply.header(Headers.STATUS))) {
      throw new RemoteProcessingException(
          spec.name(),
          id,
          Objects.requireNonNullElse(reply.header(Headers.ERROR_TYPE), "unknown"),
          Objects.requireNonNullElse(reply.header(Headers.ERROR), "no reason given"));
    }
    output.emitAll(PartJson.contentFromJson(new String(reply.body(), StandardCharsets.UTF_8)));
  }

  private void dispatchReplies() {
    while (!closed) {
      Delivery delivery;
      try {
        delivery = subscription.receive(POLL);
      } catch (InterruptedException e) {
        return;
      } catch (QueueException e) {
        if (closed) {
          return;
        }
        failAll(e);
        try {
          Thread.sleep(POLL);
        } catch (InterruptedException stop) {
          return;
        }
        continue;
      }
      if (delivery == null) {
        continue;
      }
      String id = delivery.message().header(Headers.CORRELATION_ID);
      CompletableFuture<Message> waiting = id == null ? null : pending.remove(id);
      if (waiting == null) {
        dropped.incrementAndGet();
      } else {
        waiting.complete(delivery.message());
      }
      try {
        delivery.ack();
      } catch (QueueException e) {
        // The broker will deliver it again; the part it answers has its result already.
      }
    }
  }

  /** Only a deleted reply destination fails the waiting parts; a lost connection recovers. */
  private void failAll(QueueException e) {
    if (e.getMessage() != null && e.getMessage().contains("deleted")) {
      pending.values().forEach(f -> f.completeExceptionally(e));
    }
  }

  /**
   * Stops reading results, deletes the reply destination and fails the parts still waiting. Does
   * not close the broker.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean interrupted = false;
    while (dispatcher.isAlive()) {
      try {
        dispatcher.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    subscription.close();
    QueueException gone = new QueueException("remote stage for " + spec.name() + " was closed");
    pending.values().forEach(f -> f.completeExceptionally(gone));
    broker.delete(replies);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String name() {
    return "RemoteStage(" + spec.name() + ")";
  }

  @Override
  public String toString() {
    return name();
  }

  /** Settings of a {@link RemoteStage}. */
  public static final class Builder {
    private final Broker broker;
    private final QueueSpec spec;
    private Duration timeout = Duration.ofMinutes(1);
    private Supplier<String> ids = () -> UUID.randomUUID().toString();

    private Builder(Broker broker, QueueSpec spec) {
      this.broker = Objects.requireNonNull(broker, "broker");
      this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** How long a part may wait for its result, publishing included (default 1 minute). */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Where message ids come from (default random UUIDs); each id must be new. */
    public Builder messageIds(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * Checks the settings, declares the destination and this stage's reply destination, and starts
     * reading results.
     *
     * @throws IllegalArgumentException when the timeout is not positive
     * @throws QueueException when the broker refuses a declaration
     */
    public RemoteStage build() {
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive but was " + timeout);
      }
      return new RemoteStage(this);
    }
  }
}
