package dev.genaiprocessors.spring;

import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The application the web tests start: a chat endpoint and an endless ticker. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(StarterTestApplication.Endpoints.class)
class StarterTestApplication {

  @Bean
  Ticker ticker() {
    return new Ticker();
  }

  @RestController
  static class Endpoints {
    private final Processor chat;
    private final Ticker ticker;

    Endpoints(@Qualifier("chat") Processor chat, Ticker ticker) {
      this.chat = chat;
      this.ticker = ticker;
    }

    @GetMapping(path = "/chat", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter chat(@RequestParam("q") String q) {
      return SseEmitters.of(chat.apply(q));
    }

    @GetMapping(path = "/ticks", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter ticks() {
      return SseEmitters.of(ticker.apply("go"));
    }
  }

  /** Emits a tick every few milliseconds until its run is cancelled, and says when it stopped. */
  static final class Ticker implements Processor {
    final AtomicReference<Thread> thread = new AtomicReference<>();
    final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public void call(PartStream input, PartSink output) throws InterruptedException {
      thread.set(Thread.currentThread());
      try {
        for (int i = 0; ; i++) {
          output.emit("tick " + i + "\n");
          Thread.sleep(5);
        }
      } finally {
        stopped.countDown();
      }
    }

    @Override
    public String name() {
      return "ticker";
    }
  }
}
