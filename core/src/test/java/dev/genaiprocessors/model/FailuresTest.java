package dev.genaiprocessors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void causedBy_findsATypeAnywhereAlongTheChain() {
    Exception error =
        new IllegalStateException("outer", new UncheckedIOException(new InterruptedIOException()));

    assertThat(Failures.causedBy(error, InterruptedIOException.class)).isTrue();
    assertThat(Failures.causedBy(error, IOException.class)).isTrue();
    assertThat(Failures.causedBy(error, ConnectException.class)).isFalse();
    assertThat(Failures.causedBy(null, IOException.class)).isFalse();
    assertThatThrownBy(() -> Failures.causedBy(error, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type");
  }

  @Test
  void causedBy_stopsOnACauseLoop() {
    LoopingException a = new LoopingException();
    LoopingException b = new LoopingException();
    a.next = b;
    b.next = a;

    assertThat(Failures.causedBy(a, ConnectException.class)).isFalse();
    assertThat(Failures.describe(a)).contains("LoopingException");
  }

  @Test
  void describe_namesTheRootCause_afterTheOuterMessage() {
    assertThat(Failures.describe(new ConnectException("Connection refused")))
        .isEqualTo("ConnectException: Connection refused");
    assertThat(
            Failures.describe(
                new IOException("I/O error", new ConnectException("Connection refused"))))
        .isEqualTo("I/O error (ConnectException: Connection refused)");
    assertThat(Failures.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
  }

  @Test
  void shouldRetryHeader_readsTrueAndFalse_andNothingElse() {
    assertThat(RetryAdvice.shouldRetryHeader(" True ")).isTrue();
    assertThat(RetryAdvice.shouldRetryHeader("false")).isFalse();
    assertThat(RetryAdvice.shouldRetryHeader("yes")).isNull();
    assertThat(RetryAdvice.shouldRetryHeader(null)).isNull();
  }

  /** An exception whose cause chain loops through another one. */
  private static final class LoopingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    transient RuntimeException next;

    @Override
    public Throwable getCause() {
      return next;
    }
  }
}
