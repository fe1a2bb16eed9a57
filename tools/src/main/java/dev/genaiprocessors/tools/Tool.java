package dev.genaiprocessors.tools;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A function a model may call: its {@link FunctionDeclaration} and the code that runs it.
 *
 * <p>Make one from a lambda over a record that holds the arguments:
 *
 * <pre>{@code
 * enum Unit { CELSIUS, FAHRENHEIT }
 * record WeatherQuery(
 *     @ToolParam(description = "The city, e.g. Paris") String city,
 *     @ToolParam(description = "Celsius when absent") Optional<Unit> unit) {}
 *
 * Tool weather = Tool.of("get_weather", "The current weather in a city.", WeatherQuery.class,
 *     q -> forecasts.today(q.city(), q.unit().orElse(Unit.CELSIUS)));
 * }</pre>
 *
 * <p>or from the {@link ToolMethod} methods of an object with {@link #fromMethods(Object)}. Hand
 * tools to {@link FunctionCalling}, which declares them to the model and runs the calls it makes.
 *
 * <p><b>Arguments.</b> Tools made here check the model's arguments against the declared schema
 * before running: a required argument missing or null, an unknown argument, or a value of the wrong
 * type (a string for an integer, {@code 3.5} for an integer, a name that is no enum constant)
 * throws an {@link IllegalArgumentException} naming the argument, for example {@code argument
 * 'days' must be an integer but was "three"}, and the code is not run. Whole numbers sent as {@code
 * 3.0} are read as {@code 3}. Jackson reads the arguments, so a record in a named module must have
 * its package opened to {@code com.fasterxml.jackson.databind}.
 *
 * <p><b>Streaming tools.</b> A tool that produces its results over time sends several function
 * responses for one call: return a {@code java.util.stream.Stream} or an {@code Iterator} from the
 * handler (each element is one result), or make the tool with {@link #streaming}, whose handler
 * sends each result through a callback as it has it. {@link FunctionCalling} forwards each result
 * at once, marked as continuing, and closes the call with one last response when the stream ends.
 *
 * <p><b>Background tools.</b> {@link #inBackground()} marks a tool that takes long (a search, a
 * build, a human's approval): the loop answers its calls at once with an acknowledgement, lets the
 * model go on, and sends the result to the model when it is ready. See {@link FunctionCalling}.
 *
 * <p><b>Threading.</b> {@link FunctionCalling} runs the calls of one model turn concurrently, each
 * on a virtual thread of its own, so a tool must be safe to call from several threads at once. A
 * cancelled run, or a cancelled call, interrupts its running tools: blocking calls inside a tool
 * should honour interruption (a tool that ignores it keeps the loop waiting until it returns).
 */
public interface Tool {

  /** The declaration the model sees: name, description, JSON schema of the arguments. */
  FunctionDeclaration declaration();

  /** The function's name: that of its {@link #declaration()}. */
  default String name() {
    return declaration().name();
  }

  /**
   * Runs the function on the arguments a model sent (a JSON object as plain Java values).
   *
   * @return the result: any value Jackson can write as JSON (a record, a map, a string, a number,
   *     ...), a {@link dev.genaiprocessors.ProcessorContent} or part, or {@code null}; or, for a
   *     streaming tool, a {@code java.util.stream.Stream} or an {@code Iterator} of such values,
   *     each one response; see {@link FunctionCalling} for how it becomes the function's response
   * @throws IllegalArgumentException when the arguments do not fit the declaration, naming the
   *     argument
   * @throws Exception whatever the function throws
   */
  @Nullable Object invoke(Map<String, @Nullable Object> arguments) throws Exception;

  /**
   * Whether {@link FunctionCalling} runs this tool's calls in the background: {@code false} unless
   * the tool came from {@link #inBackground()}.
   */
  default boolean runsInBackground() {
    return false;
  }

  /**
   * This tool, run in the background: {@link FunctionCalling} answers each call at once with an
   * acknowledgement ({@code {"result": "Running in background.", "function_call_id": id}}), lets
   * the conversation go on, and sends the tool's result to the model when it is ready, starting a
   * new model turn. Returns this tool when it already runs in the background.
   */
  default Tool inBackground() {
    return runsInBackground() ? this : new BackgroundTool(this);
  }

  /**
   * The code of a tool, given its arguments read into a value of type {@code A}.
   *
   * @param <A> the type the arguments are read into
   */
  @FunctionalInterface
  interface Handler<A> {
    /** Runs the function; see {@link Tool#invoke} for what it may return. */
    @Nullable Object apply(A arguments) throws Exception;
  }

  /**
   * A tool whose arguments are read into {@code argumentType} (a record, or a class Jackson reads
   * from a JSON object) and handed to {@code handler}; the declaration's schema is derived from the
   * type as {@link FunctionDeclaration#of(String, String, Class)} describes.
   *
   * @throws IllegalArgumentException when the name is invalid or the type is not read from a JSON
   *     object
   */
  static <A> Tool of(
      String name, String description, Class<A> argumentType, Handler<? super A> handler) {
    Objects.requireNonNull(handler, "handler");
    return new RecordTool<>(
        FunctionDeclaration.of(name, description, argumentType), argumentType, handler);
  }

  /**
   * The code of a streaming tool: it sends each result through {@code results} as soon as it has
   * it, and returns when there are no more.
   *
   * @param <A> the type the arguments are read into
   */
  @FunctionalInterface
  interface StreamingHandler<A> {
    /**
     * Runs the function, sending results (each any value {@link Tool#invoke} may return) to {@code
     * results}. Sending blocks while the loop is not ready for more, and throws {@link
     * java.util.concurrent.CancellationException} once the call was cancelled: let it propagate.
     */
    void apply(A arguments, Consumer<@Nullable Object> results) throws Exception;
  }

  /**
   * A streaming tool whose arguments are read into {@code argumentType} as for {@link #of(String,
   * String, Class, Handler)}, and whose handler sends its results one by one, each reaching the
   * model as its own function response (marked as continuing, the call closed by one last response
   * when the handler returns).
   *
   * <pre>{@code
   * Tool progress = Tool.streaming("build", "Builds the project, reporting each step.",
   *     Project.class, (project, results) -> {
   *       for (String step : project.steps()) {
   *         results.accept(builder.run(step));
   *       }
   *     });
   * }</pre>
   *
   * @throws IllegalArgumentException when the name is invalid or the type is not read from a JSON
   *     object
   */
  static <A> Tool streaming(
      String name, String description, Class<A> argumentType, StreamingHandler<? super A> handler) {
    Objects.requireNonNull(handler, "handler");
    return new RecordTool<A>(
        FunctionDeclaration.of(name, description, argumentType),
        argumentType,
        arguments -> {
          StreamedResults streamed =
              (Consumer<@Nullable Object> results) -> handler.apply(arguments, results);
          return streamed;
        });
  }

  /**
   * A tool with a declaration written by hand, whose handler gets the arguments as the model sent
   * them (after the required arguments of the declaration's schema were checked and whole numbers
   * normalised): for tools described elsewhere, such as a remote service's catalogue.
   */
  static Tool of(FunctionDeclaration declaration, Handler<Map<String, @Nullable Object>> handler) {
    Objects.requireNonNull(declaration, "declaration");
    Objects.requireNonNull(handler, "handler");
    return new MapTool(declaration, handler);
  }

  /**
   * One tool per method of {@code target}'s class (public or not, declared or inherited) annotated
   * with {@link ToolMethod}, sorted by name. Each method parameter is one argument; see {@link
   * ToolMethod} and {@link ToolParam}.
   *
   * @throws IllegalArgumentException when the class has no such method, two of them share a name, a
   *     parameter has no name (compile with {@code -parameters} or use {@link ToolParam#name()}),
   *     or a method cannot be made accessible (in a named module, open its package to {@code
   *     dev.genaiprocessors.tools})
   */
  static List<Tool> fromMethods(Object target) {
    return MethodTool.allOf(Objects.requireNonNull(target, "target"));
  }
}
