package dev.genaiprocessors.discovery;

import static dev.genaiprocessors.discovery.TestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Substreams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Timeout(60)
class FileRegistryTest {
  private static final Duration POLL = Duration.ofMillis(20);

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    // As editors do: a new file moved over the old one.
    Path temp = Files.writeString(dir.resolve(name + ".tmp"), content);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  private static final String TWO =
      """
      instances:
        - id: a
          address: http://10.0.0.1:8000/v1
          weight: 2
          zone: eu
          metadata: {model: llama}
        - id: b
          address: http://10.0.0.2:8000/v1
      """;

  @Test
  void readsYaml_withEveryField() throws IOException {
    try (FileRegistry registry = ServiceRegistry.file(write("models.yaml", TWO), POLL)) {
      assertThat(registry.instances())
          .containsExactly(
              new ServiceInstance(
                  "a", "http://10.0.0.1:8000/v1", 2, "eu", Map.of("model", "llama")),
              ServiceInstance.of("b", "http://10.0.0.2:8000/v1"));
      assertThat(registry.problem()).isNull();
    }
  }

  @Test
  void readsJson_andAListAtTheTop() throws IOException {
    Path file = write("models.json", "[{\"id\": \"a\", \"address\": \"http://a\", \"weight\": 3}]");
    try (FileRegistry registry = ServiceRegistry.file(file, POLL)) {
      assertThat(registry.instances())
          .containsExactly(ServiceInstance.of("a", "http://a").withWeight(3));
    }
  }

  @Test
  void followsChanges_onItsOwn() throws IOException {
    Path file = write("models.yaml", TWO);
    try (FileRegistry registry = ServiceRegistry.file(file, POLL)) {
      List<ServiceInstance> before = registry.instances();
      write("models.yaml", "instances:\n  - id: c\n    address: http://10.0.0.3:8000/v1\n");
      eventually("the new list", () -> registry.instances() != before);
      assertThat(registry.instances()).extracting(ServiceInstance::id).containsExactly("c");
    }
  }

  @Test
  void aBadReload_keepsTheLastGoodList_saysWhy_andAGoodOneClearsIt() throws IOException {
    Path file = write("models.yaml", TWO);
    try (FileRegistry registry = ServiceRegistry.file(file, POLL)) {
      List<ServiceInstance> good = registry.instances();
      write("models.yaml", "instances:\n  - id: c\n    address: http://c\n    weight: -1\n");
      eventually("a problem", () -> registry.problem() != null);
      assertThat(registry.problem())
          .isEqualTo(
              file
                  + ": instances[0].weight must be at least 1 but was -1; keeping the last good"
                  + " list of 2");
      assertThat(registry.instances()).isSameAs(good);

      write("models.yaml", "instances: [ {id: a, address: http://a ");
      eventually(
          "a syntax problem", () -> String.valueOf(registry.problem()).contains("not valid YAML"));
      assertThat(registry.instances()).isSameAs(good);

      Files.delete(file);
      eventually(
          "a missing file", () -> String.valueOf(registry.problem()).contains("cannot be read"));
      assertThat(registry.instances()).isSameAs(good);

      write("models.yaml", "instances:\n  - id: c\n    address: http://c\n");
      eventually("the problem cleared", () -> registry.problem() == null);
      assertThat(registry.instances()).extracting(ServiceInstance::id).containsExactly("c");
    }
  }

  @Test
  void theBalancer_reportsABadReload_asAStatusPart_once() throws IOException {
    Path file = write("models.yaml", "instances:\n  - id: a\n    address: http://a\n");
    Processor echo = Processor.named("echo", (input, output) -> output.emit("from a"));
    try (FileRegistry registry = ServiceRegistry.file(file, POLL);
        BalancedProcessor balancer =
            BalancedProcessor.builder(registry, instance -> echo).statusParts(true).build()) {
      write("models.yaml", "instances:\n  - id: a\n    adress: http://a\n");
      eventually("a problem", () -> registry.problem() != null);

      List<ProcessorPart> first = balancer.apply("hi").gather().parts();
      List<ProcessorPart> second = balancer.apply("hi").gather().parts();

      assertThat(first)
          .filteredOn(p -> Substreams.STATUS.equals(p.substreamName()))
          .filteredOn(p -> "registry_problem".equals(p.metadata().get(BalancedProcessor.EVENT_KEY)))
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p.text())
                      .contains("keeps its last good list of 1 instances")
                      .contains("unknown field 'adress'"));
      assertThat(second)
          .noneMatch(p -> "registry_problem".equals(p.metadata().get(BalancedProcessor.EVENT_KEY)));
      assertThat(first).extracting(ProcessorPart::text).contains("from a");
    }
  }

  @Test
  void openingABadFile_failsNamingTheFileAndTheProblem() throws IOException {
    Path file = write("models.yaml", "instances:\n  - id: a\n");
    assertThatThrownBy(() -> ServiceRegistry.file(file, POLL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(file + ": instances[0].address is required");
    Path twice =
        write("twice.yaml", "- {id: a, address: http://a}\n- {id: a, address: http://b}\n");
    assertThatThrownBy(() -> ServiceRegistry.file(twice, POLL))
        .hasMessage(twice + ": instances[1].id 'a' is listed twice");
    assertThatThrownBy(() -> ServiceRegistry.file(dir.resolve("missing.yaml"), POLL))
        .hasMessageContaining("missing.yaml: cannot be read (NoSuchFileException");
    Path empty = write("empty.yaml", "");
    assertThatThrownBy(() -> ServiceRegistry.file(empty, POLL)).hasMessageContaining("is empty");
  }
}
