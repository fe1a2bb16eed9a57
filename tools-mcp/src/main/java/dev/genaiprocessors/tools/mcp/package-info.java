/**
 * The tools of Model Context Protocol servers as tools of the function-calling loop.
 *
 * <p>{@link dev.genaiprocessors.tools.mcp.McpToolset} connects to one MCP server through the
 * official MCP Java SDK, over stdio (a server process it starts and stops) or streamable HTTP, and
 * offers the server's tools as {@link dev.genaiprocessors.tools.Tool}s, kept up to date when the
 * server says its list changed: hand it to {@link
 * dev.genaiprocessors.tools.FunctionCalling#withToolset}. A tool's MCP content becomes parts; an
 * error result becomes a {@link dev.genaiprocessors.tools.mcp.McpToolException}, which the loop
 * sends to the model as an error response.
 */
@NullMarked
package dev.genaiprocessors.tools.mcp;

import org.jspecify.annotations.NullMarked;
