package dev.genaiprocessors.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.jdbc.Storage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * B12: 100,000 small text parts through a stored pass-through processor ({@code
 * Storage.wrap(identity)}), against a bare JDBC batch insert of the same rows (a run row, 100,000
 * input rows and 100,000 result rows, each part's {@link PartJson} made for its row, batches of 500
 * in a transaction each, the run row ended last), on the same HikariCP pool and tables, in the same
 * run. The tables are emptied before every iteration, so each starts from the same state.
 *
 * <p>PostgreSQL is the machine's server (127.0.0.1:5432, database {@code test}, user {@code
 * postgres}), in a schema of the benchmark's own, dropped at the end; its URL sets {@code
 * reWriteBatchedInserts=true} for both sides. H2 is embedded, in memory.
 *
 * <p>Target: ours ≥ 0.9× the bare insert's parts per second on PostgreSQL; H2 is reported. {@link
 * #main} runs both and prints the ratios ({@code quick}: one warm-up and three measured
 * iterations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3)
@Measurement(iterations = 8)
public class B12StorageBenchmark {
  static final int PARTS = 100_000;
  static final int BATCH = 500;
  private static final String PREFIX = "bench_";

  @Param({"postgresql", "h2"})
  public String database;

  private String schema;
  private HikariDataSource pool;
  private Storage storage;
  private Processor stored;
  private List<ProcessorPart> parts;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    String url;
    String user;
    if (database.equals("postgresql")) {
      schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
      user = "postgres";
      try (Connection admin =
              DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", user, "");
          Statement statement = admin.createStatement()) {
        statement.execute("CREATE SCHEMA " + schema);
      }
      url =
          "jdbc:postgresql://127.0.0.1:5432/test?currentSchema="
              + schema
              + "&reWriteBatchedInserts=true";
    } else {
      user = "";
      url = "jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setMaximumPoolSize(4);
    pool = new HikariDataSource(config);
    storage =
        Storage.builder()
            .dataSource(pool)
            .tablePrefix(PREFIX)
            .batchSize(BATCH)
            .flushInterval(Duration.ofMillis(Long.getLong("b11.flushMillis", 200)))
            .build();
    stored =
        storage.wrap(
            Processor.named(
                "identity",
                (input, output) -> {
                  for (ProcessorPart part : input) {
                    output.emit(part);
                  }
                }));
    parts = new ArrayList<>(PARTS);
    for (int i = 0; i < PARTS; i++) {
      parts.add(ProcessorPart.text("part number " + i).withRole("user"));
    }
  }

  @Setup(Level.Iteration)
  public void emptyTables() throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      if (database.equals("postgresql")) {
        statement.execute("TRUNCATE " + PREFIX + "parts, " + PREFIX + "runs");
      } else {
        statement.execute("DELETE FROM " + PREFIX + "parts");
        statement.execute("DELETE FROM " + PREFIX + "runs");
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    storage.close();
    pool.close();
    if (schema != null) {
      try (Connection admin =
              DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
          Statement statement = admin.createStatement()) {
        statement.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  /** Ours: the parts through the stored processor, every result read by the caller. */
  @Benchmark
  public long storedProcessor() {
    long count = 0;
    try (ProcessorStream results = stored.apply(parts)) {
      for (ProcessorPart ignored : results) {
        count++;
      }
    }
    return count;
  }

  /** The baseline: the same rows, inserted by hand in batches on one connection. */
  @Benchmark
  public long bareJdbcBatch() throws SQLException {
    String runId = UUID.randomUUID().toString();
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement run =
          connection.prepareStatement(
              "INSERT INTO "
                  + PREFIX
                  + "runs (run_id, processor, started_ms, ended_ms, outcome, error_text)"
                  + " VALUES (?, ?, ?, ?, ?, ?)")) {
        run.setString(1, runId);
        run.setString(2, "identity");
        run.setLong(3, System.currentTimeMillis());
        run.setNull(4, Types.BIGINT);
        run.setString(5, "running");
        run.setNull(6, Types.VARCHAR);
        run.executeUpdate();
      }
      long rows = 0;
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO "
                  + PREFIX
                  + "parts (run_id, seq, kind, input_seq, stored_ms, mime_type, part_json,"
                  + " part_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        long seq = 0;
        for (ProcessorPart part : parts) {
          long input = ++seq;
          bindPart(insert, runId, input, "input", null, part);
          insert.addBatch();
          bindPart(insert, runId, ++seq, "result", input, part);
          insert.addBatch();
          rows += 2;
          if (rows % BATCH == 0) {
            insert.executeBatch();
            connection.commit();
          }
        }
        insert.executeBatch();
      }
      try (PreparedStatement end =
          connection.prepareStatement(
              "UPDATE "
                  + PREFIX
                  + "runs SET ended_ms = ?, outcome = ?, error_text = ? WHERE run_id = ?")) {
        end.setLong(1, System.currentTimeMillis());
        end.setString(2, "succeeded");
        end.setNull(3, Types.VARCHAR);
        end.setString(4, runId);
        end.executeUpdate();
      }
      connection.commit();
      return rows;
    }
  }

  private static void bindPart(
      PreparedStatement insert,
      String runId,
      long seq,
      String kind,
      Long inputSeq,
      ProcessorPart part)
      throws SQLException {
    insert.setString(1, runId);
    insert.setLong(2, seq);
    insert.setString(3, kind);
    if (inputSeq == null) {
      insert.setNull(4, Types.BIGINT);
    } else {
      insert.setLong(4, inputSeq);
    }
    insert.setLong(5, System.currentTimeMillis());
    insert.setString(6, part.mimeType());
    insert.setString(7, PartJson.toJson(part));
    insert.setNull(8, Types.VARBINARY);
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("paired")) {
      paired(args.length > 1 ? Integer.parseInt(args[1]) : 5);
      return;
    }
    ChainedOptionsBuilder options =
        new OptionsBuilder().include(B12StorageBenchmark.class.getName() + "\\.");
    boolean quick = args.length > 0 && args[0].equals("quick");
    if (quick) {
      options.warmupIterations(1).measurementIterations(3);
    }
    Map<String, double[]> scores = new HashMap<>();
    for (RunResult result : new Runner(options.build()).run()) {
      String label = result.getParams().getBenchmark();
      String key =
          result.getParams().getParam("database")
              + "/"
              + label.substring(label.lastIndexOf('.') + 1);
      scores.put(
          key,
          new double[] {
            result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()
          });
    }
    System.out.println();
    System.out.println(
        "B12"
            + (quick ? " (quick)" : "")
            + ", "
            + LocalDate.now()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores, JDK "
            + Runtime.version());
    for (String db : List.of("postgresql", "h2")) {
      double[] ours = scores.get(db + "/storedProcessor");
      double[] bare = scores.get(db + "/bareJdbcBatch");
      double ratio = bare[0] / ours[0];
      System.out.printf(
          "B12 %-10s parts/s vs bare JDBC batch  ratio %5.3f  %s  (ours %.0f ± %.0f ms,"
              + " %.0f parts/s; bare %.0f ± %.0f ms, %.0f parts/s)%n",
          db,
          ratio,
          db.equals("postgresql")
              ? "target >= 0.90  " + (ratio >= 0.9 ? "met" : "NOT MET")
              : "report",
          ours[0],
          ours[1],
          PARTS / ours[0] * 1000,
          bare[0],
          bare[1],
          PARTS / bare[0] * 1000);
    }
    int json = PartJson.toJson(ProcessorPart.text("part number 99999").withRole("user")).length();
    System.out.printf(
        "B12 batch buffers: at most %d rows queued and %d being written; a row of this workload"
            + " holds a %d-character JSON string, about %d bytes with its objects, so about %d KiB%n",
        2 * BATCH, BATCH, json, rowBytes(json), 3 * BATCH * rowBytes(json) / 1024);
  }

  /**
   * The same two rows measured in pairs, in one process: each round times the bare insert and the
   * stored processor back to back (their order alternating), so that a load that comes and goes on
   * a shared machine falls on both; prints the median of the rounds' ratios. A check of the JMH
   * figures when their error bars are wide, not a replacement for them.
   */
  static void paired(int rounds) throws Exception {
    System.out.println("B12 paired, " + rounds + " rounds after one warm-up, " + LocalDate.now());
    for (String db : System.getProperty("b11.databases", "postgresql,h2").split(",")) {
      B12StorageBenchmark state = new B12StorageBenchmark();
      state.database = db;
      state.setUp();
      try {
        List<Double> ratios = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
          double[] times = new double[2];
          for (int i = 0; i < 2; i++) {
            boolean oursNow = (round + i) % 2 == 0;
            state.emptyTables();
            long start = System.nanoTime();
            if (oursNow) {
              state.storedProcessor();
            } else {
              state.bareJdbcBatch();
            }
            times[oursNow ? 0 : 1] = (System.nanoTime() - start) / 1e6;
          }
          if (round > 0) { // round 0 warms up
            ours.add(times[0]);
            bare.add(times[1]);
            ratios.add(times[1] / times[0]);
          }
        }
        System.out.printf(
            "B12 paired %-10s median ratio %5.3f  (rounds %s; ours median %.0f ms, %.0f parts/s;"
                + " bare median %.0f ms, %.0f parts/s)%n",
            db,
            Stats.median(ratios),
            ratios.stream().map(r -> String.format("%.2f", r)).toList(),
            Stats.median(ours),
            PARTS / Stats.median(ours) * 1000,
            Stats.median(bare),
            PARTS / Stats.median(bare) * 1000);
      } finally {
        state.tearDown();
      }
    }
  }

  /**
   * The heap one queued part row holds, for compressed references: the row (header, run, times,
   * sequence numbers, kind, MIME type, encoding: 64 bytes), a boxed input number (16), the encoding
   * record (16) and its JSON string (24, plus its Latin-1 array: 16 and the characters, rounded up
   * to 8). The MIME type and run are shared by every row.
   */
  static int rowBytes(int jsonChars) {
    return 64 + 16 + 16 + 24 + 16 + ((jsonChars + 7) / 8) * 8;
  }
}
