package dev.genaiprocessors.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A broker inside the JVM, the default: the same guarantees as a real broker (see {@link Broker}),
 * with nothing to install, for tests, examples and single-machine pipelines.
 *
 * <p>{@link #create()} makes a new, empty broker and a first connection to it; {@link #connect()}
 * opens another connection to the same destinations. Closing a connection behaves as a crashed
 * client does on a real broker: its unsettled deliveries go back for redelivery. Messages live in
 * memory only, so "durable" means: as long as some connection to the broker is reachable.
 *
 * <pre>{@code
 * try (InProcessBroker broker = InProcessBroker.create();
 *     Worker worker = Worker.builder(broker, QueueSpec.of("upper"), shout).start();
 *     RemoteStage remote = RemoteStage.builder(broker, QueueSpec.of("upper")).build()) {
 *   String loud = remote.apply("hello").text();
 * }
 * }</pre>
 *
 * <p>Retries with a delay return at once; the message waits out its delay in the destination, not
 * in a consumer's prefetch.
 */
public final class InProcessBroker implements Broker {
  private final Server server;
  private final Set<Sub> subscriptions = new LinkedHashSet<>();
  private boolean closed;

  private InProcessBroker(Server server) {
    this.server = server;
  }

  /** A new, empty broker, and a first connection to it. */
  public static InProcessBroker create() {
    return new InProcessBroker(new Server());
  }

  /** Another connection to the same broker, which can be closed on its own. */
  public InProcessBroker connect() {
    return new InProcessBroker(server);
  }

  @Override
  public void declare(QueueSpec spec) {
    Objects.requireNonNull(spec, "spec");
    server.lock.lock();
    try {
      checkOpen();
      Queue existing = server.queues.get(spec.name());
      if (existing != null) {
        if (!spec.equals(existing.spec)) {
          throw new QueueException(
              "destination " + spec.name() + " exists as " + existing.spec + ", not as " + spec);
        }
        return;
      }
      server.queues.put(spec.name(), new Queue(spec.name(), spec));
      server.queues.putIfAbsent(spec.deadLetter(), new Queue(spec.deadLetter(), null));
    } finally {
      server.lock.unlock();
    }
  }

  @Override
  public void delete(QueueSpec spec) {
    Objects.requireNonNull(spec, "spec");
    server.lock.lock();
    try {
      checkOpen();
      for (String name : List.of(spec.name(), spec.deadLetter())) {
        Queue queue = server.queues.remove(name);
        if (queue != null) {
          queue.deleted = true;
        }
      }
      server.changed.signalAll();
    } finally {
      server.lock.unlock();
    }
  }

  @Override
  public void publish(String destination, Message message) throws InterruptedException {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(message, "message");
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    server.lock.lock();
    try {
      checkOpen();
      Queue queue = server.queues.get(destination);
      if (queue == null) {
        throw new QueueException(
            "cannot publish message "
                + message.id()
                + " to "
                + destination
                + ": no such destination (declare it first)");
      }
      queue.ready.addLast(new Entry(message));
      server.changed.signalAll();
    } finally {
      server.lock.unlock();
    }
  }

  @Override
  public Subscription subscribe(String destination, int prefetch) {
    Objects.requireNonNull(destination, "destination");
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1 but was " + prefetch);
    }
    server.lock.lock();
    try {
      checkOpen();
      Queue queue = server.queues.get(destination);
      if (queue == null) {
        throw new QueueException(
            "cannot subscribe to " + destination + ": no such destination (declare it first)");
      }
      Sub sub = new Sub(queue, prefetch);
      subscriptions.add(sub);
      return sub;
    } finally {
      server.lock.unlock();
    }
  }

  @Override
  public void close() {
    server.lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (Sub sub : List.copyOf(subscriptions)) {
        sub.closeLocked();
      }
    } finally {
      server.lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "InProcessBroker[" + (closed ? "closed" : "open") + "]";
  }

  private void checkOpen() {
    if (closed) {
      throw new QueueException("the in-process broker connection is closed");
    }
  }

  /** What all connections of one broker share; every field is guarded by {@link #lock}. */
  private static final class Server {
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final Map<String, Queue> queues = new HashMap<>();

    /** Moves {@code entry} to its queue's dead-letter destination, with the reason in headers. */
    void deadLetter(Queue from, Entry entry, String reason) {
      QueueSpec spec = Objects.requireNonNull(from.spec);
      Queue dead = queues.get(spec.deadLetter());
      if (dead == null) {
        return; // deleted with its destination: the message goes with it
      }
      Message message =
          entry.message.withHeaders(
              Map.of(
                  Headers.ERROR,
                  reason,
                  Headers.ORIGINAL_DESTINATION,
                  from.name,
                  Headers.DELIVERY_COUNT,
                  Integer.toString(entry.deliveries)));
      dead.ready.addLast(new Entry(message));
    }

    /** Gives {@code entry} back to {@code queue} after an unsettled or retried delivery. */
    void giveBack(Queue queue, Entry entry, long readyAtNanos, boolean atFront) {
      if (queue.deleted) {
        return;
      }
      if (queue.spec != null && entry.deliveries >= queue.spec.maxDeliveries()) {
        deadLetter(queue, entry, "delivery limit of " + queue.spec.maxDeliveries() + " reached");
      } else if (readyAtNanos == 0) {
        if (atFront) {
          queue.ready.addFirst(entry);
        } else {
          queue.ready.addLast(entry);
        }
      } else {
        entry.readyAtNanos = readyAtNanos;
        queue.delayed.add(entry);
      }
      changed.signalAll();
    }
  }

  /** A destination; {@code spec} is null for a dead-letter destination. */
  private static final class Queue {
    final String name;
    final @Nullable QueueSpec spec;
    final ArrayDeque<Entry> ready = new ArrayDeque<>();
    final List<Entry> delayed = new ArrayList<>();
    boolean deleted;

    Queue(String name, @Nullable QueueSpec spec) {
      this.name = name;
      this.spec = spec;
    }

    /** Moves the delayed entries that are due to the ready ones; returns the next due time. */
    long promoteDue(long now) {
      long next = Long.MAX_VALUE;
      for (var it = delayed.iterator(); it.hasNext(); ) {
        Entry entry = it.next();
        if (entry.readyAtNanos - now <= 0) {
          it.remove();
          ready.addLast(entry);
        } else {
          next = Math.min(next, entry.readyAtNanos - now);
        }
      }
      return next;
    }
  }

  private static final class Entry {
    final Message message;
    int deliveries;
    long readyAtNanos;

    Entry(Message message) {
      this.message = message;
    }
  }

  private final class Sub implements Subscription {
    final Queue queue;
    final int prefetch;
    final Set<InDelivery> unsettled = new LinkedHashSet<>();
    boolean subClosed;

    Sub(Queue queue, int prefetch) {
      this.queue = queue;
      this.prefetch = prefetch;
    }

    @Override
    public @Nullable Delivery receive(Duration timeout) throws InterruptedException {
      long remaining = timeout.toNanos();
      server.lock.lockInterruptibly();
      try {
        while (true) {
          if (subClosed || closed) {
            throw new QueueException("subscription to " + queue.name + " is closed");
          }
          if (queue.deleted) {
            throw new QueueException("destination " + queue.name + " was deleted");
          }
          long nextDue = queue.promoteDue(System.nanoTime());
          if (unsettled.size() < prefetch && !queue.ready.isEmpty()) {
            Entry entry = queue.ready.pollFirst();
            entry.deliveries++;
            InDelivery delivery = new InDelivery(this, entry);
            unsettled.add(delivery);
            return delivery;
          }
          if (remaining <= 0) {
            return null;
          }
          long wait = Math.min(remaining, nextDue);
          remaining -= wait - server.changed.awaitNanos(wait);
        }
      } finally {
        server.lock.unlock();
      }
    }

    @Override
    public void close() {
      server.lock.lock();
      try {
        closeLocked();
      } finally {
        server.lock.unlock();
      }
    }

    void closeLocked() {
      if (subClosed) {
        return;
      }
      subClosed = true;
      subscriptions.remove(this);
      List<InDelivery> lost = new ArrayList<>(unsettled);
      unsettled.clear();
      // Back to the front in their original order, as a broker requeues them.
      for (int i = lost.size() - 1; i >= 0; i--) {
        InDelivery delivery = lost.get(i);
        delivery.settled = true;
        delivery.lost = true;
        server.giveBack(queue, delivery.entry, 0, true);
      }
      server.changed.signalAll();
    }
  }

  private final class InDelivery implements Delivery {
    final Sub sub;
    final Entry entry;
    final int count;
    boolean settled;
    boolean lost;

    InDelivery(Sub sub, Entry entry) {
      this.sub = sub;
      this.entry = entry;
      this.count = entry.deliveries;
    }

    @Override
    public Message message() {
      return entry.message;
    }

    @Override
    public int deliveryCount() {
      return count;
    }

    @Override
    public void ack() {
      server.lock.lock();
      try {
        settle("ack");
        server.changed.signalAll();
      } finally {
        server.lock.unlock();
      }
    }

    @Override
    public void retry(Duration delay) throws InterruptedException {
      Objects.requireNonNull(delay, "delay");
      server.lock.lock();
      try {
        settle("retry");
        long readyAt = delay.isZero() || delay.isNegative() ? 0 : System.nanoTime() + nanos(delay);
        server.giveBack(sub.queue, entry, readyAt, false);
      } finally {
        server.lock.unlock();
      }
    }

    private void settle(String what) {
      if (lost) {
        throw new QueueException(
            "cannot "
                + what
                + " message "
                + entry.message.id()
                + " from "
                + sub.queue.name
                + ": its subscription was closed, so it is delivered again");
      }
      if (settled) {
        throw new IllegalStateException(
            "delivery of message " + entry.message.id() + " was already settled");
      }
      settled = true;
      sub.unsettled.remove(this);
    }
  }

  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return TimeUnit.DAYS.toNanos(365);
    }
  }
}
