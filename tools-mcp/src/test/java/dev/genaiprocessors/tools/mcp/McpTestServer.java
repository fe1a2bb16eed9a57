package dev.genaiprocessors.tools.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;

/**
 * A real MCP server built with the official SDK, run by the tests as a process of its own: {@code
 * McpTestServer stdio} speaks over its standard input and output; {@code McpTestServer http} serves
 * streamable HTTP at {@code /mcp} on a free loopback port and prints {@code port=<n>} as its first
 * line of standard output.
 *
 * <p>Its tools: {@code echo} (text), {@code picture} (text and a PNG), {@code documents} (an
 * embedded text resource, an embedded blob and a resource link), {@code fail} (an error result),
 * {@code broken} (a JSON-RPC error), {@code add_tool} (adds a tool named by its argument and tells
 * the client the list changed), {@code pid} (the server process's id) and {@code file.stat} (a name
 * models do not accept).
 */
public final class McpTestServer {

  /** The PNG {@code picture} returns: the 8-byte signature and a few more bytes. */
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

  static final byte[] BLOB = {1, 2, 3, 4};

  private static final McpJsonMapper JSON = new JacksonMcpJsonMapper(new ObjectMapper());

  private McpTestServer() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length == 0 ? "stdio" : args[0];
    AtomicReference<McpSyncServer> server = new AtomicReference<>();
    McpSchema.ServerCapabilities capabilities =
        McpSchema.ServerCapabilities.builder().tools(true).build();
    if (mode.equals("stdio")) {
      StdioServerTransportProvider transport = new StdioServerTransportProvider(JSON);
      server.set(
          McpServer.sync(transport)
              .serverInfo("mcp-test-server", "1.0")
              .capabilities(capabilities)
              .jsonMapper(JSON)
              .tools(tools(server))
              .build());
      // The transport reads standard input on threads of its own; this one waits to be stopped.
      Thread.currentThread().join();
    } else {
      HttpServletStreamableServerTransportProvider transport =
          HttpServletStreamableServerTransportProvider.builder()
              .jsonMapper(JSON)
              .mcpEndpoint("/mcp")
              .build();
      server.set(
          McpServer.sync(transport)
              .serverInfo("mcp-test-server", "1.0")
              .capabilities(capabilities)
              .jsonMapper(JSON)
              .tools(tools(server))
              .build());
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(Files.createTempDirectory("mcp-test-tomcat").toString());
      tomcat.setHostname("127.0.0.1");
      tomcat.setPort(0);
      tomcat.getConnector().setProperty("address", "127.0.0.1");
      // Tomcat closes a keep-alive connection after 100 requests, or when idle for a while; a
      // client sending its next request on it at that moment gets "received no bytes", which the
      // JDK client does not retry for a POST. The tests share one client for many requests.
      tomcat.getConnector().setProperty("maxKeepAliveRequests", "-1");
      tomcat.getConnector().setProperty("keepAliveTimeout", "600000");
      Context context = tomcat.addContext("", null);
      Wrapper wrapper = Tomcat.addServlet(context, "mcp", transport);
      wrapper.setAsyncSupported(true);
      context.addServletMappingDecoded("/mcp", "mcp");
      tomcat.start();
      System.out.println("port=" + tomcat.getConnector().getLocalPort());
      System.out.flush();
      tomcat.getServer().await();
    }
  }

  static List<SyncToolSpecification> tools(AtomicReference<McpSyncServer> server) {
    List<SyncToolSpecification> tools = new ArrayList<>();
    tools.add(
        tool(
            "echo",
            "Says the text back.",
            Map.of("text", Map.of("type", "string")),
            List.of("text"),
            (exchange, request) -> text(String.valueOf(request.arguments().get("text")))));
    tools.add(
        tool(
            "picture",
            "A picture of a red dot.",
            Map.of(),
            List.of(),
            (exchange, request) ->
                CallToolResult.builder()
                    .addContent(new McpSchema.TextContent("a red dot"))
                    .addContent(
                        McpSchema.ImageContent.builder(
                                Base64.getEncoder().encodeToString(PNG), "image/png")
                            .build())
                    .build()));
    tools.add(
        tool(
            "documents",
            "Some documents.",
            Map.of(),
            List.of(),
            (exchange, request) ->
                CallToolResult.builder()
                    .addContent(
                        McpSchema.EmbeddedResource.builder(
                                McpSchema.TextResourceContents.builder(
                                        "file:///notes.txt", "hello notes")
                                    .mimeType("text/plain")
                                    .build())
                            .build())
                    .addContent(
                        McpSchema.EmbeddedResource.builder(
                                McpSchema.BlobResourceContents.builder(
                                        "file:///data.bin",
                                        Base64.getEncoder().encodeToString(BLOB))
                                    .mimeType("application/octet-stream")
                                    .build())
                            .build())
                    .addContent(
                        McpSchema.ResourceLink.builder()
                            .name("big.csv")
                            .uri("file:///big.csv")
                            .mimeType("text/csv")
                            .build())
                    .build()));
    tools.add(
        tool(
            "fail",
            "Always fails.",
            Map.of("city", Map.of("type", "string")),
            List.of("city"),
            (exchange, request) ->
                CallToolResult.builder()
                    .isError(true)
                    .addTextContent("no weather station in " + request.arguments().get("city"))
                    .build()));
    tools.add(
        tool(
            "broken",
            "Answers with a protocol error.",
            Map.of(),
            List.of(),
            (exchange, request) -> {
              throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                  .message("database is down")
                  .build();
            }));
    tools.add(
        tool(
            "add_tool",
            "Adds a tool that says its name, and tells the client.",
            Map.of("name", Map.of("type", "string")),
            List.of("name"),
            (exchange, request) -> {
              String name = String.valueOf(request.arguments().get("name"));
              server
                  .get()
                  .addTool(
                      tool(
                          name,
                          "Says its name.",
                          Map.of(),
                          List.of(),
                          (e, r) -> text("I am " + name)));
              server.get().notifyToolsListChanged();
              return text("added " + name);
            }));
    tools.add(
        tool(
            "pid",
            "The server process's id.",
            Map.of(),
            List.of(),
            (exchange, request) -> text(String.valueOf(ProcessHandle.current().pid()))));
    tools.add(
        tool(
            "file.stat",
            "A tool whose name has a dot.",
            Map.of(),
            List.of(),
            (exchange, request) -> text("size=" + "stat".getBytes(StandardCharsets.UTF_8).length)));
    return tools;
  }

  static CallToolResult text(String text) {
    return CallToolResult.builder().addTextContent(text).build();
  }

  static SyncToolSpecification tool(
      String name,
      String description,
      Map<String, Object> properties,
      List<String> required,
      BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
    McpSchema.Tool tool =
        McpSchema.Tool.builder()
            .name(name)
            .description(description)
            .inputSchema(new McpSchema.JsonSchema("object", properties, required, null, null, null))
            .build();
    return SyncToolSpecification.builder().tool(tool).callHandler(handler).build();
  }
}
