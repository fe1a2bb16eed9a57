package dev.genaiprocessors.jdbc;

import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorCache;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ProcessorCache} in a table of the storage's database, shared by every process that uses
 * the same database and table prefix. Made by {@link Storage#cache}; see there for its contract.
 *
 * <p>A row holds a key, the content as the UTF-8 JSON array of its parts' {@link PartJson} dicts
 * (the Python library's SQL cache stores the same), when it was stored and when it expires. A row
 * with no content is a reservation ({@link #lookupOrReserve}): the process named in {@code
 * reserved_by} computes the value until {@code reserved_until_ms}; a row's {@code stamp} changes
 * with each write, so that of two processes taking over the same expired row, only one succeeds.
 */
final class SqlCache implements ProcessorCache {
  private static final long FIRST_PAUSE_MILLIS = 10;
  private static final long LONGEST_PAUSE_MILLIS = 500;

  private final DataSource dataSource;
  private final Tables tables;
  private final String database;
  private final InstantSource clock;
  private final Duration ttl;
  private final long maxItems;
  private final Duration reservation;
  private final String owner = UUID.randomUUID().toString();
  // The keys this cache reserved and has not yet filled or released, with the stamps they got.
  private final ConcurrentHashMap<String, String> reserved = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();

  SqlCache(
      DataSource dataSource,
      Tables tables,
      String database,
      InstantSource clock,
      Duration ttl,
      long maxItems,
      Duration reservation) {
    this.dataSource = dataSource;
    this.tables = tables;
    this.database = database;
    this.clock = clock;
    this.ttl = ttl;
    this.maxItems = maxItems;
    this.reservation = reservation;
  }

  /** How many calls wait for another process's value right now; for tests. */
  int waiting() {
    return waiting.get();
  }

  private record Entry(
      byte @Nullable [] value,
      @Nullable Long expiresMs,
      @Nullable Long reservedUntilMs,
      String stamp) {
    boolean expired(long now) {
      return expiresMs != null && expiresMs <= now;
    }
  }

  @Override
  public Optional<ProcessorContent> lookup(String key) {
    checkKey(key);
    try (Connection connection = dataSource.getConnection()) {
      Entry entry = select(connection, key);
      if (entry == null || entry.value() == null) {
        return Optional.empty();
      }
      if (entry.expired(clock.millis())) {
        deleteIfUnchanged(connection, key, entry.stamp());
        return Optional.empty();
      }
      return decode(connection, key, entry);
    } catch (SQLException e) {
      throw failed("look up", key, e);
    }
  }

  @Override
  public Optional<ProcessorContent> lookupOrReserve(String key) {
    checkKey(key);
    long pause = FIRST_PAUSE_MILLIS;
    boolean counted = false;
    try {
      while (true) {
        try (Connection connection = dataSource.getConnection()) {
          long now = clock.millis();
          Entry entry = select(connection, key);
          if (entry == null) {
            if (insertReservation(connection, key, now)) {
              return Optional.empty();
            }
            continue; // another process inserted the key first: read what it wrote
          }
          if (entry.value() != null && !entry.expired(now)) {
            Optional<ProcessorContent> hit = decode(connection, key, entry);
            if (hit.isPresent()) {
              return hit;
            }
            continue; // an undecodable value was deleted
          }
          boolean reservedElsewhere =
              entry.value() == null
                  && entry.reservedUntilMs() != null
                  && entry.reservedUntilMs() > now;
          if (!reservedElsewhere) {
            // Expired, or a reservation whose holder gave up without a word (it died).
            if (takeOver(connection, key, entry.stamp(), now)) {
              return Optional.empty();
            }
            continue;
          }
        } catch (SQLException e) {
          throw failed("look up", key, e);
        }
        if (!counted) {
          waiting.incrementAndGet();
          counted = true;
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          CancellationException cancelled =
              new CancellationException(
                  "interrupted while waiting for another process to compute cache key " + key);
          cancelled.initCause(e);
          throw cancelled;
        }
        pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
      }
    } finally {
      if (counted) {
        waiting.decrementAndGet();
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code value} holds a {@code text/x-exception} part: errors
   *     are never cached
   */
  @Override
  public void put(String key, ProcessorContent value) {
    checkKey(key);
    Objects.requireNonNull(value, "value");
    for (ProcessorPart part : value) {
      if (part.isException()) {
        throw new IllegalArgumentException(
            "content holding a text/x-exception part is never cached, but was put under " + key);
      }
    }
    byte[] bytes = PartJson.toJson(value).getBytes(StandardCharsets.UTF_8);
    long now = clock.millis();
    Long expires = ttl.isPositive() ? now + ttl.toMillis() : null;
    try (Connection connection = dataSource.getConnection()) {
      String stamp = UUID.randomUUID().toString();
      if (update(connection, key, bytes, now, expires, stamp) == 0) {
        try {
          insert(connection, key, bytes, now, expires, stamp);
        } catch (SQLException e) {
          if (!BatchWriter.isDuplicateKey(e)) {
            throw e;
          }
          update(connection, key, bytes, now, expires, stamp);
        }
      }
      reserved.remove(key);
      evict(connection, now);
    } catch (SQLException e) {
      throw failed("store", key, e);
    }
  }

  @Override
  public void release(String key) {
    checkKey(key);
    String stamp = reserved.remove(key);
    if (stamp == null) {
      return;
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM "
                    + tables.cache()
                    + " WHERE cache_key = ? AND stamp = ? AND value_bytes IS NULL")) {
      delete.setString(1, key);
      delete.setString(2, stamp);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw failed("release", key, e);
    }
  }

  @Override
  public void remove(String key) {
    checkKey(key);
    reserved.remove(key);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM " + tables.cache() + " WHERE cache_key = ?")) {
      delete.setString(1, key);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw failed("remove", key, e);
    }
  }

  /** How many values the table holds (reservations not counted); for tests. */
  long size() {
    try (Connection connection = dataSource.getConnection()) {
      return countValues(connection);
    } catch (SQLException e) {
      throw failed("count", "", e);
    }
  }

  private static void checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.length() > Tables.MAX_CACHE_KEY) {
      throw new IllegalArgumentException(
          "a cache key may have at most "
              + Tables.MAX_CACHE_KEY
              + " characters, but this one has "
              + key.length()
              + ": "
              + key.substring(0, 60)
              + "...");
    }
  }

  private @Nullable Entry select(Connection connection, String key) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT value_bytes, expires_ms, reserved_until_ms, stamp FROM "
                + tables.cache()
                + " WHERE cache_key = ?")) {
      select.setString(1, key);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return null;
        }
        byte[] value = row.getBytes(1);
        long expires = row.getLong(2);
        Long expiresMs = row.wasNull() ? null : expires;
        long until = row.getLong(3);
        Long reservedUntil = row.wasNull() ? null : until;
        return new Entry(value, expiresMs, reservedUntil, row.getString(4));
      }
    }
  }

  /** The stored content, or empty (and the row deleted) when it cannot be read back. */
  private Optional<ProcessorContent> decode(Connection connection, String key, Entry entry)
      throws SQLException {
    try {
      return Optional.of(
          PartJson.contentFromJson(new String(entry.value(), StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException unreadable) {
      deleteIfUnchanged(connection, key, entry.stamp());
      return Optional.empty();
    }
  }

  private boolean insertReservation(Connection connection, String key, long now)
      throws SQLException {
    String stamp = UUID.randomUUID().toString();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + tables.cache()
                + " (cache_key, value_bytes, stored_ms, expires_ms, reserved_by,"
                + " reserved_until_ms, stamp) VALUES (?, NULL, ?, NULL, ?, ?, ?)")) {
      insert.setString(1, key);
      insert.setLong(2, now);
      insert.setString(3, owner);
      insert.setLong(4, now + reservation.toMillis());
      insert.setString(5, stamp);
      insert.executeUpdate();
    } catch (SQLException e) {
      if (BatchWriter.isDuplicateKey(e)) {
        return false;
      }
      throw e;
    }
    reserved.put(key, stamp);
    return true;
  }

  private boolean takeOver(Connection connection, String key, String seen, long now)
      throws SQLException {
    String stamp = UUID.randomUUID().toString();
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE "
                + tables.cache()
                + " SET value_bytes = NULL, stored_ms = ?, expires_ms = NULL, reserved_by = ?,"
                + " reserved_until_ms = ?, stamp = ? WHERE cache_key = ? AND stamp = ?")) {
      update.setLong(1, now);
      update.setString(2, owner);
      update.setLong(3, now + reservation.toMillis());
      update.setString(4, stamp);
      update.setString(5, key);
      update.setString(6, seen);
      if (update.executeUpdate() != 1) {
        return false;
      }
    }
    reserved.put(key, stamp);
    return true;
  }

  private int update(
      Connection connection,
      String key,
      byte[] bytes,
      long now,
      @Nullable Long expires,
      String stamp)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE "
                + tables.cache()
                + " SET value_bytes = ?, stored_ms = ?, expires_ms = ?, reserved_by = NULL,"
                + " reserved_until_ms = NULL, stamp = ? WHERE cache_key = ?")) {
      update.setBytes(1, bytes);
      update.setLong(2, now);
      setNullableLong(update, 3, expires);
      update.setString(4, stamp);
      update.setString(5, key);
      return update.executeUpdate();
    }
  }

  private void insert(
      Connection connection,
      String key,
      byte[] bytes,
      long now,
      @Nullable Long expires,
      String stamp)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + tables.cache()
                + " (cache_key, value_bytes, stored_ms, expires_ms, reserved_by,"
                + " reserved_until_ms, stamp) VALUES (?, ?, ?, ?, NULL, NULL, ?)")) {
      insert.setString(1, key);
      insert.setBytes(2, bytes);
      insert.setLong(3, now);
      setNullableLong(insert, 4, expires);
      insert.setString(5, stamp);
      insert.executeUpdate();
    }
  }

  private void deleteIfUnchanged(Connection connection, String key, String stamp)
      throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM " + tables.cache() + " WHERE cache_key = ? AND stamp = ?")) {
      delete.setString(1, key);
      delete.setString(2, stamp);
      delete.executeUpdate();
    }
  }

  /**
   * Deletes the expired values, then the oldest ones beyond {@code maxItems}, as the Python
   * library's SQL cache cleans up on every put.
   */
  private void evict(Connection connection, long now) throws SQLException {
    try (PreparedStatement expired =
        connection.prepareStatement(
            "DELETE FROM "
                + tables.cache()
                + " WHERE expires_ms IS NOT NULL AND expires_ms <= ? AND value_bytes IS NOT NULL")) {
      expired.setLong(1, now);
      expired.executeUpdate();
    }
    long excess = countValues(connection) - maxItems;
    if (excess <= 0) {
      return;
    }
    List<String> oldest = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT cache_key FROM "
                + tables.cache()
                + " WHERE value_bytes IS NOT NULL ORDER BY stored_ms, cache_key")) {
      select.setMaxRows((int) Math.min(excess, Integer.MAX_VALUE));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next() && oldest.size() < excess) {
          oldest.add(rows.getString(1));
        }
      }
    }
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM " + tables.cache() + " WHERE cache_key = ? AND value_bytes IS NOT NULL")) {
      for (String key : oldest) {
        delete.setString(1, key);
        delete.addBatch();
      }
      delete.executeBatch();
    }
  }

  private long countValues(Connection connection) throws SQLException {
    try (PreparedStatement count =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM " + tables.cache() + " WHERE value_bytes IS NOT NULL");
        ResultSet row = count.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  private static void setNullableLong(PreparedStatement statement, int index, @Nullable Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  private StorageException failed(String what, String key, SQLException e) {
    return new StorageException(
        "could not "
            + what
            + " cache key "
            + key
            + " in "
            + database
            + ": "
            + BatchWriter.describe(e),
        e);
  }

  @Override
  public String toString() {
    return "SqlCache["
        + database
        + ", table="
        + tables.cache()
        + ", ttl="
        + ttl
        + ", maxItems="
        + maxItems
        + "]";
  }
}
