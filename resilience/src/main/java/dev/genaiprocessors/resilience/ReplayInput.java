package dev.genaiprocessors.resilience;

import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.ProcessorPart;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The input of a decorated {@link dev.genaiprocessors.Processor}, readable once per attempt: a
 * retry reads again what earlier attempts read, then goes on with the live input. Keeps every part
 * read when the call may be retried (that is the memory retrying a stream costs), none otherwise.
 */
final class ReplayInput {
  private final PartStream source;
  private final @Nullable List<ProcessorPart> seen;
  private boolean ended;

  ReplayInput(PartStream source, boolean replayable) {
    this.source = source;
    this.seen = replayable ? new ArrayList<>() : null;
  }

  /**
   * The input for one attempt, from the beginning; reading the live input pauses {@code watchdog}.
   */
  PartStream attempt(Watchdog watchdog) {
    return new PartStream() {
      private int index;

      @Override
      public @Nullable ProcessorPart read() {
        if (seen != null && index < seen.size()) {
          return seen.get(index++);
        }
        if (ended) {
          return null;
        }
        ProcessorPart part;
        watchdog.pause();
        try {
          part = source.read();
        } finally {
          watchdog.resume(false);
        }
        if (part == null) {
          ended = true;
        } else if (seen != null) {
          seen.add(part);
          index++;
        }
        return part;
      }
    };
  }
}
