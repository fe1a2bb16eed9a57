package dev.genaiprocessors.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorCache;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.jspecify.annotations.Nullable;

/**
 * Keeps what went into a pipeline and what came out, in a database: every run of a wrapped
 * processor, its input parts and its results, for audit, replay, evaluation and cost accounting.
 *
 * <pre>{@code
 * try (Storage storage = Storage.builder().url("jdbc:postgresql://db/app").user("app").build()) {
 *   Processor stored = storage.wrap(summarise);            // every call is a stored run
 *   ProcessorContent out = stored.apply(document).gather(); // results carry storage_id, stored_at
 *
 *   for (StoredRun run : storage.runs("summarise", yesterday, now)) {
 *     ProcessorContent in = storage.inputs(run.id());
 *     ProcessorContent again = storage.replay(run.id(), summariseV2).gather();
 *   }
 * }
 * }</pre>
 *
 * <p><b>What a run stores.</b> {@link #wrap(Processor)} makes each call of the processor a run: a
 * row with its id, the processor's name, its start and end, its outcome and error text; a row per
 * input part as the processor reads it; a row per result as it emits it, linked to the run and to
 * the last input part read before it. {@link #wrap(PartProcessor)} does the same for a part
 * processor over a stream, linking each result to the one input part whose call emitted it. A part
 * is stored as its {@link dev.genaiprocessors.PartJson} text, with inline bytes in a binary column
 * rather than as base64. Results go on downstream with two metadata entries added: {@code
 * storage_id} ({@code "<run id>/<number>"}) and {@code stored_at} (an ISO-8601 instant).
 *
 * <p><b>Batched writes.</b> Rows are not written one round trip each: a writer (one virtual thread
 * per storage, living as long as it) writes them in batches of {@link Builder#batchSize} rows, or
 * whatever has waited {@link Builder#flushInterval}, in one transaction per batch. When a run ends,
 * returned, failed or cancelled, its last rows are written before its stream ends, so a run that
 * ended normally can be loaded back at once. At most {@code 2 * batchSize} rows wait at a time; a
 * run producing faster than the database takes them waits.
 *
 * <p><b>When the database stops answering</b>, {@link Builder#whenDatabaseDown} decides: {@link
 * DatabaseDown#FAIL} (the default) fails the run with a {@link StorageException} naming the
 * database and counting the rows not stored; {@link DatabaseDown#SPOOL} lets the run go on, with a
 * status part, and holds the rows in a bounded spool until the database answers. No row is lost
 * without an exception that counts it.
 *
 * <p><b>Databases.</b> PostgreSQL, MariaDB and H2. With no {@link Builder#url} the storage keeps
 * its data in an embedded H2 database in memory, for tests and trials; give it {@code
 * "jdbc:h2:file:/path/to/db"} to keep it on disk. The storage creates and upgrades its tables with
 * Flyway on {@link Builder#build}, under a {@link Builder#tablePrefix} ({@code gp_} by default:
 * {@code gp_runs}, {@code gp_parts}, {@code gp_cache}, and Flyway's {@code gp_schema_history}), so
 * several storages can share one schema. An application that runs its migrations itself (Spring
 * Boot's Flyway, a deployment step) runs {@link #flywayConfiguration} and builds the storage with
 * {@link Builder#migrate migrate(false)}, which only checks the tables. On PostgreSQL, {@code
 * reWriteBatchedInserts=true} in the URL makes batches faster still.
 *
 * <p><b>Safety.</b> The table prefix must match {@code [a-z][a-z0-9_]{0,39}}; every value is a
 * bound parameter, so a processor name or metadata value holding SQL is stored as written. A part
 * larger than {@link Builder#maxPartBytes} fails its run with an error naming its size and the
 * limit.
 *
 * <p>Safe for concurrent use by any number of runs. Close it to write what is still queued and to
 * close the connection pool it made (a {@link Builder#dataSource} given to it stays open).
 *
 * <p><b>Difference from the Python library</b>, which has no storage of runs, only an SQL cache:
 * {@link #cache} is that cache, on the same database.
 */
public final class Storage implements AutoCloseable {
  /** The table prefix used unless {@link Builder#tablePrefix} says otherwise: {@value}. */
  public static final String DEFAULT_TABLE_PREFIX = "gp_";

  private static final String MIGRATIONS = "classpath:dev/genaiprocessors/jdbc/migration";

  private final DataSource dataSource;
  private final @Nullable HikariDataSource pool;
  private final boolean embedded;
  private final Tables tables;
  private final String database;
  private final BatchWriter writer;
  private final InstantSource clock;
  private final long maxPartBytes;
  private final Duration closeTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Storage(Builder b) {
    boolean embedded = b.url == null && b.dataSource == null;
    String url =
        b.url != null
            ? b.url
            : "jdbc:h2:mem:genai-processors-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    HikariDataSource ownPool = b.dataSource == null ? pool(url, b) : null;
    this.pool = ownPool;
    this.dataSource = b.dataSource != null ? b.dataSource : Objects.requireNonNull(ownPool);
    this.embedded = embedded;
    this.tables = new Tables(b.tablePrefix);
    this.clock = b.clock;
    this.maxPartBytes = b.maxPartBytes;
    this.closeTimeout = b.closeTimeout;
    try {
      Dialect dialect;
      String actualUrl;
      try (Connection connection = dataSource.getConnection()) {
        DatabaseMetaData meta = connection.getMetaData();
        dialect = Dialect.of(meta.getDatabaseProductName());
        actualUrl = Objects.requireNonNullElse(meta.getURL(), url);
      } catch (SQLException e) {
        throw new StorageException(
            "cannot connect to " + Dialect.describeUrl(url) + ": " + BatchWriter.describe(e), e);
      }
      this.database = dialect.displayName() + " at " + Dialect.describeUrl(actualUrl);
      migrate(dialect, b.migrate);
      this.writer =
          new BatchWriter(
              dataSource,
              tables,
              database,
              b.whenDatabaseDown,
              b.batchSize,
              b.flushInterval,
              b.spoolLimit,
              b.retryInterval);
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      throw e;
    }
  }

  private static HikariDataSource pool(String url, Builder b) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (b.user != null) {
      config.setUsername(b.user);
    }
    if (b.password != null) {
      config.setPassword(b.password);
    }
    config.setMaximumPoolSize(b.poolSize);
    config.setConnectionTimeout(b.connectionTimeout.toMillis());
    config.setPoolName("genai-processors-storage");
    // HikariCP drops a connection on SQL state class 08 only; H2 reports a lost server with codes
    // of its own, and a pool that kept handing out such a connection would never recover.
    config.setExceptionOverride(new EvictUnreachable());
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      String hint =
          String.valueOf(e.getMessage()).contains("driver")
              ? " (is the database's JDBC driver, org.postgresql:postgresql or"
                  + " org.mariadb.jdbc:mariadb-java-client, on the class path?)"
              : "";
      throw new StorageException(
          "cannot connect to " + Dialect.describeUrl(url) + ": " + BatchWriter.describe(e) + hint,
          e);
    }
  }

  /** Tells HikariCP to drop a connection whose error says the database cannot be reached. */
  private static final class EvictUnreachable implements SQLExceptionOverride {
    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
      return BatchWriter.isConnectivity(e)
          ? SQLExceptionOverride.Override.MUST_EVICT
          : SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
  }

  private void migrate(Dialect dialect, boolean migrate) {
    Flyway flyway = configuration(dataSource, tables, dialect).load();
    if (migrate) {
      try {
        flyway.migrate();
      } catch (FlywayException e) {
        throw new StorageException(
            "could not create or upgrade the storage tables (prefix '"
                + tables.prefix()
                + "') in "
                + database
                + ": "
                + e.getMessage(),
            e);
      }
      return;
    }
    ValidateResult result;
    try {
      result = flyway.validateWithResult();
    } catch (FlywayException e) {
      throw new StorageException(
          "could not check the storage tables (prefix '"
              + tables.prefix()
              + "') in "
              + database
              + ": "
              + e.getMessage(),
          e);
    }
    if (!result.validationSuccessful) {
      throw new StorageException(
          "the storage tables (prefix '"
              + tables.prefix()
              + "') in "
              + database
              + " are not at this library's version, and this storage was built with"
              + " migrate(false): run Storage.flywayConfiguration(dataSource, \""
              + tables.prefix()
              + "\") first (Spring Boot's Flyway does with the starter), or build it with"
              + " migrate(true). Flyway says: "
              + describe(result),
          null);
    }
  }

  private static String describe(ValidateResult result) {
    List<String> problems = new ArrayList<>();
    for (ValidateOutput invalid : result.invalidMigrations) {
      problems.add(invalid.version + " " + invalid.description + ": " + invalid.errorDetails);
    }
    if (problems.isEmpty() && result.errorDetails != null) {
      problems.add(String.valueOf(result.errorDetails.errorMessage));
    }
    return problems.isEmpty() ? String.join("; ", result.warnings) : String.join("; ", problems);
  }

  private static FluentConfiguration configuration(
      DataSource dataSource, Tables tables, Dialect dialect) {
    return Flyway.configure(Storage.class.getClassLoader())
        .dataSource(dataSource)
        .table(tables.schemaHistory())
        .locations(MIGRATIONS)
        .placeholders(dialect.placeholders(tables.prefix()))
        // A schema holding other tables already is the usual case: start from nothing there.
        .baselineOnMigrate(true)
        .baselineVersion("0");
  }

  /**
   * The Flyway configuration that creates and upgrades the tables of a storage with {@code
   * tablePrefix} in {@code dataSource}'s database, for an application whose own Flyway runner
   * migrates them (Spring Boot's, as the starter does); a storage on that database is then built
   * with {@link Builder#migrate migrate(false)}. It has its own history table ({@code
   * <prefix>schema_history}), the migrations' location in this jar, and the placeholders of the
   * database's dialect; add to it, but keep those.
   *
   * <pre>{@code
   * Storage.flywayConfiguration(dataSource, "gp_").load().migrate();
   * Storage storage = Storage.builder().dataSource(dataSource).migrate(false).build();
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code tablePrefix} is not a valid {@link
   *     Builder#tablePrefix}, or the database is not PostgreSQL, MariaDB or H2
   * @throws StorageException when the database cannot be reached (its product names the dialect)
   */
  public static FluentConfiguration flywayConfiguration(DataSource dataSource, String tablePrefix) {
    Objects.requireNonNull(dataSource, "dataSource");
    Tables tables = new Tables(Objects.requireNonNull(tablePrefix, "tablePrefix"));
    Dialect dialect;
    try (Connection connection = dataSource.getConnection()) {
      dialect = Dialect.of(connection.getMetaData().getDatabaseProductName());
    } catch (SQLException e) {
      throw new StorageException(
          "cannot connect to the data source to read its database: " + BatchWriter.describe(e), e);
    }
    return configuration(dataSource, tables, dialect);
  }

  /**
   * A storage in an embedded H2 database in memory, with the default settings: for tests, trials
   * and examples. Its data is gone when it is closed.
   */
  public static Storage inMemory() {
    return builder().build();
  }

  /** Settings for a storage; {@link Builder#build} connects, creates the tables and starts it. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- wrapping

  /**
   * {@code processor} with each of its calls stored as a run: see the class comment. The returned
   * processor keeps {@code processor}'s name, which the run rows carry too, so interceptors see the
   * same stage (observability still recognises a model call by it).
   *
   * @throws IllegalArgumentException if the processor's name is longer than 255 characters
   */
  public Processor wrap(Processor processor) {
    Objects.requireNonNull(processor, "processor");
    checkName(processor.name());
    return new StoredProcessor(processor, this);
  }

  /**
   * {@code processor} over a stream, each stream stored as one run whose every result is linked to
   * the input part it came from. It runs as {@link PartProcessor#toProcessor()} runs it (many parts
   * at once, results in input order); parts it does not {@link PartProcessor#match match} are
   * stored as inputs and pass through. The result is a {@link Processor}, since a run spans the
   * stream, not one part: chain it with {@code then}.
   *
   * @throws IllegalArgumentException if the processor's name is longer than 255 characters
   */
  public Processor wrap(PartProcessor processor) {
    Objects.requireNonNull(processor, "processor");
    checkName(processor.name());
    return new StoredPartProcessor(processor, this);
  }

  private static void checkName(String name) {
    if (name.length() > Tables.MAX_PROCESSOR_NAME) {
      throw new IllegalArgumentException(
          "a stored processor's name may have at most "
              + Tables.MAX_PROCESSOR_NAME
              + " characters, but this one has "
              + name.length());
    }
  }

  RunRecorder startRun(String processorName) {
    if (closed.get()) {
      throw new IllegalStateException("this storage on " + database + " is closed");
    }
    return RunRecorder.start(processorName, writer, clock, maxPartBytes);
  }

  /**
   * The id of the run that stored {@code part}, read from its {@code storage_id} metadata; empty
   * for a part that did not come out of a stored processor.
   */
  public static Optional<String> runIdOf(ProcessorPart part) {
    if (part.metadata(RunRecorder.STORAGE_ID) instanceof String id) {
      int slash = id.lastIndexOf('/');
      if (slash > 0) {
        return Optional.of(id.substring(0, slash));
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- queries

  /** The run {@code runId}, or empty when there is none (or its row has not been written yet). */
  public Optional<StoredRun> run(String runId) {
    Objects.requireNonNull(runId, "runId");
    List<StoredRun> runs = queryRuns(tables.selectRun(), runId);
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
  }

  /**
   * The runs of the processor named {@code processorName} that started at or after {@code from} and
   * before {@code to}, oldest first.
   */
  public List<StoredRun> runs(String processorName, Instant from, Instant to) {
    Objects.requireNonNull(processorName, "processorName");
    return queryRuns(tables.selectRuns(), processorName, from.toEpochMilli(), to.toEpochMilli());
  }

  /** The input parts of run {@code runId}, in the order the processor read them. */
  public ProcessorContent inputs(String runId) {
    return queryParts(runId, "input");
  }

  /**
   * The results of run {@code runId} as they were emitted, in stream order, without the {@code
   * storage_id} and {@code stored_at} metadata the caller saw.
   */
  public ProcessorContent results(String runId) {
    return queryParts(runId, "result");
  }

  /**
   * Runs {@code processor} on the stored input of run {@code runId}: the same parts, in the same
   * order. Wrap {@code processor} with this storage to store the replay as a run of its own.
   *
   * @throws IllegalArgumentException when there is no run {@code runId}
   */
  public ProcessorStream replay(String runId, Processor processor) {
    Objects.requireNonNull(processor, "processor");
    if (run(runId).isEmpty()) {
      throw new IllegalArgumentException("there is no stored run " + runId + " in " + database);
    }
    return processor.apply(inputs(runId));
  }

  /**
   * Writes every row queued so far and waits for it: after this, queries see every part emitted
   * before it. Runs that ended have done this for their own rows already.
   */
  public void flush() {
    writer.flush();
  }

  private List<StoredRun> queryRuns(String sql, Object... values) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        select.setObject(i + 1, values[i]);
      }
      List<StoredRun> runs = new ArrayList<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          long ended = row.getLong(4);
          Instant endedAt = row.wasNull() ? null : Instant.ofEpochMilli(ended);
          runs.add(
              new StoredRun(
                  row.getString(1),
                  row.getString(2),
                  Instant.ofEpochMilli(row.getLong(3)),
                  endedAt,
                  RunOutcome.ofColumn(row.getString(5)),
                  row.getString(6)));
        }
      }
      return runs;
    } catch (SQLException e) {
      throw new StorageException(
          "could not read runs from " + database + ": " + BatchWriter.describe(e), e);
    }
  }

  private ProcessorContent queryParts(String runId, String kind) {
    Objects.requireNonNull(runId, "runId");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(tables.selectParts())) {
      select.setString(1, runId);
      select.setString(2, kind);
      List<ProcessorPart> parts = new ArrayList<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          parts.add(PartRows.decode(row.getString(1), row.getBytes(2)));
        }
      }
      return ProcessorContent.ofParts(parts);
    } catch (SQLException e) {
      throw new StorageException(
          "could not read the " + kind + " parts of run " + runId + " from " + database, e);
    }
  }

  // ---------------------------------------------------------------- the cache

  /**
   * A {@link ProcessorCache} in this storage's database, for {@link dev.genaiprocessors.Cached}:
   * entries expire {@code ttl} after they were stored (never, for a zero or negative {@code ttl})
   * and at most {@code maxItems} are kept, the oldest going first. Every process that opens the
   * same database with the same table prefix shares it, and identical calls in two processes at
   * once compute once: the first reserves the key, the other waits for its value (polling, at most
   * every half second). A reservation whose holder died without releasing it lapses after five
   * minutes; see {@link #cache(Duration, long, Duration)} to change that.
   *
   * <pre>{@code
   * Processor model = Cached.processor(geminiFlash, storage.cache(Duration.ofDays(7), 100_000));
   * }</pre>
   *
   * <p>Values are stored as the Python library's SQL cache stores them (the UTF-8 JSON array of the
   * parts' dicts); content holding an error ({@code text/x-exception}) part is never stored. Unlike
   * {@link dev.genaiprocessors.InMemoryCache}, which keeps the entries most likely to be used
   * again, this one evicts the oldest stored first.
   *
   * @throws IllegalArgumentException if {@code maxItems} is not positive
   */
  public ProcessorCache cache(Duration ttl, long maxItems) {
    return cache(ttl, maxItems, Duration.ofMinutes(5));
  }

  /**
   * {@link #cache(Duration, long)} whose reservations lapse after {@code reservation}: longer than
   * the slowest computation, or a second process starts computing too.
   *
   * @throws IllegalArgumentException if {@code maxItems} or {@code reservation} is not positive
   */
  public ProcessorCache cache(Duration ttl, long maxItems, Duration reservation) {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(reservation, "reservation");
    if (maxItems <= 0) {
      throw new IllegalArgumentException("maxItems must be positive but was " + maxItems);
    }
    if (!reservation.isPositive()) {
      throw new IllegalArgumentException("reservation must be positive but was " + reservation);
    }
    return new SqlCache(dataSource, tables, database, clock, ttl, maxItems, reservation);
  }

  // ---------------------------------------------------------------- lifetime

  /**
   * Writes every queued row, stops the writer and closes the connection pool this storage made.
   * With rows spooled for a database that is down, waits up to {@link Builder#closeTimeout} for it.
   *
   * @throws StorageException naming the rows that could not be written by then
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      writer.close(closeTimeout);
    } finally {
      if (pool != null) {
        if (embedded) {
          shutDownEmbedded();
        }
        pool.close();
      }
    }
  }

  // The embedded database lives (DB_CLOSE_DELAY=-1) until told to go, not as long as the JVM.
  private void shutDownEmbedded() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    } catch (SQLException e) {
      // Already gone: nothing is kept in it after this anyway.
    }
  }

  /** The names of this storage's tables; for tests. */
  Tables tables() {
    return tables;
  }

  /** Rows waiting to be written; for tests. */
  long pendingRows() {
    return writer.pending();
  }

  @Override
  public String toString() {
    return "Storage[" + database + ", tablePrefix=" + tables.prefix() + "]";
  }

  /**
   * Settings of a {@link Storage}. Every setting has a default; {@link #build} checks them and
   * names the first bad one.
   */
  public static final class Builder {
    private @Nullable String url;
    private @Nullable String user;
    private @Nullable String password;
    private @Nullable DataSource dataSource;
    private String tablePrefix = DEFAULT_TABLE_PREFIX;
    private int batchSize = 500;
    private Duration flushInterval = Duration.ofMillis(200);
    private DatabaseDown whenDatabaseDown = DatabaseDown.FAIL;
    private int spoolLimit = 100_000;
    private Duration retryInterval = Duration.ofSeconds(1);
    private long maxPartBytes = 16L << 20;
    private int poolSize = 4;
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private InstantSource clock = InstantSource.system();
    private boolean migrate = true;

    private Builder() {}

    /**
     * The database's JDBC URL: {@code jdbc:postgresql://...}, {@code jdbc:mariadb://...} or {@code
     * jdbc:h2:...}. Without one (and without a {@link #dataSource}), an embedded H2 database in
     * memory.
     */
    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url");
      return this;
    }

    /** The database user (none by default). */
    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    /** The database user's password (none by default). */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * A data source of the caller's (a pool of its own), used instead of a HikariCP pool made from
     * the {@link #url}; the storage does not close it.
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /** The prefix of the table names, {@value Storage#DEFAULT_TABLE_PREFIX} by default. */
    public Builder tablePrefix(String tablePrefix) {
      this.tablePrefix = Objects.requireNonNull(tablePrefix, "tablePrefix");
      return this;
    }

    /** The most rows written in one batch, 500 by default; twice this many may wait. */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** How long a row waits at most for its batch to fill, 200 ms by default. */
    public Builder flushInterval(Duration flushInterval) {
      this.flushInterval = Objects.requireNonNull(flushInterval, "flushInterval");
      return this;
    }

    /** What a run does when the database stops answering, {@link DatabaseDown#FAIL} by default. */
    public Builder whenDatabaseDown(DatabaseDown whenDatabaseDown) {
      this.whenDatabaseDown = Objects.requireNonNull(whenDatabaseDown, "whenDatabaseDown");
      return this;
    }

    /**
     * With {@link DatabaseDown#SPOOL}: the most rows held while the database is down, 100,000 by
     * default; a run that would add more fails.
     */
    public Builder spoolLimit(int spoolLimit) {
      this.spoolLimit = spoolLimit;
      return this;
    }

    /** With {@link DatabaseDown#SPOOL}: how often a spooled batch is tried again, every second. */
    public Builder retryInterval(Duration retryInterval) {
      this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval");
      return this;
    }

    /**
     * The largest part stored, in bytes of JSON and inline bytes, 16 MiB by default. (MariaDB's own
     * {@code max_allowed_packet} must allow it too.)
     */
    public Builder maxPartBytes(long maxPartBytes) {
      this.maxPartBytes = maxPartBytes;
      return this;
    }

    /** Connections in the pool the storage makes, 4 by default. */
    public Builder poolSize(int poolSize) {
      this.poolSize = poolSize;
      return this;
    }

    /**
     * How long the pool the storage makes waits for a connection, 5 s by default: how soon a down
     * database is noticed.
     */
    public Builder connectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = Objects.requireNonNull(connectionTimeout, "connectionTimeout");
      return this;
    }

    /**
     * How long {@link Storage#close()} waits for a down database to take the spooled rows, 30 s by
     * default.
     */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
      return this;
    }

    /**
     * Whether {@link #build} creates and upgrades the tables ({@code true}, the default), or only
     * checks that they are there at the version this library needs ({@code false}), for when
     * another runner migrates them with {@link Storage#flywayConfiguration}: Spring Boot's Flyway
     * with the starter, or a deployment step. With {@code false}, {@link #build} fails with a
     * {@link StorageException} saying so when they are missing or behind, and changes nothing.
     */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /** The clock of the stored times and of cache expiry; the system's by default. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Connects, creates or upgrades the tables, and starts the writer.
     *
     * @throws IllegalArgumentException naming the first bad setting
     * @throws StorageException when the database cannot be reached, or its tables cannot be made
     */
    public Storage build() {
      Tables.validPrefix(tablePrefix);
      if (url != null && dataSource != null) {
        throw new IllegalArgumentException("give either url or dataSource, not both");
      }
      positive("batchSize", batchSize);
      positive("spoolLimit", spoolLimit);
      positive("maxPartBytes", maxPartBytes);
      positive("poolSize", poolSize);
      positive("flushInterval", flushInterval);
      positive("retryInterval", retryInterval);
      if (connectionTimeout.toMillis() < 250) {
        throw new IllegalArgumentException(
            "connectionTimeout must be at least 250 ms (HikariCP's least) but was "
                + connectionTimeout);
      }
      if (closeTimeout.isNegative()) {
        throw new IllegalArgumentException(
            "closeTimeout must not be negative but was " + closeTimeout);
      }
      return new Storage(this);
    }

    private static void positive(String name, long value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive but was " + value);
      }
    }

    private static void positive(String name, Duration value) {
      if (!value.isPositive()) {
        throw new IllegalArgumentException(name + " must be positive but was " + value);
      }
    }
  }
}
