package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ExamplesTest {

  @Test
  void anExample_isFound_byItsSimpleName_orItsFullName() {
    assertThat(Examples.find("ChainExample")).isEqualTo(ChainExample.class);
    assertThat(Examples.find("dev.genaiprocessors.examples.ChainExample"))
        .isEqualTo(ChainExample.class);
  }

  @Test
  void anUnknownName_isRefused_withTheNamesToPickFrom() {
    assertThatThrownBy(() -> Examples.find("ChainExampel"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ChainExampel'")
        .hasMessageContaining("HelloPipeline, ChainExample, ParallelExample")
        .hasMessageContaining("-Dexample=ChainExample");
  }

  @Test
  void aHugeUnknownName_isShortenedInTheMessage() {
    String name = "X".repeat(10_000);
    assertThatThrownBy(() -> Examples.find(name))
        .hasMessageNotContaining(name)
        .message()
        .hasSizeLessThan(600);
  }

  @Test
  void everyClassWithAMain_isListed_andReadmeNamesEveryOne() throws Exception {
    // McpWeatherServer has a main because McpToolsExample starts it as a process of its own (an
    // MCP server on stdio); it is a part of that example, not one to run by itself.
    List<Class<?>> runnable =
        classesOfThePackage().stream()
            .filter(ExamplesTest::hasMain)
            .filter(c -> c != McpWeatherServer.class)
            .toList();
    assertThat(Examples.ALL).containsExactlyInAnyOrderElementsOf(runnable);
    String readme = Files.readString(Path.of("..", "README.md"));
    for (Class<?> example : Examples.ALL) {
      assertThat(readme)
          .as("README names %s", example.getSimpleName())
          .contains("`" + example.getSimpleName() + "`");
    }
  }

  @Test
  void main_runsTheNamedExample() throws Throwable {
    Examples.main(new String[] {"ChainExample"}); // throws if the example fails
    assertThatThrownBy(() -> Examples.main(new String[] {"NoSuchExample"}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theExamplesThatShowFailures_catchTheExceptionTheStageThrew() {
    String cancellation = printedBy(() -> CancellationExample.main(new String[0]));
    assertThat(cancellation)
        .contains("parsed 1", "parsed 2")
        .contains("failed in stage 'parse': java.lang.NumberFormatException")
        .doesNotContain("parsed 4");

    String resilience = printedBy(() -> ResilienceExample.main(new String[0]));
    assertThat(resilience)
        .containsPattern("failed: (HttpStatusException|RejectedCallException): ")
        .contains("circuit is OPEN");
  }

  @Test
  void theLoadBalancingExample_answersEveryQuestion_andEjectsTheFailingReplica() {
    String printed = printedBy(() -> LoadBalancingExample.main(new String[0]));
    assertThat(printed)
        .contains("answer 9: Paris")
        .contains("failing over from 'broken'")
        .contains("ejected 'broken'")
        .contains("broken: EJECTED, 3 calls, 3 failed")
        .doesNotContain("answer 1: \n");
  }

  @Test
  void theMcpExample_startsTheServer_listsItsTools_andTheModelCallsOne() {
    String printed = printedBy(() -> McpToolsExample.main(new String[0]));

    assertThat(printed)
        .containsSubsequence(
            "MCP tool: get_forecast - Tomorrow's weather forecast for a city.",
            "model calls get_forecast{city=Oslo}",
            "server answers {result=Oslo: sunny, 18 °C}",
            "Tomorrow Oslo will be sunny, 18 °C: no umbrella needed.");
  }

  @Test
  void theStorageExample_runsOnEmbeddedH2_withNothingToSetUp() {
    String printed = printedBy(() -> StorageExample.main(new String[0]));

    assertThat(printed)
        .contains("storing in Storage[H2 at jdbc:h2:mem:")
        .contains("summary: 30 chars  (storage_id ")
        .contains("run summarise: SUCCEEDED")
        .contains("its input, loaded back: The quick brown fox jumps over")
        .contains("runs of summarise in the last day: 1")
        .contains("replayed: THE QUICK BROWN FOX JUMPS OVER")
        .contains("lengths: [a=1, bb=2, ccc=3]")
        .contains("answer to question (model called 1 time)");
  }

  @Test
  void theBackgroundToolExample_goesOnTalking_whileTheApprovalIsPending() {
    String printed = printedBy(() -> BackgroundToolExample.main(new String[0]));

    // The local OpenAI server answers each request in turn, so the order is the same every run.
    assertThat(printed)
        .containsSubsequence(
            "model calls request_approval",
            "tool answers call_approval: {result=Running in background., function_call_id="
                + "call_approval}",
            "model calls get_weather",
            "tool answers call_weather: {result=Oslo: sunny, 18 °C}",
            "model calls list_fc",
            "tool answers call_list: {result=[{id=call_approval, name=request_approval",
            "I'll confirm the booking as soon as it is approved.",
            "tool answers call_approval: {result=approved: flight to Oslo, 420 EUR}",
            "Your flight to Oslo is booked.");
  }

  @Test
  void theGoogleCloudExample_routesAMixedStream_throughTheLocalServers() {
    String printed = printedBy(() -> GoogleCloudExample.main(new String[0]));

    assertThat(printed)
        .contains("using local servers: GcpClients[project=example-project, credentials=none")
        .contains("translated from en: [fr] The weather is lovely today.")
        .contains(
            "vision: {labels=[{description=PNG image, score=0.9, mid=/m/format}], text=PNG 68 bytes}")
        .containsPattern("stored: gs://example-bucket/examples/[0-9a-f-]{36}\\.pdf \\(22 bytes\\)")
        .contains("read back: application/pdf, 22 bytes")
        .contains("error part: text part #")
        .contains("is empty: Cloud Translation needs some text");
  }

  @Test
  void theAwsExample_routesAMixedStream_throughTheLocalServers() {
    String printed = printedBy(() -> AwsExample.main(new String[0]));

    assertThat(printed)
        .contains("using local servers: AwsSettings[region=us-east-1, endpoint=http://127.0.0.1:")
        .contains("credentials=StaticCredentialsProvider]")
        .doesNotContain("AKIDEXAMPLE")
        // Comprehend's result maps print their keys in no fixed order.
        .contains("comprehend: \"What a great day for a walk.\" {language=[{")
        .contains("code=en", "sentiment=POSITIVE")
        .contains("rekognition: {labels=[{name=")
        .containsPattern("stored: s3://example-bucket/examples/[0-9a-f-]{36}\\.pdf \\(22 bytes\\)")
        .contains("read back: application/pdf, 22 bytes")
        .contains("error part: ")
        .contains("is empty; Comprehend needs at least one character of text");
  }

  /** What {@code example} prints; System.out is restored whatever happens. */
  private static String printedBy(Runnable example) {
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      example.run();
    } finally {
      System.setOut(original);
    }
    return printed.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static boolean hasMain(Class<?> type) {
    try {
      Method main = type.getMethod("main", String[].class);
      return Modifier.isStatic(main.getModifiers()) && type != Examples.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static List<Class<?>> classesOfThePackage() throws IOException, URISyntaxException {
    Path classes =
        Path.of(Examples.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve("dev/genaiprocessors/examples");
    try (Stream<Path> files = Files.list(classes)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".class") && !f.contains("$") && !f.startsWith("package-info"))
          .<Class<?>>map(
              f -> load("dev.genaiprocessors.examples." + f.substring(0, f.length() - 6)))
          .toList();
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
