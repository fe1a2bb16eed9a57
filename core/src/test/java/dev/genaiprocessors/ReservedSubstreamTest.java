package dev.genaiprocessors;

import static dev.genaiprocessors.TestProcessors.insert;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The capture rule of the reference, section 2.6. */
class ReservedSubstreamTest {

  private static ProcessorPart on(String substream, String text) {
    return ProcessorPart.text(text).withSubstreamName(substream);
  }

  /** Records the substreams it sees, emits each part unchanged. */
  private static Processor recorder(List<String> seen) {
    return (in, out) -> {
      for (ProcessorPart p : in) {
        seen.add(p.substreamName());
        out.emit(p);
      }
    };
  }

  @Test
  void reservedParts_neverReachLaterStages_butReachTheCaller() {
    List<String> seen = new CopyOnWriteArrayList<>();
    Processor chain = recorder(seen).then(recorder(seen));
    List<ProcessorPart> input =
        List.of(on("data", "a"), on("debug", "b"), on("ui", "c"), on("data", "d"));

    ProcessorContent out = chain.apply(input).gather();

    assertThat(seen).containsOnly("data");
    assertThat(out.stream().map(ProcessorPart::substreamName))
        .containsExactlyInAnyOrder("data", "debug", "ui", "data");
    assertThat(out.filterBySubstream("data").text()).isEqualTo("ad");
  }

  @Test
  void aBareProcessor_receivesReservedInputParts() {
    List<String> seen = new CopyOnWriteArrayList<>();
    recorder(seen).apply(List.of(on("data", "a"), on("debug", "b"))).gather();
    assertThat(seen).containsExactly("data", "debug");
  }

  @Test
  void reservedPrefixes_matchLongerNames_butNotTheDefaultSubstream() {
    RunConfig config = RunConfig.defaults();
    assertThat(config.isReserved("debug_x")).isTrue();
    assertThat(config.isReserved("statusbar")).isTrue();
    assertThat(config.isReserved("")).isFalse();
    assertThat(config.isReserved("prompt")).isFalse();
  }

  @Test
  void statusParts_reachTheCallerBeforeEarlierDataThatIsStillInProgress() {
    // The data part waits until the caller has seen the status part: only possible if the status
    // part overtakes it.
    CountDownLatch statusSeen = new CountDownLatch(1);
    PartProcessor statusThenSlowData =
        (part, out) -> {
          out.emit(Processor.status("working on " + part.text()));
          assertThat(statusSeen.await(30, TimeUnit.SECONDS)).isTrue();
          out.emit(part);
        };
    Processor chain = Processor.chain(Processor.identity(), insert("1"), statusThenSlowData);

    List<String> order = new CopyOnWriteArrayList<>();
    try (ProcessorStream out = chain.apply("0")) {
      for (ProcessorPart p : out) {
        order.add(p.substreamName() + ":" + p.text());
        if (p.substreamName().equals(Substreams.STATUS)) {
          statusSeen.countDown();
        }
      }
    }
    assertThat(order.get(0)).startsWith("status:");
    assertThat(order).containsSubsequence(":1", ":0");
  }

  @Test
  void partProcessors_neverSeeReservedParts() {
    List<String> seen = new CopyOnWriteArrayList<>();
    PartProcessor record =
        (part, out) -> {
          seen.add(part.substreamName());
          out.emit(part);
        };
    ProcessorContent out =
        record.apply(List.of(on("data", "a"), on("status", "s"), on("data", "b"))).gather();
    assertThat(seen).containsOnly("data");
    assertThat(out.size()).isEqualTo(3);
  }

  @Test
  void customReservedSet_replacesTheDefaults() {
    List<String> seen = new CopyOnWriteArrayList<>();
    RunConfig config = RunConfig.defaults().withReservedSubstreams(Set.of("custom_debug"));
    List<ProcessorPart> input = List.of(on("data", "a"), on("custom_debug", "x"), on("debug", "d"));

    ProcessorContent viaChain = recorder(seen).then(recorder(seen)).apply(config, input).gather();
    assertThat(seen).doesNotContain("custom_debug").contains("debug");
    assertThat(viaChain.stream().map(ProcessorPart::substreamName))
        .contains("custom_debug", "data", "debug");

    seen.clear();
    PartProcessor partRecorder =
        (part, out) -> {
          seen.add(part.substreamName());
          out.emit(part);
        };
    ProcessorContent viaParts = partRecorder.then(partRecorder).apply(config, input).gather();
    assertThat(seen).doesNotContain("custom_debug");
    assertThat(viaParts.size()).isEqualTo(3);

    seen.clear();
    ProcessorContent viaParallel =
        PartProcessor.parallel(partRecorder, PartProcessor.PASSTHROUGH_ALWAYS)
            .apply(config, input)
            .gather();
    assertThat(seen).doesNotContain("custom_debug");
    assertThat(viaParallel.filterBySubstream("custom_debug").size()).isEqualTo(1);
  }

  @Test
  void statusAndDebugFactories_putPartsOnTheirSubstreams() {
    assertThat(Processor.status("s").substreamName()).isEqualTo(Substreams.STATUS);
    assertThat(Processor.debug("d").substreamName()).isEqualTo(Substreams.DEBUG);
    assertThat(Processor.debug(ProcessorPart.json(1)).mimeType())
        .isEqualTo(MimeTypes.APPLICATION_JSON);
  }

  @Test
  void runConfigCurrent_isTheRunsOwnSettings_insideACall_andTheDefaultsOutside() {
    List<Boolean> seen = new CopyOnWriteArrayList<>();
    Processor probe =
        Processor.named(
            "probe",
            (input, output) -> {
              RunConfig run = RunConfig.current();
              seen.add(run.isReserved("audit"));
              seen.add(run.isReserved(Substreams.STATUS));
              input.forEach(output::emit);
            });

    probe.apply(RunConfig.defaults().withReservedSubstreams(Set.of("audit")), "x").drain();
    probe.apply("x").drain();

    assertThat(seen).containsExactly(true, false, false, true);
    assertThat(RunConfig.current()).isSameAs(RunConfig.defaults());
  }
}
