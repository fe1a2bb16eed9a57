package dev.genaiprocessors.testing;

import static dev.genaiprocessors.testing.Arguments.requireNotNegative;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Fuzzing for the reader of a vendor's event stream: a property is checked against a recorded
 * stream mutated at random, the way broken servers, proxies and networks mutate streams, and read a
 * few bytes at a time, so a test shows that whatever arrives the reader fails only as documented
 * and never hangs.
 *
 * <p>How to write one: record a real stream (whole events, each with the blank line that ends it),
 * list the words of the vendor's format (field names, event types, enum values), and check, in an
 * ordinary JUnit test, what the reader may do with any input:
 *
 * <pre>{@code
 * @Test
 * void messages_failOnlyAsAMalformedEventOrAnErrorEvent() {
 *   EventStreamFuzz.of(RECORDED, List.of("type", "index", "delta", "message_start"))
 *       .check("messages", stream -> assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
 *         try {
 *           new MessageReader(stream.open()).readAll();
 *         } catch (MessageReader.MalformedEvent | MessageReader.StreamError expected) {
 *           // what the model reports
 *         }
 *       }));
 * }
 * }</pre>
 *
 * <p>Each input ({@link FuzzedStream}) is the recorded stream after up to eight mutations: events
 * dropped, repeated, swapped or cut short; an event's data replaced by, or an event inserted of,
 * random JSON of up to three levels keyed by the vendor's words (strings with lone surrogates and
 * control characters, numbers beyond {@code long} and {@code double}, nulls); an event of up to
 * 5000 unclosed arrays; an event's ending blank line dropped; any byte changed. About one input in
 * nine is the recorded stream as it is. Each input is read 1 to 97 bytes at a time ({@link
 * #trickle}), so every event boundary and UTF-8 sequence is split somewhere.
 *
 * <p>Two system properties, which Maven passes on to the tests, set a run:
 *
 * <ul>
 *   <li>{@code fuzz.tries}: the inputs per property, 500 by default, a second or two for a reader
 *       of a few kilobytes;
 *   <li>{@code fuzz.seed}: the seed of the first input, fixed by default ({@code 20261202}) so that
 *       the ordinary build is repeatable; give a new one to explore new inputs.
 * </ul>
 *
 * <p>A long run by hand, a million inputs per property, with a new seed each time:
 *
 * <pre>{@code
 * ./mvnw -pl mymodule test -Dtest='*FuzzTest' -Dfuzz.tries=1000000 -Dfuzz.seed=$RANDOM$RANDOM
 * }</pre>
 *
 * <p>Guarantees: the inputs depend only on the recorded events, the vocabulary and the seed, so a
 * seed reproduces a failure on any machine. Try {@code i} uses seed {@code fuzz.seed + i}. {@link
 * #check} runs on the calling thread, one try after another, and stops at the first failing one
 * with an {@link AssertionError} that names the property, the try, the seeds that repeat the run
 * and this input alone, and the input ({@link FuzzedStream#toString()}), cut to a readable length;
 * the failure is its cause. There is no shrinking (a failure is shown as generated), so keep
 * recorded streams short: a dozen events or fewer. Immutable and safe to share.
 *
 * <p>The core module's own fuzz tests use a small harness of their own with the same two system
 * properties and defaults: they cannot use this module, which depends on core.
 */
public final class EventStreamFuzz {
  static final String TRIES_PROPERTY = "fuzz.tries";
  static final String SEED_PROPERTY = "fuzz.seed";
  static final int DEFAULT_TRIES = 500;
  static final long DEFAULT_SEED = 20261202L;
  private static final int MAX_READ_SIZE = 97;

  private final List<String> recorded;
  private final List<String> vocabulary;
  private final int tries;
  private final long seed;

  private EventStreamFuzz(List<String> recorded, List<String> vocabulary, int tries, long seed) {
    this.recorded = recorded;
    this.vocabulary = vocabulary;
    this.tries = tries;
    this.seed = seed;
  }

  /**
   * Fuzzing of {@code recordedEvents} (whole events, each ending in its blank line, as the vendor
   * sent them), with random JSON keyed by {@code vocabulary}; the tries and the seed are the system
   * properties {@code fuzz.tries} and {@code fuzz.seed}, or their defaults.
   *
   * @throws IllegalArgumentException if {@code vocabulary} is empty, or a system property is set
   *     but is not a whole number (or the tries are negative)
   */
  public static EventStreamFuzz of(List<String> recordedEvents, List<String> vocabulary) {
    List<String> recorded = List.copyOf(Objects.requireNonNull(recordedEvents, "recordedEvents"));
    List<String> words = List.copyOf(Objects.requireNonNull(vocabulary, "vocabulary"));
    if (words.isEmpty()) {
      throw new IllegalArgumentException("vocabulary must not be empty");
    }
    long tries = requireNotNegative(property(TRIES_PROPERTY, DEFAULT_TRIES), TRIES_PROPERTY);
    if (tries > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          TRIES_PROPERTY + " must be at most " + Integer.MAX_VALUE + " but was " + tries);
    }
    return new EventStreamFuzz(recorded, words, (int) tries, property(SEED_PROPERTY, DEFAULT_SEED));
  }

  /**
   * A copy that tries each property {@code tries} times, whatever {@code fuzz.tries} says (for a
   * property much slower or much faster than the others).
   *
   * @throws IllegalArgumentException if {@code tries} is negative
   */
  public EventStreamFuzz withTries(int tries) {
    return new EventStreamFuzz(recorded, vocabulary, requireNotNegative(tries, "tries"), seed);
  }

  /** A copy whose first input comes from {@code seed}, whatever {@code fuzz.seed} says. */
  public EventStreamFuzz withSeed(long seed) {
    return new EventStreamFuzz(recorded, vocabulary, tries, seed);
  }

  /** The inputs each property is checked on. */
  public int tries() {
    return tries;
  }

  /** The seed of the first input; try {@code i} uses {@code seed() + i}. */
  public long seed() {
    return seed;
  }

  /**
   * The input that {@code seed} makes, the same on every call and machine: to look at one input in
   * a debugger, or to keep an input that once failed as a plain test.
   */
  public FuzzedStream stream(long seed) {
    // Seeds of consecutive tries differ by one; java.util.Random would start them on correlated
    // values, so each seed is mixed first.
    Random random = new Random(new SplittableRandom(seed).nextLong());
    List<StreamMutation> mutations = StreamMutation.randomList(random, vocabulary);
    int readSize = 1 + random.nextInt(MAX_READ_SIZE);
    List<String> done = new ArrayList<>();
    byte[] body = StreamMutation.apply(recorded, mutations, done);
    return new FuzzedStream(
        body, readSize, done, mutations.stream().map(StreamMutation::kind).toList());
  }

  /**
   * Checks {@code property} on {@link #tries()} inputs, stopping at the first that fails.
   *
   * @param property a name for the failure message, such as {@code "chat completions"}
   * @param check what must hold for every input; it fails by throwing anything at all
   * @throws AssertionError naming the property, the try, the seeds that repeat the run and this
   *     input alone, and the input, with the check's failure as its cause
   */
  public void check(String property, Check check) {
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(check, "check");
    for (int i = 0; i < tries; i++) {
      long trySeed = seed + i;
      FuzzedStream input = stream(trySeed);
      try {
        check.accept(input);
      } catch (Throwable failure) {
        throw new AssertionError(
            property
                + " failed on try "
                + i
                + " of "
                + tries
                + " (-D"
                + SEED_PROPERTY
                + "="
                + seed
                + "; this input alone: -D"
                + SEED_PROPERTY
                + "="
                + trySeed
                + " -D"
                + TRIES_PROPERTY
                + "=1) for input "
                + input
                + ": "
                + failure,
            failure);
      }
    }
  }

  /**
   * A stream of {@code bytes} that hands out at most {@code maxReadSize} bytes per read, as a slow
   * network does, so a reader meets every event boundary and UTF-8 sequence split. ({@code
   * readNBytes} and {@code readAllBytes} still read until they have what they asked for, as their
   * contract says.) The bytes are copied.
   *
   * @throws IllegalArgumentException if {@code maxReadSize} is not positive
   */
  public static InputStream trickle(byte[] bytes, int maxReadSize) {
    byte[] body = Objects.requireNonNull(bytes, "bytes").clone();
    if (maxReadSize < 1) {
      throw new IllegalArgumentException("maxReadSize must be positive but was " + maxReadSize);
    }
    // Not a ByteArrayInputStream: its readNBytes would stop after one short read, breaking its
    // contract, and its readAllBytes and transferTo would skip the trickle.
    return new InputStream() {
      private int position;

      @Override
      public int read() {
        return position < body.length ? body[position++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
          return 0;
        }
        if (position == body.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, maxReadSize), body.length - position);
        System.arraycopy(body, position, b, off, n);
        position += n;
        return n;
      }
    };
  }

  private static long property(String name, long defaultValue) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number but was '" + value + "'", e);
    }
  }

  /** What must hold for every input of a property. */
  @FunctionalInterface
  public interface Check {
    /**
     * Checks one input.
     *
     * @throws Exception anything, which fails the property on this input
     */
    void accept(FuzzedStream stream) throws Exception;
  }

  @Override
  public String toString() {
    return "EventStreamFuzz["
        + recorded.size()
        + " recorded events, "
        + vocabulary.size()
        + " words, "
        + tries
        + " tries from seed "
        + seed
        + "]";
  }
}
