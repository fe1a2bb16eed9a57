package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
    RuntimeException chained = new RuntimeException("outer", new IllegalStateException("middle", deep));
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
}
