/**
 * GenAI Processors for Java, tools-mcp: the tools of Model Context Protocol servers as tools of the
 * {@code tools} module's function-calling loop, on the official MCP Java SDK.
 */
module dev.genaiprocessors.tools.mcp {
  requires transitive dev.genaiprocessors.tools;
  requires transitive io.modelcontextprotocol.sdk.mcp.core;
  requires io.modelcontextprotocol.sdk.mcp.json.jackson2;
  requires static transitive org.jspecify;

  exports dev.genaiprocessors.tools.mcp;
}
