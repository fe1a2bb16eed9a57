package dev.genaiprocessors.jdbc;

import java.util.Locale;
import java.util.Map;

/**
 * The databases storage runs on, and the little that differs between them: the column types of long
 * text and of bytes, which the one set of migrations takes as placeholders.
 */
enum Dialect {
  POSTGRESQL("PostgreSQL", "TEXT", "BYTEA", ""),
  MARIADB("MariaDB", "LONGTEXT", "LONGBLOB", " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"),
  H2("H2", "CLOB", "BLOB", "");

  private final String displayName;
  private final String textType;
  private final String binaryType;
  private final String tableOptions;

  Dialect(String displayName, String textType, String binaryType, String tableOptions) {
    this.displayName = displayName;
    this.textType = textType;
    this.binaryType = binaryType;
    this.tableOptions = tableOptions;
  }

  String displayName() {
    return displayName;
  }

  /** The Flyway placeholders of the migrations, with the table prefix. */
  Map<String, String> placeholders(String tablePrefix) {
    return Map.of(
        "prefix", tablePrefix,
        "text", textType,
        "binary", binaryType,
        "table_options", tableOptions);
  }

  /**
   * The dialect of a database by the product name its JDBC driver reports.
   *
   * @throws IllegalArgumentException for any other database, naming it
   */
  static Dialect of(String productName) {
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb")) {
      return MARIADB;
    }
    if (name.equals("h2")) {
      return H2;
    }
    throw new IllegalArgumentException(
        "storage supports PostgreSQL, MariaDB and H2, but the database is " + productName);
  }

  /**
   * A JDBC URL fit for messages and logs: without its parameters (after {@code ?} or {@code ;}) and
   * without a user and password written into it, which may be secrets.
   */
  static String describeUrl(String url) {
    int end = url.length();
    for (char c : new char[] {'?', ';'}) {
      int at = url.indexOf(c);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    String cut = url.substring(0, end);
    int slashes = cut.indexOf("//");
    int at = cut.indexOf('@', Math.max(slashes, 0));
    if (slashes >= 0 && at > slashes) {
      cut = cut.substring(0, slashes + 2) + cut.substring(at + 1);
    }
    return cut;
  }
}
