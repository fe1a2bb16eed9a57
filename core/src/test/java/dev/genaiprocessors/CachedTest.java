package dev.genaiprocessors;

import static dev.genaiprocessors.TestProcessors.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CachedTest {
  private final InMemoryCache cache = InMemoryCache.create();
  private final AtomicInteger calls = new AtomicInteger();

  /** Upper-cases every text part, counting its calls; emits a role and metadata to be kept. */
  private Processor upper(String name) {
    return Processor.named(
        name,
        (input, output) -> {
          calls.incrementAndGet();
          for (ProcessorPart part : input) {
            output.emit(
                ProcessorPart.text(part.text().toUpperCase())
                    .withRole("model")
                    .withMetadata("n", 1));
          }
        });
  }

  /** Appends "!" to a part, counting its calls. */
  private PartProcessor exclaim(String name) {
    return PartProcessor.named(
        name,
        (part, output) -> {
          calls.incrementAndGet();
          output.emit(part.text() + "!");
        });
  }

  /**
   * Waits until {@code condition} holds; the tests' {@link Timeout} ends a wait that never does.
   */
  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    while (!condition.getAsBoolean()) {
      Thread.sleep(1);
    }
  }

  private static CachedCalls callsOf(Processor cached) {
    return ((Cached.CachedProcessor) cached).calls();
  }

  private static CachedCalls callsOfPart(PartProcessor cached) {
    return ((Cached.CachedPartProcessor) cached).calls();
  }

  @Nested
  class WholeInput {
    @Test
    void secondIdenticalCall_emitsTheStoredParts_withoutRunningTheProcessor() {
      Processor cached = Cached.processor(upper("upper"), cache);

      ProcessorContent first = cached.apply(List.of("a", "b")).gather();
      ProcessorContent second = cached.apply(List.of("a", "b")).gather();

      assertThat(calls).hasValue(1);
      assertThat(texts(second)).containsExactly("A", "B");
      assertThat(second).isEqualTo(first);
      assertThat(second.get(0).role()).isEqualTo("model");
      assertThat(second.get(0).metadata()).containsEntry("n", 1L);
    }

    @Test
    void differentInput_runsTheProcessorAgain() {
      Processor cached = Cached.processor(upper("upper"), cache);

      cached.apply(List.of("a", "b")).gather();
      ProcessorContent other = cached.apply(List.of("b", "a")).gather();

      assertThat(calls).hasValue(2);
      assertThat(texts(other)).containsExactly("B", "A");
    }

    @Test
    void result_isStoredUnderTheNameAndTheContentHashOfTheWholeInput() {
      Processor cached = Cached.processor(upper("upper"), cache);

      cached.apply(List.of("a", "b")).gather();

      String key = "upper:" + ContentHash.of(ProcessorContent.of("a", "b"));
      assertThat(cache.lookup(key).map(TestProcessors::texts)).contains(List.of("A", "B"));
    }

    @Test
    void name_wrapsTheProcessorsName() {
      assertThat(Cached.processor(upper("upper"), cache).name()).isEqualTo("cached(upper)");
    }
  }

  @Nested
  class PerPart {
    @Test
    void eachPart_isLookedUpOnItsOwn() {
      PartProcessor cached = Cached.partProcessor(exclaim("exclaim"), cache);

      List<String> first = texts(cached.apply(List.of("a", "b")));
      List<String> second = texts(cached.apply(List.of("b", "c", "a")));

      assertThat(first).containsExactly("a!", "b!");
      assertThat(second).containsExactly("b!", "c!", "a!");
      assertThat(calls).hasValue(3);
    }

    @Test
    void partsTheProcessorDoesNotMatch_passThroughUnchanged_andAreNotStored() {
      PartProcessor cached =
          Cached.partProcessor(exclaim("exclaim").withMatch(p -> p.text().startsWith("x")), cache);
      ProcessorPart other = ProcessorPart.text("other");

      List<String> out = texts(cached.apply(List.of("x1", "other", "x2")));

      assertThat(out).containsExactly("x1!", "other", "x2!");
      assertThat(cached.match(other)).isFalse();
      assertThat(cached.match(ProcessorPart.text("x3"))).isTrue();
      assertThat(cache.lookup("exclaim:" + ContentHash.of(other))).isEmpty();
      assertThat(calls).hasValue(2);
    }

    @Test
    void name_wrapsThePartProcessorsName() {
      assertThat(Cached.partProcessor(exclaim("exclaim"), cache).name())
          .isEqualTo("cached(exclaim)");
    }

    @Test
    @Timeout(60) // guards against a hang, not a performance bound
    void missStreamsParts_beforeTheProcessorHasFinished() {
      CountDownLatch firstRead = new CountDownLatch(1);
      PartProcessor twoSteps =
          PartProcessor.named(
              "two-steps",
              (part, output) -> {
                output.emit("first");
                firstRead.await();
                output.emit("second");
              });
      PartProcessor cached = Cached.partProcessor(twoSteps, cache);

      try (ProcessorStream out = cached.apply("go")) {
        Iterator<ProcessorPart> parts = out.iterator();
        assertThat(parts.next().text()).isEqualTo("first");
        firstRead.countDown();
        assertThat(parts.next().text()).isEqualTo("second");
        assertThat(parts.hasNext()).isFalse();
      }
      assertThat(
              cache
                  .lookup("two-steps:" + ContentHash.of(ProcessorPart.text("go")))
                  .map(TestProcessors::texts))
          .contains(List.of("first", "second"));
    }
  }

  @Nested
  class Keys {
    @Test
    void differentProcessorsSharingOneCache_doNotSeeEachOthersEntries() {
      Processor upper = Cached.processor(upper("upper"), cache);
      Processor twice = Cached.processor(TestProcessors.twice(), cache);
      PartProcessor exclaim = Cached.partProcessor(exclaim("exclaim"), cache);
      PartProcessor question =
          Cached.partProcessor(
              PartProcessor.named("question", (part, output) -> output.emit(part.text() + "?")),
              cache);

      assertThat(upper.apply("a").text()).isEqualTo("A");
      assertThat(twice.apply("a").text()).isEqualTo("aa");
      assertThat(exclaim.apply("a").text()).isEqualTo("a!");
      assertThat(question.apply("a").text()).isEqualTo("a?");
      assertThat(upper.apply("a").text()).isEqualTo("A");
      assertThat(question.apply("a").text()).isEqualTo("a?");
    }

    @Test
    void processorsWithTheSameKeyPrefix_shareEntries() {
      Processor v1 = Cached.using(cache).keyPrefix("shared:").processor(upper("upper"));
      Processor v2 = Cached.using(cache).keyPrefix("shared:").processor(TestProcessors.twice());

      v1.apply("a").gather();

      assertThat(v2.apply("a").text()).isEqualTo("A");
      assertThat(cache.lookup("shared:" + ContentHash.of(ProcessorPart.text("a")))).isPresent();
    }

    @Test
    void unnamedLambda_isRefused_becauseAllLambdasShareTheDefaultPrefix() {
      Processor lambda = (input, output) -> output.emitAll(input);

      assertThatThrownBy(() -> Cached.processor(lambda, cache))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'lambda'")
          .hasMessageContaining("keyPrefix");
      assertThatThrownBy(() -> Cached.partProcessor((part, output) -> output.emit(part), cache))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unnamedLambda_isCached_underAnExplicitKeyPrefix() {
      Processor lambda =
          (input, output) -> {
            calls.incrementAndGet();
            output.emitAll(input);
          };
      Processor cached = Cached.using(cache).keyPrefix("echo:").processor(lambda);

      cached.apply("a").gather();
      cached.apply("a").gather();

      assertThat(calls).hasValue(1);
    }

    @Test
    void keyFunctionReturningNull_runsTheProcessorEveryTime_andStoresNothing() {
      Processor cached = Cached.using(cache).keyFunction(content -> null).processor(upper("upper"));

      cached.apply("a").gather();
      cached.apply("a").gather();

      assertThat(calls).hasValue(2);
      assertThat(cache.size()).isZero();
    }

    @Test
    void customKeyFunction_decidesWhichInputsAreIdentical() {
      Processor cached =
          Cached.using(cache)
              .keyFunction(content -> content.text().toLowerCase())
              .processor(upper("upper"));

      cached.apply("Hello").gather();
      String second = cached.apply("hELLO").text();

      assertThat(second).isEqualTo("HELLO");
      assertThat(calls).hasValue(1);
      assertThat(cache.lookup("upper:hello")).isPresent();
    }

    @Test
    void inputWithAnExceptionPart_isNeverCached() {
      Processor cached = Cached.processor(upper("upper"), cache);
      ProcessorPart error = ProcessorPart.exception(new IllegalStateException("boom"));

      cached.apply(List.of(ProcessorPart.text("a"), error)).gather();
      cached.apply(List.of(ProcessorPart.text("a"), error)).gather();

      assertThat(calls).hasValue(2);
    }
  }

  @Nested
  class NotCached {
    @Test
    void failure_isNotStored_soARetryRunsTheProcessorAgain() {
      Processor flaky =
          Processor.named(
              "flaky",
              (input, output) -> {
                if (calls.incrementAndGet() == 1) {
                  throw new IllegalStateException("boom");
                }
                output.emit("ok");
              });
      Processor cached = Cached.processor(flaky, cache);

      assertThatThrownBy(() -> cached.apply("q").gather())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("boom");
      assertThat(cached.apply("q").text()).isEqualTo("ok");
      assertThat(cached.apply("q").text()).isEqualTo("ok");
      assertThat(calls).hasValue(2);
    }

    @Test
    void failureAfterSomeParts_isNotStored() {
      PartProcessor halfway =
          PartProcessor.named(
              "halfway",
              (part, output) -> {
                output.emit("partial");
                if (calls.incrementAndGet() == 1) {
                  throw new IllegalStateException("boom");
                }
              });
      PartProcessor cached = Cached.partProcessor(halfway, cache);

      assertThatThrownBy(() -> cached.apply("q").gather())
          .isInstanceOf(IllegalStateException.class);
      cached.apply("q").gather();
      cached.apply("q").gather();

      assertThat(calls).hasValue(2);
    }

    @Test
    void resultWithAnExceptionPart_isNotStored() {
      PartProcessor reportsErrors =
          PartProcessor.named(
              "reports",
              (part, output) -> {
                calls.incrementAndGet();
                output.emit("partial");
                output.emit(ProcessorPart.exception(new IllegalStateException("boom")));
              });
      PartProcessor cached = Cached.partProcessor(reportsErrors, cache);

      ProcessorContent first = cached.apply("q").gather();
      cached.apply("q").gather();

      assertThat(first.get(1).isException()).isTrue();
      assertThat(calls).hasValue(2);
      assertThat(cache.size()).isZero();
    }

    @Test
    void emptyResult_isNotStored() {
      Processor silent = Processor.named("silent", (input, output) -> calls.incrementAndGet());
      Processor cached = Cached.processor(silent, cache);

      assertThat(cached.apply("q").gather()).isEqualTo(ProcessorContent.empty());
      assertThat(cached.apply("q").gather()).isEqualTo(ProcessorContent.empty());
      assertThat(calls).hasValue(2);
    }
  }

  /**
   * A cache that records the calls a reserving cache (one shared by processes) gets, to check that
   * every reservation a miss makes is ended.
   */
  private static final class ReservingCache implements ProcessorCache {
    final InMemoryCache entries = InMemoryCache.create();
    final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public java.util.Optional<ProcessorContent> lookup(String key) {
      log.add("lookup");
      return entries.lookup(key);
    }

    @Override
    public java.util.Optional<ProcessorContent> lookupOrReserve(String key) {
      log.add("lookupOrReserve");
      return entries.lookup(key);
    }

    @Override
    public void put(String key, ProcessorContent value) {
      log.add("put");
      entries.put(key, value);
    }

    @Override
    public void remove(String key) {
      log.add("remove");
    }

    @Override
    public void release(String key) {
      log.add("release");
    }
  }

  @Nested
  class Reservations {
    private final ReservingCache reserving = new ReservingCache();

    @Test
    void miss_reservesTheKey_andStoringTheResultEndsTheReservation() {
      Processor cached = Cached.processor(upper("upper"), reserving);

      cached.apply("q").gather();
      cached.apply("q").gather();

      assertThat(reserving.log).containsExactly("lookupOrReserve", "put", "lookupOrReserve");
    }

    @Test
    void failedComputation_releasesTheKey() {
      Processor failing =
          Processor.named(
              "failing",
              (input, output) -> {
                throw new IllegalStateException("boom");
              });

      assertThatThrownBy(() -> Cached.processor(failing, reserving).apply("q").gather())
          .isInstanceOf(IllegalStateException.class);

      assertThat(reserving.log).containsExactly("lookupOrReserve", "release");
    }

    @Test
    void resultThatIsNotStored_releasesTheKey() {
      Processor silent = Processor.named("silent", (input, output) -> {});

      Cached.processor(silent, reserving).apply("q").gather();

      assertThat(reserving.log).containsExactly("lookupOrReserve", "release");
    }

    @Test
    void prefixedView_reservesAndReleasesUnderThePrefixedKey() {
      List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
      ProcessorCache spy =
          new ProcessorCache() {
            @Override
            public java.util.Optional<ProcessorContent> lookup(String key) {
              return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<ProcessorContent> lookupOrReserve(String key) {
              keys.add("reserve " + key);
              return java.util.Optional.empty();
            }

            @Override
            public void put(String key, ProcessorContent value) {}

            @Override
            public void remove(String key) {}

            @Override
            public void release(String key) {
              keys.add("release " + key);
            }
          };

      ProcessorCache view = spy.withKeyPrefix("v:");
      view.lookupOrReserve("k");
      view.release("k");

      assertThat(keys).containsExactly("reserve v:k", "release v:k");
    }
  }

  @Nested
  @Timeout(60) // guards against a hang, not a performance bound
  class IdenticalCallsAtOnce {
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** Counts its calls; the first waits for {@link #release} and then fails when told to. */
    private Processor slow(boolean firstFails) {
      return Processor.named(
          "slow",
          (input, output) -> {
            if (calls.incrementAndGet() == 1) {
              started.countDown();
              release.await();
              if (firstFails) {
                throw new IllegalStateException("first failed");
              }
            }
            for (ProcessorPart part : input) {
              output.emit(part.text() + "!");
            }
          });
    }

    @Test
    void runTheProcessorOnce_andBothGetItsParts() throws Exception {
      Processor cached = Cached.processor(slow(false), cache);

      try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<ProcessorContent> first = callers.submit(() -> cached.apply("q").gather());
        started.await();
        Future<ProcessorContent> second = callers.submit(() -> cached.apply("q").gather());
        awaitUntil(() -> callsOf(cached).waiting() == 1 || calls.get() > 1);
        release.countDown();

        assertThat(texts(first.get())).containsExactly("q!");
        assertThat(texts(second.get())).containsExactly("q!");
      }
      assertThat(calls).hasValue(1);
    }

    @Test
    void identicalPartsOfOneStream_runThePartProcessorOnce() throws Exception {
      PartProcessor slowPart =
          PartProcessor.named(
              "slow-part",
              (part, output) -> {
                calls.incrementAndGet();
                started.countDown();
                release.await();
                output.emit(part.text() + "!");
              });
      PartProcessor cached = Cached.partProcessor(slowPart, cache);

      try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<List<String>> out = callers.submit(() -> texts(cached.apply(List.of("x", "x"))));
        started.await();
        awaitUntil(() -> callsOfPart(cached).waiting() == 1 || calls.get() > 1);
        release.countDown();

        assertThat(out.get()).containsExactly("x!", "x!");
      }
      assertThat(calls).hasValue(1);
    }

    @Test
    void whenTheFirstFails_theWaitingCallRunsTheProcessorItself() throws Exception {
      Processor cached = Cached.processor(slow(true), cache);

      try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<ProcessorContent> first = callers.submit(() -> cached.apply("q").gather());
        started.await();
        Future<ProcessorContent> second = callers.submit(() -> cached.apply("q").gather());
        awaitUntil(() -> callsOf(cached).waiting() == 1 || calls.get() > 1);
        release.countDown();

        assertThatThrownBy(first::get)
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("first failed");
        assertThat(texts(second.get())).containsExactly("q!");
      }
      assertThat(calls).hasValue(2);
      assertThat(cached.apply("q").text()).isEqualTo("q!");
      assertThat(calls).hasValue(2);
    }

    @Test
    void whenTheFirstIsCancelled_theWaitingCallRunsTheProcessorItself() throws Exception {
      Processor cached = Cached.processor(slow(false), cache);
      ProcessorStream firstStream = cached.apply("q");

      try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<ProcessorContent> first = callers.submit(firstStream::gather);
        started.await();
        Future<ProcessorContent> second = callers.submit(() -> cached.apply("q").gather());
        awaitUntil(() -> callsOf(cached).waiting() == 1 || calls.get() > 1);
        firstStream.close();

        assertThatThrownBy(first::get).cause().isInstanceOf(CancellationException.class);
        assertThat(texts(second.get())).containsExactly("q!");
      }
      assertThat(calls).hasValue(2);
    }
  }
}
