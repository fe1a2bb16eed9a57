package dev.genaiprocessors;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.BaseStream;
import org.jspecify.annotations.Nullable;

/** Turns what callers pass to {@code apply} into a {@link PartStream}. */
final class Inputs {
  private Inputs() {}

  static PartStream toStream(Object input) {
    Objects.requireNonNull(input, "input");
    // The common inputs first, ahead of the type switch's bootstrap dispatch.
    if (input instanceof PartStream stream) {
      return stream;
    }
    if (input instanceof ProcessorContent content) {
      return PartStream.of(content);
    }
    if (input instanceof java.util.List<?> list) {
      return fromIterator(list.iterator(), "the input");
    }
    return switch (input) {
      case PartStream stream -> stream;
      case ProcessorPart part -> PartStream.of(java.util.List.of(part));
      case ProcessorContent content -> PartStream.of(content);
      case CharSequence text -> PartStream.of(java.util.List.of(ProcessorPart.text(text)));
      case Object[] array -> PartStream.of(ProcessorContent.of(array));
      case Iterable<?> iterable -> fromIterator(iterable.iterator(), "the input");
      case Iterator<?> iterator -> fromIterator(iterator, "the input");
      case BaseStream<?, ?> stream ->
          new ClosingStream(fromIterator(stream.iterator(), "the input"), stream);
      case Flow.Publisher<?> publisher ->
          new PublisherStream(publisher, RunConfig.DEFAULT_BUFFER_SIZE);
      default ->
          throw new IllegalArgumentException(
              "Can't read a stream of parts from "
                  + input.getClass().getName()
                  + " (expected a String, ProcessorPart, ProcessorContent, Iterable, Iterator, Stream or Flow.Publisher)");
    };
  }

  /** One input item as a part; {@code producer} names who produced it in the error. */
  static ProcessorPart toPart(@Nullable Object item, String producer) {
    if (item instanceof ProcessorPart part) {
      return part; // the common case, ahead of the type switch's bootstrap dispatch
    }
    return switch (item) {
      case ProcessorPart part -> part;
      case CharSequence text -> ProcessorPart.text(text);
      case null ->
          throw new IllegalArgumentException(
              "Can't construct ProcessorPart from null produced by " + producer);
      default ->
          throw new IllegalArgumentException(
              "Can't construct ProcessorPart from "
                  + item.getClass().getName()
                  + " produced by "
                  + producer);
    };
  }

  private static PartStream fromIterator(Iterator<?> iterator, String producer) {
    return () -> iterator.hasNext() ? toPart(iterator.next(), producer) : null;
  }

  /**
   * A stream over a list of parts ({@link PartStream#of} with a content or a random-access list):
   * it can tell at once that nothing is left, so a part stage given it does not start a thread to
   * read an end that is already known.
   */
  static final class OfParts implements PartStream {
    private final List<ProcessorPart> parts;
    private int next;

    OfParts(List<ProcessorPart> parts) {
      this.parts = parts;
    }

    @Override
    public @Nullable ProcessorPart read() {
      return next < parts.size() ? parts.get(next++) : null;
    }

    /** Whether a part is left. */
    boolean hasMore() {
      return next < parts.size();
    }
  }

  /** A stream that also owns something to close when the run ends. */
  // Closes whatever the caller handed in, which may block and so be interrupted.
  @SuppressWarnings("try")
  record ClosingStream(PartStream delegate, AutoCloseable resource)
      implements PartStream, AutoCloseable {
    @Override
    public @Nullable ProcessorPart read() {
      return delegate.read();
    }

    @Override
    public void close() throws Exception {
      resource.close();
    }
  }

  /**
   * Reads a {@link Flow.Publisher}, requesting only as many items as its buffer holds, so a fast
   * publisher waits for the run. An error the publisher signals fails the reading processor.
   */
  static final class PublisherStream implements PartStream, AutoCloseable, Flow.Subscriber<Object> {
    private final Channel buffer;
    private final int batch;
    private final Flow.Publisher<?> publisher;
    private final AtomicReference<@Nullable Throwable> error = new AtomicReference<>();
    private volatile Flow.@Nullable Subscription subscription;
    private boolean subscribed;
    private int consumed;

    PublisherStream(Flow.Publisher<?> publisher, int bufferSize) {
      this.publisher = publisher;
      this.buffer = Channel.bounded(bufferSize);
      this.batch = bufferSize;
    }

    @Override
    public @Nullable ProcessorPart read() {
      if (!subscribed) {
        subscribed = true;
        publisher.subscribe(this);
      }
      ProcessorPart part;
      try {
        part = buffer.read();
      } catch (CancellationException e) {
        Throwable failure = error.get();
        if (failure != null) {
          throw Stages.failure("input publisher", failure);
        }
        throw e;
      }
      if (part != null && ++consumed == Math.max(1, batch / 2)) {
        consumed = 0;
        Flow.Subscription s = subscription;
        if (s != null) {
          s.request(Math.max(1, batch / 2));
        }
      }
      return part;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(batch);
    }

    @Override
    public void onNext(Object item) {
      try {
        buffer.emit(toPart(item, "the input publisher"));
      } catch (RuntimeException e) {
        Flow.Subscription s = subscription;
        if (s != null) {
          s.cancel();
        }
        onError(e);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      error.compareAndSet(null, throwable);
      buffer.fail();
    }

    @Override
    public void onComplete() {
      buffer.close();
    }

    @Override
    public void close() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      buffer.closeConsumer();
    }
  }

  /** Emits what a mapping function returned (see {@code map}). */
  static void emitResult(@Nullable Object result, PartSink output, String producer) {
    switch (result) {
      case null -> {}
      case ProcessorPart part -> output.emit(part);
      case CharSequence text -> output.emit(ProcessorPart.text(text));
      case Iterable<?> items -> {
        for (Object item : items) {
          emitResult(toPart(item, producer), output, producer);
        }
      }
      default -> output.emit(toPart(result, producer));
    }
  }
}
