package dev.genaiprocessors.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Writes the rows of every run of one {@link Storage}, in batches, on one virtual thread of its own
 * that lives as long as the storage.
 *
 * <p>Runs {@link #add} rows to a bounded queue; the writer takes up to {@code batchSize} of them at
 * once, as soon as there are that many, or the oldest has waited {@code flushInterval}, or a run
 * asks for its rows ({@link #awaitWritten}), and writes them in one transaction: the runs' rows,
 * then the parts, then the ends of runs. Rows are written in the order they were added, so a row's
 * ticket (the number of rows added up to it) tells when it is done: when {@code finished} reaches
 * it.
 *
 * <p>The queue holds at most {@code 2 * batchSize} rows while the database answers; a run that adds
 * to a full queue waits (backpressure). When the database cannot be reached (the error says so: SQL
 * state class 08, a connection exception of JDBC's), {@link DatabaseDown#FAIL} gives up the batch,
 * counting its rows against their runs, after one more try on a fresh connection; {@link
 * DatabaseDown#SPOOL} puts the batch back at the head of the queue, lets the queue grow to {@code
 * spoolLimit} rows, and tries again every {@code retryInterval}. A batch the database refuses for
 * any other reason (a row it will not take) is written again one row at a time, so only the rows at
 * fault are lost, each counted against its run; a row already there (a batch whose commit arrived
 * but whose answer was lost) counts as written.
 */
final class BatchWriter {
  private final DataSource dataSource;
  private final Tables tables;
  private final String database;
  private final DatabaseDown mode;
  private final int batchSize;
  private final long flushNanos;
  private final int maxPending;
  private final int spoolLimit;
  private final long retryNanos;

  private final ReentrantLock lock = new ReentrantLock();
  // One condition for every wait: rows added, rows finished, room made, closing.
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Row> queue = new ArrayDeque<>();
  private long added;
  private long finished;
  private long flushTo;
  private boolean down;
  private @Nullable Exception downCause;
  private long outages;
  private boolean closing;
  private boolean abandoned;
  private final Thread thread;

  BatchWriter(
      DataSource dataSource,
      Tables tables,
      String database,
      DatabaseDown mode,
      int batchSize,
      Duration flushInterval,
      int spoolLimit,
      Duration retryInterval) {
    this.dataSource = dataSource;
    this.tables = tables;
    this.database = database;
    this.mode = mode;
    this.batchSize = batchSize;
    this.flushNanos = flushInterval.toNanos();
    this.maxPending = 2 * batchSize;
    this.spoolLimit = Math.max(spoolLimit, maxPending);
    this.retryNanos = retryInterval.toNanos();
    this.thread = Thread.ofVirtual().name("storage writer of " + database).start(this::run);
  }

  String database() {
    return database;
  }

  DatabaseDown mode() {
    return mode;
  }

  // ---------------------------------------------------------------- the runs' side

  /**
   * Queues {@code row} and returns its ticket, waiting while the queue is full.
   *
   * @param interruptible whether an interrupt ends the wait ({@link CancellationException}); the
   *     end of a run is queued even when its run was cancelled
   * @throws StorageException when the database is down, rows are spooled and the spool is full
   * @throws IllegalStateException when the storage is closed
   */
  long add(Row row, boolean interruptible) {
    lock.lock();
    try {
      while (true) {
        if (closing) {
          throw new IllegalStateException("the storage on " + database + " is closed");
        }
        boolean spooling = down && mode == DatabaseDown.SPOOL;
        if (queue.size() < (spooling ? spoolLimit : maxPending)) {
          break;
        }
        if (spooling) {
          throw new StorageException(
              "the spool is full: "
                  + queue.size()
                  + " rows wait for "
                  + database
                  + ", which cannot be reached ("
                  + describe(downCause)
                  + "); a "
                  + row.kind().one
                  + " of run "
                  + row.run.id
                  + " (processor '"
                  + row.run.processorName
                  + "') was not stored (spoolLimit "
                  + spoolLimit
                  + ")",
              1,
              row instanceof Row.Part ? 1 : 0,
              downCause);
        }
        if (interruptible) {
          try {
            changed.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException cancelled =
                new CancellationException("cancelled while waiting to store a " + row.kind().one);
            cancelled.initCause(e);
            throw cancelled;
          }
        } else {
          changed.awaitUninterruptibly();
        }
      }
      row.queuedNanos = System.nanoTime();
      queue.addLast(row);
      added++;
      if (queue.size() == 1 || queue.size() == batchSize) {
        changed.signalAll();
      }
      return added;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes the end of a run into its own row when that row still waits in the queue.
   *
   * @return whether it did; if not, the caller queues a {@link Row.RunEnd}
   */
  boolean endInQueue(Row.RunStart start, long endedMs, RunOutcome outcome, @Nullable String error) {
    lock.lock();
    try {
      if (start.taken) {
        return false;
      }
      start.endedMs = endedMs;
      start.outcome = outcome;
      start.error = error;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Asks for every row up to {@code ticket} to be written now and waits until it has been, or until
   * it has failed. Not interruptible: a cancelled run's last rows are written too (the interrupt
   * stays set). With {@code unlessSpooling}, returns at once while rows are spooled.
   */
  void awaitWritten(long ticket, boolean unlessSpooling) {
    lock.lock();
    try {
      if (flushTo < ticket) {
        flushTo = ticket;
        changed.signalAll();
      }
      while (finished < ticket && !abandoned && !(unlessSpooling && spooling())) {
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Writes every row queued so far, waiting for it (or for it to fail). */
  void flush() {
    long ticket;
    lock.lock();
    try {
      ticket = added;
    } finally {
      lock.unlock();
    }
    awaitWritten(ticket, false);
  }

  /**
   * The number of the present outage while rows are spooled for want of the database (1 for the
   * first), or 0 while it answers; a run tells its caller once per outage.
   */
  long spoolingOutage() {
    lock.lock();
    try {
      return spooling() ? outages : 0;
    } finally {
      lock.unlock();
    }
  }

  /** What a run's status part says while rows are spooled. */
  String spoolingStatus() {
    lock.lock();
    try {
      return "storage: "
          + database
          + " cannot be reached ("
          + describe(downCause)
          + "); "
          + queue.size()
          + " rows are held in the spool (limit "
          + spoolLimit
          + ") and will be written when it answers";
    } finally {
      lock.unlock();
    }
  }

  private boolean spooling() {
    return down && mode == DatabaseDown.SPOOL;
  }

  /** Rows waiting in the queue or being written; for tests and the benchmark. */
  long pending() {
    lock.lock();
    try {
      return added - finished;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes what is queued and stops the writer. Waits up to {@code timeout} for a database that is
   * down to answer again.
   *
   * @throws StorageException naming the rows that were still not written when the time was up
   */
  void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Row.Kind, Long> lost = new EnumMap<>(Row.Kind.class);
    @Nullable Exception cause;
    lock.lock();
    try {
      closing = true;
      changed.signalAll();
      long left;
      while (finished < added && (left = deadline - System.nanoTime()) > 0) {
        changed.awaitNanos(left);
      }
      if (finished < added) {
        abandoned = true;
        for (Row row : queue) {
          lost.merge(row.kind(), 1L, Long::sum);
        }
        changed.signalAll();
      }
      cause = downCause;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while closing the storage on " + database);
    } finally {
      lock.unlock();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!lost.isEmpty()) {
      long rows = lost.values().stream().mapToLong(Long::longValue).sum();
      long parts = lost.getOrDefault(Row.Kind.INPUT, 0L) + lost.getOrDefault(Row.Kind.RESULT, 0L);
      throw new StorageException(
          "closed with "
              + rows
              + " rows not stored in "
              + database
              + " ("
              + countOf(lost)
              + "), which could not be reached within "
              + timeout
              + ": "
              + describe(cause),
          rows,
          parts,
          cause);
    }
  }

  /** "3 input parts, 1 result", in the order of {@link Row.Kind}. */
  static String countOf(Map<Row.Kind, Long> counts) {
    List<String> parts = new ArrayList<>();
    for (Row.Kind kind : Row.Kind.values()) {
      long n = counts.getOrDefault(kind, 0L);
      if (n > 0) {
        parts.add(n + " " + (n == 1 ? kind.one : kind.many));
      }
    }
    return String.join(", ", parts);
  }

  static String describe(@Nullable Throwable e) {
    if (e == null) {
      return "no error given";
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  // ---------------------------------------------------------------- the writer's side

  private void run() {
    List<Row> batch;
    while ((batch = take()) != null) {
      write(batch);
    }
  }

  /** The next batch, once it is due; {@code null} when the writer is to stop. */
  private @Nullable List<Row> take() {
    lock.lock();
    try {
      while (true) {
        if (abandoned) {
          return null;
        }
        if (queue.isEmpty()) {
          if (closing) {
            return null;
          }
          changed.awaitUninterruptibly();
          continue;
        }
        long wait = queue.peekFirst().queuedNanos + flushNanos - System.nanoTime();
        if (queue.size() >= batchSize || closing || flushTo > finished || wait <= 0) {
          break;
        }
        try {
          changed.awaitNanos(wait);
        } catch (InterruptedException e) {
          // Nothing interrupts the writer; should something, the loop goes on.
        }
      }
      int n = Math.min(batchSize, queue.size());
      List<Row> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Row row = queue.pollFirst();
        if (row instanceof Row.RunStart start) {
          start.taken = true;
        }
        batch.add(row);
      }
      changed.signalAll();
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void write(List<Row> batch) {
    Exception failure = null;
    int tries = mode == DatabaseDown.FAIL ? 2 : 1;
    for (int i = 0; i < tries; i++) {
      try {
        writeBatch(batch);
        finish(batch.size(), false, null);
        return;
      } catch (Exception e) {
        failure = e;
        if (!isConnectivity(e)) {
          break;
        }
      }
    }
    if (failure != null && isConnectivity(failure)) {
      unreachable(batch, failure);
    } else {
      writeOneByOne(batch);
    }
  }

  /** The database could not be reached for {@code rows}: spool them, or give them up. */
  private void unreachable(List<Row> rows, Exception cause) {
    if (mode == DatabaseDown.FAIL) {
      for (Row row : rows) {
        row.run.unsaved(row.kind(), cause);
      }
      finish(rows.size(), true, cause);
      return;
    }
    lock.lock();
    try {
      for (int i = rows.size() - 1; i >= 0; i--) {
        queue.addFirst(rows.get(i));
      }
      if (!down) {
        down = true;
        outages++;
      }
      downCause = cause;
      changed.signalAll();
      long deadline = System.nanoTime() + retryNanos;
      long left;
      while (!abandoned && (left = deadline - System.nanoTime()) > 0) {
        try {
          changed.awaitNanos(left);
        } catch (InterruptedException e) {
          // Nothing interrupts the writer.
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void finish(int rows, boolean failedToReach, @Nullable Exception cause) {
    lock.lock();
    try {
      finished += rows;
      down = failedToReach;
      downCause = cause;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void writeBatch(List<Row> batch) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        List<Row.RunStart> starts = new ArrayList<>();
        List<Row.Part> parts = new ArrayList<>(batch.size());
        List<Row.RunEnd> ends = new ArrayList<>();
        for (Row row : batch) {
          switch (row) {
            case Row.RunStart s -> starts.add(s);
            case Row.Part p -> parts.add(p);
            case Row.RunEnd e -> ends.add(e);
          }
        }
        if (!starts.isEmpty()) {
          try (PreparedStatement insert = connection.prepareStatement(tables.insertRun())) {
            for (Row.RunStart start : starts) {
              bindRun(insert, start);
              insert.addBatch();
            }
            insert.executeBatch();
          }
        }
        if (!parts.isEmpty()) {
          try (PreparedStatement insert = connection.prepareStatement(tables.insertPart())) {
            for (Row.Part part : parts) {
              bindPart(insert, part);
              insert.addBatch();
            }
            insert.executeBatch();
          }
        }
        if (!ends.isEmpty()) {
          try (PreparedStatement update = connection.prepareStatement(tables.endRun())) {
            for (Row.RunEnd end : ends) {
              bindEnd(update, end);
              update.addBatch();
            }
            update.executeBatch();
          }
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    }
  }

  /**
   * Writes a refused batch again, one row per transaction, so that only the rows the database
   * refuses are lost. When the database cannot be reached part way, the rest of the batch goes the
   * way of an unreachable batch.
   */
  private void writeOneByOne(List<Row> batch) {
    for (int i = 0; i < batch.size(); i++) {
      Row row = batch.get(i);
      try {
        writeOne(row);
      } catch (Exception e) {
        if (isConnectivity(e)) {
          finish(i, false, null);
          unreachable(batch.subList(i, batch.size()), e);
          return;
        }
        if (!isDuplicateKey(e)) {
          row.run.unsaved(row.kind(), e);
        }
      }
    }
    finish(batch.size(), false, null);
  }

  private void writeOne(Row row) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      String sql =
          switch (row) {
            case Row.RunStart s -> tables.insertRun();
            case Row.Part p -> tables.insertPart();
            case Row.RunEnd e -> tables.endRun();
          };
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        switch (row) {
          case Row.RunStart s -> bindRun(statement, s);
          case Row.Part p -> bindPart(statement, p);
          case Row.RunEnd e -> bindEnd(statement, e);
        }
        statement.executeUpdate();
      }
    }
  }

  private static void bindRun(PreparedStatement insert, Row.RunStart start) throws SQLException {
    insert.setString(1, start.run.id);
    insert.setString(2, start.run.processorName);
    insert.setLong(3, start.startedMs);
    if (start.endedMs == null) {
      insert.setNull(4, Types.BIGINT);
    } else {
      insert.setLong(4, start.endedMs);
    }
    insert.setString(5, start.outcome.column());
    insert.setString(6, start.error);
  }

  private static void bindPart(PreparedStatement insert, Row.Part part) throws SQLException {
    insert.setString(1, part.run.id);
    insert.setLong(2, part.seq);
    insert.setString(3, part.kind == Row.Kind.INPUT ? "input" : "result");
    if (part.inputSeq == null) {
      insert.setNull(4, Types.BIGINT);
    } else {
      insert.setLong(4, part.inputSeq);
    }
    insert.setLong(5, part.storedMs);
    insert.setString(6, part.mimeType);
    insert.setString(7, part.encoded.json());
    byte[] bytes = part.encoded.bytes();
    if (bytes == null) {
      insert.setNull(8, Types.VARBINARY);
    } else {
      insert.setBytes(8, bytes);
    }
  }

  private static void bindEnd(PreparedStatement update, Row.RunEnd end) throws SQLException {
    update.setLong(1, end.endedMs);
    update.setString(2, end.outcome.column());
    update.setString(3, end.error);
    update.setString(4, end.run.id);
  }

  /**
   * Whether {@code e} says the database could not be reached, rather than that it refused what it
   * was sent: JDBC's connection exceptions, SQL state class 08 (connection exception), PostgreSQL's
   * 57P01-57P03 (shutting down, cannot connect now), and H2's 90067 and 90121 (connection broken,
   * database closed).
   */
  static boolean isConnectivity(@Nullable Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null
            && (state.startsWith("08")
                || state.equals("57P01")
                || state.equals("57P02")
                || state.equals("57P03")
                || state.equals("90067")
                || state.equals("90121"))) {
          return true;
        }
        // PostgreSQL's BatchUpdateException carries the real error as the next exception.
        SQLException next = sql.getNextException();
        if (next != null && next != sql && isConnectivity(next)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether {@code e} is a unique-key violation: the row is there already. */
  static boolean isDuplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql
          && ("23505".equals(sql.getSQLState()) || sql.getErrorCode() == 1062)) {
        return true;
      }
    }
    return false;
  }
}
