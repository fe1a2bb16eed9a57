package dev.genaiprocessors.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorInterceptor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live reload over real files, a real WatchService and real streams of parts. Each test waits for
 * events, never for time; the timeout only stops a test that would hang on a bug.
 */
@Timeout(120)
class LiveReloadTest {
  record Labels(@NotBlank String label) {}

  private static final ProcessorPart END = ProcessorPart.text("<end>");

  @TempDir Path dir;

  /** Replaces {@code file} as editors do: a new file renamed over the old one. */
  private static void replace(Path file, String text) throws Exception {
    Path temp = Files.createTempFile(file.getParent(), ".edit", ".tmp");
    Files.writeString(temp, text);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** An input whose parts the test hands over one by one, ended by {@link #END}. */
  private static Iterator<ProcessorPart> fedBy(BlockingQueue<ProcessorPart> queue) {
    return new Iterator<>() {
      private ProcessorPart next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          try {
            next = queue.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
        return next != END;
      }

      @Override
      public ProcessorPart next() {
        ProcessorPart part = next;
        next = null;
        return part;
      }
    };
  }

  private static <T> T await(BlockingQueue<T> events) throws InterruptedException {
    T event = events.poll(30, TimeUnit.SECONDS);
    assertThat(event).as("an event within 30 s").isNotNull();
    return event;
  }

  @Test
  void aFileChangedWhileAPipelineStreams_switchesOverExactly_losingAndRepeatingNothing()
      throws Exception {
    Path file = dir.resolve("labels.yaml");
    Files.writeString(file, "label: v1\n");
    BlockingQueue<Long> versions = new LinkedBlockingQueue<>();
    BlockingQueue<ConfigException> rejections = new LinkedBlockingQueue<>();
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch slowRelease = new CountDownLatch(1);
    try (LiveConfig<Labels> live =
        Config.builder().source(ConfigSource.file(file)).watch(Labels.class)) {
      live.onChange((old, now) -> versions.add(now.version()));
      live.onRejection(rejections::add);
      ReconfigurablePart<Labels> tagger =
          ReconfigurablePart.of(
              "tagger",
              live,
              labels ->
                  PartProcessor.map(
                      part -> {
                        if (part.text().equals("slow")) {
                          slowStarted.countDown();
                          try {
                            slowRelease.await();
                          } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                          }
                        }
                        return part.withMetadata("label", labels.label());
                      }),
              true);
      BlockingQueue<ProcessorPart> input = new LinkedBlockingQueue<>();
      List<ProcessorPart> output = new ArrayList<>();
      try (ProcessorStream stream = tagger.apply(fedBy(input))) {
        Iterator<ProcessorPart> out = stream.iterator();
        for (int i = 0; i < 50; i++) {
          input.add(ProcessorPart.text("a" + i));
        }
        for (int i = 0; i < 50; i++) {
          output.add(out.next());
        }
        input.add(ProcessorPart.text("slow"));
        assertThat(slowStarted.await(30, TimeUnit.SECONDS)).isTrue();

        replace(file, "label: v2\n"); // while "slow" is in flight on v1
        assertThat(await(versions)).isEqualTo(2);
        for (int i = 0; i < 30; i++) {
          input.add(ProcessorPart.text("b" + i));
        }
        slowRelease.countDown();
        for (int i = 0; i < 31; i++) {
          output.add(out.next());
        }

        replace(file, "label: [not, text]\n"); // rejected: the old settings stay
        ConfigException rejected = await(rejections);
        assertThat(rejected.problems())
            .extracting(ConfigProblem::toString)
            .containsExactly("label: a list is not text (" + file + ":1:1)");
        for (int i = 0; i < 10; i++) {
          input.add(ProcessorPart.text("c" + i));
        }
        for (int i = 0; i < 11; i++) { // the ten parts, and the status part of the rejection
          output.add(out.next());
        }

        Files.delete(file); // deleted mid-run: rejected too
        assertThat(await(rejections).problems())
            .extracting(ConfigProblem::toString)
            .containsExactly("the file does not exist (" + file + ")");
        Files.writeString(file, "label: v3\n");
        assertThat(await(versions)).isEqualTo(3);
        for (int i = 0; i < 5; i++) {
          input.add(ProcessorPart.text("d" + i));
        }
        input.add(END);
        out.forEachRemaining(output::add);
      }

      List<ProcessorPart> status =
          output.stream().filter(p -> p.substreamName().equals("status")).toList();
      List<ProcessorPart> data =
          output.stream().filter(p -> !p.substreamName().equals("status")).toList();
      Map<Object, Integer> perVersion = new TreeMap<>();
      data.forEach(p -> perVersion.merge(p.metadata().get("label"), 1, Integer::sum));
      assertThat(perVersion).isEqualTo(Map.of("v1", 51, "v2", 40, "v3", 5));
      assertThat(data).extracting(ProcessorPart::text).doesNotHaveDuplicates().hasSize(96);
      assertThat(data.get(50).text()).isEqualTo("slow");
      assertThat(data.get(50).metadata().get("label")).isEqualTo("v1");
      assertThat(data.subList(51, 91)).allMatch(p -> "v2".equals(p.metadata().get("label")));
      assertThat(status).hasSize(2);
      assertThat(status.get(0).text())
          .startsWith("tagger: new configuration rejected, still on version 2: ")
          .contains("label: a list is not text");
      assertThat(status.get(1).text()).contains("the file does not exist");
      assertThat(live.version()).isEqualTo(3);
      assertThat(live.rejections()).isEqualTo(2);
    }
  }

  /** A delegate that records whether it was closed. */
  static final class Closing implements Processor, AutoCloseable {
    final String label;
    final AtomicInteger closed = new AtomicInteger();
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    Closing(String label) {
      this.label = label;
    }

    @Override
    public void call(PartStream input, PartSink output) throws Exception {
      for (ProcessorPart part : input) {
        if (part.text().equals("hold")) {
          started.countDown();
          release.await();
        }
        output.emit(part.withMetadata("label", label));
      }
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  @Test
  void aRunInFlight_finishesOnItsSettings_andTheOldDelegateIsClosedOnlyAfterIt() throws Exception {
    Path file = dir.resolve("labels.yaml");
    Files.writeString(file, "label: v1\n");
    List<Closing> made = new ArrayList<>();
    try (LiveConfig<Labels> live =
            Config.builder().source(ConfigSource.file(file)).watch(Labels.class);
        Reconfigurable<Labels> processor =
            Reconfigurable.of(
                live,
                labels -> {
                  Closing c = new Closing(labels.label());
                  made.add(c);
                  return c;
                })) {
      Closing first = made.get(0);
      List<ProcessorPart> firstRun = new ArrayList<>();
      Thread run =
          Thread.ofVirtual()
              .start(() -> processor.apply(List.of("x", "hold", "y")).forEach(firstRun::add));
      assertThat(first.started.await(30, TimeUnit.SECONDS)).isTrue();

      Files.writeString(file, "label: v2\n");
      live.reload(); // the watcher may have read it already; either way it is version 2 now
      assertThat(live.version()).isEqualTo(2);
      assertThat(processor.apply("z").gather().get(0).metadata().get("label")).isEqualTo("v2");
      assertThat(first.closed).hasValue(0); // still in use by the first run
      first.release.countDown();
      run.join();
      assertThat(firstRun)
          .extracting(p -> p.metadata().get("label"))
          .containsExactly("v1", "v1", "v1");
      assertThat(first.closed).hasValue(1);
      assertThat(made).hasSize(2);
      assertThat(processor.version()).isEqualTo(2);
    }
    assertThat(made.get(1).closed).hasValue(1);
  }

  @Test
  void aFactoryThatRefusesNewSettings_isARejection_andTheOldDelegateStays() throws Exception {
    Path file = dir.resolve("labels.yaml");
    Files.writeString(file, "label: good\n");
    try (LiveConfig<Labels> live =
            Config.builder().source(ConfigSource.file(file)).watch(Labels.class);
        Reconfigurable<Labels> processor =
            Reconfigurable.builder(
                    live,
                    labels -> {
                      if (labels.label().equals("refused")) {
                        throw new IllegalArgumentException("label 'refused' is not allowed");
                      }
                      return PartProcessor.map(p -> p.withMetadata("label", labels.label()))
                          .toProcessor();
                    })
                .name("labeller")
                .statusParts(true)
                .build()) {
      Files.writeString(file, "label: refused\n");
      live.reload();
      List<ProcessorPart> parts = processor.apply("x").gather().parts();
      assertThat(parts).hasSize(2);
      assertThat(parts.get(0).text())
          .isEqualTo(
              "labeller: new configuration rejected, still on version 1: the configuration has 1"
                  + " problem: version 2 could not be applied: label 'refused' is not allowed");
      assertThat(parts.get(1).metadata().get("label")).isEqualTo("good");
      assertThat(live.lastRejection()).isPresent();
      assertThat(processor.version()).isEqualTo(1);
    }
  }

  @Test
  void aRejection_andANewVersion_areReportedToTheRunsInterceptors() throws Exception {
    Path file = dir.resolve("labels.yaml");
    Files.writeString(file, "label: v1\n");
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    RunConfig observed =
        RunConfig.defaults()
            .withInterceptor(
                new ProcessorInterceptor() {
                  @Override
                  public void onEvent(Stage stage, String kind, Map<String, ?> attributes) {
                    events.add(stage.name() + " " + kind + " " + new TreeMap<>(attributes));
                  }
                });
    try (LiveConfig<Labels> live =
            Config.builder().source(ConfigSource.file(file)).watch(Labels.class);
        Reconfigurable<Labels> processor =
            Reconfigurable.builder(live, labels -> Processor.identity()).name("labeller").build()) {
      Files.writeString(file, "label: ''\n");
      assertThat(live.reload()).isFalse();
      processor.apply(observed, "x").gather();
      processor.apply(observed, "y").gather(); // reported once, not again
      Files.writeString(file, "label: v2\n");
      assertThat(live.reload()).isTrue();
      processor.apply(observed, "z").gather();
    }
    assertThat(events)
        .containsExactly(
            "labeller config_rejected {kept_version=1, problems=the configuration has 1 problem:"
                + " label: \"\" is blank ("
                + file
                + ":1:1)}",
            "labeller config_applied {version=2}");
  }

  @Test
  void aConfigurationThatIsBadAtTheStart_failsToLoad_namingEveryProblem() throws Exception {
    Path file = dir.resolve("labels.yaml");
    Files.writeString(file, "label: ''\nlabl: x\n");
    assertThatThrownBy(() -> Config.builder().source(ConfigSource.file(file)).watch(Labels.class))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "the configuration has 2 problems:\n  labl: is not a known key; did you mean label? ("
                + file
                + ":2:1)\n  label: \"\" is blank ("
                + file
                + ":1:1)");
  }
}
