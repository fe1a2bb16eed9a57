package dev.genaiprocessors.spring;

import dev.genaiprocessors.Processor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * The WebFlux application of the reactive web test: the chat endpoint and the endless ticker of
 * {@link StarterTestApplication}, written with {@link PartFlux}. A context of its own, since MVC
 * and WebFlux cannot share one.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ReactiveTestApplication.Endpoints.class)
class ReactiveTestApplication {

  @Bean
  StarterTestApplication.Ticker ticker() {
    return new StarterTestApplication.Ticker();
  }

  @RestController
  static class Endpoints {
    private final Processor chat;
    private final StarterTestApplication.Ticker ticker;

    Endpoints(@Qualifier("chat") Processor chat, StarterTestApplication.Ticker ticker) {
      this.chat = chat;
      this.ticker = ticker;
    }

    @GetMapping(path = "/chat", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> chat(@RequestParam("q") String q) {
      return PartFlux.events(chat.apply(q));
    }

    @GetMapping(path = "/ticks", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> ticks() {
      return PartFlux.events(ticker.apply("go"));
    }
  }
}
