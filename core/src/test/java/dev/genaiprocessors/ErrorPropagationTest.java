package dev.genaiprocessors;

import static dev.genaiprocessors.TestProcessors.twice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A failure in any stage of any composition reaches the caller with its original cause, the
 * failing processor named, after every part emitted before it; and it does so promptly.
 */
class ErrorPropagationTest {

  /** Fails on "bad" with a checked exception, emits anything else. */
  private static final PartProcessor FAIL_ON_BAD = PartProcessor.named("fail_on_bad", (part, out) -> {
    if (part.text().equals("bad")) {
      throw new IOException("bar is bad");
    }
    out.emit(part);
  });

  private static final Processor FAILING_PROCESSOR = Processor.named("failing_processor", (in, out) -> {
    for (ProcessorPart part : in) {
      if (part.text().equals("bad")) {
        throw new IOException("bar is bad");
      }
      out.emit(part);
    }
  });

  static Stream<Arguments> compositions() {
    PartProcessor noop = PartProcessor.named("noop", (p, out) -> out.emit(p));
    return Stream.of(
        Arguments.of("a bare processor", FAILING_PROCESSOR, "failing_processor"),
        Arguments.of("a bare part processor", FAIL_ON_BAD.toProcessor(), "fail_on_bad"),
        Arguments.of("first of a chain", Processor.chain(FAILING_PROCESSOR, twice()), "failing_processor"),
        Arguments.of("last of a chain", Processor.chain(twice(), FAILING_PROCESSOR), "failing_processor"),
        Arguments.of("middle of a chain", Processor.chain(Processor.identity(), FAILING_PROCESSOR, Processor.identity()), "failing_processor"),
        Arguments.of("a fused part chain", Processor.chain(noop, FAIL_ON_BAD, noop), "fail_on_bad"),
        Arguments.of("a part parallel", PartProcessor.parallel(noop, FAIL_ON_BAD).toProcessor(), "fail_on_bad"),
        Arguments.of("first branch of a part parallel", PartProcessor.parallel(FAIL_ON_BAD, noop).toProcessor(), "fail_on_bad"),
        Arguments.of("a processor parallel", Processor.parallel(Processor.identity(), FAILING_PROCESSOR), "failing_processor"),
        Arguments.of("first branch of a processor parallel", Processor.parallel(FAILING_PROCESSOR, Processor.identity()), "failing_processor"),
        Arguments.of("a part processor after a processor", Processor.chain(twice(), FAIL_ON_BAD), "fail_on_bad"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("compositions")
  void failure_reachesTheCaller_withOriginalCause_andStageNamed(String description, Processor processor, String stage) {
    List<String> received = new ArrayList<>();
    assertThatThrownBy(() -> {
          try (ProcessorStream out = processor.apply(List.of("ok", "bad", "never"))) {
            for (ProcessorPart part : out) {
              received.add(part.text());
            }
          }
        })
        .isInstanceOf(ProcessorException.class)
        .hasMessageContaining("'" + stage + "'")
        .hasMessageContaining("bar is bad")
        .satisfies(e -> assertThat(((ProcessorException) e).processorName()).isEqualTo(stage))
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessage("bar is bad");
    if (!description.contains("processor parallel")) {
      // Every other composition streams "ok" first and stops before "never". In a processor
      // parallel, a healthy branch may legitimately have passed "never" on before the failing
      // branch reached "bad".
      assertThat(received).contains("ok").doesNotContain("never");
    }
    assertThat(Scope.liveThreads()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("compositions")
  void failure_arrivesBeforeOutputOfLaterInput(String description, Processor processor, String stage) throws Exception {
    // Input arrives from a queue the test controls: "never" is only offered after the failure
    // reached the caller, so no output derived from it can come first.
    LinkedBlockingQueue<Object> input = new LinkedBlockingQueue<>();
    input.add("bad");
    Object end = new Object();
    java.util.Iterator<Object> items = new java.util.Iterator<>() {
      private Object next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          try {
            next = input.poll(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            throw new java.util.concurrent.CancellationException("interrupted");
          }
        }
        return next != null && next != end;
      }

      @Override
      public Object next() {
        Object n = next;
        next = null;
        return n;
      }
    };
    assertThatThrownBy(() -> processor.apply(items).gather())
        .isInstanceOf(ProcessorException.class)
        .hasRootCauseInstanceOf(IOException.class);
    input.add("never");
    input.add(end);
  }
}
