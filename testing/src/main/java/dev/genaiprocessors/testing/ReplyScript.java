package dev.genaiprocessors.testing;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * What a vendor server will answer and what it was asked: a queue of scripted replies, the reply
 * for when the queue is empty, and the requests received, all safe to use from any thread. The
 * vendor servers delegate their scripting and recording methods here.
 *
 * <p>The record keeps the most recent {@value #KEPT_REQUESTS} requests and counts them all, so a
 * server answering a long benchmark holds bounded memory and spends constant time per request on
 * its bookkeeping (a record that grew without end made later iterations slower than earlier ones).
 *
 * @param <R> the vendor's reply type
 */
final class ReplyScript<R> {
  /** How many of the most recent requests {@link #requests()} keeps. */
  static final int KEPT_REQUESTS = 10_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<R> queue = new ArrayDeque<>();
  private final ArrayDeque<RecordedRequest> requests = new ArrayDeque<>();
  private int received;
  private @Nullable R fallback;

  @SafeVarargs
  final void enqueue(R... replies) {
    Objects.requireNonNull(replies, "replies");
    lock.lock();
    try {
      for (R reply : replies) {
        queue.add(Objects.requireNonNull(reply, "reply"));
      }
    } finally {
      lock.unlock();
    }
  }

  void replyAlways(R reply) {
    Objects.requireNonNull(reply, "reply");
    lock.lock();
    try {
      fallback = reply;
    } finally {
      lock.unlock();
    }
  }

  int pendingReplies() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records {@code request} and returns the reply to it: the next queued one, else the fallback.
   */
  @Nullable R next(RecordedRequest request) {
    lock.lock();
    try {
      keep(request);
      R reply = queue.poll();
      return reply != null ? reply : fallback;
    } finally {
      lock.unlock();
    }
  }

  /** Records a request that takes no reply from the script. */
  void record(RecordedRequest request) {
    lock.lock();
    try {
      keep(request);
    } finally {
      lock.unlock();
    }
  }

  // Guarded by lock.
  private void keep(RecordedRequest request) {
    if (requests.size() == KEPT_REQUESTS) {
      requests.removeFirst();
    }
    requests.addLast(request);
    received++;
  }

  /** The reply to a request already recorded: the next queued one, else the fallback. */
  @Nullable R nextReply() {
    lock.lock();
    try {
      R reply = queue.poll();
      return reply != null ? reply : fallback;
    } finally {
      lock.unlock();
    }
  }

  /** The most recent {@value #KEPT_REQUESTS} requests at most, oldest first. */
  List<RecordedRequest> requests() {
    lock.lock();
    try {
      return List.copyOf(requests);
    } finally {
      lock.unlock();
    }
  }

  /** Every request received since the start or {@link #clearRequests()}, kept or not. */
  int requestCount() {
    lock.lock();
    try {
      return received;
    } finally {
      lock.unlock();
    }
  }

  RecordedRequest lastRequest(String server) {
    lock.lock();
    try {
      if (requests.isEmpty()) {
        throw new IllegalStateException("the server at " + server + " has received no request");
      }
      return requests.getLast();
    } finally {
      lock.unlock();
    }
  }

  void clearRequests() {
    lock.lock();
    try {
      requests.clear();
      received = 0;
    } finally {
      lock.unlock();
    }
  }
}
