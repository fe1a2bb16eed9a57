package dev.genaiprocessors.testing;

import static dev.genaiprocessors.testing.Arguments.requireNotNegative;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a scripted streamed answer is delivered and what goes wrong on the way, the same for every
 * vendor: pacing, a slow first byte, a stream cut off or ended early, a malformed event and an
 * error event. The reply builders hold one and delegate their fault methods to it; the servers read
 * it when they stream. What the error event says is the vendor's business and stays in the reply.
 *
 * <p>Event indexes count from 0; {@code -1} means the fault is not scripted.
 *
 * @param pacing the wait before every streamed event after the first
 * @param firstByteDelay the wait before anything is sent, the status line included
 * @param cutAfterEvents the number of events after which the connection drops, or -1
 * @param endAfterEvents the number of events after which the stream ends cleanly, or -1
 * @param malformedEventAt where an event of truncated JSON is inserted, or -1
 * @param errorEventAt where the error event replaces the rest of the stream, or -1
 */
record StreamFaults(
    Duration pacing,
    Duration firstByteDelay,
    int cutAfterEvents,
    int endAfterEvents,
    int malformedEventAt,
    int errorEventAt) {

  /** A stream delivered at once and in full. */
  static final StreamFaults NONE = new StreamFaults(Duration.ZERO, Duration.ZERO, -1, -1, -1, -1);

  StreamFaults withPacing(Duration pacing) {
    return new StreamFaults(
        requireNotNegative(pacing, "pacing"),
        firstByteDelay,
        cutAfterEvents,
        endAfterEvents,
        malformedEventAt,
        errorEventAt);
  }

  StreamFaults withFirstByteDelay(Duration delay) {
    return new StreamFaults(
        pacing,
        requireNotNegative(delay, "firstByteDelay"),
        cutAfterEvents,
        endAfterEvents,
        malformedEventAt,
        errorEventAt);
  }

  StreamFaults withCutAfterEvents(int events) {
    return new StreamFaults(
        pacing,
        firstByteDelay,
        requireNotNegative(events, "events"),
        endAfterEvents,
        malformedEventAt,
        errorEventAt);
  }

  StreamFaults withEndAfterEvents(int events) {
    return new StreamFaults(
        pacing,
        firstByteDelay,
        cutAfterEvents,
        requireNotNegative(events, "events"),
        malformedEventAt,
        errorEventAt);
  }

  StreamFaults withMalformedEventAt(int index) {
    return new StreamFaults(
        pacing,
        firstByteDelay,
        cutAfterEvents,
        endAfterEvents,
        requireNotNegative(index, "index"),
        errorEventAt);
  }

  StreamFaults withErrorEventAt(int index) {
    return new StreamFaults(
        pacing,
        firstByteDelay,
        cutAfterEvents,
        endAfterEvents,
        malformedEventAt,
        requireNotNegative(index, "index"));
  }

  /** A new list of the first {@code endAfterEvents} of {@code events}, or of all of them. */
  <E> List<E> endEarly(List<E> events) {
    int end = endAfterEvents >= 0 ? Math.min(endAfterEvents, events.size()) : events.size();
    return new ArrayList<>(events.subList(0, end));
  }

  /**
   * A new list of {@code events} with {@code malformed} inserted at {@code malformedEventAt} and,
   * from {@code errorEventAt} on, {@code error} instead of the rest; an index past the end means at
   * the end. Applied after {@link #endEarly}, so an error event can follow a stream ended early.
   */
  <E> List<E> inject(List<E> events, E malformed, E error) {
    List<E> result = new ArrayList<>(events);
    if (malformedEventAt >= 0) {
      result.add(Math.min(malformedEventAt, result.size()), malformed);
    }
    if (errorEventAt >= 0) {
      result = new ArrayList<>(result.subList(0, Math.min(errorEventAt, result.size())));
      result.add(error);
    }
    return result;
  }

  /**
   * The faults for a reply's {@code toString}, each after {@code ", "}; the error event is called
   * {@code errorEvent} ({@code "error"}, or a vendor's error type).
   */
  String describe(String errorEvent) {
    return (cutAfterEvents >= 0 ? ", cut after " + cutAfterEvents + " events" : "")
        + (endAfterEvents >= 0 ? ", ends after " + endAfterEvents + " events" : "")
        + (malformedEventAt >= 0 ? ", malformed event at " + malformedEventAt : "")
        + (errorEventAt >= 0 ? ", " + errorEvent + " event at " + errorEventAt : "");
  }
}
