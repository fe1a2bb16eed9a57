package dev.genaiprocessors.tools.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.tools.FunctionDeclaration;
import dev.genaiprocessors.tools.Tool;
import dev.genaiprocessors.tools.Toolset;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The tools of one Model Context Protocol server, as {@link Tool}s of the function-calling loop: a
 * connection through the official MCP Java SDK, over stdio or streamable HTTP.
 *
 * <pre>{@code
 * try (McpToolset files = McpToolset.stdio("npx", "-y", "@modelcontextprotocol/server-filesystem",
 *     "/srv/docs")) {
 *   Processor agent = FunctionCalling.of(model).withToolset(files);
 *   System.out.println(agent.apply("What is in notes.txt?").gather().text());
 * }   // stops the server process
 *
 * McpToolset remote = McpToolset.streamableHttp(URI.create("http://127.0.0.1:8080/mcp"));
 * }</pre>
 *
 * <p><b>Tools.</b> Each tool of the server is one {@link Tool}: its declaration has the server's
 * name, description and input schema, and calling it calls the tool on the server. A name models do
 * not accept (letters, digits, {@code _} and {@code -}, 64 at most) is declared with every other
 * character replaced by {@code _} and cut to 64; the server is still called by its own name. {@link
 * #tools()} answers from a list read when connecting and read again whenever the server sends
 * {@code notifications/tools/list_changed}, so {@link dev.genaiprocessors.tools.FunctionCalling}
 * offers the new list from its next model turn on; {@link #refresh()} reads it again for servers
 * that do not notify.
 *
 * <p><b>Results.</b> The content of a tool's result becomes parts: text as text, images and audio
 * as bytes of their MIME type, an embedded resource as its text or its bytes, a resource link as
 * its URI (as the Python library does). So a result that is all text reaches the model as {@code
 * {"result": "..."}}, and one with an image as the function response's byte parts. A result with no
 * content but structured content returns that JSON value.
 *
 * <p><b>Errors.</b> An error result ({@code isError: true}) throws {@link McpToolException} quoting
 * the server's text; a protocol error (a JSON-RPC error, the server gone, a request timeout) throws
 * the SDK's exception. {@link dev.genaiprocessors.tools.FunctionCalling} turns either into an error
 * response to the model, {@code {"error": "Failed to invoke function search({\"q\":\"x\"}): MCP
 * tool 'search' returned an error: index not ready"}}, and goes on.
 *
 * <p><b>Lifetime and threading.</b> The constructor methods connect and read the tool list before
 * returning, and throw {@link IllegalStateException} naming the server when that fails (after
 * stopping what they started). The toolset's tools may be called from several threads at once (the
 * SDK multiplexes requests over the connection). {@link #close()} ends the session; for stdio it
 * stops the server process and returns once it has exited; a stdio toolset never closed is closed
 * by a shutdown hook when the JVM exits, so its server does not outlive the JVM (unless the JVM is
 * killed). A call in progress when its thread is interrupted is abandoned with a {@link
 * CancellationException}.
 *
 * <p><b>Differences from the Python library.</b> Python expands an MCP session into tools once, on
 * the loop's first run; here the list follows the server's change notifications. Python keeps tool
 * names as the server gives them.
 */
public final class McpToolset implements Toolset, AutoCloseable {

  /** How long a request (a tool call included) may take unless {@link Builder#requestTimeout}. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern INVALID = Pattern.compile("[^A-Za-z0-9_-]");

  private static final McpJsonMapper JSON = new JacksonMcpJsonMapper(new ObjectMapper());

  private final String server;
  private final McpSyncClient client;
  private final AtomicBoolean closed = new AtomicBoolean();
  // Stops a stdio server at JVM exit if the toolset was never closed, so no process outlives us.
  private final @Nullable Thread stopAtExit;
  private volatile List<Tool> tools = List.of();

  private McpToolset(Builder builder, McpClientTransport transport, String server) {
    this.server = server;
    this.stopAtExit =
        transport instanceof StdioClientTransport
            ? Thread.ofPlatform().name("mcp-stop-" + server).unstarted(this::close)
            : null;
    this.client =
        McpClient.sync(transport)
            .clientInfo(McpSchema.Implementation.builder("genai-processors", "0.1.0").build())
            .requestTimeout(builder.requestTimeout)
            .initializationTimeout(builder.requestTimeout)
            .jsonSchemaValidator(new DefaultJsonSchemaValidator())
            .toolsChangeConsumer(this::replace)
            .build();
  }

  /**
   * Starts {@code command} (the program, then its arguments) as an MCP server speaking over its
   * standard input and output, connects to it and reads its tools; the process inherits this one's
   * environment and is stopped by {@link #close()}.
   *
   * @throws IllegalStateException when the process cannot be started or does not answer as an MCP
   *     server, naming the program
   */
  public static McpToolset stdio(String... command) {
    return builder().stdio(List.of(command)).build();
  }

  /**
   * Connects to the MCP server at {@code endpoint} (its full URL, such as {@code
   * http://127.0.0.1:8080/mcp}) over streamable HTTP and reads its tools.
   *
   * @throws IllegalStateException when the server cannot be reached or does not answer as an MCP
   *     server, naming the endpoint without its query
   */
  public static McpToolset streamableHttp(URI endpoint) {
    return builder().streamableHttp(endpoint).build();
  }

  /** A builder, to choose the transport and the request timeout. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Settings of a connection to one MCP server: exactly one of {@link #stdio}, {@link
   * #streamableHttp} or {@link #transport}, and optionally a request timeout.
   */
  public static final class Builder {
    private @Nullable List<String> command;
    private Map<String, String> environment = Map.of();
    private @Nullable URI endpoint;
    private @Nullable McpClientTransport transport;
    private String transportName = "";
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

    private Builder() {}

    /**
     * A server process: {@code command} is the program and its arguments (they are never shown in
     * messages, as they may hold secrets; the program is).
     */
    public Builder stdio(List<String> command) {
      Objects.requireNonNull(command, "command");
      this.command = List.copyOf(command);
      return this;
    }

    /** Variables added to the server process's environment (inherited from this process). */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /** A server reached over streamable HTTP at {@code endpoint}, its full URL. */
    public Builder streamableHttp(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * Any other transport of the SDK, already configured (such as a {@code
     * HttpClientStreamableHttpTransport} with authentication headers); {@code name} names the
     * server in messages and in {@link McpToolset#toString()}.
     */
    public Builder transport(McpClientTransport transport, String name) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.transportName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** How long any request, a tool call included, may take (default one minute). */
    public Builder requestTimeout(Duration requestTimeout) {
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException(
            "requestTimeout must be positive but was " + requestTimeout);
      }
      this.requestTimeout = requestTimeout;
      return this;
    }

    /**
     * Connects, initialises the session and reads the server's tools.
     *
     * @throws IllegalArgumentException when not exactly one transport was chosen, or the command is
     *     empty
     * @throws IllegalStateException when the connection or the session fails, naming the server;
     *     whatever was started is stopped
     */
    public McpToolset build() {
      int chosen =
          (command == null ? 0 : 1) + (endpoint == null ? 0 : 1) + (transport == null ? 0 : 1);
      if (chosen != 1) {
        throw new IllegalArgumentException(
            "choose exactly one of stdio, streamableHttp and transport, but " + chosen + " were");
      }
      McpClientTransport chosenTransport;
      String name;
      List<String> program = command;
      URI url = endpoint;
      if (program != null) {
        if (program.isEmpty()) {
          throw new IllegalArgumentException("command must name a program but was empty");
        }
        name = "stdio server '" + program.get(0) + "'";
        if (!runnable(program.get(0))) {
          // The SDK would only notice at the end of the initialisation timeout.
          throw new IllegalStateException(
              "could not connect to " + name + ": no such program, nor on the PATH");
        }
        chosenTransport =
            new StdioClientTransport(
                ServerParameters.builder(program.get(0))
                    .args(program.subList(1, program.size()))
                    .env(environment)
                    .build(),
                JSON);
      } else if (url != null) {
        chosenTransport =
            HttpClientStreamableHttpTransport.builder(origin(url))
                .endpoint(pathAndQuery(url))
                .jsonMapper(JSON)
                .build();
        name = "MCP server " + withoutQuery(url);
      } else {
        chosenTransport = Objects.requireNonNull(transport, "transport");
        name = transportName;
      }
      McpToolset toolset = new McpToolset(this, chosenTransport, name);
      try {
        Thread hook = toolset.stopAtExit;
        if (hook != null) {
          Runtime.getRuntime().addShutdownHook(hook);
        }
        toolset.client.initialize();
        toolset.refresh();
      } catch (RuntimeException e) {
        toolset.close();
        throw new IllegalStateException("could not connect to " + name + ": " + describe(e), e);
      }
      return toolset;
    }
  }

  /**
   * The server's tools, as last read: when connecting, after each change notification, or by {@link
   * #refresh()}. Cheap; safe to call from any thread.
   */
  @Override
  public List<Tool> tools() {
    return tools;
  }

  /**
   * Reads the server's tool list again (every page of it) and returns it.
   *
   * @throws IllegalStateException when the toolset is closed
   */
  public List<Tool> refresh() {
    if (closed.get()) {
      throw new IllegalStateException(this + " is closed");
    }
    List<McpSchema.Tool> all = new ArrayList<>();
    String cursor = null;
    do {
      McpSchema.ListToolsResult page =
          cursor == null ? client.listTools() : client.listTools(cursor);
      all.addAll(page.tools());
      cursor = page.nextCursor();
    } while (cursor != null);
    return replace(all);
  }

  private List<Tool> replace(List<McpSchema.Tool> listed) {
    List<Tool> mapped = new ArrayList<>(listed.size());
    for (McpSchema.Tool tool : listed) {
      mapped.add(new McpTool(tool));
    }
    List<Tool> now = List.copyOf(mapped);
    tools = now;
    return now;
  }

  /** Ends the session; for stdio, stops the server process and waits for it to exit. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Thread hook = stopAtExit;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException | IllegalArgumentException e) {
        // The JVM is exiting (the hook runs, or will), or it was never added: nothing to undo.
      }
    }
    try {
      // For stdio, this destroys the server process and waits for it to exit.
      client.closeGracefully();
    } finally {
      client.close();
    }
  }

  /** Names the server: its program for stdio, its URL without the query for HTTP. */
  @Override
  public String toString() {
    return "McpToolset[" + server + "]";
  }

  /** One tool of the server. */
  private final class McpTool implements Tool {
    private final String serverName;
    private final Tool tool;

    McpTool(McpSchema.Tool listed) {
      this.serverName = listed.name();
      String description = listed.description();
      if (description == null || description.isEmpty()) {
        description = listed.title() == null ? "" : listed.title();
      }
      Map<String, Object> schema = listed.inputSchema();
      // Map<String, Object>: FunctionDeclaration's compact constructor hides its @Nullable from
      // NullAway in other modules.
      Map<String, Object> parameters = new LinkedHashMap<>();
      if (schema == null) {
        parameters.put("type", "object");
      } else {
        parameters.putAll(schema);
      }
      this.tool =
          Tool.of(
              new FunctionDeclaration(declaredName(serverName), description, parameters),
              this::call);
    }

    @Override
    public FunctionDeclaration declaration() {
      return tool.declaration();
    }

    @Override
    public @Nullable Object invoke(Map<String, @Nullable Object> arguments) throws Exception {
      return tool.invoke(arguments);
    }

    private Object call(Map<String, @Nullable Object> arguments) {
      McpSchema.CallToolResult result;
      try {
        result =
            client.callTool(
                McpSchema.CallToolRequest.builder(serverName)
                    .arguments(nonNull(arguments))
                    .build());
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted() || interrupted(e)) {
          Thread.currentThread().interrupt();
          CancellationException cancelled =
              new CancellationException("the call of MCP tool '" + serverName + "' was cancelled");
          cancelled.initCause(e);
          throw cancelled;
        }
        throw e;
      }
      List<McpSchema.Content> content = result.content() == null ? List.of() : result.content();
      if (Boolean.TRUE.equals(result.isError())) {
        String text =
            content.stream()
                .filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text())
                .collect(Collectors.joining("\n"));
        throw new McpToolException(serverName, text.isEmpty() ? "(no message)" : text);
      }
      Object structured = result.structuredContent();
      if (content.isEmpty() && structured != null) {
        return structured;
      }
      List<ProcessorPart> parts = new ArrayList<>(content.size());
      for (McpSchema.Content item : content) {
        parts.add(toPart(item));
      }
      return ProcessorContent.ofParts(parts);
    }

    @Override
    public String toString() {
      return "Tool[" + serverName + " of " + McpToolset.this + "]";
    }
  }

  /** One content block of a result as a part; see "Results" in the class comment. */
  static ProcessorPart toPart(McpSchema.Content content) {
    return switch (content) {
      case McpSchema.TextContent text -> ProcessorPart.text(text.text());
      case McpSchema.ImageContent image ->
          ProcessorPart.bytes(Base64.getDecoder().decode(image.data()), image.mimeType());
      case McpSchema.AudioContent audio ->
          ProcessorPart.bytes(Base64.getDecoder().decode(audio.data()), audio.mimeType());
      case McpSchema.EmbeddedResource embedded -> resourcePart(embedded.resource());
      case McpSchema.ResourceLink link -> ProcessorPart.text(link.uri());
      default ->
          throw new IllegalArgumentException(
              "MCP content of type '" + content.type() + "' has no part to map to");
    };
  }

  private static ProcessorPart resourcePart(McpSchema.ResourceContents resource) {
    String mimeType = resource.mimeType();
    return switch (resource) {
      case McpSchema.TextResourceContents text -> ProcessorPart.text(text.text());
      case McpSchema.BlobResourceContents blob ->
          ProcessorPart.bytes(
              Base64.getDecoder().decode(blob.blob()),
              mimeType == null ? "application/octet-stream" : mimeType);
      default ->
          throw new IllegalArgumentException(
              "MCP resource " + resource.uri() + " is neither text nor a blob");
    };
  }

  /** The name models are given for a server's tool: see "Tools" in the class comment. */
  static String declaredName(String serverName) {
    String name = INVALID.matcher(serverName).replaceAll("_");
    if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
      name = "_" + name;
    }
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  private static Map<String, Object> nonNull(Map<String, @Nullable Object> arguments) {
    // JSON nulls are values to the server; the SDK's map type just does not say so.
    @SuppressWarnings("unchecked")
    Map<String, Object> same = (Map<String, Object>) (Map<String, ?>) arguments;
    return same;
  }

  private static boolean interrupted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException) {
        return true;
      }
    }
    return false;
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isEmpty() ? e.getClass().getName() : message;
  }

  /**
   * Whether {@code program} names an executable file, as a path or on the {@code PATH}; true where
   * that cannot be told (on Windows, with its extensions), leaving the answer to the start.
   */
  static boolean runnable(String program) {
    if (System.getProperty("os.name", "").startsWith("Windows")) {
      return true;
    }
    if (program.contains(File.separator)) {
      return Files.isExecutable(Path.of(program));
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return true;
    }
    for (String directory : path.split(File.pathSeparator, -1)) {
      if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
        return true;
      }
    }
    return false;
  }

  private static String origin(URI url) {
    return url.getScheme() + "://" + url.getRawAuthority();
  }

  private static String pathAndQuery(URI url) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  private static String withoutQuery(URI url) {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }
}
