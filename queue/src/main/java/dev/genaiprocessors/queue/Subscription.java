package dev.genaiprocessors.queue;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A consumer of one destination, from {@link Broker#subscribe}: part of the broker SPI.
 *
 * <p>It holds at most {@code prefetch} deliveries unsettled at once; while that many are
 * outstanding, {@link #receive} waits for one to be settled. Safe for many threads: several threads
 * may {@code receive} from one subscription, each delivery going to one of them.
 */
public interface Subscription extends AutoCloseable {

  /**
   * The next delivery, waiting up to {@code timeout} for it, or {@code null} when none came in
   * time. While the connection is down, it waits for the broker's recovery (and returns {@code
   * null} when the time is up).
   *
   * @throws QueueException when the subscription or its connection was closed
   * @throws InterruptedException when the calling thread was interrupted
   */
  @Nullable Delivery receive(Duration timeout) throws InterruptedException;

  /**
   * Stops consuming. Deliveries not settled yet, given out or buffered, go back to the destination
   * for redelivery with their count one higher. Closing twice does nothing.
   */
  @Override
  void close();
}
