package dev.genaiprocessors.jdbc;

import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.ProcessorPart;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One stored run: turns its input parts and results into rows for the {@link BatchWriter}, keeps
 * count of the rows the writer could not store, and ends the run.
 *
 * <p>Safe for concurrent use: the results of a part processor's calls arrive from many threads.
 */
final class RunRecorder {
  /** The metadata key of a stored result: the run's id and the part's sequence number. */
  static final String STORAGE_ID = "storage_id";

  /** The metadata key of a stored result: when it was stored, as an ISO-8601 instant. */
  static final String STORED_AT = "stored_at";

  /** The longest error text kept in a run row. */
  private static final int MAX_ERROR_CHARS = 8_000;

  final String id;
  final String processorName;
  private final BatchWriter writer;
  private final InstantSource clock;
  private final long maxPartBytes;
  private final Row.RunStart start;
  private final AtomicLong seqs = new AtomicLong();
  private final AtomicLong lastTicket = new AtomicLong();

  private final ReentrantLock failureLock = new ReentrantLock();
  private final Map<Row.Kind, Long> unsaved = new EnumMap<>(Row.Kind.class);
  private @Nullable Exception firstCause;
  // Thrown by every part after the first rows were lost, so the run stops; replaced at its end by
  // the full account.
  private volatile @Nullable StorageException stopped;
  private final AtomicLong toldOutage = new AtomicLong();

  private RunRecorder(
      String processorName, BatchWriter writer, InstantSource clock, long maxPartBytes) {
    this.id = UUID.randomUUID().toString();
    this.processorName = processorName;
    this.writer = writer;
    this.clock = clock;
    this.maxPartBytes = maxPartBytes;
    this.start = new Row.RunStart(this, clock.millis());
  }

  /** Starts a run: queues its row. */
  static RunRecorder start(
      String processorName, BatchWriter writer, InstantSource clock, long maxPartBytes) {
    RunRecorder run = new RunRecorder(processorName, writer, clock, maxPartBytes);
    run.queue(run.start, true);
    return run;
  }

  /**
   * Queues {@code part} as an input part of this run.
   *
   * @return its sequence number, which results link to
   * @throws StorageException when the part is over the size limit, or rows of this run were lost
   */
  long input(ProcessorPart part) {
    return record(part, Row.Kind.INPUT, null).seq;
  }

  /**
   * Queues {@code part} as a result of this run, linked to the input part {@code inputSeq}, and
   * returns it with its {@value #STORAGE_ID} and {@value #STORED_AT} metadata.
   */
  ProcessorPart result(ProcessorPart part, @Nullable Long inputSeq) {
    Row.Part row = record(part, Row.Kind.RESULT, inputSeq);
    Map<String, @Nullable Object> metadata = new LinkedHashMap<>(part.metadata());
    metadata.put(STORAGE_ID, id + "/" + row.seq);
    metadata.put(STORED_AT, Instant.ofEpochMilli(row.storedMs).toString());
    return part.withMetadata(metadata);
  }

  private Row.Part record(ProcessorPart part, Row.Kind kind, @Nullable Long inputSeq) {
    StorageException stop = stopped;
    if (stop != null) {
      throw stop;
    }
    PartRows.Encoded encoded = PartRows.encode(part);
    long seq = seqs.incrementAndGet();
    if (encoded.isOver(maxPartBytes)) {
      throw new StorageException(
          "the "
              + kind.one
              + " "
              + seq
              + " of run "
              + id
              + " (processor '"
              + processorName
              + "') takes "
              + encoded.size()
              + " bytes to store, over the limit of "
              + maxPartBytes
              + " bytes (maxPartBytes); it was not stored",
          1,
          1,
          null);
    }
    String mimeType = part.mimeType();
    if (mimeType.length() > Tables.MAX_MIME_TYPE) {
      // Only the column for queries is cut: the part's JSON keeps the whole type.
      mimeType = mimeType.substring(0, Tables.MAX_MIME_TYPE);
    }
    Row.Part row = new Row.Part(this, seq, kind, inputSeq, clock.millis(), mimeType, encoded);
    queue(row, true);
    return row;
  }

  private void queue(Row row, boolean interruptible) {
    long ticket = writer.add(row, interruptible);
    lastTicket.accumulateAndGet(ticket, Math::max);
  }

  /**
   * Emits a status part telling the caller that the database cannot be reached and rows are
   * spooled, once per outage.
   */
  void tellIfSpooling(PartSink output) {
    long outage = writer.spoolingOutage();
    if (outage != 0 && toldOutage.getAndSet(outage) != outage) {
      output.emit(Processor.status(writer.spoolingStatus()));
    }
  }

  /** Called by the writer: a row of this run could not be stored. */
  void unsaved(Row.Kind kind, Exception cause) {
    failureLock.lock();
    try {
      unsaved.merge(kind, 1L, Long::sum);
      if (firstCause == null) {
        firstCause = cause;
        stopped =
            new StorageException(
                "storing run "
                    + id
                    + " (processor '"
                    + processorName
                    + "') in "
                    + writer.database()
                    + " failed, so the run stops: "
                    + BatchWriter.describe(cause),
                1,
                kind == Row.Kind.INPUT || kind == Row.Kind.RESULT ? 1 : 0,
                cause);
      }
    } finally {
      failureLock.unlock();
    }
  }

  /**
   * Ends the run: records its outcome, and waits until its rows are written (with {@link
   * DatabaseDown#SPOOL}, not while they are spooled). Never throws for storage's sake: returns the
   * account of what was not stored instead.
   *
   * @param error what the processor threw, or {@code null} when it returned
   * @return {@code null} when every row was stored (or is spooled), else a {@link StorageException}
   *     naming the database and counting the rows that were not
   */
  private @Nullable StorageException end(@Nullable Throwable error) {
    RunOutcome outcome =
        error == null
            ? RunOutcome.SUCCEEDED
            : isCancellation(error) ? RunOutcome.CANCELLED : RunOutcome.FAILED;
    String errorText = error != null && outcome == RunOutcome.FAILED ? errorText(error) : null;
    long endedMs = clock.millis();
    if (!writer.endInQueue(start, endedMs, outcome, errorText)) {
      try {
        queue(new Row.RunEnd(this, endedMs, outcome, errorText), false);
      } catch (StorageException spoolFull) {
        unsaved(Row.Kind.RUN_END, spoolFull);
      }
    }
    writer.awaitWritten(lastTicket.get(), writer.mode() == DatabaseDown.SPOOL);
    return account();
  }

  /**
   * Ends the run after the wrapped processor returned or threw {@code failure}, and throws what the
   * caller must see: the processor's failure as it was (with storage's account suppressed in it, if
   * rows were lost too), else the account of the rows that were not stored. A run that stopped
   * because its rows were lost throws the full account instead of the exception that stopped it. A
   * run whose rows are spooled says so in a status part before it ends.
   */
  void finish(@Nullable Throwable failure, PartSink output) throws Exception {
    StorageException account = end(failure);
    if (failure == null) {
      if (account != null) {
        throw account;
      }
      tellIfSpooling(output);
      return;
    }
    if (account != null) {
      if (failure == stopped) {
        throw account;
      }
      failure.addSuppressed(account);
    }
    if (failure instanceof Exception e) {
      throw e;
    }
    throw (Error) failure;
  }

  private @Nullable StorageException account() {
    failureLock.lock();
    try {
      if (unsaved.isEmpty()) {
        return null;
      }
      long rows = unsaved.values().stream().mapToLong(Long::longValue).sum();
      long parts =
          unsaved.getOrDefault(Row.Kind.INPUT, 0L) + unsaved.getOrDefault(Row.Kind.RESULT, 0L);
      return new StorageException(
          "could not store "
              + rows
              + " rows of run "
              + id
              + " (processor '"
              + processorName
              + "') in "
              + writer.database()
              + ": "
              + BatchWriter.countOf(unsaved)
              + "; "
              + BatchWriter.describe(firstCause),
          rows,
          parts,
          firstCause);
    } finally {
      failureLock.unlock();
    }
  }

  private static boolean isCancellation(Throwable error) {
    return error instanceof CancellationException
        || error instanceof InterruptedException
        || Thread.currentThread().isInterrupted();
  }

  private static String errorText(Throwable error) {
    Throwable original = error;
    while (original instanceof ProcessorException && original.getCause() != null) {
      original = original.getCause();
    }
    String message = original.getMessage();
    String text = original.getClass().getName() + (message == null ? "" : ": " + message);
    return text.length() <= MAX_ERROR_CHARS
        ? text
        : text.substring(0, MAX_ERROR_CHARS) + "... (" + text.length() + " characters)";
  }
}
