package dev.genaiprocessors.spring;

import dev.genaiprocessors.ProcessorStream;
import java.util.Objects;
import org.springframework.http.codec.ServerSentEvent;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * Streams a run's parts as server-sent events from a Spring WebFlux controller, as a {@link Flux}
 * over {@link ProcessorStream#toPublisher()}.
 *
 * <pre>{@code
 * @GetMapping(path = "/chat", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
 * Flux<ServerSentEvent<String>> chat(@RequestParam String q) {
 *   return PartFlux.events(chat.apply(q));
 * }
 * }</pre>
 *
 * <p>The events are those of {@link SseEmitters}: unnamed events for text tokens, {@code part} for
 * any other part, then {@code done}, or {@code error} after the parts sent before a failure. The
 * flux honours demand (a part is read from the run only when requested) and has one subscriber;
 * cancelling it, as WebFlux does when the client disconnects, cancels the run and stops its
 * threads.
 */
public final class PartFlux {
  private PartFlux() {}

  /**
   * The run's parts as server-sent events.
   *
   * @throws NullPointerException when {@code stream} is null
   */
  public static Flux<ServerSentEvent<String>> events(ProcessorStream stream) {
    Objects.requireNonNull(stream, "stream");
    return JdkFlowAdapter.flowPublisherToFlux(stream.toPublisher())
        .map(part -> event(SseEvents.of(part)))
        .concatWith(Flux.fromIterable(java.util.List.of(SseEvents.done())).map(PartFlux::event))
        .onErrorResume(error -> Flux.just(event(SseEvents.error(error))));
  }

  private static ServerSentEvent<String> event(SseEvents.Event event) {
    ServerSentEvent.Builder<String> builder = ServerSentEvent.builder(event.data());
    if (event.name() != null) {
      builder.event(event.name());
    }
    return builder.build();
  }
}
