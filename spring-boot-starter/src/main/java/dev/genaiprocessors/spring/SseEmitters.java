package dev.genaiprocessors.spring;

import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams a run's parts to an HTTP client as server-sent events from a Spring MVC controller.
 *
 * <pre>{@code
 * @GetMapping(path = "/chat", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
 * SseEmitter chat(@RequestParam String q) {
 *   return SseEmitters.of(chat.apply(q));     // chat: the Processor bean of genai.models.chat
 * }
 * }</pre>
 *
 * <p><b>Events.</b> Each text part of the answer (a model's token) is an unnamed event whose data
 * is the text, leading spaces and line breaks kept; any other part is an event named {@code part}
 * holding the part's JSON; the end is an event named {@code done}; a failure, after every part sent
 * before it, is an event named {@code error} with {@code {"type": ..., "message": ...}}.
 *
 * <p><b>Cancellation.</b> When the client goes away (a write fails, or the container reports the
 * connection closed, timed out or failed) the run is cancelled: every stage of it stops and no
 * thread of it is left. The parts are read on the run's own publisher thread ({@link
 * ProcessorStream#toPublisher()}), one at a time, the next only once the last is written: a slow
 * client slows the run, and memory stays bounded. The helper starts no thread of its own.
 */
public final class SseEmitters {
  private SseEmitters() {}

  /**
   * An emitter streaming {@code stream}, with the container's default async timeout.
   *
   * @throws NullPointerException when {@code stream} is null
   */
  public static SseEmitter of(ProcessorStream stream) {
    return start(Objects.requireNonNull(stream, "stream"), new SseEmitter());
  }

  /**
   * An emitter streaming {@code stream} that gives up, cancelling the run, after {@code timeout}.
   *
   * @throws IllegalArgumentException when {@code timeout} is not positive
   */
  public static SseEmitter of(ProcessorStream stream, Duration timeout) {
    Objects.requireNonNull(stream, "stream");
    if (!timeout.isPositive()) {
      throw new IllegalArgumentException("timeout must be positive but was " + timeout);
    }
    return start(stream, new SseEmitter(timeout.toMillis()));
  }

  private static SseEmitter start(ProcessorStream stream, SseEmitter emitter) {
    Relay relay = new Relay(emitter);
    emitter.onCompletion(relay::cancel);
    emitter.onTimeout(relay::cancel);
    emitter.onError(error -> relay.cancel());
    stream.toPublisher().subscribe(relay);
    return emitter;
  }

  /** Writes each part as it arrives and asks for the next once it is written. */
  private static final class Relay implements Flow.Subscriber<ProcessorPart> {
    private final SseEmitter emitter;
    private final AtomicReference<Flow.@Nullable Subscription> subscription =
        new AtomicReference<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();

    Relay(SseEmitter emitter) {
      this.emitter = emitter;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription.set(s);
      if (cancelled.get()) {
        s.cancel();
      } else {
        s.request(1);
      }
    }

    @Override
    public void onNext(ProcessorPart part) {
      if (send(SseEvents.of(part))) {
        Objects.requireNonNull(subscription.get()).request(1);
      }
    }

    @Override
    public void onError(Throwable error) {
      if (send(SseEvents.error(error))) {
        emitter.complete();
      }
    }

    @Override
    public void onComplete() {
      if (send(SseEvents.done())) {
        emitter.complete();
      }
    }

    /** False when the client is gone; the run is cancelled then. */
    private boolean send(SseEvents.Event event) {
      SseEmitter.SseEventBuilder builder = SseEmitter.event();
      if (event.name() != null) {
        builder.name(event.name());
      }
      try {
        emitter.send(builder.data(event.data()));
        return true;
      } catch (IOException | IllegalStateException clientGone) {
        // The client closed the connection (IOException) or the container already completed the
        // response (IllegalStateException): nobody is left to read the rest.
        cancel();
        emitter.completeWithError(clientGone);
        return false;
      }
    }

    void cancel() {
      if (cancelled.compareAndSet(false, true)) {
        Flow.Subscription s = subscription.get();
        if (s != null) {
          s.cancel();
        }
      }
    }
  }
}
