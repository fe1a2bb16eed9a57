package dev.genaiprocessors.tools;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Tool#streaming} tool's {@code invoke} returns: the handler, bound to its arguments,
 * for {@link FunctionCalling} to run with a callback that sends each result as it comes.
 */
@FunctionalInterface
interface StreamedResults {
  void run(Consumer<@Nullable Object> results) throws Exception;
}
