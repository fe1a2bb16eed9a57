package dev.genaiprocessors.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * A small Model Context Protocol server for {@link McpToolsExample}, built with the official MCP
 * Java SDK: one tool, {@code get_forecast}, served over standard input and output. Run it as a
 * process of its own; it stops when its client stops it.
 */
public final class McpWeatherServer {
  private McpWeatherServer() {}

  public static void main(String[] args) throws InterruptedException {
    McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    McpSchema.Tool forecast =
        McpSchema.Tool.builder("get_forecast")
            .description("Tomorrow's weather forecast for a city.")
            .inputSchema(
                Map.of(
                    "type",
                    "object",
                    "properties",
                    Map.of("city", Map.of("type", "string", "description", "The city")),
                    "required",
                    List.of("city")))
            .build();
    McpServer.sync(new StdioServerTransportProvider(json))
        .serverInfo("weather", "1.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .jsonMapper(json)
        .tools(
            SyncToolSpecification.builder()
                .tool(forecast)
                .callHandler(
                    (exchange, request) ->
                        McpSchema.CallToolResult.builder()
                            .addTextContent(request.arguments().get("city") + ": sunny, 18 °C")
                            .build())
                .build())
        .build();
    // The transport reads standard input on threads of its own; this one waits to be stopped.
    Thread.currentThread().join();
  }
}
