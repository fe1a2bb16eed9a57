package dev.genaiprocessors.nats;

import dev.genaiprocessors.queue.Delivery;
import dev.genaiprocessors.queue.Message;
import dev.genaiprocessors.queue.QueueException;
import dev.genaiprocessors.queue.Subscription;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PullRequestOptions;
import io.nats.client.support.JsonParser;
import io.nats.client.support.JsonValue;
import io.nats.client.support.JsonValueUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A subscription to one destination: a reader that asks for only as many messages as there is room
 * for, a ticker that marks held messages as in progress, and a mover of dead letters.
 */
final class NatsSubscription implements Subscription {
  private static final Duration PULL_WAIT = Duration.ofSeconds(1);
  private static final long PULL_GRACE_NANOS = Duration.ofMillis(200).toNanos();
  private static final int MAX_PULLS = 4;
  private static final Duration IDLE = Duration.ofMillis(100);
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
  private static final String MSG_ID = "Nats-Msg-Id";

  private final NatsBroker broker;
  private final String destination;
  private final String stream;
  private final int prefetch;
  private final JetStreamSubscription pull;
  private final @Nullable JetStreamSubscription advisories;
  private final @Nullable String deadLetter;
  private final Duration tick;

  /** Guards the counts below and the pull requests in flight. */
  private final ReentrantLock lock = new ReentrantLock();

  private final ArrayDeque<PullRequest> pulls = new ArrayDeque<>();
  private int requested;
  private int held;
  private final LinkedBlockingQueue<NatsDelivery> ready = new LinkedBlockingQueue<>();
  private final Set<NatsDelivery> unsettled = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  NatsSubscription(
      NatsBroker broker,
      String destination,
      String stream,
      int prefetch,
      JetStreamSubscription pull,
      @Nullable JetStreamSubscription advisories,
      @Nullable String deadLetter,
      Duration ackWait) {
    this.broker = broker;
    this.destination = destination;
    this.stream = stream;
    this.prefetch = prefetch;
    this.pull = pull;
    this.advisories = advisories;
    this.deadLetter = deadLetter;
    Duration third = ackWait.dividedBy(3);
    this.tick = third.compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : third;
  }

  void start() {
    threads.add(Thread.ofVirtual().name("nats-read-" + destination).start(this::readLoop));
    threads.add(Thread.ofVirtual().name("nats-progress-" + destination).start(this::tickLoop));
    if (advisories != null && deadLetter != null) {
      threads.add(
          Thread.ofVirtual().name("nats-dead-letters-" + destination).start(this::moveLoop));
    }
  }

  // ------------------------------------------------------------------ the three loops

  /** A pull request in flight: how many messages it may still bring, and until when. */
  private static final class PullRequest {
    int remaining;
    final long expires;

    PullRequest(int remaining, long expires) {
      this.remaining = remaining;
      this.expires = expires;
    }
  }

  /**
   * Asks for as many messages as there is room for: room is the prefetch less the deliveries held
   * (buffered or handed out, not settled) and those already asked for. Up to {@value #MAX_PULLS}
   * requests are in flight, so a slot freed by one settlement is filled without waiting for an
   * earlier request's round trip. Called by the reader and after every settlement.
   */
  private void refill() {
    lock.lock();
    try {
      long now = System.nanoTime();
      for (Iterator<PullRequest> it = pulls.iterator(); it.hasNext(); ) {
        PullRequest request = it.next();
        if (now - request.expires > PULL_GRACE_NANOS) {
          requested -= request.remaining;
          it.remove();
        }
      }
      int room = prefetch - held - requested;
      if (closed || room <= 0 || pulls.size() >= MAX_PULLS || !broker.isConnected()) {
        return;
      }
      pull.pull(PullRequestOptions.builder(room).expiresIn(PULL_WAIT).build());
      pulls.addLast(new PullRequest(room, now + PULL_WAIT.toNanos()));
      requested += room;
    } catch (RuntimeException e) {
      // The connection dropped between the check and the request: the reader tries again.
    } finally {
      lock.unlock();
    }
  }

  /** Counts a message that came: it fills the oldest request in flight, and is held from now. */
  private void arrived() {
    lock.lock();
    try {
      PullRequest oldest = pulls.peekFirst();
      if (oldest != null) {
        requested--;
        if (--oldest.remaining == 0) {
          pulls.removeFirst();
        }
      }
      held++;
    } finally {
      lock.unlock();
    }
  }

  private void settled() {
    lock.lock();
    try {
      held--;
    } finally {
      lock.unlock();
    }
    refill();
  }

  /** One thread reads the subscription, so deliveries keep the order the server sent them in. */
  private void readLoop() {
    while (!closed) {
      refill();
      try {
        io.nats.client.Message next = pull.nextMessage(IDLE);
        if (next != null && next.isJetStream()) {
          arrived();
          NatsDelivery delivery = new NatsDelivery(next);
          unsettled.add(delivery);
          ready.add(delivery);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The connection is closed, or a status the client reports as an error: wait, go on.
        if (closed || broker.isClosed() || !sleep(IDLE)) {
          return;
        }
      }
    }
  }

  private void tickLoop() {
    while (!closed) {
      if (!sleep(tick)) {
        return;
      }
      for (NatsDelivery delivery : unsettled) {
        delivery.inProgress();
      }
    }
  }

  private void moveLoop() {
    JetStreamSubscription advisoryPull = advisories;
    String target = deadLetter;
    if (advisoryPull == null || target == null) {
      return;
    }
    while (!closed) {
      try {
        if (!broker.awaitConnected(System.nanoTime() + IDLE.toNanos())) {
          continue;
        }
        Iterator<io.nats.client.Message> it = advisoryPull.iterate(16, Duration.ofSeconds(1));
        while (!closed && it.hasNext()) {
          io.nats.client.Message advisory = it.next();
          if (advisory == null) {
            break;
          }
          JsonValue json = JsonParser.parse(new String(advisory.getData(), StandardCharsets.UTF_8));
          long sequence = JsonValueUtils.readLong(json, "stream_seq", -1);
          long deliveries = JsonValueUtils.readLong(json, "deliveries", -1);
          if (sequence > 0) {
            broker.moveToDeadLetter(destination, stream, target, sequence, deliveries);
          }
          advisory.ack();
        }
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | JetStreamApiException | RuntimeException e) {
        // Left unacknowledged, the advisory comes back; the move is idempotent.
        if (closed || broker.isClosed() || !sleep(IDLE)) {
          return;
        }
      }
    }
  }

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ the SPI

  @Override
  public @Nullable Delivery receive(Duration timeout) throws InterruptedException {
    if (closed) {
      throw closedException();
    }
    NatsDelivery delivery = ready.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (delivery == null) {
      if (closed) {
        throw closedException();
      }
      return null;
    }
    return delivery;
  }

  private QueueException closedException() {
    return new QueueException(
        broker.isClosed()
            ? "the NATS connection of the subscription to " + destination + " is closed"
            : "the subscription to " + destination + " is closed");
  }

  @Override
  public void close() {
    if (!stop()) {
      return;
    }
    for (NatsDelivery delivery : unsettled) {
      delivery.giveBack();
    }
    unsubscribe();
  }

  /** Stops as a crash would: nothing is given back; JetStream redelivers after its AckWait. */
  void abandon() {
    if (stop()) {
      unsubscribe();
    }
  }

  private boolean stop() {
    if (closed) {
      return false;
    }
    closed = true;
    threads.forEach(Thread::interrupt);
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    ready.clear();
    return true;
  }

  private void unsubscribe() {
    for (JetStreamSubscription sub :
        advisories == null ? List.of(pull) : List.of(pull, advisories)) {
      try {
        sub.unsubscribe();
      } catch (RuntimeException e) {
        // The connection is closed already; so is the subscription.
      }
    }
    broker.forget(this);
  }

  @Override
  public String toString() {
    return "NatsSubscription[" + destination + ", prefetch " + prefetch + "]";
  }

  // ------------------------------------------------------------------ messages

  /** The queue module's message from a JetStream message's headers and body. */
  static Message toMessage(
      io.nats.client.impl.@Nullable Headers natsHeaders,
      byte @Nullable [] data,
      String stream,
      long sequence) {
    String id = null;
    Map<String, String> headers = new LinkedHashMap<>();
    if (natsHeaders != null) {
      for (String name : natsHeaders.keySet()) {
        String value = natsHeaders.getFirst(name);
        if (value == null) {
          continue;
        }
        if (name.equalsIgnoreCase(MSG_ID)) {
          id = value;
        } else if (!name.regionMatches(true, 0, "Nats-", 0, 5)
            && HEADER_NAME.matcher(name).matches()) {
          headers.put(name, Message.headerValue(Names.decodeHeader(value)));
        }
      }
    }
    if (id == null) {
      id = "nats-" + stream + "-" + sequence;
    }
    return new Message(id, data == null ? new byte[0] : data, headers);
  }

  private static final int OPEN = 0;
  private static final int SETTLED = 1;
  private static final int GIVEN_BACK = 2;

  /** One JetStream message handed out by this subscription. */
  private final class NatsDelivery implements Delivery {
    private final io.nats.client.Message raw;
    private final Message message;
    private final int count;
    private final AtomicInteger state = new AtomicInteger(OPEN);

    NatsDelivery(io.nats.client.Message raw) {
      this.raw = raw;
      long sequence = raw.metaData().streamSequence();
      this.message = toMessage(raw.getHeaders(), raw.getData(), stream, sequence);
      this.count = (int) Math.min(Integer.MAX_VALUE, raw.metaData().deliveredCount());
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
      settle("acknowledge");
      try {
        raw.ack();
      } catch (RuntimeException e) {
        throw lost(e);
      }
    }

    @Override
    public void retry(Duration delay) throws InterruptedException {
      settle("retry");
      try {
        if (delay.isZero() || delay.isNegative()) {
          raw.nak();
        } else {
          raw.nakWithDelay(delay);
        }
      } catch (RuntimeException e) {
        throw lost(e);
      }
    }

    private void settle(String what) {
      if (!state.compareAndSet(OPEN, SETTLED)) {
        if (state.get() == GIVEN_BACK) {
          throw new QueueException(
              "cannot "
                  + what
                  + " message "
                  + message.id()
                  + " of "
                  + destination
                  + ": its subscription was closed and gave it back");
        }
        throw new IllegalStateException(
            "message " + message.id() + " of " + destination + " was settled already");
      }
      release();
      if (broker.isClosed()) {
        throw lost(null);
      }
    }

    private QueueException lost(@Nullable RuntimeException cause) {
      return new QueueException(
          "the NATS connection that delivered message "
              + message.id()
              + " of "
              + destination
              + " is closed; NATS will deliver it again",
          cause);
    }

    void giveBack() {
      if (state.compareAndSet(OPEN, GIVEN_BACK)) {
        release();
        try {
          raw.nak();
        } catch (RuntimeException e) {
          // Connection gone: the server delivers it again after its AckWait.
        }
      }
    }

    void inProgress() {
      if (state.get() == OPEN) {
        try {
          raw.inProgress();
        } catch (RuntimeException e) {
          // Connection down: if it stays down, the server delivers the message again.
        }
      }
    }

    private void release() {
      if (unsettled.remove(this)) {
        settled();
      }
    }
  }
}
