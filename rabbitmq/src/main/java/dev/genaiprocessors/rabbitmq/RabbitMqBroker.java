package dev.genaiprocessors.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.genaiprocessors.queue.Broker;
import dev.genaiprocessors.queue.Delivery;
import dev.genaiprocessors.queue.Headers;
import dev.genaiprocessors.queue.Message;
import dev.genaiprocessors.queue.QueueException;
import dev.genaiprocessors.queue.QueueSpec;
import dev.genaiprocessors.queue.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Broker} on RabbitMQ, through the official {@code amqp-client}: one instance is one AMQP
 * connection.
 *
 * <pre>{@code
 * try (RabbitMqBroker broker = RabbitMqBroker.builder().host("127.0.0.1").build();
 *     Worker worker = Worker.builder(broker, QueueSpec.of("summaries"), summarise).start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p><b>How the SPI maps onto RabbitMQ.</b> A destination is a durable <b>quorum queue</b> of the
 * same name, its dead-letter destination another, and messages are published persistent through the
 * default exchange. The queue's {@code x-delivery-limit} is {@code maxDeliveries - 1} and its
 * dead-letter exchange routes to the dead-letter queue ({@code at-least-once} dead-lettering), so a
 * message whose consumers keep dying is moved there by the broker; {@link Delivery#deliveryCount}
 * is the quorum queue's {@code x-delivery-count} plus one. Quorum queues are chosen over classic
 * ones because only they count deliveries, which the SPI needs exactly. Publishes are {@code
 * mandatory} and confirmed (publisher confirms), so a message to a queue that does not exist is
 * refused with a {@link QueueException} rather than dropped. Consumers use manual acknowledgement
 * with {@code basic.qos} set to the subscription's prefetch; {@link Delivery#retry} waits out its
 * delay holding the message, then rejects it with requeue.
 *
 * <p>The message id travels as the AMQP {@code message-id} property and headers as AMQP header
 * strings; headers starting with {@code x-} are RabbitMQ's and are not delivered as message
 * headers. A message the broker dead-lettered carries {@link Headers#ERROR} ({@code "delivery limit
 * of N reached"}), {@link Headers#ORIGINAL_DESTINATION} and, when this connection declared the
 * destination, {@link Headers#DELIVERY_COUNT}, made from RabbitMQ's {@code x-death} headers when it
 * is delivered.
 *
 * <p><b>Reconnection.</b> When the connection is lost (a broker restart, a network failure), a
 * virtual thread of this broker reconnects every {@link Builder#recoveryInterval}; meanwhile {@code
 * publish} waits up to {@link Builder#confirmTimeout} for the broker, and subscriptions resume
 * consuming once it is back. Deliveries received before the loss can no longer be settled (RabbitMQ
 * delivers them again). The client's own automatic recovery is switched off, as this broker
 * re-creates its channels and consumers itself.
 *
 * <p>Credentials never appear in messages or {@code toString()}.
 */
public final class RabbitMqBroker implements Broker {
  private final ConnectionFactory factory;
  private final Duration confirmTimeout;
  private final Duration recoveryInterval;
  private final String description;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition up = lock.newCondition();
  private final AtomicBoolean recovering = new AtomicBoolean();
  private final Set<RabbitSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private final Map<String, QueueSpec> declared = new ConcurrentHashMap<>();

  // Guarded by lock for writes; read without it where a stale value only means one more retry.
  private volatile @Nullable Connection connection;
  private volatile long generation;
  private volatile boolean closed;
  private volatile @Nullable Thread recovery;

  private final Publisher publisher = new Publisher();
  private final AtomicLong reconnections = new AtomicLong();

  private RabbitMqBroker(Builder b) {
    this.factory = b.factory;
    this.confirmTimeout = b.confirmTimeout;
    this.recoveryInterval = b.recoveryInterval;
    String vhost = factory.getVirtualHost();
    this.description =
        "amqp://"
            + factory.getHost()
            + ":"
            + factory.getPort()
            + "/"
            + (vhost.equals("/") ? "" : vhost);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
  }

  /** A builder for a connection to RabbitMQ on 127.0.0.1:5672 as {@code guest} by default. */
  public static Builder builder() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    return new Builder(factory);
  }

  /**
   * A builder for a connection made by {@code factory}, for settings the builder does not cover
   * (TLS, timeouts, a client name). The broker switches the factory's automatic recovery off and
   * recovers by itself; do not share the factory with code that needs it on.
   */
  public static Builder builder(ConnectionFactory factory) {
    return new Builder(Objects.requireNonNull(factory, "factory"));
  }

  // ---------------------------------------------------------------- connection and recovery

  private void open() {
    Connection c = newConnection();
    lock.lock();
    try {
      install(c);
    } finally {
      lock.unlock();
    }
  }

  private Connection newConnection() {
    try {
      return factory.newConnection("genai-processors");
    } catch (IOException | TimeoutException e) {
      throw new QueueException("cannot connect to RabbitMQ at " + description, e);
    }
  }

  /** Makes {@code c} the live connection; called with the lock held. */
  private void install(Connection c) {
    c.addShutdownListener(signal -> lost(c, signal));
    connection = c;
    up.signalAll();
  }

  private void lost(Connection c, ShutdownSignalException signal) {
    lock.lock();
    try {
      if (connection != c) {
        return;
      }
      connection = null;
      generation++;
    } finally {
      lock.unlock();
    }
    publisher.failAll(new QueueException("connection to RabbitMQ at " + description + " lost"));
    if (!closed && recovering.compareAndSet(false, true)) {
      recovery = Thread.ofVirtual().name("rabbitmq-recovery").start(this::recover);
    }
  }

  private void recover() {
    try {
      while (!closed) {
        Thread.sleep(recoveryInterval);
        Connection c;
        try {
          c = factory.newConnection("genai-processors");
        } catch (IOException | TimeoutException e) {
          continue;
        }
        lock.lock();
        try {
          if (closed) {
            c.abort();
            return;
          }
          recovering.set(false);
          install(c);
          reconnections.incrementAndGet();
        } finally {
          lock.unlock();
        }
        for (RabbitSubscription sub : subscriptions) {
          sub.resume();
        }
        return;
      }
    } catch (InterruptedException e) {
      // closed while waiting
    } finally {
      recovering.set(false);
    }
  }

  /** The live connection, waiting for the recovery up to {@code deadline} (System.nanoTime). */
  private Connection awaitConnection(long deadline, String what) throws InterruptedException {
    Connection live = connection;
    if (live != null && !closed && live.isOpen()) {
      return live; // the usual case, without the lock every publishing thread would queue on
    }
    lock.lockInterruptibly();
    try {
      while (true) {
        if (closed) {
          throw new QueueException("cannot " + what + ": the RabbitMQ broker connection is closed");
        }
        Connection c = connection;
        if (c != null && c.isOpen()) {
          return c;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new QueueException(
              "cannot " + what + ": RabbitMQ at " + description + " is unreachable");
        }
        up.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private Connection connectionFor(String what) {
    try {
      return awaitConnection(System.nanoTime() + confirmTimeout.toNanos(), what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueueException("interrupted while waiting to " + what, e);
    }
  }

  /** Runs {@code action} on a channel of its own, closed afterwards. */
  private <T extends @Nullable Object> T withChannel(String what, ChannelAction<T> action) {
    Connection c = connectionFor(what);
    try (Channel channel = c.createChannel()) {
      return action.run(channel);
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      throw new QueueException("cannot " + what + ": " + reason(e), e);
    }
  }

  private interface ChannelAction<T extends @Nullable Object> {
    T run(Channel channel) throws IOException;
  }

  private static String reason(Exception e) {
    Throwable t = e;
    while (t != null) {
      if (t instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close c) {
        return c.getReplyText();
      }
      t = t.getCause();
    }
    return String.valueOf(e.getMessage());
  }

  /** How many times this broker has reconnected after losing its connection. */
  public long reconnections() {
    return reconnections.get();
  }

  // ---------------------------------------------------------------- destinations

  @Override
  public void declare(QueueSpec spec) {
    Objects.requireNonNull(spec, "spec");
    withChannel(
        "declare " + spec.name(),
        channel -> {
          channel.queueDeclare(spec.deadLetter(), true, false, false, quorum());
          Map<String, Object> args = quorum();
          args.put("x-delivery-limit", spec.maxDeliveries() - 1);
          args.put("x-dead-letter-exchange", "");
          args.put("x-dead-letter-routing-key", spec.deadLetter());
          args.put("x-dead-letter-strategy", "at-least-once");
          args.put("x-overflow", "reject-publish");
          channel.queueDeclare(spec.name(), true, false, false, args);
          return null;
        });
    declared.put(spec.name(), spec);
  }

  private static Map<String, Object> quorum() {
    Map<String, Object> args = new HashMap<>();
    args.put("x-queue-type", "quorum");
    return args;
  }

  @Override
  public void delete(QueueSpec spec) {
    Objects.requireNonNull(spec, "spec");
    withChannel(
        "delete " + spec.name(),
        channel -> {
          channel.queueDelete(spec.name());
          channel.queueDelete(spec.deadLetter());
          return null;
        });
    declared.remove(spec.name(), spec);
  }

  // ---------------------------------------------------------------- publishing

  @Override
  public void publish(String destination, Message message) throws InterruptedException {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(message, "message");
    publisher.publish(destination, message);
  }

  private static AMQP.BasicProperties properties(Message message) {
    return new AMQP.BasicProperties.Builder()
        .messageId(message.id())
        .deliveryMode(2)
        .headers(new HashMap<>(message.headers()))
        .build();
  }

  /** One confirming channel, shared by every publishing thread, with its confirms in flight. */
  private final class Publisher {
    private final ReentrantLock publishLock = new ReentrantLock();
    private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    private @Nullable Channel channel; // guarded by publishLock
    private long channelGeneration = -1; // guarded by publishLock

    void publish(String destination, Message message) throws InterruptedException {
      long deadline = System.nanoTime() + confirmTimeout.toNanos();
      String what = "publish message " + message.id() + " to " + destination;
      AMQP.BasicProperties props = properties(message);
      byte[] body = message.body();
      while (true) {
        Connection c = awaitConnection(deadline, what);
        Pending p = new Pending(destination, message.id());
        long seq = -1;
        publishLock.lockInterruptibly();
        try {
          Channel ch = channel(c);
          seq = ch.getNextPublishSeqNo();
          pending.put(seq, p);
          ch.basicPublish("", destination, true, props, body);
        } catch (IOException | AlreadyClosedException e) {
          if (seq >= 0) {
            pending.remove(seq, p);
          }
          pauseUntil(deadline, what, e);
          continue;
        } finally {
          publishLock.unlock();
        }
        Outcome outcome;
        try {
          outcome = p.result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          pending.remove(seq, p);
          throw new QueueException(
              "cannot " + what + ": no confirm from RabbitMQ within " + confirmTimeout, e);
        } catch (ExecutionException e) {
          // The connection was lost before the confirm: the message may be stored or not;
          // publish it again (a duplicate is suppressed downstream by its id).
          pauseUntil(deadline, what, e);
          continue;
        }
        switch (outcome) {
          case CONFIRMED -> {
            return;
          }
          case RETURNED ->
              throw new QueueException(
                  "cannot " + what + ": no such destination (declare it first)");
          case NACKED ->
              throw new QueueException(
                  "cannot " + what + ": RabbitMQ refused it (negative confirm)");
        }
      }
    }

    private void pauseUntil(long deadline, String what, Exception cause)
        throws InterruptedException {
      if (deadline - System.nanoTime() <= 0) {
        throw new QueueException("cannot " + what + ": RabbitMQ did not confirm it", cause);
      }
      Thread.sleep(10);
    }

    /** The confirming channel of connection {@code c}; called with publishLock held. */
    private Channel channel(Connection c) throws IOException {
      Channel ch = channel;
      if (ch != null && ch.isOpen() && channelGeneration == generation) {
        return ch;
      }
      long gen = generation;
      Channel fresh = c.createChannel();
      fresh.confirmSelect();
      fresh.addConfirmListener(
          (seq, multiple) -> settle(seq, multiple, Outcome.CONFIRMED),
          (seq, multiple) -> settle(seq, multiple, Outcome.NACKED));
      fresh.addReturnListener(
          r -> {
            String id = r.getProperties().getMessageId();
            for (Pending p : pending.values()) {
              if (!p.returned && p.destination.equals(r.getRoutingKey()) && p.id.equals(id)) {
                p.returned = true;
                break;
              }
            }
          });
      fresh.addShutdownListener(
          signal ->
              failAll(new QueueException("publishing channel closed: " + signal.getMessage())));
      failAll(new QueueException("publishing channel replaced"));
      channel = fresh;
      channelGeneration = gen;
      return fresh;
    }

    private void settle(long seq, boolean multiple, Outcome outcome) {
      if (multiple) {
        var head = pending.headMap(seq, true);
        for (Pending p : head.values()) {
          p.complete(outcome);
        }
        head.clear();
      } else {
        Pending p = pending.remove(seq);
        if (p != null) {
          p.complete(outcome);
        }
      }
    }

    void failAll(QueueException e) {
      for (var it = pending.values().iterator(); it.hasNext(); ) {
        it.next().result.completeExceptionally(e);
        it.remove();
      }
    }
  }

  private enum Outcome {
    CONFIRMED,
    NACKED,
    RETURNED
  }

  private static final class Pending {
    final String destination;
    final String id;
    final CompletableFuture<Outcome> result = new CompletableFuture<>();
    volatile boolean returned;

    Pending(String destination, String id) {
      this.destination = destination;
      this.id = id;
    }

    void complete(Outcome outcome) {
      result.complete(outcome == Outcome.CONFIRMED && returned ? Outcome.RETURNED : outcome);
    }
  }

  // ---------------------------------------------------------------- consuming

  @Override
  public Subscription subscribe(String destination, int prefetch) {
    Objects.requireNonNull(destination, "destination");
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1 but was " + prefetch);
    }
    withChannel(
        "subscribe to " + destination,
        channel -> {
          try {
            return channel.queueDeclarePassive(destination);
          } catch (IOException e) {
            throw new QueueException(
                "cannot subscribe to " + destination + ": no such destination (declare it first)",
                e);
          }
        });
    RabbitSubscription sub = new RabbitSubscription(destination, prefetch);
    subscriptions.add(sub);
    sub.resume();
    return sub;
  }

  private final class RabbitSubscription implements Subscription {
    final String destination;
    final int prefetch;
    final LinkedBlockingQueue<RabbitDelivery> buffer = new LinkedBlockingQueue<>();
    final ReentrantLock channelLock = new ReentrantLock();
    @Nullable Channel channel; // guarded by channelLock
    volatile boolean subClosed;
    volatile @Nullable String cancelled;

    RabbitSubscription(String destination, int prefetch) {
      this.destination = destination;
      this.prefetch = prefetch;
    }

    /** Starts consuming on a new channel of the live connection; quietly waits when it is down. */
    void resume() {
      channelLock.lock();
      try {
        if (subClosed || closed) {
          return;
        }
        Connection c = connection;
        if (c == null || !c.isOpen()) {
          return; // the recovery calls resume() again
        }
        long gen = generation;
        try {
          Channel ch = c.createChannel();
          ch.basicQos(prefetch);
          ch.basicConsume(
              destination,
              false,
              new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(
                    String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                  buffer.add(
                      new RabbitDelivery(
                          RabbitSubscription.this,
                          ch,
                          gen,
                          envelope.getDeliveryTag(),
                          envelope.isRedeliver(),
                          props,
                          body));
                }

                @Override
                public void handleCancel(String tag) {
                  cancelled = "destination " + destination + " was deleted";
                }
              });
          ch.addShutdownListener(
              signal -> {
                // A channel error (not a lost connection, which the recovery handles): consume
                // again on a new channel.
                if (!signal.isHardError() && !signal.isInitiatedByApplication() && !subClosed) {
                  Thread.ofVirtual().name("rabbitmq-resume-" + destination).start(this::resume);
                }
              });
          channel = ch;
        } catch (IOException | AlreadyClosedException e) {
          // The connection went down meanwhile; the recovery resumes this subscription.
        }
      } finally {
        channelLock.unlock();
      }
    }

    @Override
    public @Nullable Delivery receive(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        if (subClosed || closed) {
          throw new QueueException("subscription to " + destination + " is closed");
        }
        String why = cancelled;
        if (why != null) {
          throw new QueueException(why);
        }
        long left = deadline - System.nanoTime();
        RabbitDelivery delivery =
            left <= 0
                ? buffer.poll()
                : buffer.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
        if (delivery == null) {
          if (deadline - System.nanoTime() <= 0) {
            return null;
          }
          continue;
        }
        if (delivery.generation == generation && delivery.channel.isOpen()) {
          return delivery;
        }
        // From a connection or channel that is gone: RabbitMQ delivers it again.
      }
    }

    @Override
    public void close() {
      subClosed = true;
      subscriptions.remove(this);
      channelLock.lock();
      try {
        Channel ch = channel;
        if (ch != null) {
          ch.abort(); // unacknowledged deliveries go back to the queue
        }
      } catch (IOException e) {
        // The channel is gone already, which gives its deliveries back just the same.
      } finally {
        channelLock.unlock();
      }
      buffer.clear();
    }

    void settle(RabbitDelivery d, boolean ack) {
      channelLock.lock();
      try {
        if (d.generation != generation || !d.channel.isOpen() || subClosed) {
          throw new QueueException(
              "cannot settle message "
                  + d.message.id()
                  + " from "
                  + destination
                  + ": its channel was closed, so RabbitMQ delivers it again");
        }
        if (ack) {
          d.channel.basicAck(d.tag, false);
        } else {
          d.channel.basicNack(d.tag, false, true);
        }
      } catch (IOException | AlreadyClosedException e) {
        throw new QueueException(
            "cannot settle message " + d.message.id() + " from " + destination, e);
      } finally {
        channelLock.unlock();
      }
    }
  }

  private final class RabbitDelivery implements Delivery {
    final RabbitSubscription sub;
    final Channel channel;
    final long generation;
    final long tag;
    final Message message;
    final int count;
    final AtomicBoolean settled = new AtomicBoolean();

    RabbitDelivery(
        RabbitSubscription sub,
        Channel channel,
        long generation,
        long tag,
        boolean redelivered,
        AMQP.BasicProperties props,
        byte[] body) {
      this.sub = sub;
      this.channel = channel;
      this.generation = generation;
      this.tag = tag;
      Map<String, Object> raw = props.getHeaders() == null ? Map.of() : props.getHeaders();
      this.message = toMessage(props.getMessageId(), body, raw);
      Object count = raw.get("x-delivery-count");
      this.count = count instanceof Number n ? n.intValue() + 1 : redelivered ? 2 : 1;
    }

    @Override
    public Message message() {
      return message;
    }

    @Override
    public int deliveryCount() {
      return count;
    }

    @Override
    public void ack() {
      claim();
      sub.settle(this, true);
    }

    @Override
    public void retry(Duration delay) throws InterruptedException {
      Objects.requireNonNull(delay, "delay");
      claim();
      try {
        if (!delay.isZero() && !delay.isNegative()) {
          Thread.sleep(delay);
        }
      } finally {
        sub.settle(this, false);
      }
    }

    private void claim() {
      if (!settled.compareAndSet(false, true)) {
        throw new IllegalStateException(
            "delivery of message " + message.id() + " was already settled");
      }
    }
  }

  private Message toMessage(@Nullable String id, byte[] body, Map<String, Object> raw) {
    Map<String, String> headers = new LinkedHashMap<>();
    raw.forEach(
        (name, value) -> {
          if (!name.startsWith("x-") && value != null) {
            headers.put(name, value.toString());
          }
        });
    Object reason = raw.get("x-first-death-reason");
    if (reason != null && !headers.containsKey(Headers.ERROR)) {
      String queue = String.valueOf(raw.get("x-first-death-queue"));
      QueueSpec spec = declared.get(queue);
      String why = String.valueOf(reason);
      if (why.equals("delivery_limit")) {
        why =
            spec == null
                ? "delivery limit reached"
                : "delivery limit of " + spec.maxDeliveries() + " reached";
        if (spec != null) {
          headers.put(Headers.DELIVERY_COUNT, Integer.toString(spec.maxDeliveries()));
        }
      } else {
        why = "dead-lettered by RabbitMQ: " + why;
      }
      headers.put(Headers.ERROR, why);
      headers.put(Headers.ORIGINAL_DESTINATION, queue);
    }
    String messageId = id == null || id.isEmpty() ? "amqp-" + UUID.randomUUID() : id;
    return new Message(messageId, body, headers);
  }

  // ---------------------------------------------------------------- closing

  @Override
  public void close() {
    List<RabbitSubscription> subs;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      up.signalAll();
      subs = new ArrayList<>(subscriptions);
    } finally {
      lock.unlock();
    }
    Thread r = recovery;
    if (r != null) {
      r.interrupt();
    }
    for (RabbitSubscription sub : subs) {
      sub.subClosed = true;
    }
    Connection c = connection;
    if (c != null) {
      c.abort(5_000); // as a crash: RabbitMQ gives unacknowledged deliveries back
    }
    publisher.failAll(new QueueException("the RabbitMQ broker connection is closed"));
    subscriptions.clear();
  }

  @Override
  public String toString() {
    return "RabbitMqBroker[" + description + (closed ? ", closed" : "") + "]";
  }

  /** Settings of a {@link RabbitMqBroker}; {@link #build()} connects. */
  public static final class Builder {
    private final ConnectionFactory factory;
    private Duration confirmTimeout = Duration.ofSeconds(60);
    private Duration recoveryInterval = Duration.ofSeconds(1);

    private Builder(ConnectionFactory factory) {
      this.factory = factory;
    }

    /** The broker's host (default 127.0.0.1 for a builder without a factory). */
    public Builder host(String host) {
      factory.setHost(Objects.requireNonNull(host, "host"));
      return this;
    }

    /** The broker's AMQP port (default 5672). */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be in [1, 65535] but was " + port);
      }
      factory.setPort(port);
      return this;
    }

    /** The user name and password (default guest, guest); the password is never shown. */
    public Builder credentials(String username, String password) {
      factory.setUsername(Objects.requireNonNull(username, "username"));
      factory.setPassword(Objects.requireNonNull(password, "password"));
      return this;
    }

    /** The virtual host (default {@code /}). */
    public Builder virtualHost(String virtualHost) {
      factory.setVirtualHost(Objects.requireNonNull(virtualHost, "virtualHost"));
      return this;
    }

    /**
     * How long a publish waits for its confirm, the connection's recovery included (default 60 s),
     * and how long declaring, deleting and subscribing wait for a connection that is down.
     */
    public Builder confirmTimeout(Duration confirmTimeout) {
      this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout");
      return this;
    }

    /** How often a lost connection is tried again (default 1 s). */
    public Builder recoveryInterval(Duration recoveryInterval) {
      this.recoveryInterval = Objects.requireNonNull(recoveryInterval, "recoveryInterval");
      return this;
    }

    /**
     * Checks the settings and connects.
     *
     * @throws IllegalArgumentException naming a setting out of range
     * @throws QueueException when RabbitMQ cannot be reached, naming its address (not the
     *     credentials)
     */
    public RabbitMqBroker build() {
      if (confirmTimeout.isZero() || confirmTimeout.isNegative()) {
        throw new IllegalArgumentException(
            "confirmTimeout must be positive but was " + confirmTimeout);
      }
      if (recoveryInterval.isZero() || recoveryInterval.isNegative()) {
        throw new IllegalArgumentException(
            "recoveryInterval must be positive but was " + recoveryInterval);
      }
      RabbitMqBroker broker = new RabbitMqBroker(this);
      broker.open();
      return broker;
    }
  }
}
