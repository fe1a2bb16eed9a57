package dev.genaiprocessors.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream faults every reply builder shares, without a server. */
class StreamFaultsTest {
  private static final List<String> EVENTS = List.of("a", "b", "c", "d");

  @Test
  void none_leavesTheEventsAsTheyAre() {
    StreamFaults none = StreamFaults.NONE;
    assertThat(none.inject(none.endEarly(EVENTS), "?", "!")).containsExactly("a", "b", "c", "d");
    assertThat(none.describe("error")).isEmpty();
  }

  @Test
  void errorEvent_followsTheMalformedOne_andAStreamEndedEarly() {
    StreamFaults faults =
        StreamFaults.NONE.withEndAfterEvents(2).withMalformedEventAt(1).withErrorEventAt(9);
    assertThat(faults.inject(faults.endEarly(EVENTS), "?", "!"))
        .containsExactly("a", "?", "b", "!");
  }

  @Test
  void errorEvent_replacesTheRestOfTheStream() {
    StreamFaults faults = StreamFaults.NONE.withErrorEventAt(1);
    assertThat(faults.inject(faults.endEarly(EVENTS), "?", "!")).containsExactly("a", "!");
  }

  @Test
  void describe_namesEveryScriptedFault_andTheVendorsErrorType() {
    StreamFaults faults =
        StreamFaults.NONE
            .withPacing(Duration.ofMillis(5))
            .withCutAfterEvents(3)
            .withEndAfterEvents(4)
            .withMalformedEventAt(1)
            .withErrorEventAt(2);
    assertThat(faults.describe("overloaded_error"))
        .isEqualTo(
            ", cut after 3 events, ends after 4"
                + " events, malformed event at 1, overloaded_error event at 2");
  }

  @Test
  void badArguments_areRejectedNamingTheArgumentAndValue() {
    assertThatThrownBy(() -> StreamFaults.NONE.withFirstByteDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("firstByteDelay must not be negative but was PT-0.001S");
    assertThatThrownBy(() -> StreamFaults.NONE.withPacing(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("pacing");
    assertThatThrownBy(() -> StreamFaults.NONE.withMalformedEventAt(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("index must not be negative but was -3");
  }
}
