package dev.genaiprocessors.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAdviceTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-10-21T07:28:00Z"), ZoneOffset.UTC);

  private static Duration waitFor(Map<String, String> headers) {
    return RetryAdvice.waitFromHeaders(headers::get, CLOCK);
  }

  @Test
  void waitFromHeaders_prefersMilliseconds_thenSecondsOrAnHttpDate() {
    assertThat(waitFor(Map.of("retry-after-ms", "250", "retry-after", "9")))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(waitFor(Map.of("retry-after", "1.5"))).isEqualTo(Duration.ofMillis(1500));
    assertThat(waitFor(Map.of("retry-after", "Wed, 21 Oct 2026 07:28:30 GMT")))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(waitFor(Map.of("retry-after", "Wed, 21 Oct 2026 07:27:00 GMT")))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void waitFromHeaders_skipsWhatIsNotAWait() {
    assertThat(waitFor(Map.of("retry-after-ms", "soon", "retry-after", "2")))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(waitFor(Map.of("retry-after", "-3"))).isNull();
    assertThat(waitFor(Map.of("retry-after", "NaN"))).isNull();
    assertThat(waitFor(Map.of("retry-after", "tomorrow"))).isNull();
    assertThat(waitFor(Map.of())).isNull();
  }

  @Test
  void of_findsAdviceAnywhereInTheCauseChain() {
    class Advised extends RuntimeException implements RetryAdvice {
      @Override
      public boolean isRetryable() {
        return true;
      }

      @Override
      public Duration retryAfter() {
        return Duration.ofSeconds(1);
      }
    }
    Advised advice = new Advised();

    assertThat(RetryAdvice.of(new RuntimeException(new IllegalStateException(advice))))
        .isSameAs(advice);
    assertThat(RetryAdvice.of(new RuntimeException("plain"))).isNull();
    assertThat(RetryAdvice.of(null)).isNull();
  }
}
