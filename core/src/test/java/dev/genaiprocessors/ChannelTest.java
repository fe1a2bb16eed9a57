package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both channel implementations, directly: no part lost or reordered under concurrent producers, the
 * capacity bound, the three ways a stream ends and cancellation at each blocking point.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelTest {

  static Stream<Arguments> channels() {
    return Stream.of(
        Arguments.of("ring", (IntFunction<Channel>) RingChannel::new),
        Arguments.of("locked", (IntFunction<Channel>) LockedChannel::new));
  }

  private static ProcessorPart part(int producer, int index) {
    return ProcessorPart.text(producer + ":" + index);
  }

  /** Reads the channel to its end on a new thread of the given kind; returns the parts read. */
  private static List<ProcessorPart> readAll(Channel channel, boolean virtual) throws Exception {
    List<ProcessorPart> read = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable reader =
        () -> {
          try {
            for (ProcessorPart p = channel.read(); p != null; p = channel.read()) {
              read.add(p);
            }
          } catch (Throwable t) {
            failure.set(t);
          }
        };
    Thread thread = virtual ? Thread.ofVirtual().start(reader) : Thread.ofPlatform().start(reader);
    thread.join();
    if (failure.get() != null) {
      throw new AssertionError("the reader failed", failure.get());
    }
    return read;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("channels")
  void concurrentProducers_loseNothing_andKeepEachProducersOrder(
      String name, IntFunction<Channel> channels) throws Exception {
    for (boolean virtualReader : new boolean[] {true, false}) {
      Channel channel = channels.apply(8);
      int producers = 4;
      int each = 20_000;
      CountDownLatch done = new CountDownLatch(producers);
      for (int p = 0; p < producers; p++) {
        int producer = p;
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; i < each; i++) {
                    channel.emit(part(producer, i));
                  }
                  done.countDown();
                });
      }
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  done.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                channel.close();
              });

      List<ProcessorPart> read = readAll(channel, virtualReader);

      assertThat(read).hasSize(producers * each);
      int[] next = new int[producers];
      for (ProcessorPart p : read) {
        String[] fields = p.text().split(":");
        int producer = Integer.parseInt(fields[0]);
        assertThat(Integer.parseInt(fields[1])).isEqualTo(next[producer]);
        next[producer]++;
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("channels")
  void aFullChannel_holdsItsProducer_untilTheConsumerReads(
      String name, IntFunction<Channel> channels) throws Exception {
    Channel channel = channels.apply(4);
    AtomicInteger emitted = new AtomicInteger();
    Thread producer =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; i < 10; i++) {
                    channel.emit(part(0, i));
                    emitted.incrementAndGet();
                  }
                  channel.close();
                });
    while (producer.getState() != Thread.State.WAITING) {
      Thread.sleep(1);
    }
    assertThat(emitted.get()).isEqualTo(4);

    List<ProcessorPart> read = readAll(channel, true);

    assertThat(read)
        .extracting(ProcessorPart::text)
        .containsExactly("0:0", "0:1", "0:2", "0:3", "0:4", "0:5", "0:6", "0:7", "0:8", "0:9");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("channels")
  void close_wakesAWaitingConsumer_withTheEnd(String name, IntFunction<Channel> channels)
      throws Exception {
    for (boolean virtualReader : new boolean[] {true, false}) {
      Channel channel = channels.apply(4);
      AtomicReference<Object> result = new AtomicReference<>();
      Runnable reader = () -> result.set(String.valueOf(channel.read()));
      Thread thread =
          virtualReader ? Thread.ofVirtual().start(reader) : Thread.ofPlatform().start(reader);
      while (thread.getState() != Thread.State.WAITING) {
        Thread.sleep(1);
      }

      channel.close();
      thread.join();

      assertThat(result.get()).isEqualTo("null");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("channels")
  void fail_deliversWhatWasBuffered_thenCancelsTheConsumer(
      String name, IntFunction<Channel> channels) {
    Channel channel = channels.apply(4);
    channel.emit(part(0, 0));
    channel.emit(part(0, 1));
    channel.fail();

    assertThat(channel.read().text()).isEqualTo("0:0");
    assertThat(channel.read().text()).isEqualTo("0:1");
    assertThatThrownBy(channel::read)
        .isInstanceOf(CancellationException.class)
        .hasMessageContaining("upstream processor failed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("channels")
  void emitAfterTheEnd_isRejected_namingThePart(String name, IntFunction<Channel> channels) {
    Channel channel = channels.apply(4);
    channel.close();

    assertThatThrownBy(() -> channel.emit(ProcessorPart.text("late")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("late");
    assertThat(channel.read()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("channels")
  void closeConsumer_releasesABlockedProducer_quietly(String name, IntFunction<Channel> channels)
      throws Exception {
    Channel channel = channels.apply(2);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread producer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    for (int i = 0; i < 10; i++) {
                      channel.emit(part(0, i));
                    }
                  } catch (Throwable t) {
                    thrown.set(t);
                  }
                });
    while (producer.getState() != Thread.State.WAITING) {
      Thread.sleep(1);
    }

    channel.closeConsumer();
    producer.join();

    assertThat(thrown.get()).isInstanceOf(Channel.StreamClosedException.class);
    assertThatThrownBy(() -> channel.emit(part(1, 0)))
        .isInstanceOf(Channel.StreamClosedException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("channels")
  void interruptingAWaitingConsumer_cancelsIt_andKeepsTheInterrupt(
      String name, IntFunction<Channel> channels) throws Exception {
    for (boolean virtualReader : new boolean[] {true, false}) {
      Channel channel = channels.apply(4);
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
      Runnable reader =
          () -> {
            try {
              channel.read();
            } catch (Throwable t) {
              thrown.set(t);
              stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
          };
      Thread thread =
          virtualReader ? Thread.ofVirtual().start(reader) : Thread.ofPlatform().start(reader);
      while (thread.getState() != Thread.State.WAITING) {
        Thread.sleep(1);
      }

      thread.interrupt();
      thread.join();

      assertThat(thrown.get()).isInstanceOf(CancellationException.class);
      assertThat(stillInterrupted.get()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("channels")
  void interruptingABlockedProducer_cancelsIt(String name, IntFunction<Channel> channels)
      throws Exception {
    Channel channel = channels.apply(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread producer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    channel.emit(part(0, 0));
                    channel.emit(part(0, 1));
                  } catch (Throwable t) {
                    thrown.set(t);
                  }
                });
    while (producer.getState() != Thread.State.WAITING) {
      Thread.sleep(1);
    }

    producer.interrupt();
    producer.join();

    assertThat(thrown.get()).isInstanceOf(CancellationException.class);
    assertThat(channel.read().text()).isEqualTo("0:0"); // the part emitted before is kept
  }

  @Test
  void aCapacityBelowOne_isRejected_namingIt() {
    assertThatThrownBy(() -> Channel.bounded(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
  }

  @Test
  void aCapacityThatIsNotAPowerOfTwo_isStillTheBound() throws Exception {
    Channel channel = Channel.bounded(3);
    AtomicInteger emitted = new AtomicInteger();
    Thread producer =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; i < 5; i++) {
                    channel.emit(part(0, i));
                    emitted.incrementAndGet();
                  }
                  channel.close();
                });
    while (producer.getState() != Thread.State.WAITING) {
      Thread.sleep(1);
    }

    assertThat(emitted.get()).isEqualTo(3);
    assertThat(readAll(channel, true)).hasSize(5);
  }
}
