package dev.genaiprocessors.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(60)
class FailoverTest {

  private static Processor failing(String name, Exception failure, List<String> inputs) {
    return Processor.named(
        name,
        (input, output) -> {
          inputs.add(name + ":" + input.gather().text());
          throw failure;
        });
  }

  private static Processor answering(String name, List<String> inputs) {
    return Processor.named(
        name,
        (input, output) -> {
          inputs.add(name + ":" + input.gather().text());
          output.emit(name + " answers");
        });
  }

  private static Processor over(List<Processor> chain, List<Throwable> seen) {
    return (input, output) ->
        Failover.call(
            input,
            output,
            (attempt, failure) -> {
              if (failure != null) {
                seen.add(failure);
              }
              return attempt < chain.size() ? chain.get(attempt) : null;
            },
            error -> false);
  }

  @Test
  void aRetryableFailure_movesToTheNextProcessor_withTheWholeInputAgain() {
    List<String> inputs = new CopyOnWriteArrayList<>();
    List<Throwable> seen = new ArrayList<>();
    IOException refused = new IOException("connection refused");
    Processor p = over(List.of(failing("a", refused, inputs), answering("b", inputs)), seen);

    assertThat(p.apply(List.of("one ", "two")).gather().text()).isEqualTo("b answers");
    assertThat(inputs).containsExactly("a:one two", "b:one two");
    assertThat(seen).containsExactly(refused);
  }

  @Test
  void aFailureAfterAPartReachedTheCaller_endsTheCall_withoutTryingTheNext() {
    List<String> inputs = new CopyOnWriteArrayList<>();
    Processor cut =
        Processor.named(
            "cut",
            (input, output) -> {
              output.emit("half ");
              throw new IOException("stream cut");
            });
    Processor p = over(List.of(cut, answering("b", inputs)), new ArrayList<>());

    List<String> received = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              try (ProcessorStream s = p.apply("hi")) {
                for (ProcessorPart part : s) {
                  received.add(part.text());
                }
              }
            })
        .hasRootCauseMessage("stream cut");
    assertThat(received).containsExactly("half ");
    assertThat(inputs).isEmpty();
  }

  @Test
  void aFailureNoRuleRetries_endsTheCall() {
    List<String> inputs = new CopyOnWriteArrayList<>();
    IllegalArgumentException bad = new IllegalArgumentException("bad prompt");
    Processor p =
        over(List.of(failing("a", bad, inputs), answering("b", inputs)), new ArrayList<>());

    assertThatThrownBy(() -> p.apply("hi").gather()).isSameAs(bad);
    assertThat(inputs).containsExactly("a:hi");
  }

  @Test
  void runningOutOfProcessors_throwsTheLastFailure_withTheEarlierSuppressed() {
    List<String> inputs = new CopyOnWriteArrayList<>();
    IOException first = new IOException("a is down");
    HttpStatusException second =
        new HttpStatusException(503, "http://b/v1", java.util.Map.of(), "", null);
    Processor p =
        over(List.of(failing("a", first, inputs), failing("b", second, inputs)), new ArrayList<>());

    assertThatThrownBy(() -> p.apply("hi").gather())
        .isSameAs(second)
        .satisfies(e -> assertThat(e.getSuppressed()).contains(first));
  }

  @Test
  void retryOn_addsFailuresToMoveOnAfter() {
    List<String> inputs = new CopyOnWriteArrayList<>();
    IllegalStateException odd = new IllegalStateException("odd");
    Processor p =
        (input, output) ->
            Failover.call(
                input,
                output,
                (attempt, failure) ->
                    attempt == 0 ? failing("a", odd, inputs) : answering("b", inputs),
                error -> error == odd);

    assertThat(p.apply("hi").gather().text()).isEqualTo("b answers");
  }

  @Test
  void noProcessorForTheFirstAttempt_isAClearError() {
    Processor p = (input, output) -> Failover.call(input, output, (a, f) -> null, e -> false);

    assertThatThrownBy(() -> p.apply("hi").gather())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no processor");
  }
}
