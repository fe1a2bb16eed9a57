package dev.genaiprocessors.cli;

/**
 * Bad usage found while a command runs (a missing input file, an output path that is a file): exit
 * code {@value GenaiCli#USAGE}, its message printed as it is.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
