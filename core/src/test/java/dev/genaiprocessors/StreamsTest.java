package dev.genaiprocessors;

import static dev.genaiprocessors.StreamFixtures.CANCEL;
import static dev.genaiprocessors.StreamFixtures.eventually;
import static dev.genaiprocessors.StreamFixtures.noThreadsBeyond;
import static dev.genaiprocessors.StreamFixtures.textsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.StreamFixtures.BlockedStream;
import dev.genaiprocessors.StreamFixtures.CountingStream;
import dev.genaiprocessors.StreamFixtures.GatedStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Streams}: merge, concat, split and the small helpers. */
// A generous limit turns a deadlock into a failure; no test measures speed.
@Timeout(60)
class StreamsTest {

  private static PartStream of(String... texts) {
    return Streams.fromIterable(List.of(texts));
  }

  private static List<String> gathered(PartStream stream) {
    return textsOf(Streams.gather(stream));
  }

  // ---- split ----

  @Test
  void split_intoThree_givesEveryCopyEveryPartInOrder() {
    List<PartStream> copies = Streams.split(of("foo", "bar"), 3);

    assertThat(copies).hasSize(3);
    for (PartStream copy : copies) {
      assertThat(gathered(copy)).containsExactly("foo", "bar");
    }
  }

  @Test
  void split_emptyStream_givesEmptyCopies() {
    List<PartStream> copies = Streams.split(of(), 2);

    assertThat(copies).hasSize(2);
    assertThat(copies).allSatisfy(copy -> assertThat(gathered(copy)).isEmpty());
  }

  @Test
  void split_inZero_isRejectedWithThePythonMessage() {
    assertThatThrownBy(() -> Streams.split(of("a"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot split a stream in n=0 streams.");
    assertThatThrownBy(() -> Streams.split(of("a"), -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot split a stream in n=-2 streams.");
    assertThatThrownBy(() -> Streams.split(of("a"), 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBacklog must be at least 1 but was 0");
  }

  @Test
  void split_inOne_returnsTheInputItself() {
    PartStream input = of("a");

    assertThat(Streams.split(input, 1)).containsExactly(input);
  }

  @Test
  void split_copiesReadOneAfterAnother_doNotDeadlock_farBeyondTheBufferSize() {
    List<String> items = IntStream.range(0, 1000).mapToObj(String::valueOf).toList();
    List<PartStream> copies = Streams.split(Streams.fromIterable(items), 3);

    for (PartStream copy : copies) {
      assertThat(gathered(copy)).isEqualTo(items);
    }
  }

  @Test
  void split_withMaxBacklog_readsTheSourceNoFurtherThanTheSlowestCopyPlusTheBacklog()
      throws Exception {
    CountingStream source = new CountingStream();
    List<PartStream> copies = Streams.split(source, 2, 4);
    PartStream fast = copies.get(0);
    PartStream slow = copies.get(1);
    int[] read = new int[2];

    for (int i = 0; i < 4; i++) {
      assertThat(fast.read().text()).isEqualTo(String.valueOf(read[0]++));
    }
    // The slow copy holds 4 unread parts, its whole allowance: nothing more was read.
    assertThat(source.produced.get()).isEqualTo(4);

    for (int round = 0; round < 50; round++) {
      slow.read();
      read[1]++;
      assertThat(source.produced.get()).isLessThanOrEqualTo(Math.min(read[0], read[1]) + 4);
      fast.read();
      read[0]++;
      assertThat(source.produced.get()).isLessThanOrEqualTo(Math.min(read[0], read[1]) + 4);
    }
    closeAll(copies);
  }

  @Test
  void split_closedCopy_neverHoldsBackTheOthers() throws Exception {
    CountingStream source = new CountingStream();
    List<PartStream> copies = Streams.split(source, 2, 2);
    ((AutoCloseable) copies.get(1)).close();

    PartStream remaining = copies.get(0);
    for (int i = 0; i < 500; i++) {
      assertThat(remaining.read().text()).isEqualTo(String.valueOf(i));
    }
    closeAll(copies);
  }

  @Test
  void split_copiesFeedingConcurrentProcessors_eachSeeEveryPart() {
    List<String> items = IntStream.range(0, 300).mapToObj(String::valueOf).toList();
    List<PartStream> copies = Streams.split(Streams.fromIterable(items), 2, 8);
    Processor exclaim = PartProcessor.map(p -> p.text() + "!").toProcessor();
    Processor tag = PartProcessor.map(p -> "#" + p.text()).toProcessor();

    List<String> merged =
        gathered(Streams.merge(exclaim.apply(copies.get(0)), tag.apply(copies.get(1))));

    assertThat(merged.stream().filter(t -> t.endsWith("!")).toList())
        .isEqualTo(items.stream().map(t -> t + "!").toList());
    assertThat(merged.stream().filter(t -> t.startsWith("#")).toList())
        .isEqualTo(items.stream().map(t -> "#" + t).toList());
  }

  @Test
  void split_sourceFailure_reachesEveryCopy_afterThePartsBeforeIt() {
    IllegalStateException error = new IllegalStateException("source broke");
    GatedStream source = new GatedStream("a", error);
    source.release();
    source.release();
    List<PartStream> copies = Streams.split(source, 2);

    for (PartStream copy : copies) {
      assertThat(copy.read().text()).isEqualTo("a");
      assertThatThrownBy(copy::read)
          .isSameAs(error)
          .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains("split"));
    }
  }

  @Test
  void split_failedProcessorStream_keepsTheNameOfTheProcessorThatFailed() {
    Processor failing =
        Processor.named(
            "breaks",
            (in, out) -> {
              out.emit("before");
              throw new IllegalArgumentException("bad input");
            });
    List<PartStream> copies = Streams.split(failing.apply("x"), 2);

    for (PartStream copy : copies) {
      assertThat(copy.read().text()).isEqualTo("before");
      assertThatThrownBy(copy::read)
          .isInstanceOf(IllegalArgumentException.class)
          .extracting(e -> ProcessorException.stageOf(e).orElseThrow())
          .isEqualTo("breaks");
    }
  }

  @Test
  void split_closingEveryCopy_stopsTheReader_andClosesTheSource() throws Exception {
    int baseline = Scope.liveThreads();
    ProcessorStream source =
        Processor.identity().apply(Stream.iterate(0, i -> i + 1).map(String::valueOf));
    List<PartStream> copies = Streams.split(source, 2, 3);

    assertThat(copies.get(0).read().text()).isEqualTo("0");
    assertThat(copies.get(1).read().text()).isEqualTo("0");
    closeAll(copies);

    noThreadsBeyond(baseline);
    assertThatThrownBy(source::read).isInstanceOf(CancellationException.class);
    assertThatThrownBy(copies.get(0)::read).isInstanceOf(CancellationException.class);
  }

  @Test
  void split_copiesNeverRead_closeTheSourceWhenTheLastIsClosed() throws Exception {
    AtomicBoolean closed = new AtomicBoolean();
    PartStream source = Streams.fromStream(Stream.of("a").onClose(() -> closed.set(true)));
    List<PartStream> copies = Streams.split(source, 3);

    closeAll(copies.subList(0, 2));
    assertThat(closed).isFalse();
    closeAll(copies.subList(2, 3));
    assertThat(closed).isTrue();
  }

  private static void closeAll(List<PartStream> copies) throws Exception {
    for (PartStream copy : copies) {
      ((AutoCloseable) copy).close();
    }
  }

  // ---- concat ----

  @Test
  void concat_yieldsEveryStreamInTurn() {
    assertThat(gathered(Streams.concat(of("foo 0"), of("foo 1"), of("foo 2"))))
        .containsExactly("foo 0", "foo 1", "foo 2");
  }

  @Test
  void concat_skipsEmptyStreams() {
    assertThat(gathered(Streams.concat(of(), of("foo 0"), of(), of("foo 1", "foo 2"), of())))
        .containsExactly("foo 0", "foo 1", "foo 2");
  }

  @Test
  void concat_ofNothing_isEmpty() {
    assertThat(gathered(Streams.concat())).isEmpty();
  }

  @Test
  void concat_doesNotReadTheSecondStream_whileTheFirstIsGoing() {
    GatedStream first = new GatedStream("a", "b");
    CountingStream second = new CountingStream();
    PartStream both = Streams.concat(first, second);

    first.release();
    assertThat(both.read().text()).isEqualTo("a");
    first.release();
    assertThat(both.read().text()).isEqualTo("b");
    assertThat(second.produced.get()).isZero();

    assertThat(both.read().text()).isEqualTo("0");
    assertThat(second.produced.get()).isEqualTo(1);
  }

  @Test
  void concat_passesAFailureOnUnchanged_afterThePartsBeforeIt() {
    IllegalArgumentException error = new IllegalArgumentException("bad");
    GatedStream failing = new GatedStream("a", error);
    failing.release();
    failing.release();
    PartStream both = Streams.concat(failing, of("never"));

    assertThat(both.read().text()).isEqualTo("a");
    assertThatThrownBy(both::read).isSameAs(error);
  }

  @Test
  void concat_givenToAProcessorAndAbandoned_closesItsStreams_leavingNoThread() throws Exception {
    int baseline = Scope.liveThreads();
    ProcessorStream endless = Processor.identity().apply(Streams.endless());
    ProcessorStream counting = Processor.identity().apply(new CountingStream());
    ProcessorStream later = Processor.identity().apply(of("later"));

    try (ProcessorStream out =
        Processor.identity().apply(Streams.concat(counting, endless, later))) {
      assertThat(out.read().text()).isEqualTo("0");
    }

    noThreadsBeyond(baseline);
    assertThatThrownBy(endless::read).isInstanceOf(CancellationException.class);
    assertThatThrownBy(later::read).isInstanceOf(CancellationException.class);
  }

  @Test
  void concat_closesEachStream_whenItEnds() {
    AtomicBoolean firstClosed = new AtomicBoolean();
    PartStream first = Streams.fromStream(Stream.of("a").onClose(() -> firstClosed.set(true)));
    PartStream both = Streams.concat(first, of("b"));

    assertThat(both.read().text()).isEqualTo("a");
    assertThat(firstClosed).isFalse();
    assertThat(both.read().text()).isEqualTo("b");
    assertThat(firstClosed).isTrue();
  }

  // ---- merge ----

  @Test
  void merge_ofNothing_isEmpty() {
    assertThat(gathered(Streams.merge())).isEmpty();
    assertThat(gathered(Streams.merge(List.of(), false))).isEmpty();
    assertThat(gathered(Streams.merge(List.of(), true))).isEmpty();
  }

  @ParameterizedTest(name = "first input released first: {0}")
  @ValueSource(booleans = {true, false})
  void merge_interleavesByArrival_keepingOrderWithinEachInput(boolean firstInputFirst) {
    GatedStream a = new GatedStream("1", "2", "3");
    GatedStream b = new GatedStream("4", "5", "6");
    List<String> got = new ArrayList<>();

    // Each part is read before the next is let go, so the arrival order is the release order. A
    // merge that waited on one input while the other had a part ready would hang here.
    try (ProcessorStream merged = Streams.merge(a, b)) {
      List<GatedStream> turns = firstInputFirst ? List.of(a, b) : List.of(b, a);
      for (int round = 0; round < 3; round++) {
        for (GatedStream turn : turns) {
          turn.release();
          got.add(merged.read().text());
        }
      }
      assertThat(merged.read()).isNull();
    }

    assertThat(got)
        .containsExactlyElementsOf(
            firstInputFirst
                ? List.of("1", "4", "2", "5", "3", "6")
                : List.of("4", "1", "5", "2", "6", "3"));
  }

  @Test
  void merge_listForm_mergesLikeTheVarargsForm() {
    List<String> merged = gathered(Streams.merge(List.of(of("1", "2"), of("3")), false));

    assertThat(merged).containsExactlyInAnyOrder("1", "2", "3");
    assertThat(merged.indexOf("1")).isLessThan(merged.indexOf("2"));
  }

  @Test
  void merge_inputEndingByCancellation_merelyEnds() {
    GatedStream cancelled = new GatedStream("1", CANCEL);
    GatedStream other = new GatedStream("4", "5", "6");
    List<String> got = new ArrayList<>();

    try (ProcessorStream merged = Streams.merge(cancelled, other)) {
      other.release();
      got.add(merged.read().text());
      cancelled.release();
      got.add(merged.read().text());
      cancelled.release();
      other.release();
      got.add(merged.read().text());
      other.release();
      got.add(merged.read().text());
      assertThat(merged.read()).isNull();
    }

    assertThat(got).containsExactly("4", "1", "5", "6");
  }

  @Test
  void merge_failingInput_failsTheMerge_withTheOriginalError_andCancelsTheOthers()
      throws Exception {
    IllegalArgumentException error = new IllegalArgumentException("bad part");
    GatedStream failing = new GatedStream("1", error);
    BlockedStream other = new BlockedStream();

    try (ProcessorStream merged = Streams.merge(failing, other)) {
      failing.release();
      assertThat(merged.read().text()).isEqualTo("1");
      other.reading.await();
      failing.release();
      assertThatThrownBy(merged::read)
          .isSameAs(error)
          .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains("merge"));
    }
    assertThat(other.interrupted).isTrue();
  }

  @Test
  void merge_failedProcessorStreamInput_keepsTheNameOfTheProcessorThatFailed() {
    Processor failing =
        Processor.named(
            "breaks",
            (in, out) -> {
              throw new IllegalStateException("broken");
            });

    assertThatThrownBy(() -> Streams.merge(failing.apply("x"), Streams.endless()).gather())
        .isInstanceOf(IllegalStateException.class)
        .extracting(e -> ProcessorException.stageOf(e).orElseThrow())
        .isEqualTo("breaks");
  }

  @Test
  void merge_stopOnFirst_endsWhenTheFirstInputEnds_andCancelsTheOthers() {
    BlockedStream endless = new BlockedStream();

    PartStream finite = StreamFixtures.endingAfter(endless.reading, "a", "b");

    List<String> merged = gathered(Streams.merge(List.of(finite, endless), true));

    assertThat(merged).containsExactly("a", "b");
    assertThat(endless.interrupted).isTrue();
  }

  @Test
  void merge_stopOnFirst_alsoEndsWhenAnInputIsCancelled() {
    GatedStream cancelled = new GatedStream(CANCEL);
    cancelled.release();

    assertThat(gathered(Streams.merge(List.of(cancelled, Streams.endless()), true))).isEmpty();
  }

  @Test
  void merge_isBounded_aFastInputIsHeldBackByASlowReader() throws Exception {
    CountingStream fast = new CountingStream();
    int buffer = RunConfig.DEFAULT_BUFFER_SIZE;
    // At most: the hop's buffer, a batch the reader took from it at once, the part in the
    // producer's hand. An unbounded merge would run millions of parts ahead of this reader.
    int mostAhead = 2 * buffer + 1;

    try (ProcessorStream merged = Streams.merge(fast)) {
      for (int consumed = 1; consumed <= 500; consumed++) {
        assertThat(merged.read().text()).isEqualTo(String.valueOf(consumed - 1));
        assertThat(fast.produced.get()).isLessThanOrEqualTo(consumed + mostAhead);
        if (consumed % 100 == 0) {
          int target = consumed + buffer;
          eventually("the producer runs a buffer ahead", () -> fast.produced.get() >= target);
          assertThat(fast.produced.get()).isLessThanOrEqualTo(consumed + mostAhead);
        }
      }
    }
  }

  @Test
  void merge_abandoned_cancelsItsInputs_andLeavesNoThreadBehind() throws Exception {
    int baseline = Scope.liveThreads();
    ProcessorStream run = Processor.identity().apply(new CountingStream());
    BlockedStream blocked = new BlockedStream();

    ProcessorStream merged = Streams.merge(run, blocked, Streams.endless(), new CountingStream());
    for (int i = 0; i < 10; i++) {
      assertThat(merged.read()).isNotNull();
    }
    blocked.reading.await();
    merged.close();

    noThreadsBeyond(baseline);
    assertThat(blocked.interrupted).isTrue();
    assertThatThrownBy(run::read).isInstanceOf(CancellationException.class);
    assertThatThrownBy(merged::read).isInstanceOf(CancellationException.class);
  }

  @Test
  void merge_sameStreamTwice_isRejected() {
    PartStream once = of("a");

    assertThatThrownBy(() -> Streams.merge(of("x"), once, once))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streams[1] and streams[2] are the same stream");
  }

  @Test
  void merge_nullStream_isRejectedNamingItsPosition() {
    assertThatThrownBy(() -> Streams.merge(of("x"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("streams[1]");
  }

  // ---- helpers ----

  @Test
  void gather_collectsInOrder_andClosesTheStream() {
    AtomicBoolean closed = new AtomicBoolean();
    PartStream stream = Streams.fromStream(Stream.of("a", "b").onClose(() -> closed.set(true)));

    assertThat(textsOf(Streams.gather(stream))).containsExactly("a", "b");
    assertThat(closed).isTrue();
  }

  @Test
  void indexed_numbersThePartsFromZero_acrossIterators() {
    Iterable<Streams.IndexedPart> indexed = Streams.indexed(of("a", "b", "c"));
    Iterator<Streams.IndexedPart> first = indexed.iterator();

    assertThat(first.next()).isEqualTo(new Streams.IndexedPart(0, ProcessorPart.text("a")));
    List<Streams.IndexedPart> rest = new ArrayList<>();
    indexed.forEach(rest::add);
    assertThat(rest)
        .containsExactly(
            new Streams.IndexedPart(1, ProcessorPart.text("b")),
            new Streams.IndexedPart(2, ProcessorPart.text("c")));
  }

  @Test
  void endless_neverYields_untilItsRunIsClosed() throws Exception {
    int baseline = Scope.liveThreads();
    AtomicInteger seen = new AtomicInteger();
    Processor watch =
        (in, out) -> {
          out.emit("started");
          for (ProcessorPart ignored : in) {
            seen.incrementAndGet();
          }
        };

    try (ProcessorStream out = watch.apply(Streams.endless())) {
      assertThat(out.read().text()).isEqualTo("started");
    }

    noThreadsBeyond(baseline);
    assertThat(seen).hasValue(0);
  }

  @Test
  void endless_readOnAnInterruptedThread_throwsCancellation_keepingTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> Streams.endless().read()).isInstanceOf(CancellationException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void delayed_yieldsTheItemsUnchanged() {
    ProcessorPart part = ProcessorPart.text("b").withRole("model");

    assertThat(Streams.gather(Streams.delayed(List.of("a", part), Duration.ofMillis(1))))
        .isEqualTo(ProcessorContent.of("a", part));
    assertThat(gathered(Streams.delayed(List.of(), Duration.ZERO))).isEmpty();
  }

  @Test
  void delayed_negativeDelay_isRejectedNamingIt() {
    assertThatThrownBy(() -> Streams.delayed(List.of("a"), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must not be negative but was PT-1S");
  }

  @Test
  void fromIterableIteratorAndStream_turnStringsAndPartsIntoParts() {
    ProcessorPart part = ProcessorPart.text("p");

    assertThat(gathered(Streams.fromIterable(List.of("a", part)))).containsExactly("a", "p");
    assertThat(gathered(Streams.fromIterator(List.of("b").iterator()))).containsExactly("b");
    assertThat(gathered(Streams.fromStream(Stream.of("c", part)))).containsExactly("c", "p");
  }

  @Test
  void fromIterable_itemThatIsNoPart_failsNamingItsType() {
    PartStream stream = Streams.fromIterable(List.of("a", 42));

    assertThat(stream.read().text()).isEqualTo("a");
    assertThatThrownBy(stream::read)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Integer");
  }

  @Test
  void fromPublisher_yieldsWhatIsPublished_asRequested() {
    Flow.Publisher<String> publisher =
        subscriber ->
            subscriber.onSubscribe(
                new Flow.Subscription() {
                  private final Iterator<String> items = List.of("a", "b").iterator();
                  private boolean completed;

                  @Override
                  public void request(long n) {
                    for (long i = 0; i < n && items.hasNext(); i++) {
                      subscriber.onNext(items.next());
                    }
                    if (!items.hasNext() && !completed) {
                      completed = true;
                      subscriber.onComplete();
                    }
                  }

                  @Override
                  public void cancel() {}
                });

    assertThat(gathered(Streams.fromPublisher(publisher))).containsExactly("a", "b");
  }
}
