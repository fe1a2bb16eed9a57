package dev.genaiprocessors.jdbc;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One run of a stored processor, as its run row records it. Load its parts with {@link
 * Storage#inputs(String)} and {@link Storage#results(String)}.
 *
 * @param id the run's id (a UUID), also the prefix of its parts' {@code storage_id}
 * @param processorName the wrapped processor's {@link dev.genaiprocessors.Processor#name() name}
 * @param startedAt when the run started, to the millisecond
 * @param endedAt when it ended, or {@code null} while {@link RunOutcome#RUNNING}
 * @param outcome how it ended
 * @param error what went wrong, for a failed run: the exception's class and message, or what was
 *     not stored; otherwise {@code null}
 */
public record StoredRun(
    String id,
    String processorName,
    Instant startedAt,
    @Nullable Instant endedAt,
    RunOutcome outcome,
    @Nullable String error) {

  /** Checks that the required fields are present. */
  public StoredRun {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(processorName, "processorName");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(outcome, "outcome");
  }
}
