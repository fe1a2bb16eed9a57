package dev.genaiprocessors.queue;

import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Runs a processor on the messages of a destination: the serving side of a {@link RemoteStage}, and
 * of any producer that publishes part JSON.
 *
 * <pre>{@code
 * try (Worker worker = Worker.builder(broker, QueueSpec.of("summaries"), summarise)
 *     .concurrency(4)
 *     .start()) {
 *   // serves until closed; close() drains the messages in hand
 * }
 * }</pre>
 *
 * <p>For each message it reads the body as one part ({@link PartJson}), runs the processor on it,
 * publishes every output part, as one JSON array, to the message's {@link Headers#REPLY_TO}
 * destination (when it has one) with {@link Headers#CORRELATION_ID} set to the message's id, and
 * acknowledges the message <b>only after the broker confirmed the result</b>. So a worker that dies
 * at any point loses nothing: the message is delivered again, to this worker or another, and the
 * caller's {@link RemoteStage} drops the second result by its correlation id.
 *
 * <p><b>Failures.</b> When the processor throws, the message is retried after a backoff (the first
 * retry after {@link Builder#retryBackoff}'s initial delay, doubling up to its maximum) until it
 * has had {@link QueueSpec#maxDeliveries()} deliveries; then it is published to the dead-letter
 * destination with the error in {@link Headers#ERROR} and {@link Headers#ERROR_TYPE}, a result with
 * status {@link Headers#STATUS_ERROR} goes to the reply destination so that the caller fails at
 * once rather than at its timeout, and the message is acknowledged. A body that is not part JSON is
 * dead-lettered the same way at once, with the reason ({@code "invalid part JSON: ..."}): it could
 * never succeed. A broker failure (a lost connection) leaves the message unsettled, for the broker
 * to deliver again, and the worker goes on once the broker is back. Nothing that a message does
 * stops the worker.
 *
 * <p><b>Threads and prefetch.</b> {@code concurrency} virtual threads, started by {@link
 * Builder#start()} and joined by {@link #close()}, each handle one message at a time; the
 * subscription holds at most {@code prefetch} messages (by default as many as the threads), so a
 * slow worker does not hoard messages that others could take.
 *
 * <p><b>Shutdown.</b> {@link #close()} stops taking messages, lets those in hand finish within the
 * drain timeout, then interrupts what is left and closes the subscription, which gives unsettled
 * messages back to the broker. {@link #close(Duration)} with {@link Duration#ZERO} is a kill: work
 * in hand is interrupted at once and nothing more is acknowledged.
 */
public final class Worker implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final Broker broker;
  private final QueueSpec spec;
  private final Processor processor;
  private final int concurrency;
  private final int prefetch;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration drainTimeout;

  private final ReentrantLock lock = new ReentrantLock();
  private final List<Thread> threads = new ArrayList<>();
  private @Nullable Subscription subscription;
  private volatile boolean stopping;
  private volatile boolean aborted;
  private boolean closed;

  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong brokerErrors = new AtomicLong();
  private volatile @Nullable QueueException lastBrokerError;

  private Worker(Builder b) {
    this.broker = b.broker;
    this.spec = b.spec;
    this.processor = b.processor;
    this.concurrency = b.concurrency;
    this.prefetch = b.prefetch == 0 ? b.concurrency : b.prefetch;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.drainTimeout = b.drainTimeout;
  }

  /**
   * A builder for a worker running {@code processor} on the messages of {@code spec}'s destination,
   * through {@code broker}.
   */
  public static Builder builder(Broker broker, QueueSpec spec, Processor processor) {
    return new Builder(broker, spec, processor);
  }

  /** The destination this worker consumes. */
  public QueueSpec spec() {
    return spec;
  }

  /** What this worker has done so far. */
  public Stats stats() {
    return new Stats(
        processed.get(), retried.get(), deadLettered.get(), brokerErrors.get(), lastBrokerError);
  }

  /**
   * Counts of what a worker did.
   *
   * @param processed messages whose results were published and which were acknowledged
   * @param retried failures given back for a retry
   * @param deadLettered messages sent to the dead-letter destination
   * @param brokerErrors broker failures met (publishing, settling, receiving), each leaving its
   *     message to be delivered again
   * @param lastBrokerError the latest of those, or {@code null}
   */
  public record Stats(
      long processed,
      long retried,
      long deadLettered,
      long brokerErrors,
      @Nullable QueueException lastBrokerError) {}

  private void start() {
    broker.declare(spec);
    lock.lock();
    try {
      Subscription sub = broker.subscribe(spec.name(), prefetch);
      subscription = sub;
      for (int i = 0; i < concurrency; i++) {
        threads.add(
            Thread.ofVirtual().name("worker-" + spec.name() + "-" + i).start(() -> serve(sub)));
      }
    } finally {
      lock.unlock();
    }
  }

  private void serve(Subscription sub) {
    while (!stopping) {
      Delivery delivery;
      try {
        delivery = sub.receive(POLL);
      } catch (InterruptedException e) {
        return;
      } catch (QueueException e) {
        if (stopping) {
          return;
        }
        brokerFailure(e);
        if (!pause(POLL)) {
          return;
        }
        continue;
      }
      if (delivery != null) {
        try {
          handle(delivery);
        } catch (InterruptedException | CancellationException e) {
          return;
        }
      }
    }
  }

  private void handle(Delivery delivery) throws InterruptedException {
    Message message = delivery.message();
    String replyTo = message.header(Headers.REPLY_TO);
    ProcessorPart part;
    try {
      part = PartJson.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      settleFailure(delivery, replyTo, "invalid part JSON: " + e.getMessage(), e);
      return;
    }
    ProcessorContent results;
    try {
      results = processor.apply(part).gather();
    } catch (Exception e) {
      if (aborted || Thread.currentThread().isInterrupted()) {
        throw new CancellationException("worker on " + spec.name() + " was stopped");
      }
      if (delivery.deliveryCount() < spec.maxDeliveries()) {
        try {
          delivery.retry(backoff(delivery.deliveryCount()));
          retried.incrementAndGet();
        } catch (QueueException brokerDown) {
          brokerFailure(brokerDown);
        }
      } else {
        settleFailure(delivery, replyTo, String.valueOf(e.getMessage()), e);
      }
      return;
    }
    if (aborted) {
      throw new CancellationException("worker on " + spec.name() + " was stopped");
    }
    try {
      if (replyTo != null) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Headers.CORRELATION_ID, message.id());
        headers.put(Headers.STATUS, Headers.STATUS_OK);
        broker.publish(
            replyTo,
            new Message(
                resultId(message.id()),
                PartJson.toJson(results).getBytes(StandardCharsets.UTF_8),
                headers));
      }
      if (aborted) {
        throw new CancellationException("worker on " + spec.name() + " was stopped");
      }
      delivery.ack();
      processed.incrementAndGet();
    } catch (QueueException e) {
      brokerFailure(e);
    }
  }

  /** Dead-letters the message with {@code reason}, tells the caller, then acknowledges it. */
  private void settleFailure(
      Delivery delivery, @Nullable String replyTo, String reason, Exception error)
      throws InterruptedException {
    Message message = delivery.message();
    String type = error.getClass().getName();
    String why = Message.headerValue(reason);
    try {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put(Headers.ERROR, why);
      headers.put(Headers.ERROR_TYPE, type);
      headers.put(Headers.ORIGINAL_DESTINATION, spec.name());
      headers.put(Headers.DELIVERY_COUNT, Integer.toString(delivery.deliveryCount()));
      broker.publish(spec.deadLetter(), message.withHeaders(headers));
      if (replyTo != null) {
        Map<String, String> reply = new LinkedHashMap<>();
        reply.put(Headers.CORRELATION_ID, message.id());
        reply.put(Headers.STATUS, Headers.STATUS_ERROR);
        reply.put(Headers.ERROR, why);
        reply.put(Headers.ERROR_TYPE, type);
        broker.publish(replyTo, new Message(resultId(message.id()), new byte[0], reply));
      }
      if (aborted) {
        throw new CancellationException("worker on " + spec.name() + " was stopped");
      }
      delivery.ack();
      deadLettered.incrementAndGet();
    } catch (QueueException e) {
      brokerFailure(e);
    }
  }

  /** The id of the result of request {@code requestId}: the same for every redelivery. */
  static String resultId(String requestId) {
    return requestId.length() <= 190
        ? requestId + ".result"
        : UUID.nameUUIDFromBytes(requestId.getBytes(StandardCharsets.UTF_8)) + ".result";
  }

  Duration backoff(int deliveryCount) {
    Duration delay = initialBackoff;
    for (int i = 1; i < deliveryCount && delay.compareTo(maxBackoff) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
  }

  private void brokerFailure(QueueException e) {
    brokerErrors.incrementAndGet();
    lastBrokerError = e;
  }

  private static boolean pause(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /**
   * Stops taking messages, lets those in hand finish within the builder's drain timeout, then
   * interrupts the rest and gives their messages back to the broker. Does not close the broker.
   */
  @Override
  public void close() {
    close(drainTimeout);
  }

  /**
   * Stops as {@link #close()} does, with {@code drain} as the time the messages in hand get to
   * finish; {@link Duration#ZERO} kills the worker: nothing more is acknowledged, and every
   * unsettled message goes back to the broker.
   */
  public void close(Duration drain) {
    Objects.requireNonNull(drain, "drain");
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      stopping = true;
      if (drain.isZero() || drain.isNegative()) {
        aborted = true;
        threads.forEach(Thread::interrupt);
      }
      long deadline = System.nanoTime() + drain.toNanos();
      boolean interrupted = false;
      for (Thread thread : threads) {
        try {
          long left = deadline - System.nanoTime();
          if (left > 0 && !thread.join(Duration.ofNanos(left))) {
            aborted = true;
          }
        } catch (InterruptedException e) {
          interrupted = true;
          aborted = true;
        }
      }
      if (aborted) {
        threads.forEach(Thread::interrupt);
      }
      for (Thread thread : threads) {
        while (thread.isAlive()) {
          try {
            thread.join();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      Subscription sub = subscription;
      if (sub != null) {
        sub.close();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "Worker[" + spec.name() + ", " + concurrency + " threads, prefetch " + prefetch + "]";
  }

  /** Settings of a {@link Worker}; {@link #start()} checks them and starts it. */
  public static final class Builder {
    private final Broker broker;
    private final QueueSpec spec;
    private final Processor processor;
    private int concurrency = 1;
    private int prefetch;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Duration drainTimeout = Duration.ofSeconds(30);

    private Builder(Broker broker, QueueSpec spec, Processor processor) {
      this.broker = Objects.requireNonNull(broker, "broker");
      this.spec = Objects.requireNonNull(spec, "spec");
      this.processor = Objects.requireNonNull(processor, "processor");
    }

    /** How many messages are processed at once, each on a virtual thread (default 1). */
    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /**
     * How many messages the broker may hand this worker before it settles them: at least {@code
     * concurrency}, which is the default.
     */
    public Builder prefetch(int prefetch) {
      this.prefetch = prefetch;
      return this;
    }

    /**
     * The wait before the first retry of a failed message, doubled for each later one up to {@code
     * max} (defaults 100 ms and 10 s).
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      this.initialBackoff = Objects.requireNonNull(initial, "initial");
      this.maxBackoff = Objects.requireNonNull(max, "max");
      return this;
    }

    /** How long {@link Worker#close()} waits for the messages in hand (default 30 s). */
    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
      return this;
    }

    /**
     * Checks the settings, declares the destination and starts consuming.
     *
     * @throws IllegalArgumentException naming the setting that is out of range
     * @throws QueueException when the broker refuses the declaration or the subscription
     */
    public Worker start() {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1 but was " + concurrency);
      }
      if (prefetch != 0 && prefetch < concurrency) {
        throw new IllegalArgumentException(
            "prefetch must be at least concurrency (" + concurrency + ") but was " + prefetch);
      }
      if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "retryBackoff must have 0 <= initial <= max but was "
                + initialBackoff
                + ", "
                + maxBackoff);
      }
      if (drainTimeout.isNegative()) {
        throw new IllegalArgumentException(
            "drainTimeout must not be negative but was " + drainTimeout);
      }
      Worker worker = new Worker(this);
      worker.start();
      return worker;
    }
  }
}
