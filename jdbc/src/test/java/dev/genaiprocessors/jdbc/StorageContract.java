package dev.genaiprocessors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.genaiprocessors.Cached;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorCache;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.Substreams;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What storage promises on every database: the same scenarios run against PostgreSQL, MariaDB and
 * H2, each in a schema or database of its own that is dropped when the class ends. Every test uses
 * tables of its own prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120) // guards against a hang, not a performance bound
abstract class StorageContract {
  private TestDatabase db;
  private final AtomicInteger prefixes = new AtomicInteger();
  private final List<Storage> opened = new ArrayList<>();

  /** Makes this class's own database. */
  abstract TestDatabase open() throws Exception;

  @BeforeAll
  void createDatabase() throws Exception {
    db = open();
  }

  /** Closes the test's storages: the servers' connection limits are shared with other tests. */
  @AfterEach
  void closeStorages() {
    for (Storage storage : opened) {
      storage.close();
    }
    opened.clear();
  }

  @AfterAll
  void dropDatabase() throws Exception {
    db.close();
  }

  private String prefix() {
    return "t" + prefixes.incrementAndGet() + "_";
  }

  private Storage open(Storage.Builder builder) {
    Storage storage = builder.build();
    opened.add(storage);
    return storage;
  }

  private Storage storage() {
    return open(db.storage(prefix()));
  }

  private static String runIdOf(ProcessorContent results) {
    return Storage.runIdOf(results.get(0)).orElseThrow();
  }

  /** Waits until {@code condition} holds; the class's timeout ends a wait that never does. */
  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    while (!condition.getAsBoolean()) {
      Thread.sleep(5);
    }
  }

  /** Runs a task on a virtual thread of its own (the common pool may have a single thread). */
  private static void onItsOwnThread(Runnable task) {
    Thread.ofVirtual().start(task);
  }

  private long partRows(Storage storage, String runId) throws Exception {
    return db.count(
        "SELECT COUNT(*) FROM " + tablesOf(storage).parts() + " WHERE run_id = ?", runId);
  }

  private static Tables tablesOf(Storage storage) {
    return storage.tables();
  }

  /** Emits each text part upper-cased, and a copy of each other part. */
  private static final Processor UPPER =
      Processor.named(
          "upper",
          (input, output) -> {
            for (ProcessorPart part : input) {
              output.emit(part.isText() ? ProcessorPart.text(part.text().toUpperCase()) : part);
            }
          });

  private static ProcessorContent withoutStorageMetadata(ProcessorContent content) {
    List<ProcessorPart> parts = new ArrayList<>();
    for (ProcessorPart part : content) {
      Map<String, Object> metadata = new HashMap<>(part.metadata());
      metadata.remove("storage_id");
      metadata.remove("stored_at");
      parts.add(part.withMetadata(metadata));
    }
    return ProcessorContent.ofParts(parts);
  }

  // ---------------------------------------------------------------- runs, inputs and results

  @Test
  void everyInputAndResult_isStored_andLoadsBackEqual() {
    Storage storage = storage();
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};
    ProcessorContent input =
        ProcessorContent.of(
            ProcessorPart.text("hello").withRole("user").withMetadata("lang", "en"),
            ProcessorPart.blob(png, "image/png"),
            ProcessorPart.functionCall("get_weather", Map.of("city", "Paris", "days", 3L)),
            ProcessorPart.json(Map.of("a", List.of(1L, 2.5, "x"))));

    ProcessorContent results = storage.wrap(UPPER).apply(input).gather();

    String runId = runIdOf(results);
    assertThat(storage.inputs(runId)).isEqualTo(input);
    assertThat(storage.results(runId)).isEqualTo(withoutStorageMetadata(results));
    assertThat(storage.results(runId).get(0).text()).isEqualTo("HELLO");
    assertThat(storage.results(runId).get(1).bytes()).isEqualTo(png);
  }

  @Test
  void inlineBytes_areStoredInTheBinaryColumn_notAsBase64Text() throws Exception {
    Storage storage = storage();
    byte[] data = new byte[3000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 7);
    }

    ProcessorContent results =
        storage.wrap(UPPER).apply(ProcessorPart.blob(data, "application/octet-stream")).gather();

    try (Connection connection = db.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT part_json, part_bytes, mime_type FROM "
                    + tablesOf(storage).parts()
                    + " WHERE run_id = ? AND kind = 'input'")) {
      select.setString(1, runIdOf(results));
      try (ResultSet row = select.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getBytes(2)).isEqualTo(data);
        assertThat(row.getString(1))
            .doesNotContain(Base64.getEncoder().encodeToString(data).substring(0, 40))
            .doesNotContain(Base64.getUrlEncoder().encodeToString(data).substring(0, 40))
            .hasSizeLessThan(300);
        assertThat(row.getString(3)).isEqualTo("application/octet-stream");
      }
    }
  }

  @Test
  void results_goOnWithTheirStorageIdAndStoredAt() {
    Storage storage = storage();

    ProcessorContent results = storage.wrap(UPPER).apply(List.of("a", "b")).gather();

    String runId = runIdOf(results);
    assertThat(results.get(0).metadata("storage_id")).isEqualTo(runId + "/2");
    assertThat(results.get(1).metadata("storage_id")).isEqualTo(runId + "/4");
    assertThat(Instant.parse((String) results.get(0).metadata("stored_at")))
        .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
  }

  @Test
  void aRun_recordsItsProcessorTimesAndOutcome() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05.006Z"));
    Storage storage = open(db.storage(prefix()).clock(clock));
    Processor slow =
        Processor.named(
            "slow",
            (input, output) -> {
              input.gather();
              clock.advance(Duration.ofSeconds(2));
              output.emit("done");
            });

    String runId = runIdOf(storage.wrap(slow).apply("go").gather());

    StoredRun run = storage.run(runId).orElseThrow();
    assertThat(run.processorName()).isEqualTo("slow");
    assertThat(run.startedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.006Z"));
    assertThat(run.endedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:07.006Z"));
    assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(run.error()).isNull();
  }

  @Test
  void aFailedRun_recordsItsErrorAndTheInputsItHadRead() throws Exception {
    Storage storage = storage();
    Processor failing =
        Processor.named(
            "failing",
            (input, output) -> {
              input.read();
              input.read();
              throw new IllegalStateException("the model said no");
            });

    assertThatThrownBy(() -> storage.wrap(failing).apply(List.of("a", "b", "c")).gather())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the model said no");

    List<StoredRun> runs = storage.runs("failing", Instant.EPOCH, Instant.now().plusSeconds(1));
    assertThat(runs).hasSize(1);
    StoredRun run = runs.get(0);
    assertThat(run.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(run.error()).isEqualTo("java.lang.IllegalStateException: the model said no");
    assertThat(storage.inputs(run.id())).isEqualTo(ProcessorContent.of("a", "b"));
  }

  @Test
  void aCancelledRun_isRecordedAsCancelled_withTheResultsItHadEmitted() throws Exception {
    Storage storage = storage();
    Processor endless =
        Processor.named(
            "endless",
            (input, output) -> {
              for (int i = 0; ; i++) {
                output.emit("part " + i);
              }
            });

    String runId;
    try (ProcessorStream stream = storage.wrap(endless).apply("go")) {
      Iterator<ProcessorPart> parts = stream.iterator();
      runId = Storage.runIdOf(parts.next()).orElseThrow();
      parts.next();
      parts.next();
    }

    StoredRun run = storage.run(runId).orElseThrow();
    assertThat(run.outcome()).isEqualTo(RunOutcome.CANCELLED);
    assertThat(run.endedAt()).isNotNull();
    // Every result the processor emitted was stored, the three read and those in the buffers.
    assertThat(storage.results(runId).size()).isGreaterThanOrEqualTo(3);
    assertThat(storage.results(runId).get(2).text()).isEqualTo("part 2");
  }

  @Test
  void aPartProcessor_linksEveryResultToTheInputItCameFrom() throws Exception {
    Storage storage = storage();
    PartProcessor twice =
        PartProcessor.named(
            "twice",
            (part, output) -> {
              Thread.sleep(part.text().length()); // finish out of order
              output.emit(part.text() + "-1");
              output.emit(part.text() + "-2");
            });
    List<String> words = List.of("ccccc", "a", "dddd", "bb", "e");

    ProcessorContent results = storage.wrap(twice).apply(words).gather();

    assertThat(results.stream().map(ProcessorPart::text))
        .containsExactly(
            "ccccc-1", "ccccc-2", "a-1", "a-2", "dddd-1", "dddd-2", "bb-1", "bb-2", "e-1", "e-2");
    String runId = runIdOf(results);
    assertThat(storage.results(runId)).isEqualTo(withoutStorageMetadata(results));
    assertThat(storage.inputs(runId)).isEqualTo(ProcessorContent.from(words));
    Map<String, String> inputOfResult = new HashMap<>();
    try (Connection connection = db.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT r.part_json, i.part_json FROM "
                    + tablesOf(storage).parts()
                    + " r JOIN "
                    + tablesOf(storage).parts()
                    + " i ON i.run_id = r.run_id AND i.seq = r.input_seq"
                    + " WHERE r.run_id = ? AND r.kind = 'result' AND i.kind = 'input'")) {
      select.setString(1, runId);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          inputOfResult.put(
              PartRows.decode(row.getString(1), null).text(),
              PartRows.decode(row.getString(2), null).text());
        }
      }
    }
    assertThat(inputOfResult).hasSize(10);
    inputOfResult.forEach((result, in) -> assertThat(result).startsWith(in + "-"));
  }

  @Test
  void runs_areListedByProcessorAndTime() {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    Storage storage = open(db.storage(prefix()).clock(clock));
    Processor upper = storage.wrap(UPPER);
    Processor other = storage.wrap(Processor.named("other", (in, out) -> out.emitAll(in)));

    List<String> ids = new ArrayList<>();
    for (int day = 0; day < 3; day++) {
      ids.add(runIdOf(upper.apply("day " + day).gather()));
      other.apply("x").gather();
      clock.advance(Duration.ofDays(1));
    }

    assertThat(
            storage.runs("upper", Instant.parse("2026-03-02T00:00:00Z"), clock.instant()).stream()
                .map(StoredRun::id))
        .containsExactly(ids.get(1), ids.get(2));
    assertThat(storage.runs("upper", Instant.EPOCH, Instant.parse("2026-03-01T00:00:01Z")))
        .extracting(StoredRun::id)
        .containsExactly(ids.get(0));
    assertThat(storage.runs("other", Instant.EPOCH, clock.instant())).hasSize(3);
    assertThat(storage.runs("nobody", Instant.EPOCH, clock.instant())).isEmpty();
    assertThat(storage.run("no-such-run")).isEmpty();
  }

  @Test
  void replay_runsAStoredInputThroughAnotherProcessor() {
    Storage storage = storage();
    String runId = runIdOf(storage.wrap(UPPER).apply(List.of("one", "two")).gather());
    Processor reverse =
        Processor.named(
            "reverse",
            (input, output) -> {
              for (ProcessorPart part : input) {
                output.emit(new StringBuilder(part.text()).reverse().toString());
              }
            });

    ProcessorContent replayed = storage.replay(runId, storage.wrap(reverse)).gather();

    assertThat(replayed.stream().map(ProcessorPart::text)).containsExactly("eno", "owt");
    assertThat(storage.inputs(runIdOf(replayed))).isEqualTo(storage.inputs(runId));
    assertThatThrownBy(() -> storage.replay("no-such-run", reverse))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-run");
  }

  // ---------------------------------------------------------------- batches

  @Test
  void manyParts_areWrittenInBatches_andEveryOneArrives() throws Exception {
    Storage storage = open(db.storage(prefix()).batchSize(64));
    List<String> input = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      input.add("part " + i);
    }

    ProcessorContent results = storage.wrap(UPPER).apply(input).gather();

    String runId = runIdOf(results);
    assertThat(partRows(storage, runId)).isEqualTo(6000);
    assertThat(storage.results(runId).get(2999).text()).isEqualTo("PART 2999");
    assertThat(storage.pendingRows()).isZero();
  }

  @Test
  void aLonelyPart_isWrittenOnceTheFlushIntervalPasses_whileTheRunGoesOn() throws Exception {
    Storage storage =
        open(db.storage(prefix()).batchSize(1000).flushInterval(Duration.ofMillis(20)));
    CountDownLatch stored = new CountDownLatch(1);
    Processor waits =
        Processor.named(
            "waits",
            (input, output) -> {
              output.emit("first");
              assertThat(stored.await(60, TimeUnit.SECONDS)).isTrue();
              output.emit("second");
            });

    try (ProcessorStream stream = storage.wrap(waits).apply(List.of())) {
      Iterator<ProcessorPart> parts = stream.iterator();
      String runId = Storage.runIdOf(parts.next()).orElseThrow();
      // Far from a full batch, and the run has not ended: only the interval writes the row.
      awaitUntil(() -> uncheckedCount(storage, runId) == 1);
      stored.countDown();
      assertThat(parts.next().text()).isEqualTo("second");
    }
  }

  private long uncheckedCount(Storage storage, String runId) {
    try {
      return partRows(storage, runId);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- the database going down

  /** Input the test hands in part by part; {@code END} ends it. */
  private static final ProcessorPart END = ProcessorPart.text("end");

  private static Iterator<ProcessorPart> fed(BlockingQueue<ProcessorPart> queue) {
    return new Iterator<>() {
      private ProcessorPart next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          try {
            next = queue.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException();
          }
        }
        return next != END;
      }

      @Override
      public ProcessorPart next() {
        ProcessorPart part = next;
        next = null;
        return part;
      }
    };
  }

  /** Counts what the processor read and emitted, so the test can count every row. */
  private static final class Counting implements Processor {
    final AtomicInteger read = new AtomicInteger();
    final AtomicInteger emitted = new AtomicInteger();

    @Override
    public void call(dev.genaiprocessors.PartStream input, PartSink output) {
      for (ProcessorPart part : input) {
        read.incrementAndGet();
        output.emit(ProcessorPart.text(part.text() + "!"));
        emitted.incrementAndGet();
      }
    }

    @Override
    public String name() {
      return "counting";
    }
  }

  @Test
  void databaseDown_failMode_failsTheRun_namingTheDatabaseAndCountingWhatWasNotStored()
      throws Exception {
    try (TcpProxy proxy = new TcpProxy(db.port())) {
      Storage storage =
          open(
              db.storage(prefix(), proxy.port())
                  .batchSize(8)
                  .flushInterval(Duration.ofMillis(10))
                  .whenDatabaseDown(DatabaseDown.FAIL));
      Counting counting = new Counting();
      BlockingQueue<ProcessorPart> feed = new ArrayBlockingQueue<>(1000);
      for (int i = 0; i < 20; i++) {
        feed.add(ProcessorPart.text("before " + i));
      }
      List<ProcessorPart> seen = new ArrayList<>();
      CompletableFuture<Throwable> failure =
          CompletableFuture.supplyAsync(
              () -> {
                try (ProcessorStream stream = storage.wrap(counting).apply(fed(feed))) {
                  for (ProcessorPart part : stream) {
                    seen.add(part);
                  }
                  return null;
                } catch (Throwable e) {
                  return e;
                }
              },
              StorageContract::onItsOwnThread);
      awaitUntil(() -> counting.emitted.get() == 20);
      storage.flush();
      proxy.refuse();
      for (int i = 0; i < 30; i++) {
        feed.add(ProcessorPart.text("after " + i));
      }
      feed.add(END);

      Throwable error = failure.get(60, TimeUnit.SECONDS);

      assertThat(error)
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("could not store")
          .hasMessageContaining(db.product() + " at jdbc:")
          .hasMessageContaining("processor 'counting'");
      StorageException storageError = (StorageException) error;
      proxy.accept();
      String runId = Storage.runIdOf(seen.get(0)).orElseThrow();
      long storedParts = partRows(storage, runId);
      assertThat(storedParts).isGreaterThanOrEqualTo(40);
      assertThat(storedParts + storageError.unsavedParts())
          .isEqualTo(counting.read.get() + counting.emitted.get());
      assertThat(storageError.unsavedParts()).isPositive();
    }
  }

  @Test
  void databaseDown_spoolMode_goesOnWithAStatusPart_andWritesEveryRowWhenItReturns()
      throws Exception {
    try (TcpProxy proxy = new TcpProxy(db.port())) {
      Storage storage =
          open(
              db.storage(prefix(), proxy.port())
                  .batchSize(8)
                  .flushInterval(Duration.ofMillis(10))
                  .retryInterval(Duration.ofMillis(50))
                  .whenDatabaseDown(DatabaseDown.SPOOL));
      Counting counting = new Counting();
      List<ProcessorPart> input = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        input.add(ProcessorPart.text("before " + i));
      }
      String first = runIdOf(storage.wrap(counting).apply(input).gather());
      assertThat(partRows(storage, first)).isEqualTo(20);
      proxy.refuse();
      List<ProcessorPart> more = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        more.add(ProcessorPart.text("during " + i));
      }
      ProcessorContent during = storage.wrap(counting).apply(more).gather();

      ProcessorContent status = during.filterBySubstream(Substreams.STATUS);
      assertThat(status.size()).isEqualTo(1);
      assertThat(status.get(0).text())
          .contains(db.product() + " at jdbc:")
          .contains("cannot be reached")
          .contains("spool");
      ProcessorContent data = during.filter(p -> !p.substreamName().equals(Substreams.STATUS));
      assertThat(data.size()).isEqualTo(50);

      proxy.accept();
      storage.flush();
      String second = runIdOf(data);
      assertThat(partRows(storage, second)).isEqualTo(100);
      assertThat(storage.run(second).orElseThrow().outcome()).isEqualTo(RunOutcome.SUCCEEDED);
      assertThat(counting.read.get() + counting.emitted.get()).isEqualTo(120);
    }
  }

  @Test
  void databaseDown_spoolMode_aFullSpoolFailsTheRun_andEverySpooledRowIsWrittenLater()
      throws Exception {
    try (TcpProxy proxy = new TcpProxy(db.port())) {
      Storage storage =
          open(
              db.storage(prefix(), proxy.port())
                  .batchSize(4)
                  .spoolLimit(30)
                  .flushInterval(Duration.ofMillis(5))
                  .retryInterval(Duration.ofMillis(50))
                  .whenDatabaseDown(DatabaseDown.SPOOL));
      storage.wrap(UPPER).apply("warm up").gather();
      proxy.refuse();
      Counting counting = new Counting();
      List<ProcessorPart> input = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        input.add(ProcessorPart.text("part " + i));
      }
      List<ProcessorPart> seen = new ArrayList<>();

      Throwable error = null;
      try (ProcessorStream stream = storage.wrap(counting).apply(input)) {
        for (ProcessorPart part : stream) {
          seen.add(part);
        }
      } catch (StorageException e) {
        error = e;
      }

      assertThat(error)
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("spool")
          .hasMessageContaining(db.product() + " at jdbc:");
      proxy.accept();
      storage.flush();
      String runId =
          seen.stream().map(Storage::runIdOf).flatMap(Optional::stream).findFirst().orElseThrow();
      long stored = partRows(storage, runId);
      // The part that found the spool full never reached the processor (an input) or the caller
      // (a result), so the processor's counts miss it; the exception counts it.
      assertThat(((StorageException) error).unsavedParts()).isEqualTo(1);
      assertThat(stored).isEqualTo(counting.read.get() + counting.emitted.get());
    }
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void sqlInAMetadataValueOrAProcessorName_isStoredAsWritten() {
    Storage storage = storage();
    String attack = "x'); DROP TABLE " + tablesOf(storage).runs() + "; --";
    Processor named = Processor.named("it's \"quoted\"; DROP TABLE x", UPPER);
    ProcessorPart part = ProcessorPart.text(attack).withMetadata("note", attack);

    String runId = runIdOf(storage.wrap(named).apply(part).gather());

    assertThat(storage.inputs(runId)).isEqualTo(ProcessorContent.of(part));
    assertThat(storage.run(runId).orElseThrow().processorName())
        .isEqualTo("it's \"quoted\"; DROP TABLE x");
  }

  @Test
  void aPartOverTheSizeLimit_failsTheRun_namingItsSizeAndTheLimit() {
    Storage storage = open(db.storage(prefix()).maxPartBytes(1000));
    String big = "x".repeat(5000);

    assertThatThrownBy(() -> storage.wrap(UPPER).apply(List.of("small", big)).gather())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("input part 3")
        .hasMessageContaining("takes 50")
        .hasMessageContaining("over the limit of 1000 bytes (maxPartBytes)");
  }

  @Test
  void migrations_runOnce_andStoragesWithDifferentPrefixesShareTheSchema() {
    String prefix = prefix();
    Storage first = open(db.storage(prefix));
    Storage again = open(db.storage(prefix));
    Storage other = storage();

    String runId = runIdOf(first.wrap(UPPER).apply("a").gather());

    assertThat(again.run(runId)).isPresent();
    assertThat(other.run(runId)).isEmpty();
  }

  @Test
  void aStoredProcessor_keepsTheWrappedProcessorsName_soInterceptorsSeeTheSameStage() {
    Storage storage = storage();
    PartProcessor shout = PartProcessor.of("shout", part -> part);

    assertThat(storage.wrap(UPPER).name()).isEqualTo("upper");
    assertThat(storage.wrap(shout).name()).isEqualTo("shout");
  }

  @Test
  void aStorageThatDoesNotMigrate_onTablesNotMigrated_failsTheBuild_sayingSoAndChangingNothing()
      throws Exception {
    String prefix = prefix();

    assertThatThrownBy(() -> open(db.storage(prefix).migrate(false)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("prefix '" + prefix + "'")
        .hasMessageContaining("migrate(false)")
        .hasMessageContaining("Storage.flywayConfiguration");
    assertThat(tableCount(prefix + "schema_history")).isZero();
    assertThat(tableCount(prefix + "runs")).isZero();
  }

  @Test
  void tablesMigratedByAnotherRunner_serveAStorageThatDoesNotMigrate() throws Exception {
    String prefix = prefix();
    try (HikariDataSource dataSource = dataSource()) {
      Flyway runner = Storage.flywayConfiguration(dataSource, prefix).load();
      runner.migrate();
      MigrationInfo[] applied = runner.info().applied();
      assertThat(applied).extracting(i -> i.getVersion().getVersion()).contains("1");

      Storage storage =
          open(Storage.builder().dataSource(dataSource).tablePrefix(prefix).migrate(false));
      String runId = runIdOf(storage.wrap(UPPER).apply("a").gather());

      assertThat(storage.results(runId).text()).isEqualTo("A");
      assertThat(runner.info().applied()).hasSameSizeAs(applied);
      assertThat(runner.info().pending()).isEmpty();
      storage.close();
    }
  }

  @Test
  void flywayConfiguration_refusesABadPrefix_namingIt() throws Exception {
    try (HikariDataSource dataSource = dataSource()) {
      assertThatThrownBy(() -> Storage.flywayConfiguration(dataSource, "Bad-Prefix"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"Bad-Prefix\"");
    }
  }

  private HikariDataSource dataSource() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.url());
    if (db.user() != null) {
      config.setUsername(db.user());
    }
    config.setMaximumPoolSize(2);
    return new HikariDataSource(config);
  }

  /** How many tables named {@code name} (in any case) the database's metadata lists. */
  private long tableCount(String name) throws Exception {
    try (Connection connection = db.connect()) {
      long found = 0;
      for (String candidate : new String[] {name, name.toUpperCase(java.util.Locale.ROOT)}) {
        try (ResultSet tables =
            connection
                .getMetaData()
                .getTables(
                    connection.getCatalog(),
                    connection.getSchema(),
                    candidate,
                    new String[] {"TABLE"})) {
          while (tables.next()) {
            found++;
          }
        }
      }
      return found;
    }
  }

  // ---------------------------------------------------------------- the cache

  @Test
  void cache_storesContent_andLooksItUp() {
    ProcessorCache cache = storage().cache(Duration.ofHours(1), 100);
    ProcessorContent value =
        ProcessorContent.of(
            ProcessorPart.text("answer").withMetadata("n", 1L),
            ProcessorPart.blob(new byte[] {1, 2, 3}, "image/png"));

    assertThat(cache.lookup("k")).isEmpty();
    cache.put("k", value);
    assertThat(cache.lookup("k")).contains(value);
    cache.put("k", ProcessorContent.of("newer"));
    assertThat(cache.lookup("k")).contains(ProcessorContent.of("newer"));
    cache.remove("k");
    assertThat(cache.lookup("k")).isEmpty();
    assertThat(cache.withKeyPrefix("p:").lookup("k")).isEmpty();
  }

  @Test
  void cache_entriesExpireAfterTheirTtl() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ProcessorCache cache =
        open(db.storage(prefix()).clock(clock)).cache(Duration.ofMinutes(10), 10);
    cache.put("k", ProcessorContent.of("v"));

    clock.advance(Duration.ofMinutes(9));
    assertThat(cache.lookup("k")).isPresent();
    clock.advance(Duration.ofMinutes(1));
    assertThat(cache.lookup("k")).isEmpty();
    assertThat(cache.lookupOrReserve("k")).isEmpty(); // and it may be computed again
  }

  @Test
  void cache_keepsAtMostMaxItems_theOldestGoingFirst() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    SqlCache cache = (SqlCache) open(db.storage(prefix()).clock(clock)).cache(Duration.ZERO, 3);
    for (String key : List.of("k1", "k2", "k3", "k4", "k5")) {
      cache.put(key, ProcessorContent.of(key));
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.lookup("k1")).isEmpty();
    assertThat(cache.lookup("k2")).isEmpty();
    assertThat(cache.lookup("k5")).contains(ProcessorContent.of("k5"));
  }

  @Test
  void cache_neverStoresErrors() {
    SqlCache cache = (SqlCache) storage().cache(Duration.ofHours(1), 100);
    AtomicInteger calls = new AtomicInteger();
    Processor failing =
        Processor.named(
            "failing",
            (input, output) -> {
              calls.incrementAndGet();
              throw new IllegalStateException("boom");
            });
    Processor reportsError =
        Processor.named(
            "reports",
            (input, output) -> {
              calls.incrementAndGet();
              output.emit(ProcessorPart.exception(new IllegalStateException("boom")));
            });

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> Cached.processor(failing, cache).apply("q").gather())
          .isInstanceOf(IllegalStateException.class);
      Cached.processor(reportsError, cache).apply("q").gather();
    }

    assertThat(calls).hasValue(4);
    assertThat(cache.size()).isZero();
    assertThatThrownBy(
            () -> cache.put("k", ProcessorContent.of(ProcessorPart.exception(new Error("x")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never cached");
  }

  @Test
  void cache_aKeyTooLong_isRefused_namingItsLength() {
    ProcessorCache cache = storage().cache(Duration.ofHours(1), 100);

    assertThatThrownBy(() -> cache.put("k".repeat(600), ProcessorContent.of("v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 512 characters, but this one has 600");
  }

  /** A model that counts its calls and, while {@code gate} is shut, waits inside its first. */
  private static Processor model(AtomicInteger calls, CountDownLatch gate, boolean failFirst) {
    return Processor.named(
        "model",
        (input, output) -> {
          int call = calls.incrementAndGet();
          assertThat(gate.await(60, TimeUnit.SECONDS)).isTrue();
          if (failFirst && call == 1) {
            throw new IllegalStateException("first call fails");
          }
          output.emit("answer to " + input.gather().text() + " from call " + call);
        });
  }

  @Test
  void cache_identicalCallsInTwoProcessesAtOnce_computeOnce() throws Exception {
    String prefix = prefix();
    SqlCache inFirst = (SqlCache) open(db.storage(prefix)).cache(Duration.ofHours(1), 100);
    SqlCache inSecond = (SqlCache) open(db.storage(prefix)).cache(Duration.ofHours(1), 100);
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);

    CompletableFuture<String> first =
        CompletableFuture.supplyAsync(
            () -> Cached.processor(model(calls, gate, false), inFirst).apply("q").text(),
            StorageContract::onItsOwnThread);
    awaitUntil(() -> calls.get() == 1);
    CompletableFuture<String> second =
        CompletableFuture.supplyAsync(
            () -> Cached.processor(model(calls, gate, false), inSecond).apply("q").text(),
            StorageContract::onItsOwnThread);
    awaitUntil(() -> inSecond.waiting() == 1);
    gate.countDown();

    assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo("answer to q from call 1");
    assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo("answer to q from call 1");
    assertThat(calls).hasValue(1);
  }

  @Test
  void cache_whenTheFirstProcessFails_theWaitingOneComputes() throws Exception {
    String prefix = prefix();
    SqlCache inFirst = (SqlCache) open(db.storage(prefix)).cache(Duration.ofHours(1), 100);
    SqlCache inSecond = (SqlCache) open(db.storage(prefix)).cache(Duration.ofHours(1), 100);
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);

    CompletableFuture<String> first =
        CompletableFuture.supplyAsync(
            () -> Cached.processor(model(calls, gate, true), inFirst).apply("q").text(),
            StorageContract::onItsOwnThread);
    awaitUntil(() -> calls.get() == 1);
    CompletableFuture<String> second =
        CompletableFuture.supplyAsync(
            () -> Cached.processor(model(calls, gate, true), inSecond).apply("q").text(),
            StorageContract::onItsOwnThread);
    awaitUntil(() -> inSecond.waiting() == 1);
    gate.countDown();

    assertThatThrownBy(() -> first.get(60, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(IllegalStateException.class);
    assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo("answer to q from call 2");
    assertThat(
            inFirst.lookup("model:" + dev.genaiprocessors.ContentHash.of(ProcessorContent.of("q"))))
        .isPresent();
  }

  @Test
  void cache_theReservationOfAProcessThatDied_lapses() throws Exception {
    String prefix = prefix();
    ProcessorCache dead = open(db.storage(prefix)).cache(Duration.ofHours(1), 100);
    MutableClock clock = new MutableClock(Instant.now());
    SqlCache alive =
        (SqlCache)
            open(db.storage(prefix).clock(clock))
                .cache(Duration.ofHours(1), 100, Duration.ofMinutes(1));
    assertThat(dead.lookupOrReserve("k")).isEmpty(); // and it never puts nor releases

    CompletableFuture<Optional<ProcessorContent>> waiting =
        CompletableFuture.supplyAsync(
            () -> alive.lookupOrReserve("k"), StorageContract::onItsOwnThread);
    awaitUntil(() -> alive.waiting() == 1);
    clock.advance(Duration.ofMinutes(6)); // past the dead one's five minutes

    assertThat(waiting.get(60, TimeUnit.SECONDS)).isEmpty(); // reserved for the living one now
    alive.put("k", ProcessorContent.of("v"));
    assertThat(dead.lookup("k")).contains(ProcessorContent.of("v"));
  }
}
