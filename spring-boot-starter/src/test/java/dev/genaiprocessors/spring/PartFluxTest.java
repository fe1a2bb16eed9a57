package dev.genaiprocessors.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.Processor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;

class PartFluxTest {
  private static final Processor GREET =
      (input, output) -> {
        output.emit("Hel");
        output.emit("lo world");
      };

  @Test
  void theRunsParts_areEvents_endingWithDone() {
    List<ServerSentEvent<String>> events =
        PartFlux.events(GREET.apply("hi")).collectList().block(Duration.ofSeconds(30));

    assertThat(events).extracting(ServerSentEvent::event).containsExactly(null, null, "done");
    assertThat(events).extracting(ServerSentEvent::data).startsWith(" Hel", " lo world");
  }

  @Test
  void aFailure_isAnErrorEvent_afterThePartsEmittedBeforeIt() {
    Processor failing =
        (input, output) -> {
          output.emit("partial");
          throw new IllegalArgumentException("temperature must be in [0, 2] but was 3.5");
        };

    List<ServerSentEvent<String>> events =
        PartFlux.events(failing.apply("hi")).collectList().block(Duration.ofSeconds(30));

    assertThat(events).extracting(ServerSentEvent::event).containsExactly(null, "error");
    assertThat(events.get(0).data()).isEqualTo(" partial");
    assertThat(events.get(1).data())
        .contains("IllegalArgumentException")
        .contains("temperature must be in [0, 2] but was 3.5");
  }

  @Test
  void cancellingTheFlux_cancelsTheRun_andItsThreadEnds() throws Exception {
    StarterTestApplication.Ticker ticker = new StarterTestApplication.Ticker();

    List<ServerSentEvent<String>> first =
        PartFlux.events(ticker.apply("go")).take(3).collectList().block(Duration.ofSeconds(30));

    assertThat(first).hasSize(3);
    assertThat(ticker.stopped.await(30, TimeUnit.SECONDS)).as("the run was cancelled").isTrue();
    assertThat(ticker.thread.get().join(Duration.ofSeconds(30))).isTrue();
  }
}
