package dev.genaiprocessors.tools;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A tool made by {@link Tool#inBackground()}: the same tool, run in the background. */
record BackgroundTool(Tool tool) implements Tool {

  @Override
  public FunctionDeclaration declaration() {
    return tool.declaration();
  }

  @Override
  public @Nullable Object invoke(Map<String, @Nullable Object> arguments) throws Exception {
    return tool.invoke(arguments);
  }

  @Override
  public boolean runsInBackground() {
    return true;
  }

  @Override
  public String toString() {
    return tool + " in background";
  }
}
