package dev.genaiprocessors.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one argument of a tool: a parameter of a {@link ToolMethod} method, or a component (or
 * field) of a record or class the arguments are read into.
 *
 * <pre>{@code
 * record WeatherQuery(
 *     @ToolParam(description = "The city, e.g. Paris") String city,
 *     @ToolParam(description = "Temperature unit; Celsius when absent") Optional<Unit> unit) {}
 * }</pre>
 *
 * <p>An argument is required unless its type is an {@code Optional} or it is annotated with an
 * annotation named {@code Nullable} (JSpecify's, or any other library's). Jackson's own annotations
 * ({@code @JsonPropertyDescription}, {@code @JsonProperty}, {@code @JsonClassDescription}) are
 * honoured too; rename a record component with {@code @JsonProperty}, since {@link #name()} applies
 * to method parameters only.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({
  ElementType.PARAMETER,
  ElementType.FIELD,
  ElementType.RECORD_COMPONENT,
  ElementType.METHOD
})
public @interface ToolParam {
  /**
   * The argument's name, for a parameter of a {@link ToolMethod} method; empty (the default) means
   * the parameter's own name, which needs the class compiled with {@code -parameters}.
   */
  String name() default "";

  /** What the argument means, for the model; empty (the default) adds no description. */
  String description() default "";
}
