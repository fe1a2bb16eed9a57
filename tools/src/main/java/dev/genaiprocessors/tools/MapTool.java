package dev.genaiprocessors.tools;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A tool made by {@link Tool#of(FunctionDeclaration, Tool.Handler)}. */
record MapTool(FunctionDeclaration declaration, Tool.Handler<Map<String, @Nullable Object>> handler)
    implements Tool {

  @Override
  public @Nullable Object invoke(Map<String, @Nullable Object> arguments) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> normalised =
        (Map<String, @Nullable Object>) Objects.requireNonNull(Arguments.normalise(arguments));
    Arguments.checkRequired(declaration.parameters(), normalised);
    return handler.apply(normalised);
  }

  @Override
  public String toString() {
    return "Tool[" + declaration.name() + "]";
  }
}
