package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ErrorStrategiesTest {

  static final PartProcessor REJECTS_B =
      PartProcessor.named(
          "rejectsB",
          (part, output) -> {
            if (part.text().equals("b")) {
              throw new IllegalArgumentException("I don't like b.");
            }
            output.emit(part);
          });

  static final String B_ERROR_TEXT =
      "An unexpected error occurred: java.lang.IllegalArgumentException: I don't like b.";

  static List<ProcessorPart> data(ProcessorContent content) {
    return content.stream().filter(p -> !p.substreamName().equals(Substreams.STATUS)).toList();
  }

  static List<ProcessorPart> status(ProcessorContent content) {
    return content.stream().filter(p -> p.substreamName().equals(Substreams.STATUS)).toList();
  }

  static List<String> texts(List<ProcessorPart> parts) {
    return parts.stream().map(ProcessorPart::text).toList();
  }

  @Test
  void emitErrorPart_replacesAFailingPartsOutput_withOneErrorPartOnStatus() {
    ProcessorContent out =
        ErrorStrategies.emitErrorPart(REJECTS_B).apply(List.of("a", "b", "c")).gather();

    assertThat(out).hasSize(3);
    assertThat(texts(data(out))).containsExactly("a", "c");
    assertThat(status(out))
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.isException()).isTrue();
              assertThat(error.mimeType()).isEqualTo(MimeTypes.TEXT_EXCEPTION);
              assertThat(error.text()).isEqualTo(B_ERROR_TEXT);
              assertThat(error.metadata())
                  .containsExactlyInAnyOrderEntriesOf(
                      Map.of(
                          "original_exception", "I don't like b.",
                          "exception_type", "IllegalArgumentException",
                          "exception_class", "java.lang.IllegalArgumentException"));
            });
  }

  @Test
  void emitErrorPart_keepsThePartsEmittedBeforeTheFailure_ofAProcessor() {
    Processor failsAfterTwo =
        Processor.named(
            "failsAfterTwo",
            (input, output) -> {
              int seen = 0;
              for (ProcessorPart part : input) {
                if (++seen > 2) {
                  throw new IllegalStateException("too many");
                }
                output.emit(part);
              }
            });

    ProcessorContent out =
        ErrorStrategies.emitErrorPart(failsAfterTwo).apply(List.of("a", "b", "c", "d")).gather();

    // A bare processor's own status parts flow in order with its data.
    assertThat(out.stream().map(ProcessorPart::text))
        .containsExactly(
            "a", "b", "An unexpected error occurred: java.lang.IllegalStateException: too many");
    assertThat(out.get(2).substreamName()).isEqualTo(Substreams.STATUS);
  }

  @Test
  void emitErrorPart_describesTheOriginalException_notTheProcessorExceptionCarryingIt() {
    Processor chain = Processor.chain(Processor.identity(), REJECTS_B, Processor.identity());

    ProcessorContent out = ErrorStrategies.emitErrorPart(chain).apply(List.of("b")).gather();

    assertThat(status(out))
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.text()).isEqualTo(B_ERROR_TEXT);
              assertThat(error.metadata("exception_type")).isEqualTo("IllegalArgumentException");
            });
  }

  @Test
  void emitErrorPart_usesAnEmptyMessage_whenTheExceptionHasNone() {
    PartProcessor failing =
        (part, output) -> {
          throw new UnsupportedOperationException();
        };

    ProcessorPart error = ErrorStrategies.emitErrorPart(failing).apply("a").gather().get(0);

    assertThat(error.text())
        .isEqualTo("An unexpected error occurred: java.lang.UnsupportedOperationException");
    assertThat(error.metadata("original_exception")).isEqualTo("");
  }

  @Test
  void emitErrorPart_letsCancellationThrough() {
    Processor cancelled =
        (input, output) -> {
          output.emit("before");
          throw new CancellationException("stop");
        };

    ProcessorContent out = ErrorStrategies.emitErrorPart(cancelled).apply("a").gather();

    assertThat(texts(out.stream().toList())).containsExactly("before");
  }

  @Test
  void emitErrorPart_letsErrorsThrough() {
    PartProcessor broken =
        (part, output) -> {
          throw new AssertionError("broken invariant");
        };

    assertThatThrownBy(() -> ErrorStrategies.emitErrorPart(broken).apply("a").gather())
        .isInstanceOf(AssertionError.class)
        .hasMessage("broken invariant");
  }

  @Test
  void emitErrorPart_keepsTheDecoratedProcessorsNameAndMatch() {
    PartProcessor onlyB = REJECTS_B.withMatch(part -> part.text().equals("b"));
    PartProcessor decorated = ErrorStrategies.emitErrorPart(onlyB);

    assertThat(decorated.name()).isEqualTo("rejectsB");
    assertThat(decorated.match(ProcessorPart.text("a"))).isFalse();
    assertThat(decorated.match(ProcessorPart.text("b"))).isTrue();
    assertThat(ErrorStrategies.emitErrorPart(Processor.identity()).name()).isEqualTo("identity");
  }

  @Test
  void emitErrorPart_doesNotTurnFailuresOfLaterFusedStagesIntoErrorParts() {
    PartProcessor later =
        PartProcessor.named(
            "later",
            (part, output) -> {
              throw new java.io.IOException("later failed on " + part.text());
            });
    PartProcessor fused =
        ErrorStrategies.emitErrorPart(PartProcessor.map(part -> part)).then(later);

    assertThatThrownBy(() -> fused.apply("a").gather())
        .isInstanceOf(ProcessorException.class)
        .hasRootCauseInstanceOf(java.io.IOException.class)
        .hasRootCauseMessage("later failed on a");
  }

  @Test
  void passThroughOnError_doesNotTurnFailuresOfLaterFusedStagesIntoPassThrough() {
    PartProcessor later =
        PartProcessor.named(
            "later",
            (part, output) -> {
              throw new IllegalStateException("later failed on " + part.text());
            });
    PartProcessor fused =
        ErrorStrategies.passThroughOnError(PartProcessor.map(part -> part)).then(later);

    assertThatThrownBy(() -> fused.apply("a").gather())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("later failed on a")
        .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains("later"));
  }

  @Test
  void emitErrorPart_errorPartBypassesLaterStagesOfAChain() {
    ConcurrentLinkedQueue<ProcessorPart> seenByNext = new ConcurrentLinkedQueue<>();
    PartProcessor recorder =
        (part, output) -> {
          seenByNext.add(part);
          output.emit(part);
        };
    Processor pipeline =
        Processor.chain(ErrorStrategies.emitErrorPart(REJECTS_B.toProcessor()), recorder);

    ProcessorContent out = pipeline.apply(List.of("a", "b", "c")).gather();

    assertThat(status(out)).singleElement().satisfies(p -> assertThat(p.isException()).isTrue());
    assertThat(seenByNext).noneMatch(ProcessorPart::isException);
  }

  @Test
  void emitErrorPart_errorPartReachesLaterStages_whenStatusIsNotReserved() {
    ConcurrentLinkedQueue<ProcessorPart> seenByNext = new ConcurrentLinkedQueue<>();
    PartProcessor recorder =
        (part, output) -> {
          seenByNext.add(part);
          output.emit(part);
        };
    Processor pipeline = Processor.chain(ErrorStrategies.emitErrorPart(REJECTS_B), recorder);
    RunConfig config =
        RunConfig.defaults().withReservedSubstreams(Set.of(Substreams.DEBUG, Substreams.UI));

    ProcessorContent out = pipeline.apply(config, List.of("a", "b", "c")).gather();

    // Not reserved, the error part also keeps its place in the input order.
    assertThat(out.stream().map(ProcessorPart::text)).containsExactly("a", B_ERROR_TEXT, "c");
    assertThat(seenByNext).anyMatch(ProcessorPart::isException);
  }

  @Test
  void passThroughOnError_emitsTheFailedPartUnchanged_followedByAnErrorPart() {
    ProcessorPart b = ProcessorPart.text("b").withRole("user").withMetadata("id", 2);
    List<ProcessorPart> input = List.of(ProcessorPart.text("a"), b, ProcessorPart.text("c"));

    ProcessorContent out = ErrorStrategies.passThroughOnError(REJECTS_B).apply(input).gather();

    assertThat(data(out)).containsExactly(ProcessorPart.text("a"), b, ProcessorPart.text("c"));
    assertThat(status(out))
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.isException()).isTrue();
              assertThat(error.text()).isEqualTo(B_ERROR_TEXT);
            });
  }

  @Test
  void passThroughOnError_putsTheErrorPartRightAfterTheInput_whenStatusIsNotReserved() {
    RunConfig config = RunConfig.defaults().withReservedSubstreams(Set.of(Substreams.DEBUG));

    ProcessorContent out =
        ErrorStrategies.passThroughOnError(REJECTS_B)
            .apply(config, List.of("a", "b", "c"))
            .gather();

    assertThat(out.stream().map(ProcessorPart::text)).containsExactly("a", "b", B_ERROR_TEXT, "c");
  }

  @Test
  void passThroughOnError_discardsWhatAFailedCallEmitted() {
    PartProcessor partialThenFail =
        (part, output) -> {
          output.emit("partial(" + part.text() + ")");
          if (part.text().equals("b")) {
            throw new IllegalStateException("lost the connection");
          }
        };

    ProcessorContent out =
        ErrorStrategies.passThroughOnError(partialThenFail).apply(List.of("a", "b")).gather();

    assertThat(texts(data(out))).containsExactly("partial(a)", "b");
    assertThat(status(out)).hasSize(1);
  }

  @Test
  void passThroughOnError_letsReservedPartsOutAtOnce_evenWhenTheCallFails() {
    PartProcessor progressThenFail =
        (part, output) -> {
          output.emit(Processor.status("working on " + part.text()));
          throw new IllegalStateException("failed");
        };

    ProcessorContent out = ErrorStrategies.passThroughOnError(progressThenFail).apply("a").gather();

    assertThat(texts(data(out))).containsExactly("a");
    assertThat(texts(status(out)))
        .containsExactly(
            "working on a",
            "An unexpected error occurred: java.lang.IllegalStateException: failed");
  }

  @Test
  void passThroughOnError_doesNotCallTheProcessor_forPartsItDoesNotMatch() {
    PartProcessor onlyB = REJECTS_B.withMatch(part -> part.text().equals("b"));

    ProcessorContent out =
        ErrorStrategies.passThroughOnError(onlyB).apply(List.of("a", "b")).gather();

    assertThat(texts(data(out))).containsExactly("a", "b");
    assertThat(status(out)).hasSize(1);
  }
}
