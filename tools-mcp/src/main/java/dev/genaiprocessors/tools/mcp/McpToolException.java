package dev.genaiprocessors.tools.mcp;

import java.util.Objects;

/**
 * Thrown by a tool of an {@link McpToolset} when the server answers the call with an error result
 * ({@code isError: true}); the message quotes the text the server sent, as the Python library's
 * {@code McpToolError} does: {@code MCP tool 'search' returned an error: index not ready}. {@link
 * dev.genaiprocessors.tools.FunctionCalling} sends it to the model as an error response, and the
 * conversation goes on.
 */
public final class McpToolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The name of the server's tool that answered with an error. */
  private final String toolName;

  /** An error result of the server's tool {@code toolName}, with the text the server sent. */
  public McpToolException(String toolName, String serverText) {
    super(
        "MCP tool '"
            + Objects.requireNonNull(toolName, "toolName")
            + "' returned an error: "
            + Objects.requireNonNull(serverText, "serverText"));
    this.toolName = toolName;
  }

  /** The name of the tool on the server. */
  public String toolName() {
    return toolName;
  }
}
