package dev.genaiprocessors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallDeadlineTest {

  @Test
  void aStartedDeadline_isTheThreadsCurrentOne_untilClosed() {
    assertThat(CallDeadline.current()).isNull();
    try (CallDeadline deadline = CallDeadline.start(Duration.ofMinutes(1))) {
      assertThat(CallDeadline.current()).isSameAs(deadline);
      assertThat(deadline.passed()).isFalse();
      assertThat(deadline.remaining()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
    }
    assertThat(CallDeadline.current()).isNull();
  }

  @Test
  void aNestedDeadline_givesTheOuterOneBack_whenClosed() {
    try (CallDeadline outer = CallDeadline.start(Duration.ofMinutes(1))) {
      try (CallDeadline inner = CallDeadline.start(Duration.ofSeconds(30))) {
        assertThat(CallDeadline.current()).isSameAs(inner);
      }
      assertThat(CallDeadline.current()).isSameAs(outer);
    }
    assertThat(CallDeadline.current()).isNull();
  }

  @Test
  void exceeded_namesTheTimeout_asTheUserWroteIt_andKeepsItsCause() {
    IllegalStateException cause = new IllegalStateException("read timed out");
    try (CallDeadline deadline = CallDeadline.start(Duration.ofSeconds(3))) {
      CallDeadline.Exceeded e = deadline.exceeded(cause);

      assertThat(e).hasMessageContaining("timeout of 3s").hasCause(cause);
      assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(3));
    }
    try (CallDeadline deadline = CallDeadline.start(Duration.ofMillis(1500))) {
      assertThat(deadline.exceeded(null)).hasMessageContaining("timeout of 1500ms");
    }
  }

  @Test
  void aTimeoutThatIsNotPositive_isRefused_namingIt() {
    assertThatThrownBy(() -> CallDeadline.start(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive but was PT0S");
    assertThat(CallDeadline.current()).isNull();
  }

  @Test
  void attemptTimeout_isTheSdksOwn_butNeverMoreThanWhatIsLeft() {
    try (CallDeadline deadline = CallDeadline.start(Duration.ofMinutes(1))) {
      assertThat(deadline.attemptTimeout(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
      assertThat(deadline.attemptTimeout(Duration.ofHours(1)))
          .isPositive()
          .isLessThanOrEqualTo(Duration.ofMinutes(1));
      assertThat(deadline.attemptTimeout(null)).isLessThanOrEqualTo(Duration.ofMinutes(1));
      IllegalStateException failure = new IllegalStateException("500");
      assertThat(deadline.attemptFailed(failure)).isSameAs(failure);
    }
  }

  @Test
  void onceTheDeadlinePassed_noAttemptStarts_aFailureEndsTheLoop_andNoWaitIsTaken() {
    try (CallDeadline deadline = CallDeadline.start(Duration.ofNanos(1))) {
      while (!deadline.passed()) {
        Thread.onSpinWait();
      }
      assertThatThrownBy(() -> deadline.attemptTimeout(Duration.ofSeconds(5)))
          .isInstanceOf(CallDeadline.Exceeded.class);
      IllegalStateException failure = new IllegalStateException("read timed out");
      assertThatThrownBy(() -> deadline.attemptFailed(failure))
          .isInstanceOf(CallDeadline.Exceeded.class)
          .hasCause(failure);
      assertThatThrownBy(() -> CallDeadline.beforeRetryWait(Duration.ofMillis(1)))
          .isInstanceOf(CallDeadline.Exceeded.class);
    }
    CallDeadline.beforeRetryWait(Duration.ofSeconds(1)); // no deadline on this thread: no effect
  }
}
