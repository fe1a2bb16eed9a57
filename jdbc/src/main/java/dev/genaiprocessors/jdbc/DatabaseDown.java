package dev.genaiprocessors.jdbc;

/**
 * What a stored run does when the database stops answering while it runs: a setting of {@link
 * Storage.Builder#whenDatabaseDown}. Either way nothing is lost silently: every row is either
 * written, or named in an exception.
 */
public enum DatabaseDown {
  /**
   * The run fails: its next part, or its end, throws a {@link StorageException} naming the database
   * and how many rows of which kinds (input parts, results, the run's own row) were not stored. The
   * default.
   */
  FAIL,

  /**
   * The run goes on: it emits one status part saying the database is unreachable, and the rows wait
   * in a bounded spool ({@link Storage.Builder#spoolLimit}) until the database answers again, when
   * they are written in order. A run that would overflow the spool fails with a {@link
   * StorageException}, and {@link Storage#close()} throws one naming the rows still spooled if the
   * database has not come back by then.
   */
  SPOOL
}
