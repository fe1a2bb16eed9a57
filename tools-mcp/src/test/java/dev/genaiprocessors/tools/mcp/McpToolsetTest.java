package dev.genaiprocessors.tools.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.tools.FunctionCalling;
import dev.genaiprocessors.tools.FunctionDeclaration;
import dev.genaiprocessors.tools.Tool;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link McpToolset} against a real MCP server built with the SDK ({@link McpTestServer}), run as a
 * process of its own: over stdio (a process per toolset, started and stopped by it) and over
 * streamable HTTP (one server process for the class).
 */
// The timeout only turns a hang into a failure; no test measures time.
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McpToolsetTest {

  // One server process per transport for the scenarios that leave the server as they found it
  // (tools added by a test have names of their own): a JVM takes seconds to start here.
  private static McpServers.HttpServer http;
  private static McpToolset overStdio;
  private static McpToolset overHttp;

  @BeforeAll
  static void startServers() throws Exception {
    http = new McpServers.HttpServer();
    overHttp = McpToolset.streamableHttp(http.endpoint);
    overStdio = McpToolset.stdio(McpServers.command("stdio").toArray(String[]::new));
  }

  @AfterAll
  static void stopServers() throws Exception {
    try (McpServers.HttpServer server = http;
        McpToolset viaHttp = overHttp;
        McpToolset viaStdio = overStdio) {
      assertThat(viaStdio.tools()).isNotEmpty();
    }
  }

  static Stream<Named<Supplier<McpToolset>>> transports() {
    return Stream.of(
        Named.of("stdio", () -> overStdio), Named.of("streamable HTTP", () -> overHttp));
  }

  /** A model that answers each prompt as its script says for the responses so far. */
  static final class ScriptedModel implements Processor {
    final List<List<ProcessorPart>> prompts = new CopyOnWriteArrayList<>();
    private final Script script;

    interface Script {
      void answer(List<ProcessorPart> responses, PartSink out) throws Exception;
    }

    ScriptedModel(Script script) {
      this.script = script;
    }

    @Override
    public void call(PartStream input, PartSink output) throws Exception {
      List<ProcessorPart> prompt = input.gather().parts();
      prompts.add(prompt);
      script.answer(prompt.stream().filter(ProcessorPart::isFunctionResponse).toList(), output);
    }
  }

  static ProcessorPart call(String id, String name, Map<String, ?> args) {
    return ProcessorPart.functionCall(new FunctionCall(id, name, Map.copyOf(args)));
  }

  static List<String> declaredNames(List<ProcessorPart> prompt) {
    return prompt.stream()
        .filter(p -> p.mimeType().equals(MimeTypes.FUNCTION_DECLARATION))
        .map(p -> FunctionDeclaration.fromPart(p).name())
        .toList();
  }

  /** Runs one call through the loop and returns the response the model got. */
  static FunctionResponse responseThroughTheLoop(McpToolset mcp, String name, Map<String, ?> args) {
    ScriptedModel model =
        new ScriptedModel(
            (responses, out) -> {
              if (responses.isEmpty()) {
                out.emit(call("c1", name, args));
              } else {
                out.emit(ProcessorPart.text("thanks"));
              }
            });
    ProcessorContent out = FunctionCalling.of(model).withToolset(mcp).apply("go").gather();
    assertThat(out.parts().getLast().text()).isEqualTo("thanks");
    List<ProcessorPart> responses = out.stream().filter(ProcessorPart::isFunctionResponse).toList();
    assertThat(responses).hasSize(1);
    return responses.getFirst().functionResponse();
  }

  static Tool tool(McpToolset mcp, String name) {
    return mcp.tools().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  // ---------------------------------------------------------------- tools and results

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void theServersTools_becomeTools_withTheirDescriptionsAndSchemas(Supplier<McpToolset> server) {
    McpToolset mcp = server.get();
    assertThat(mcp.tools())
        .extracting(Tool::name)
        .contains("echo", "picture", "documents", "fail", "broken", "add_tool", "pid")
        .contains("file_stat"); // "file.stat" on the server: a dot no model accepts
    FunctionDeclaration echo = tool(mcp, "echo").declaration();
    assertThat(echo.description()).isEqualTo("Says the text back.");
    assertThat(echo.parameters())
        .containsEntry("type", "object")
        .containsEntry("required", List.of("text"));
    assertThat(tool(mcp, "file_stat").toString()).contains("file.stat");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void aTextResult_reachesTheModel_asItsResult(Supplier<McpToolset> server) {
    McpToolset mcp = server.get();
    FunctionResponse response = responseThroughTheLoop(mcp, "echo", Map.of("text", "bonjour"));
    assertThat(response.id()).isEqualTo("c1");
    assertThat(response.name()).isEqualTo("echo");
    assertThat(response.response()).isEqualTo(Map.of("result", "bonjour"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void anImageResult_becomesByteParts_ofItsMimeType(Supplier<McpToolset> server) throws Exception {
    McpToolset mcp = server.get();
    ProcessorContent content = (ProcessorContent) tool(mcp, "picture").invoke(Map.of());
    assertThat(content.parts()).hasSize(2);
    assertThat(content.get(0).text()).isEqualTo("a red dot");
    assertThat(content.get(1).mimeType()).isEqualTo("image/png");
    assertThat(content.get(1).bytes()).isEqualTo(McpTestServer.PNG);

    FunctionResponse response = responseThroughTheLoop(mcp, "picture", Map.of());
    assertThat(response.response()).isNull();
    assertThat(response.parts()).extracting(ProcessorPart::mimeType).contains("image/png");
    assertThat(response.parts().getLast().bytes()).isEqualTo(McpTestServer.PNG);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void embeddedResourcesAndLinks_becomeTheirTextTheirBytesAndTheirUri(Supplier<McpToolset> server)
      throws Exception {
    McpToolset mcp = server.get();
    ProcessorContent content = (ProcessorContent) tool(mcp, "documents").invoke(Map.of());
    assertThat(content.parts()).hasSize(3);
    assertThat(content.get(0).text()).isEqualTo("hello notes");
    assertThat(content.get(1).mimeType()).isEqualTo("application/octet-stream");
    assertThat(content.get(1).bytes()).isEqualTo(McpTestServer.BLOB);
    assertThat(content.get(2).text()).isEqualTo("file:///big.csv");
  }

  // ---------------------------------------------------------------- errors

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void anErrorResult_isAnErrorResponse_quotingTheServer_andTheConversationGoesOn(
      Supplier<McpToolset> server) {
    McpToolset mcp = server.get();
    FunctionResponse response = responseThroughTheLoop(mcp, "fail", Map.of("city", "Atlantis"));
    assertThat(response.isError()).isTrue();
    assertThat(response.response())
        .isEqualTo(
            Map.of(
                "error",
                "Failed to invoke function fail({\"city\":\"Atlantis\"}): MCP tool 'fail'"
                    + " returned an error: no weather station in Atlantis"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void aProtocolError_isAnErrorResponse_withTheServersMessage(Supplier<McpToolset> server) {
    McpToolset mcp = server.get();
    FunctionResponse response = responseThroughTheLoop(mcp, "broken", Map.of());
    assertThat(response.isError()).isTrue();
    assertThat(String.valueOf(response.response().get("error")))
        .startsWith("Failed to invoke function broken({}): ")
        .contains("database is down");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void aMissingRequiredArgument_isAnErrorResponse_beforeTheServerIsCalled(
      Supplier<McpToolset> server) {
    McpToolset mcp = server.get();
    FunctionResponse response = responseThroughTheLoop(mcp, "echo", Map.of());
    assertThat(response.response())
        .isEqualTo(
            Map.of(
                "error",
                "Failed to invoke function echo({}): argument 'text' is required but missing"));
  }

  // ---------------------------------------------------------------- list changes

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void aToolAddedOnTheServer_isCalledAndDeclared_afterItsListChangedNotification(
      Supplier<McpToolset> server) {
    McpToolset mcp = server.get();
    String added = "late_" + System.nanoTime();
    ScriptedModel model =
        new ScriptedModel(
            (responses, out) -> {
              switch (responses.size()) {
                case 0 -> out.emit(call("c1", "add_tool", Map.of("name", added)));
                case 1 -> {
                  // The notification is handled on the SDK's threads: wait for the new list.
                  McpServers.await(
                      added + " in the list",
                      () -> mcp.tools().stream().anyMatch(t -> t.name().equals(added)));
                  out.emit(call("c2", added, Map.of()));
                }
                default -> out.emit(ProcessorPart.text("done"));
              }
            });

    ProcessorContent out = FunctionCalling.of(model).withToolset(mcp).apply("go").gather();

    assertThat(declaredNames(model.prompts.get(0))).doesNotContain(added);
    assertThat(declaredNames(model.prompts.get(2))).contains(added);
    assertThat(out.stream().filter(ProcessorPart::isFunctionResponse))
        .extracting(p -> p.functionResponse().response())
        .containsExactly(Map.of("result", "added " + added), Map.of("result", "I am " + added));
  }

  // ---------------------------------------------------------------- lifetime

  @Test
  void close_stopsTheStdioServerProcess() throws Exception {
    McpToolset mcp = McpToolset.stdio(McpServers.command("stdio").toArray(String[]::new));
    long pid;
    try (mcp) {
      ProcessorContent content = (ProcessorContent) tool(mcp, "pid").invoke(Map.of());
      pid = Long.parseLong(content.text());
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).contains(pid);
    }
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).doesNotContain(pid);
    assertThatThrownBy(mcp::refresh)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    mcp.close(); // a second close does nothing
  }

  /** Opens a stdio toolset, prints its server's pid and exits without closing it. */
  @SuppressWarnings("SystemExitOutsideMain")
  public static final class Forgetful {
    public static void main(String[] args) throws Exception {
      McpToolset mcp = McpToolset.stdio(McpServers.command("stdio").toArray(String[]::new));
      System.out.println(((ProcessorContent) tool(mcp, "pid").invoke(Map.of())).text());
      System.out.flush();
      // The SDK's stdio threads are not daemons: without close(), only an exit ends the JVM.
      System.exit(0);
    }
  }

  @Test
  void aStdioServerNeverClosed_isStoppedWhenTheJvmExits() throws Exception {
    List<String> command = new ArrayList<>(McpServers.command("unused"));
    command.set(command.size() - 2, Forgetful.class.getName());
    command.removeLast();
    Process jvm =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String pid = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(jvm.waitFor()).isZero();
    assertThat(pid).isNotEmpty();
    assertThat(ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void aProgramThatCannotStart_failsToConnect_namingIt_butNotItsArguments() {
    assertThatThrownBy(() -> McpToolset.stdio("no-such-mcp-server-7e1", "--token=s3cr3t-value"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "could not connect to stdio server 'no-such-mcp-server-7e1': no such program, nor on"
                + " the PATH")
        .hasMessageNotContaining("s3cr3t-value");
  }

  @Test
  void aProgramThatIsNoMcpServer_failsToConnect_andIsStopped() {
    // "false" exits at once without a word: the session cannot start.
    assertThatThrownBy(
            () ->
                McpToolset.builder()
                    .stdio(List.of("false"))
                    .requestTimeout(Duration.ofSeconds(5))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("could not connect to stdio server 'false': ");
  }

  @Test
  void aServerKilledMidConversation_givesAnErrorResponse_andTheConversationGoesOn()
      throws Exception {
    McpServers.HttpServer doomed = new McpServers.HttpServer();
    try (McpToolset mcp =
        McpToolset.builder()
            .streamableHttp(doomed.endpoint)
            .requestTimeout(Duration.ofSeconds(20))
            .build()) {
      doomed.close();
      FunctionResponse response = responseThroughTheLoop(mcp, "echo", Map.of("text", "anyone?"));
      assertThat(response.isError()).isTrue();
      assertThat(String.valueOf(response.response().get("error")))
          .startsWith("Failed to invoke function echo({\"text\":\"anyone?\"}): ");
    } finally {
      doomed.close();
    }
  }

  @Test
  void anUnreachableEndpoint_failsToConnect_namingItWithoutItsQuery() {
    URI endpoint = URI.create("http://127.0.0.1:1/mcp?token=s3cr3t-value");
    assertThatThrownBy(() -> McpToolset.streamableHttp(endpoint))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("could not connect to MCP server http://127.0.0.1:1/mcp: ")
        .hasMessageNotContaining("s3cr3t-value");
  }

  // ---------------------------------------------------------------- settings

  @Test
  void theBuilder_rejectsNoTransport_twoTransports_andANonPositiveTimeout() {
    assertThatThrownBy(() -> McpToolset.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("choose exactly one of stdio, streamableHttp and transport, but 0 were");
    assertThatThrownBy(
            () ->
                McpToolset.builder()
                    .stdio(List.of("server"))
                    .streamableHttp(URI.create("http://127.0.0.1:9/mcp"))
                    .build())
        .hasMessage("choose exactly one of stdio, streamableHttp and transport, but 2 were");
    assertThatThrownBy(() -> McpToolset.builder().stdio(List.of()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("command must name a program but was empty");
    assertThatThrownBy(() -> McpToolset.builder().requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requestTimeout must be positive but was PT0S");
  }

  @Test
  void declaredName_replacesWhatModelsRefuse_andCutsTo64() {
    assertThat(McpToolset.declaredName("file.stat")).isEqualTo("file_stat");
    assertThat(McpToolset.declaredName("9lives")).isEqualTo("_9lives");
    assertThat(McpToolset.declaredName("git/log-all")).isEqualTo("git_log-all");
    assertThat(McpToolset.declaredName("x".repeat(80))).hasSize(64);
  }
}
