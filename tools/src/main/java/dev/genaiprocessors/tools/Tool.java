package dev.genaiprocessors.tools;

import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * <p><b>Threading.</b> {@link FunctionCalling} runs the calls of one model turn concurrently, each
 * on a virtual thread of its own, so a tool must be safe to call from several threads at once. A
 * cancelled run interrupts its running tools: blocking calls inside a tool should honour
 * interruption.
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
   *     ...), a {@link dev.genaiprocessors.ProcessorContent} or part, or {@code null}; see {@link
   *     FunctionCalling} for how it becomes the function's response
   * @throws IllegalArgumentException when the arguments do not fit the declaration, naming the
   *     argument
   * @throws Exception whatever the function throws
   */
  @Nullable Object invoke(Map<String, @Nullable Object> arguments) throws Exception;

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
