package dev.genaiprocessors.queue;

import java.time.Duration;

/**
 * One delivery of a message to a {@link Subscription}: part of the broker SPI.
 *
 * <p>A delivery is settled once, by {@link #ack} or {@link #retry}; settling it a second time
 * throws {@link IllegalStateException}. Until it is settled it counts against its subscription's
 * prefetch. Any thread may settle it.
 */
public interface Delivery {

  /** The message as published: its id, body and headers. */
  Message message();

  /**
   * How many times this message has been delivered, this delivery included: 1 the first time, one
   * more after each {@link #retry} and each delivery that ended unsettled. Exact; a broker that
   * counts natively (RabbitMQ's quorum queues, JetStream) reports its own count.
   */
  int deliveryCount();

  /**
   * Acknowledges the message: the broker removes it from the destination. Returns once the
   * acknowledgement was handed to the broker.
   *
   * @throws QueueException when the connection the delivery came on was lost (the broker will
   *     deliver the message again)
   */
  void ack();

  /**
   * Gives the message back to be delivered again, to this consumer or another, no sooner than
   * {@code delay} from now, with its delivery count one higher; when this delivery was already the
   * {@link QueueSpec#maxDeliveries()}-th, the broker dead-letters the message instead. It may
   * return at once (a broker-side delay, JetStream's {@code nakWithDelay}) or after waiting out the
   * delay (a broker without one); either way the delivery stops counting against the prefetch no
   * later than the delay's end.
   *
   * @throws QueueException when the connection the delivery came on was lost (the broker will
   *     deliver the message again)
   * @throws InterruptedException when the calling thread was interrupted while waiting; the message
   *     is then given back at once
   */
  void retry(Duration delay) throws InterruptedException;
}
