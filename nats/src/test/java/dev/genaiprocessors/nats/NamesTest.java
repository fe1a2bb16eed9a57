package dev.genaiprocessors.nats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void streamNames_holdNoDot_andNeverShareAStream() {
    List<String> names =
        List.of("a.b", "a_b", "a-b", "a._b", "a_.b", "a.-b", "a-.b", "a--b", "a__b", "a..b");
    Set<String> streams = new HashSet<>();
    for (String name : names) {
      String stream = Names.stream(name);
      assertThat(stream).doesNotContain(".", "*", ">", " ");
      streams.add(stream);
      streams.add(Names.advisoryStream(name));
    }
    assertThat(streams).hasSize(2 * names.size());
    assertThat(Names.stream("orders.dlq")).isEqualTo("orders_dlq");
  }

  @Test
  void aLongName_isCutAndHashed_andStaysDistinct() {
    String a = "x".repeat(150) + ".".repeat(0) + "-".repeat(48) + "a";
    String b = "x".repeat(150) + "-".repeat(48) + "b";
    assertThat(Names.stream(a)).hasSizeLessThanOrEqualTo(200).isNotEqualTo(Names.stream(b));
    assertThat(Names.advisoryStream(a)).hasSizeLessThanOrEqualTo(204);
  }

  @Test
  void headerValues_thatNatsCannotCarry_roundTrip() {
    for (String value :
        List.of(
            "",
            "plain-ascii value",
            " leading space",
            "trailing space ",
            "naïve — ünïcode ✓ \"quoted\" : ; , = %",
            "tab\there",
            "%gp%looks encoded",
            "100% sure")) {
      String encoded = Names.encodeHeader(value);
      assertThat(encoded.chars()).allMatch(c -> c >= ' ' && c < 0x7f);
      assertThat(encoded).doesNotStartWith(" ").doesNotEndWith(" ");
      assertThat(Names.decodeHeader(encoded)).isEqualTo(value);
    }
    assertThat(Names.encodeHeader("plain-ascii value")).isEqualTo("plain-ascii value");
  }
}
