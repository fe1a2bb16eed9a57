package dev.genaiprocessors.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorPart;
import org.junit.jupiter.api.Test;

class SseEventsTest {
  @Test
  void aToken_isAnUnnamedEvent_keepingItsLeadingSpaceAndLineBreaks() {
    SseEvents.Event event = SseEvents.of(ProcessorPart.text(" world\n next"));
    assertThat(event.name()).isNull();
    // Spring writes "data:" + each line; the reader drops the one space after the colon.
    assertThat(event.data()).isEqualTo("  world\n  next");
  }

  @Test
  void aStoredToken_isStillAToken_andAThoughtIsNot() {
    ProcessorPart stored = ProcessorPart.text("Hel").withMetadata("storage_id", "run/1");
    assertThat(SseEvents.of(stored)).isEqualTo(new SseEvents.Event(null, " Hel"));
    assertThat(SseEvents.of(ProcessorPart.text("hmm").withThought(true)).name()).isEqualTo("part");
  }

  @Test
  void aPartThatIsNotAPlainToken_isAPartEventHoldingItsJson() {
    ProcessorPart status = dev.genaiprocessors.Processor.status("thinking");
    SseEvents.Event event = SseEvents.of(status);
    assertThat(event.name()).isEqualTo("part");
    assertThat(event.data()).isEqualTo(" " + PartJson.toJson(status));

    ProcessorPart carriageReturn = ProcessorPart.text("a\rb");
    assertThat(SseEvents.of(carriageReturn).name()).isEqualTo("part");
    assertThat(PartJson.fromJson(SseEvents.of(carriageReturn).data().substring(1)))
        .isEqualTo(carriageReturn);
  }

  @Test
  void aFailure_isAnErrorEventNamingItsTypeAndMessage() {
    SseEvents.Event event =
        SseEvents.error(new IllegalArgumentException("temperature must be in [0, 2] but was 3.5"));
    assertThat(event.name()).isEqualTo("error");
    assertThat(event.data())
        .isEqualTo(
            " {\"type\":\"IllegalArgumentException\","
                + "\"message\":\"temperature must be in [0, 2] but was 3.5\"}");
  }
}
