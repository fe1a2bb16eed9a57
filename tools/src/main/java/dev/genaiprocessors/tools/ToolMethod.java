package dev.genaiprocessors.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a tool a model may call; {@link Tool#fromMethods(Object)} turns every such
 * method of an object into a {@link Tool}.
 *
 * <pre>{@code
 * final class WeatherTools {
 *   @ToolMethod(description = "The weather forecast for a city.")
 *   public Forecast getWeather(
 *       @ToolParam(name = "city", description = "The city, e.g. Paris") String city,
 *       @ToolParam(name = "days", description = "How many days ahead") int days) { ... }
 * }
 * List<Tool> tools = Tool.fromMethods(new WeatherTools());
 * }</pre>
 *
 * <p>Each parameter becomes one argument of the function: its JSON schema comes from the
 * parameter's type, its name from {@link ToolParam#name()} or, when the class was compiled with
 * {@code -parameters}, from the parameter itself. The return value becomes the function's response
 * (see {@link FunctionCalling} for how values map); a method may be {@code void}, and may throw.
 *
 * <p>(Not named {@code @Tool}: that name is the {@link Tool} interface's.)
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ToolMethod {
  /** The function's name as the model sees it; empty (the default) means the method's name. */
  String name() default "";

  /** What the function does, for the model: when to call it and what it returns. */
  String description();
}
