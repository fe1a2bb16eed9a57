package dev.genaiprocessors.queue;

/**
 * A connection to a message broker: the service provider interface that a broker module ({@code
 * rabbitmq}, {@code nats}) implements and that {@link QueuePublisher}, {@link Worker} and {@link
 * RemoteStage} are written against. {@link InProcessBroker} is the implementation in this module.
 *
 * <p>Users open one with the broker module's factory and hand it to the processors; they rarely
 * call its methods themselves. One instance is one connection: closing it is what a crashed process
 * does to the broker, and {@code BrokerContract} (this module's test jar) relies on that to kill
 * workers.
 *
 * <h2>What an implementation guarantees</h2>
 *
 * <p>{@code BrokerContract} tests each point; a broker module's tests extend it.
 *
 * <ol>
 *   <li><b>Destinations.</b> {@link #declare} creates the destination named by {@link
 *       QueueSpec#name()} and its dead-letter destination {@link QueueSpec#deadLetter()}, both
 *       durable (they and their messages survive a broker restart), or does nothing when they exist
 *       with the same spec. Names follow {@link QueueSpec}'s rule; an implementation maps them onto
 *       its own namespace one to one (NATS stream names, for example, cannot hold a dot: map {@code
 *       a.b} to a stream {@code a_b} with subject {@code a.b}). Every destination is a work queue:
 *       each message goes to one consumer among those subscribed, not to all. {@link #delete}
 *       removes both destinations and their messages, and does nothing when they are absent.
 *   <li><b>Publisher confirms.</b> {@link #publish} returns only after the broker has taken
 *       responsibility for the message: stored as durably as the destination is, so that a broker
 *       restart does not lose it. When that cannot be had (negative confirm, no confirm in the
 *       implementation's time limit, connection down past its recovery limit) it throws {@link
 *       QueueException} naming the destination and the message id; the message may then be stored
 *       or not, and the caller may publish it again with the same id (duplicates downstream are
 *       suppressed by id). Publishing to a destination nobody declared throws {@link
 *       QueueException} naming it: never drop a message silently. Many threads may publish at once,
 *       and an implementation should keep their messages in flight together (confirms pipelined),
 *       since the library publishes from one virtual thread per part.
 *   <li><b>Identity and headers.</b> A delivered message has the published {@link Message#id()},
 *       body (byte for byte) and every published header with its value unchanged (encode a value
 *       the broker's headers cannot carry, and decode it on delivery). An implementation may add
 *       headers of its own but none whose name starts with {@code gp-}, which are the library's
 *       ({@link Headers}). A broker with id-based duplicate suppression (JetStream's {@code
 *       Nats-Msg-Id}) uses the message id for it.
 *   <li><b>Delivery and prefetch.</b> {@link #subscribe} starts consuming; a {@link Subscription}
 *       never holds more than its {@code prefetch} deliveries unsettled (received, neither
 *       acknowledged nor retried), so a slow consumer does not hoard messages that other consumers
 *       could take. First deliveries of one destination come in publication order; a redelivered
 *       message may come at any place.
 *   <li><b>Acknowledgement.</b> A message leaves the destination only when its {@link Delivery} is
 *       acknowledged ({@link Delivery#ack}). A delivery that is never settled, because its {@link
 *       Subscription} or this connection was closed, the process died or the connection was lost,
 *       is delivered again, to any consumer, with {@link Delivery#deliveryCount()} one higher.
 *       {@link Delivery#retry} gives a message back to be delivered again after a delay, its count
 *       one higher too.
 *   <li><b>Dead-lettering.</b> A message whose {@link QueueSpec#maxDeliveries()}-th delivery also
 *       ends unsettled or retried is not delivered again: the broker moves it to the dead-letter
 *       destination, where a consumer receives it with its id, body and headers, plus {@link
 *       Headers#ERROR} saying why (say {@code "delivery limit of 5 reached"}), {@link
 *       Headers#ORIGINAL_DESTINATION} and, when the implementation knows it, {@link
 *       Headers#DELIVERY_COUNT} (added on publication to the dead-letter destination, or on its
 *       delivery from there when the broker moves it natively, as RabbitMQ's dead-letter exchanges
 *       do; RabbitMQ's headers do not say the count, so that implementation adds it only for
 *       destinations its own connection declared). The library dead-letters failed messages itself,
 *       by publishing them there with the error and then acknowledging them; this rule is for
 *       messages that kill their consumers.
 *   <li><b>Recovery.</b> An implementation recovers from a lost connection or a broker restart by
 *       itself: {@link #publish} waits for the connection up to its configured limit and then
 *       throws, subscriptions resume consuming without being asked. A delivery received before the
 *       loss may not be settled any more: {@link Delivery#ack} then throws {@link QueueException}
 *       and the broker delivers the message again (RabbitMQ, whose delivery tags belong to a
 *       channel). A broker that keeps a consumer's pending messages across the loss (JetStream) may
 *       settle it instead. Callers handle both: an ack that throws is a message that will come
 *       again, and its results are suppressed by id.
 *   <li><b>Threads and interruption.</b> Every method is safe to call from many threads. Blocking
 *       methods honour interruption: they throw {@link InterruptedException} with the thread's
 *       interrupt status cleared, as the JDK's blocking methods do. An implementation starts no
 *       platform thread pools of its own beyond those its client library needs; callbacks from the
 *       client's threads hand work over and never run user code.
 * </ol>
 *
 * <p>Every failure is a {@link QueueException} (or a subclass) naming the destination, and the
 * message id where there is one, with the client library's exception as its cause; credentials
 * never appear in messages or {@code toString()}.
 */
public interface Broker extends AutoCloseable {

  /**
   * Creates {@code spec}'s destination and its dead-letter destination, durable, or does nothing
   * when they exist as specified.
   *
   * @throws QueueException when the broker refuses, for example because the destination exists with
   *     other settings
   */
  void declare(QueueSpec spec);

  /** Deletes {@code spec}'s destination and dead-letter destination with their messages. */
  void delete(QueueSpec spec);

  /**
   * Publishes {@code message} to {@code destination} and waits for the broker's confirmation.
   *
   * @throws QueueException when the broker did not confirm (see the class's guarantees), or the
   *     destination was never declared
   * @throws InterruptedException when the calling thread was interrupted while waiting; the message
   *     may or may not have been stored
   */
  void publish(String destination, Message message) throws InterruptedException;

  /**
   * Starts consuming {@code destination}, with at most {@code prefetch} deliveries unsettled at
   * once.
   *
   * @throws IllegalArgumentException when {@code prefetch} is less than 1
   * @throws QueueException when the destination was never declared
   */
  Subscription subscribe(String destination, int prefetch);

  /**
   * Closes the connection as a crash would: consumers stop, and the deliveries of its subscriptions
   * that were not settled go back to their destinations for redelivery. Publishing or subscribing
   * afterwards throws {@link QueueException}. Closing twice does nothing.
   */
  @Override
  void close();
}
