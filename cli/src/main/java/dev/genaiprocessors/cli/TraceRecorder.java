package dev.genaiprocessors.cli;

import dev.genaiprocessors.PartData;
import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorInterceptor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Records what a run did, as the trace file and the viewer show it: every stage's start and end
 * (nested as the pipeline is), the parts each stage emitted (text cut to a limit), events such as
 * retries, and totals for the progress line (parts in and out of the run, tokens, retries).
 *
 * <p>Records are JSON-ready maps kept in arrival order; {@link #await} lets a follower (the live
 * viewer) wait for new ones. Called by the runtime from many threads at once: the record list is
 * guarded by a lock, the totals are atomic.
 */
final class TraceRecorder implements ProcessorInterceptor {
  /** The trace file's {@code format} value. */
  static final String FORMAT = "genai-processors-trace";

  private final boolean keep;
  private final int textLimit;
  private final int bytesLimit;
  private final long startNanos = System.nanoTime();
  private final Instant startedAt = Instant.now();
  private final long startEpochNanos =
      TimeUnit.SECONDS.toNanos(startedAt.getEpochSecond()) + startedAt.getNano();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition added = lock.newCondition();
  private final List<Map<String, Object>> records = new ArrayList<>();
  private final Set<ProcessorPart> counted = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<String, Object> summary = new LinkedHashMap<>();
  private boolean ended;

  final AtomicLong partsIn = new AtomicLong();
  final AtomicLong partsOut = new AtomicLong();
  final AtomicLong promptTokens = new AtomicLong();
  final AtomicLong completionTokens = new AtomicLong();
  final AtomicLong retries = new AtomicLong();

  /**
   * @param keep whether to keep records (for a trace file or the viewer), or only the totals
   * @param textLimit the most characters of a text kept per part
   * @param bytesLimit the most bytes of a bytes part kept (larger ones are kept without their data)
   */
  TraceRecorder(boolean keep, int textLimit, int bytesLimit) {
    this.keep = keep;
    this.textLimit = textLimit;
    this.bytesLimit = bytesLimit;
  }

  /** When the recording started, in nanoseconds since the epoch (as spans count time). */
  long startEpochNanos() {
    return startEpochNanos;
  }

  private long millis() {
    return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos) / 1000;
  }

  private void add(Map<String, Object> record) {
    if (!keep) {
      return;
    }
    lock.lock();
    try {
      records.add(record);
      added.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private static Map<String, Object> record(String type, Stage stage, long t) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("type", type);
    record.put("stage", stage.id());
    record.put("t", t);
    return record;
  }

  @Override
  public void onStart(Stage stage) {
    Map<String, Object> record = record("stage", stage, millis());
    record.put("name", stage.name());
    Stage parent = stage.parent();
    record.put("parent", parent == null ? null : parent.id());
    record.put("run", stage.runId());
    record.put("root", stage.root());
    add(record);
  }

  @Override
  public void onInput(Stage stage, ProcessorPart part) {
    if (stage.root() && stage.parent() == null) {
      partsIn.incrementAndGet();
    }
  }

  @Override
  public void onPart(Stage stage, ProcessorPart part) {
    if (stage.root() && stage.parent() == null) {
      partsOut.incrementAndGet();
    }
    // A part passes through every enclosing stage; its tokens count once.
    TokenUsage.of(part)
        .ifPresent(
            usage -> {
              boolean first;
              lock.lock();
              try {
                first = counted.add(part);
              } finally {
                lock.unlock();
              }
              if (first) {
                promptTokens.addAndGet(usage.promptTokens());
                completionTokens.addAndGet(usage.completionTokens());
              }
            });
    if (keep) {
      Map<String, Object> record = record("part", stage, millis());
      record.put("part", truncated(part));
      add(record);
    }
  }

  /** The part's dict (as {@link PartJson} writes it) with its text or bytes cut to the limits. */
  Map<String, Object> truncated(ProcessorPart part) {
    ProcessorPart kept = part;
    Map<String, Object> note = new LinkedHashMap<>();
    if (part.isText() && part.text().length() > textLimit) {
      String text = part.text();
      kept = copy(part, ProcessorPart.text(text.substring(0, textLimit)));
      note.put("truncated_chars", text.length());
    } else if (!part.isText() && isBytes(part) && part.bytes().length > bytesLimit) {
      note.put("truncated_bytes", part.bytes().length);
      kept = copy(part, ProcessorPart.bytes(new byte[0], part.mimeType()));
    }
    Map<String, Object> dict = new LinkedHashMap<>(PartJson.toDict(kept));
    if (!note.isEmpty()) {
      dict.put("trace", note);
    }
    return dict;
  }

  private static boolean isBytes(ProcessorPart part) {
    return part.data() instanceof PartData.Blob;
  }

  private static ProcessorPart copy(ProcessorPart from, ProcessorPart content) {
    return content
        .withMimeType(from.mimeType())
        .withRole(from.role())
        .withSubstreamName(from.substreamName())
        .withMetadata(from.metadata());
  }

  @Override
  public void onEnd(Stage stage) {
    Map<String, Object> record = record("end", stage, millis());
    record.put("status", "ok");
    add(record);
  }

  @Override
  public void onError(Stage stage, Throwable error) {
    Map<String, Object> record = record("end", stage, millis());
    record.put("status", "error");
    record.put("error", GenaiCli.describe(error));
    add(record);
  }

  @Override
  public void onCancel(Stage stage) {
    Map<String, Object> record = record("end", stage, millis());
    record.put("status", "cancelled");
    add(record);
  }

  @Override
  public void onEvent(Stage stage, String kind, Map<String, ?> attributes) {
    if (kind.equals("retry")) {
      retries.incrementAndGet();
    }
    Map<String, Object> record = record("event", stage, millis());
    record.put("kind", kind);
    record.put("attributes", new LinkedHashMap<>(attributes));
    add(record);
  }

  /** Notes a line of input that was skipped, as an event of no stage. */
  void badInput(String sentence) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("type", "event");
    record.put("stage", 0);
    record.put("t", millis());
    record.put("kind", "bad_input");
    record.put("attributes", Map.of("message", sentence));
    add(record);
  }

  /**
   * Ends the trace: the run's outcome and the spans; followers see it and stop waiting.
   *
   * @param error the sentence describing the failure, or null for a run that succeeded
   */
  void finish(String pipeline, @Nullable String error, List<Map<String, Object>> spans) {
    lock.lock();
    try {
      summary.put("pipeline", pipeline);
      summary.put("status", error == null ? "ok" : "error");
      summary.put("error", error);
      summary.put("duration_ms", millis());
      summary.put("usage", usage());
      summary.put("spans", spans);
      ended = true;
      added.signalAll();
    } finally {
      lock.unlock();
    }
  }

  Map<String, Object> usage() {
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("input_tokens", promptTokens.get());
    usage.put("output_tokens", completionTokens.get());
    return usage;
  }

  /** The whole trace as it is now: the document the trace file holds. */
  Map<String, Object> document() {
    lock.lock();
    try {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("format", FORMAT);
      doc.put("version", 1);
      doc.put("started_at", startedAt.toString());
      doc.put("live", !ended);
      doc.putAll(summary);
      doc.put("records", List.copyOf(records));
      return doc;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The records from index {@code from} on, waiting up to {@code timeoutMillis} for one when there
   * is none yet; empty when the trace ended or the wait timed out.
   */
  List<Map<String, Object>> await(int from, long timeoutMillis) throws InterruptedException {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (records.size() <= from && !ended && nanos > 0) {
        nanos = added.awaitNanos(nanos);
      }
      return records.size() > from ? List.copyOf(records.subList(from, records.size())) : List.of();
    } finally {
      lock.unlock();
    }
  }

  boolean ended() {
    lock.lock();
    try {
      return ended;
    } finally {
      lock.unlock();
    }
  }
}
