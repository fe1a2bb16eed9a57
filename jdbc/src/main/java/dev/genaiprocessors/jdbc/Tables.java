package dev.genaiprocessors.jdbc;

import java.util.regex.Pattern;

/**
 * The names of storage's tables under one prefix, and the SQL that uses them. The prefix is the
 * only text ever put into SQL, and only after {@link #validPrefix} checked it; every value is
 * bound.
 */
record Tables(String prefix) {
  /**
   * Lower-case letters, digits and underscores, starting with a letter, at most 40 characters: the
   * longest name made from it then fits PostgreSQL's and MariaDB's 63- and 64-character limits, and
   * means the same table whether or not a database folds the case of unquoted names.
   */
  static final Pattern PREFIX = Pattern.compile("([a-z][a-z0-9_]{0,39})?");

  static final int MAX_PROCESSOR_NAME = 255;
  static final int MAX_MIME_TYPE = 255;
  static final int MAX_CACHE_KEY = 512;

  Tables {
    validPrefix(prefix);
  }

  /**
   * {@code prefix}, checked against {@link #PREFIX}.
   *
   * @throws IllegalArgumentException naming the prefix when it does not match
   */
  static String validPrefix(String prefix) {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "tablePrefix must be lower-case letters, digits and underscores, starting with a letter,"
              + " at most 40 characters, but was \""
              + prefix
              + "\"");
    }
    return prefix;
  }

  String runs() {
    return prefix + "runs";
  }

  String parts() {
    return prefix + "parts";
  }

  String cache() {
    return prefix + "cache";
  }

  String schemaHistory() {
    return prefix + "schema_history";
  }

  String insertRun() {
    return "INSERT INTO "
        + runs()
        + " (run_id, processor, started_ms, ended_ms, outcome, error_text) VALUES (?, ?, ?, ?, ?, ?)";
  }

  String endRun() {
    return "UPDATE " + runs() + " SET ended_ms = ?, outcome = ?, error_text = ? WHERE run_id = ?";
  }

  String insertPart() {
    return "INSERT INTO "
        + parts()
        + " (run_id, seq, kind, input_seq, stored_ms, mime_type, part_json, part_bytes)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  }

  private static final String RUN_COLUMNS =
      "run_id, processor, started_ms, ended_ms, outcome, error_text";

  String selectRun() {
    return "SELECT " + RUN_COLUMNS + " FROM " + runs() + " WHERE run_id = ?";
  }

  String selectRuns() {
    return "SELECT "
        + RUN_COLUMNS
        + " FROM "
        + runs()
        + " WHERE processor = ? AND started_ms >= ? AND started_ms < ? ORDER BY started_ms, run_id";
  }

  /** A run's parts of one kind, in the order they came out (inputs: as they were read). */
  String selectParts() {
    return "SELECT part_json, part_bytes FROM "
        + parts()
        + " WHERE run_id = ? AND kind = ? ORDER BY COALESCE(input_seq, 0), seq";
  }
}
