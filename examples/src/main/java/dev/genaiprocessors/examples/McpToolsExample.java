package dev.genaiprocessors.examples;

import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;
import dev.genaiprocessors.tools.FunctionCalling;
import dev.genaiprocessors.tools.Tool;
import dev.genaiprocessors.tools.mcp.McpToolset;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tools of an MCP server in the function-calling loop. It starts {@link McpWeatherServer} (an
 * MCP server built with the official SDK) as a process of its own over stdio, lists its tools, and
 * runs one conversation in which the model calls the server's {@code get_forecast}; closing the
 * toolset stops the server process.
 *
 * <p>With {@code OPENAI_API_KEY} set it talks to OpenAI ({@code gpt-4o-mini}, or {@code
 * OPENAI_MODEL}); otherwise to the {@code testing} module's local {@link OpenAiServer}, scripted to
 * answer as OpenAI would, so it runs offline:
 *
 * <pre>{@code
 * ./mvnw -q -B -DskipTests -pl examples -am package exec:java -Dexample=McpToolsExample
 * }</pre>
 */
public final class McpToolsExample {
  private McpToolsExample() {}

  public static void main(String[] args) {
    String key = System.getenv("OPENAI_API_KEY");
    OpenAiServer local = key == null || key.isBlank() ? OpenAiServer.start() : null;
    OpenAiModel.Builder builder =
        OpenAiModel.builder().model(System.getenv().getOrDefault("OPENAI_MODEL", "gpt-4o-mini"));
    if (local != null) {
      System.out.println("(no OPENAI_API_KEY: talking to the local server)");
      local.enqueue(
          ChatReply.create().toolCall("call_1", "get_forecast", "{\"city\":\"Oslo\"}"),
          ChatReply.create().text("Tomorrow Oslo will be sunny, 18 °C: ", "no umbrella needed."));
      builder.baseUrl(local.baseUrl()).apiKey("sk-local");
    } else {
      builder.apiKey(key);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (McpToolset weather =
            McpToolset.stdio(java, "-cp", classPath(), McpWeatherServer.class.getName());
        OpenAiModel model = builder.build()) {
      for (Tool tool : weather.tools()) {
        System.out.println("MCP tool: " + tool.name() + " - " + tool.declaration().description());
      }
      String question = "Do I need an umbrella in Oslo tomorrow?";
      System.out.println("user> " + question);
      try (ProcessorStream out = FunctionCalling.of(model).withToolset(weather).apply(question)) {
        for (ProcessorPart part : out) {
          if (part.isFunctionCall()) {
            System.out.println(
                "model calls " + part.functionCall().name() + part.functionCall().args());
          } else if (part.isFunctionResponse()) {
            System.out.println("server answers " + part.functionResponse().response());
          } else if (part.isText()) {
            System.out.print(part.text());
          }
        }
        System.out.println();
      }
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  /**
   * The class path to start the server with: this class loader's (as under {@code exec:java}), or
   * the JVM's.
   */
  static String classPath() {
    if (McpToolsExample.class.getClassLoader() instanceof URLClassLoader loader) {
      List<String> entries = new ArrayList<>();
      for (URL url : loader.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IllegalStateException("a class path entry is no file: " + url, e);
        }
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }
}
