package dev.genaiprocessors.observability;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.ProcessorInterceptor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.ModelOutput;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Observability} keeps about one running stage. Its methods may be called from several
 * threads at once (the workers of a part stage), so what they change is atomic or locked.
 */
final class StageRecord {
  /** The most characters of content kept per model call and direction, when content is captured. */
  static final int MAX_CONTENT = 16_384;

  final ProcessorInterceptor.Stage stage;
  final @Nullable ModelCall model;
  final long startNanos;
  final Meters.@Nullable StageMeters meters;
  final @Nullable Span span;
  final Context context;

  // Model calls only.
  private volatile long firstChunkNanos = -1;
  private volatile @Nullable ProcessorPart last;
  private final ReentrantLock contentLock = new ReentrantLock();
  private @Nullable StringBuilder input;
  private @Nullable StringBuilder output;

  // Function calls read and not yet answered, by call id; made on the first one.
  private volatile @Nullable ConcurrentHashMap<String, PendingCall> calls;

  StageRecord(
      ProcessorInterceptor.Stage stage,
      @Nullable ModelCall model,
      long startNanos,
      Meters.@Nullable StageMeters meters,
      @Nullable Span span,
      Context context) {
    this.stage = stage;
    this.model = model;
    this.startNanos = startNanos;
    this.meters = meters;
    this.span = span;
    this.context = context;
  }

  /** A model's part arrived: the first one fixes the time to first chunk; the last one counts. */
  void modelPart(ProcessorPart part, long now) {
    if (firstChunkNanos < 0) {
      firstChunkNanos = now - startNanos;
    }
    if (part.metadata(ModelOutput.USAGE) != null
        || part.metadata(ModelOutput.FINISH_REASON) != null
        || part.metadata(ModelOutput.MODEL) != null) {
      last = part;
    }
  }

  long firstChunkNanos() {
    return firstChunkNanos;
  }

  /** The model's final part, carrying its usage, finish reason and model; or null. */
  @Nullable ProcessorPart finalPart() {
    return last;
  }

  /** Keeps {@code part}'s text (opt-in content capture), up to {@link #MAX_CONTENT}. */
  void capture(ProcessorPart part, boolean isInput) {
    if (!part.isText()) {
      return;
    }
    contentLock.lock();
    try {
      StringBuilder text = isInput ? input : output;
      if (text == null) {
        text = new StringBuilder();
        if (isInput) {
          input = text;
        } else {
          output = text;
        }
      }
      if (text.length() < MAX_CONTENT) {
        String s = part.text();
        text.append(s, 0, Math.min(s.length(), MAX_CONTENT - text.length()));
      }
    } finally {
      contentLock.unlock();
    }
  }

  @Nullable String captured(boolean isInput) {
    contentLock.lock();
    try {
      StringBuilder text = isInput ? input : output;
      return text == null ? null : text.toString();
    } finally {
      contentLock.unlock();
    }
  }

  /** The stage read a function call: it may be the one to answer it. */
  void callRead(FunctionCall call, long epochNanos) {
    String id = call.id();
    if (id == null) {
      return;
    }
    ConcurrentHashMap<String, PendingCall> pending = calls;
    if (pending == null) {
      contentLock.lock();
      try {
        pending = calls;
        if (pending == null) {
          pending = new ConcurrentHashMap<>();
          calls = pending;
        }
      } finally {
        contentLock.unlock();
      }
    }
    pending.put(id, new PendingCall(call.name(), epochNanos));
  }

  /** The call answered by a response with {@code id}, no longer pending; or null. */
  @Nullable PendingCall answered(@Nullable String id) {
    ConcurrentHashMap<String, PendingCall> pending = calls;
    return pending == null || id == null ? null : pending.remove(id);
  }

  /** A function call the stage read, with when it read it. */
  record PendingCall(String name, long epochNanos) {}
}
