package dev.genaiprocessors.jdbc;

import org.jspecify.annotations.Nullable;

/**
 * Storing failed: the database could not be reached or refused a row, a part was over the size
 * limit, or the spool was full. The message names the database and what was not stored; {@link
 * #unsavedRows()} and {@link #unsavedParts()} count it. The cause, when there is one, is the
 * database's own exception.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long unsavedRows;
  private final long unsavedParts;

  StorageException(String message, long unsavedRows, long unsavedParts, @Nullable Throwable cause) {
    super(message, cause);
    this.unsavedRows = unsavedRows;
    this.unsavedParts = unsavedParts;
  }

  /** A failure that left nothing unstored: a query, or setting up the tables. */
  StorageException(String message, @Nullable Throwable cause) {
    this(message, 0, 0, cause);
  }

  /** How many rows this failure left unstored: input parts, results and the runs' own rows. */
  public long unsavedRows() {
    return unsavedRows;
  }

  /** How many input parts and results, of the {@link #unsavedRows()}, were not stored. */
  public long unsavedParts() {
    return unsavedParts;
  }
}
