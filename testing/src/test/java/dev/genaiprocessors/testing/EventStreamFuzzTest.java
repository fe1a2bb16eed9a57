package dev.genaiprocessors.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.testing.StreamMutation.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The event-stream fuzzing harness: its inputs, its failure messages and its settings. */
class EventStreamFuzzTest {
  private static final List<String> RECORDED =
      List.of(
          "event: start\ndata: {\"type\":\"start\",\"id\":\"m1\"}\n\n",
          "event: delta\ndata: {\"type\":\"delta\",\"text\":\"Hel\u00e9\"}\n\n",
          "event: stop\ndata: {\"type\":\"stop\"}\n\n");
  private static final List<String> WORDS = List.of("type", "id", "text", "start", "delta");

  private final EventStreamFuzz fuzz = EventStreamFuzz.of(RECORDED, WORDS).withSeed(42);

  @Test
  void theSameSeed_givesTheSameStream_onEveryCall() {
    for (long seed = 0; seed < 200; seed++) {
      FuzzedStream first = fuzz.stream(seed);
      FuzzedStream again = EventStreamFuzz.of(RECORDED, WORDS).stream(seed);

      assertThat(again.body()).isEqualTo(first.body());
      assertThat(again.readSize()).isEqualTo(first.readSize());
      assertThat(again.toString()).isEqualTo(first.toString());
    }
  }

  @Test
  void consecutiveSeeds_giveDifferentStreams() {
    Set<String> bodies = new TreeSet<>();
    for (long seed = 0; seed < 200; seed++) {
      bodies.add(new String(fuzz.stream(seed).body(), UTF_8));
    }
    // About one in nine is the recording as it is; nearly all the others differ.
    assertThat(bodies).hasSizeGreaterThan(150);
  }

  @Test
  void everyKindOfMutation_happens_andSomeStreamsAreAsRecorded_readInAnySize() {
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    Set<Integer> readSizes = new TreeSet<>();
    int asRecorded = 0;
    for (long seed = 0; seed < 500; seed++) {
      FuzzedStream stream = fuzz.stream(seed);
      kinds.addAll(stream.kinds());
      readSizes.add(stream.readSize());
      if (stream.kinds().isEmpty()) {
        asRecorded++;
        assertThat(new String(stream.body(), UTF_8)).isEqualTo(String.join("", RECORDED));
        assertThat(stream.toString()).contains("as recorded");
      }
    }
    assertThat(kinds).containsExactlyInAnyOrder(Kind.values());
    assertThat(readSizes).contains(1, 97).allMatch(size -> size >= 1 && size <= 97);
    assertThat(asRecorded).isBetween(20, 100);
  }

  @Test
  void check_triesEveryInput_whenNoneFails() {
    List<Integer> readSizes = new ArrayList<>();
    fuzz.withTries(30).check("anything", stream -> readSizes.add(stream.readSize()));

    assertThat(readSizes).hasSize(30);
  }

  @Test
  void aFailingCheck_namesTheProperty_theTry_theSeeds_andTheInput() {
    int failing = firstTryWithReadSizeOver(50);
    FuzzedStream input = fuzz.stream(42 + failing);
    IllegalStateException bug = new IllegalStateException("bug");

    assertThatThrownBy(
            () ->
                fuzz.withTries(100)
                    .check(
                        "messages",
                        stream -> {
                          if (stream.readSize() > 50) {
                            throw bug;
                          }
                        }))
        .isInstanceOf(AssertionError.class)
        .hasCause(bug)
        .hasMessage(
            "messages failed on try "
                + failing
                + " of 100 (-Dfuzz.seed=42; this input"
                + " alone: -Dfuzz.seed="
                + (42 + failing)
                + " -Dfuzz.tries=1) for input "
                + input
                + ": java.lang.IllegalStateException: bug");
  }

  @Test
  void theSeedOfTheFailingTry_repeatsThatInputAlone() {
    int failing = firstTryWithReadSizeOver(50);
    List<String> seen = new ArrayList<>();

    assertThatThrownBy(
            () ->
                fuzz.withSeed(42 + failing)
                    .withTries(1)
                    .check(
                        "again",
                        stream -> {
                          seen.add(stream.toString());
                          assertThat(stream.readSize()).isLessThanOrEqualTo(50);
                        }))
        .hasMessageStartingWith("again failed on try 0 of 1 (-Dfuzz.seed=" + (42 + failing) + ";");
    assertThat(seen).containsExactly(fuzz.stream(42 + failing).toString());
  }

  @Test
  void theInputShown_isCutToAFewHundredCharacters_howeverLongTheBody() {
    List<String> huge = List.of("data: " + "\"x\",".repeat(100_000) + "\n\n");
    FuzzedStream stream = EventStreamFuzz.of(huge, WORDS).stream(7);

    assertThat(stream.body().length).isGreaterThan(100_000);
    assertThat(stream.toString()).hasSizeLessThan(2_000).contains(" chars)");
  }

  @Test
  void mutations_sayWhatTheyDid_withIndexesAsTheEventsWereAtThatStep() {
    List<String> done = new ArrayList<>();
    byte[] body =
        StreamMutation.apply(
            RECORDED,
            List.of(
                new StreamMutation(Kind.DROP, 3, 0, ""),
                new StreamMutation(Kind.SWAP, 0, 1, ""),
                new StreamMutation(Kind.TRUNCATE, 1, 12, ""),
                new StreamMutation(Kind.INSERT, 0, 0, "{\"id\":1}"),
                new StreamMutation(Kind.FLIP_BYTE, 0, 'E', "")),
            done);

    assertThat(done)
        .containsExactly(
            "drop event 0",
            "swap events 0 and 1",
            "cut event 1 to 12 chars",
            "insert at 0 data: {\"id\":1}",
            "set byte 0 to 0x45");
    assertThat(new String(body, UTF_8))
        .isEqualTo(
            "Eata: {\"id\":1}\n\n" + "event: stop\ndata: {\"type\":\"stop\"}\n\n" + "event: delta");
  }

  @Test
  void dropBlankLine_endsAnEventOnItsLastLine_whateverItsLineEnds() {
    List<String> done = new ArrayList<>();
    byte[] body =
        StreamMutation.apply(
            List.of("data: 1\r\n\r\n", "data: 2\n\n", "data: 3\n"),
            List.of(
                new StreamMutation(Kind.DROP_BLANK_LINE, 0, 0, ""),
                new StreamMutation(Kind.DROP_BLANK_LINE, 1, 0, ""),
                new StreamMutation(Kind.DROP_BLANK_LINE, 2, 0, "")),
            done);

    assertThat(new String(body, UTF_8)).isEqualTo("data: 1\r\ndata: 2\ndata: 3\n");
    assertThat(done)
        .containsExactly(
            "drop the blank line ending event 0",
            "drop the blank line ending event 1",
            "drop blank line: event 2 has none");
  }

  @Test
  void replace_keepsTheEventLine_andMutationsOfNoEvent_doNothing() {
    List<String> done = new ArrayList<>();
    byte[] replaced =
        StreamMutation.apply(
            RECORDED.subList(0, 1), List.of(new StreamMutation(Kind.REPLACE, 5, 0, "[]")), done);
    byte[] empty =
        StreamMutation.apply(
            List.of(),
            List.of(
                new StreamMutation(Kind.DUPLICATE, 5, 0, ""),
                new StreamMutation(Kind.FLIP_BYTE, 5, 0, "")),
            done);

    assertThat(new String(replaced, UTF_8)).isEqualTo("event: start\ndata: []\n\n");
    assertThat(empty).isEmpty();
    assertThat(done)
        .containsExactly(
            "replace the data of event 0 by []",
            "duplicate: no event left",
            "flip a byte: the body is empty");
  }

  @Test
  void trickle_handsOutAtMostTheReadSize_butReadAllBytesReadsEverything() throws IOException {
    byte[] bytes = "0123456789".getBytes(UTF_8);
    byte[] buffer = new byte[8];

    InputStream in = EventStreamFuzz.trickle(bytes, 3);
    assertThat(in.read(buffer, 0, 8)).isEqualTo(3);
    assertThat(in.read()).isEqualTo('3');
    assertThat(in.read(buffer, 0, 0)).isZero();
    assertThat(in.readAllBytes()).isEqualTo("456789".getBytes(UTF_8));
    assertThat(in.read(buffer, 0, 8)).isEqualTo(-1);
    assertThat(EventStreamFuzz.trickle(bytes, 1).readNBytes(4)).isEqualTo("0123".getBytes(UTF_8));
  }

  @Test
  void theSystemProperties_setTheTriesAndTheSeed_andABadValueIsRejectedNamingIt() {
    withProperty(
        "fuzz.tries",
        null,
        () ->
            withProperty(
                "fuzz.seed",
                null,
                () -> {
                  assertThat(EventStreamFuzz.of(RECORDED, WORDS).tries()).isEqualTo(500);
                  assertThat(EventStreamFuzz.of(RECORDED, WORDS).seed()).isEqualTo(20261202L);
                }));
    withProperty(
        "fuzz.tries",
        "7",
        () -> {
          assertThat(EventStreamFuzz.of(RECORDED, WORDS).tries()).isEqualTo(7);
        });
    withProperty(
        "fuzz.seed",
        "-12",
        () -> {
          assertThat(EventStreamFuzz.of(RECORDED, WORDS).seed()).isEqualTo(-12);
        });
    withProperty(
        "fuzz.tries",
        "1e6",
        () -> {
          assertThatThrownBy(() -> EventStreamFuzz.of(RECORDED, WORDS))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage("fuzz.tries must be a whole number but was '1e6'");
        });
    withProperty(
        "fuzz.tries",
        "-1",
        () -> {
          assertThatThrownBy(() -> EventStreamFuzz.of(RECORDED, WORDS))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage("fuzz.tries must not be negative but was -1");
        });
  }

  @Test
  void badArguments_areRejectedNamingTheArgumentAndValue() {
    assertThatThrownBy(() -> EventStreamFuzz.of(RECORDED, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vocabulary must not be empty");
    assertThatThrownBy(() -> EventStreamFuzz.of(null, WORDS))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("recordedEvents");
    assertThatThrownBy(() -> fuzz.withTries(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tries must not be negative but was -3");
    assertThatThrownBy(() -> EventStreamFuzz.trickle(new byte[1], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxReadSize must be positive but was 0");
  }

  private int firstTryWithReadSizeOver(int size) {
    for (int i = 0; ; i++) {
      if (fuzz.stream(42 + i).readSize() > size) {
        return i;
      }
    }
  }

  /** Runs {@code test} with the system property set to {@code value}, or cleared for null. */
  private static void withProperty(String name, @Nullable String value, Runnable test) {
    String old = System.getProperty(name);
    set(name, value);
    try {
      test.run();
    } finally {
      set(name, old);
    }
  }

  private static void set(String name, @Nullable String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }
}
