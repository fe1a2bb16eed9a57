package dev.genaiprocessors.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {
  private static final String KEY = "sk-live-0123456789";

  @Test
  void redact_replacesEveryOccurrence_andLeavesTextAloneWithoutASecret() {
    assertThat(Secrets.redact("key " + KEY + " and again " + KEY, KEY))
        .isEqualTo("key <redacted> and again <redacted>");
    assertThat(Secrets.redact("no key here", null)).isEqualTo("no key here");
    assertThat(Secrets.redact("empty secret", "")).isEqualTo("empty secret");
  }

  @Test
  void appearsIn_findsTheSecretAnywhereAStackTraceWouldPrintIt() {
    IOException deep = new IOException("header Authorization: Bearer " + KEY);
    RuntimeException chained =
        new RuntimeException("outer", new IllegalStateException("middle", deep));
    RuntimeException suppressed = new RuntimeException("clean");
    suppressed.addSuppressed(new IllegalStateException("echo " + KEY));

    assertThat(Secrets.appearsIn(chained, KEY)).isTrue();
    assertThat(Secrets.appearsIn(suppressed, KEY)).isTrue();
    assertThat(Secrets.appearsIn(new RuntimeException("clean"), KEY)).isFalse();
    assertThat(Secrets.appearsIn(null, KEY)).isFalse();
    assertThat(Secrets.appearsIn(chained, null)).isFalse();
  }

  @Test
  void appearsIn_endsOnACycleOfSuppressedExceptions() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b");
    a.addSuppressed(b);
    b.addSuppressed(a);

    assertThat(Secrets.appearsIn(a, KEY)).isFalse();
  }

  @Test
  void redactAll_replacesEverySecret_theLongerOneWhole_whenOneContainsAnother() {
    String header = "Bearer " + KEY;

    assertThat(
            Secrets.redactAll(
                "sent " + header + ", key " + KEY + ", pass pw-77", List.of(KEY, header, "pw-77")))
        .isEqualTo("sent <redacted>, key <redacted>, pass <redacted>");
    assertThat(Secrets.redactAll("nothing to hide", Arrays.asList(null, "", KEY)))
        .isEqualTo("nothing to hide");
  }

  @Test
  void appearsInAny_findsAnyOfTheSecrets_inTheCauseChain() {
    RuntimeException chained = new RuntimeException("outer", new IOException("echo pw-77"));

    assertThat(Secrets.appearsInAny(chained, List.of(KEY, "pw-77"))).isTrue();
    assertThat(Secrets.appearsInAny(chained, Arrays.asList(KEY, null, ""))).isFalse();
    assertThat(Secrets.appearsInAny(null, List.of(KEY))).isFalse();
  }
}
