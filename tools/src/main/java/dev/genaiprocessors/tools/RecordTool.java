package dev.genaiprocessors.tools;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A tool made by {@link Tool#of(String, String, Class, Tool.Handler)}. */
record RecordTool<A>(
    FunctionDeclaration declaration, Class<A> argumentType, Tool.Handler<? super A> handler)
    implements Tool {

  @Override
  public @Nullable Object invoke(Map<String, @Nullable Object> arguments) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> normalised =
        (Map<String, @Nullable Object>) Objects.requireNonNull(Arguments.normalise(arguments));
    Arguments.checkRequired(declaration.parameters(), normalised);
    A value =
        argumentType.cast(
            Objects.requireNonNull(
                Arguments.read(normalised, Schemas.MAPPER.constructType(argumentType), "")));
    return handler.apply(value);
  }

  @Override
  public String toString() {
    return "Tool[" + declaration.name() + "(" + argumentType.getSimpleName() + ")]";
  }
}
