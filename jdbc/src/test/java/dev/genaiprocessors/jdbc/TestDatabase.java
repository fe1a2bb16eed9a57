package dev.genaiprocessors.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import org.h2.tools.Server;
import org.jspecify.annotations.Nullable;

/**
 * A database of its own for one test class: a schema (PostgreSQL), a database (MariaDB) or an
 * in-memory database behind a TCP server (H2), made when the class starts and dropped when it ends,
 * so that test runs never see each other's tables. Each is reached over TCP, so a test can put a
 * {@link TcpProxy} in between and cut the connection.
 */
abstract class TestDatabase implements AutoCloseable {
  final String name = "gp" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  /** The database's display name, as storage's messages give it. */
  abstract String product();

  /** The port the database listens on. */
  abstract int port();

  /** The JDBC URL of this test's database through {@code port} (the database's, or a proxy's). */
  abstract String url(int port);

  abstract @Nullable String user();

  /** Drops the database. */
  @Override
  public abstract void close() throws SQLException;

  String url() {
    return url(port());
  }

  /** Settings for a storage on this database, with a short connection timeout for the tests. */
  Storage.Builder storage(String tablePrefix) {
    return storage(tablePrefix, port());
  }

  Storage.Builder storage(String tablePrefix, int port) {
    Storage.Builder builder =
        Storage.builder()
            .url(url(port))
            .tablePrefix(tablePrefix)
            .poolSize(2)
            .connectionTimeout(Duration.ofMillis(500));
    String user = user();
    return user == null ? builder : builder.user(user);
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), user(), "");
  }

  /** The single number {@code sql} selects, with {@code values} bound. */
  long count(String sql, Object... values) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        select.setObject(i + 1, values[i]);
      }
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  static TestDatabase h2() throws SQLException {
    return new H2();
  }

  static TestDatabase postgresql() throws SQLException {
    return new PostgreSql();
  }

  static TestDatabase mariadb() throws SQLException {
    return new MariaDb();
  }

  private static final class H2 extends TestDatabase {
    private final Server server;

    H2() throws SQLException {
      server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
    }

    @Override
    String product() {
      return "H2";
    }

    @Override
    int port() {
      return server.getPort();
    }

    @Override
    String url(int port) {
      return "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    @Override
    @Nullable String user() {
      return null;
    }

    @Override
    public void close() throws SQLException {
      try (Connection connection = connect();
          Statement statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      } finally {
        server.stop();
      }
    }
  }

  /**
   * The machine's PostgreSQL: trust authentication, database {@code test}, user {@code postgres}
   * (or {@code root}, where that is the role that exists).
   */
  private static final class PostgreSql extends TestDatabase {
    private final String user;

    PostgreSql() throws SQLException {
      String found = null;
      SQLException failure = null;
      for (String candidate : new String[] {"postgres", "root"}) {
        try (Connection connection = DriverManager.getConnection(admin(), candidate, "");
            Statement statement = connection.createStatement()) {
          statement.execute("CREATE SCHEMA " + name);
          found = candidate;
          break;
        } catch (SQLException e) {
          failure = e;
        }
      }
      if (found == null) {
        throw failure;
      }
      user = found;
    }

    private static String admin() {
      return "jdbc:postgresql://127.0.0.1:5432/test";
    }

    @Override
    String product() {
      return "PostgreSQL";
    }

    @Override
    int port() {
      return 5432;
    }

    @Override
    String url(int port) {
      return "jdbc:postgresql://127.0.0.1:" + port + "/test?currentSchema=" + name;
    }

    @Override
    String user() {
      return user;
    }

    @Override
    public void close() throws SQLException {
      try (Connection connection = DriverManager.getConnection(admin(), user, "");
          Statement statement = connection.createStatement()) {
        statement.execute("DROP SCHEMA " + name + " CASCADE");
      }
    }
  }

  /** The machine's MariaDB: user {@code root} with an empty password. */
  private static final class MariaDb extends TestDatabase {
    MariaDb() throws SQLException {
      try (Connection connection = DriverManager.getConnection(admin(), "root", "");
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE " + name.toLowerCase(Locale.ROOT));
      }
    }

    private static String admin() {
      return "jdbc:mariadb://127.0.0.1:3306/test";
    }

    @Override
    String product() {
      return "MariaDB";
    }

    @Override
    int port() {
      return 3306;
    }

    @Override
    String url(int port) {
      return "jdbc:mariadb://127.0.0.1:" + port + "/" + name;
    }

    @Override
    String user() {
      return "root";
    }

    @Override
    public void close() throws SQLException {
      try (Connection connection = DriverManager.getConnection(admin(), "root", "");
          Statement statement = connection.createStatement()) {
        statement.execute("DROP DATABASE " + name);
      }
    }
  }
}
