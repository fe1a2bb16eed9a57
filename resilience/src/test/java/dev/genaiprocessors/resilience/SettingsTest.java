package dev.genaiprocessors.resilience;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SettingsTest {

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of(
            "requests", "-5", (Executable) () -> RateLimitConfig.of(-5, Duration.ofSeconds(1))),
        Arguments.of("per", "PT0S", (Executable) () -> RateLimitConfig.of(5, Duration.ZERO)),
        Arguments.of(
            "tokensPerMinute",
            "-1",
            (Executable) () -> RateLimitConfig.perSecond(5).withTokensPerMinute(-1)),
        Arguments.of("tokensPerMinute", "0", (Executable) () -> RateLimitConfig.tokensPerMinute(0)),
        Arguments.of(
            "maxWait",
            "PT-1S",
            (Executable) () -> RateLimitConfig.perSecond(5).withMaxWait(Duration.ofSeconds(-1))),
        Arguments.of(
            "maxAttempts", "0", (Executable) () -> RetryConfig.builder().maxAttempts(0).build()),
        Arguments.of(
            "initialBackoff",
            "PT0S",
            (Executable) () -> RetryConfig.builder().initialBackoff(Duration.ZERO).build()),
        Arguments.of(
            "multiplier", "0.5", (Executable) () -> RetryConfig.builder().multiplier(0.5).build()),
        Arguments.of("jitter", "1.5", (Executable) () -> RetryConfig.builder().jitter(1.5).build()),
        Arguments.of(
            "maxTotalWait",
            "PT-2S",
            (Executable) () -> RetryConfig.builder().maxTotalWait(Duration.ofSeconds(-2)).build()),
        Arguments.of(
            "firstPart", "PT0S", (Executable) () -> TimeoutConfig.toFirstPart(Duration.ZERO)),
        Arguments.of(
            "betweenParts",
            "PT-0.001S",
            (Executable) () -> TimeoutConfig.betweenParts(Duration.ofMillis(-1))),
        Arguments.of(
            "failureRateThreshold",
            "0.0",
            (Executable) () -> CircuitBreakerConfig.builder().failureRateThreshold(0).build()),
        Arguments.of(
            "slowCallRateThreshold",
            "150.0",
            (Executable) () -> CircuitBreakerConfig.builder().slowCallRateThreshold(150).build()),
        Arguments.of(
            "waitInOpenState",
            "PT0S",
            (Executable)
                () -> CircuitBreakerConfig.builder().waitInOpenState(Duration.ZERO).build()),
        Arguments.of(
            "slidingWindowSize",
            "0",
            (Executable) () -> CircuitBreakerConfig.builder().slidingWindowSize(0).build()),
        Arguments.of("maxConcurrentCalls", "0", (Executable) () -> BulkheadConfig.of(0)),
        Arguments.of(
            "maxWait",
            "PT-1S",
            (Executable) () -> BulkheadConfig.of(2).withMaxWait(Duration.ofSeconds(-1))));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("badSettings")
  void badSetting_isRejected_namingTheSettingAndTheValue(
      String setting, String value, Executable build) {
    assertThatThrownBy(build::execute)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(setting)
        .hasMessageContaining(value);
  }

  @org.junit.jupiter.api.Test
  void blankName_isRejected() {
    assertThatThrownBy(() -> Resilience.builder(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
  }
}
