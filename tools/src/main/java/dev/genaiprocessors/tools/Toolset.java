package dev.genaiprocessors.tools;

import java.util.List;

/**
 * Tools that may change while a conversation goes on, such as those of a Model Context Protocol
 * server: {@link FunctionCalling#withToolset} reads {@link #tools()} before every model turn.
 *
 * <p>Implement it for a catalogue kept elsewhere; {@code McpToolset} (module {@code tools-mcp}) is
 * one. {@link #tools()} is called from the loop's thread, possibly from several loops at once, so
 * it must be safe to call concurrently and should be cheap: answer from a list kept up to date,
 * rather than asking a server each time.
 */
@FunctionalInterface
public interface Toolset {

  /**
   * The tools offered now, in the order the model should see them; names must differ from each
   * other and from the loop's other tools.
   */
  List<Tool> tools();
}
