package dev.genaiprocessors;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A model's request to call a function: an optional call id, the function's name and its arguments
 * as a JSON object.
 *
 * <p>The arguments are deep-copied into an unmodifiable map of JSON values (see {@link
 * ProcessorPart} for what a JSON value is and how numbers are held); integers are held as {@code
 * Long}. A cyclic map, NaN or Infinity is rejected when the call is built.
 *
 * @param id the call's id, used to pair it with its response; {@code null} when the model gave none
 * @param name the function's name; never blank
 * @param args the arguments
 */
public record FunctionCall(@Nullable String id, String name, Map<String, @Nullable Object> args)
    implements PartData {

  /**
   * @throws IllegalArgumentException when the name is blank or an argument is not a JSON value,
   *     naming the argument's path
   */
  // Not a compact constructor: javac writes the @Nullable of a compact constructor's type argument
  // as a field annotation, so nullness checkers reading this class file would not see it.
  public FunctionCall(@Nullable String id, String name, Map<String, @Nullable Object> args) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException(
          "function call name must not be blank but was " + Strings.quoted(name));
    }
    Objects.requireNonNull(args, "args");
    this.id = id;
    this.name = name;
    this.args = JsonValues.freezeObject(args, "args of function call " + Strings.truncated(name));
  }

  /** A call with no id. */
  public static FunctionCall of(String name, Map<String, ?> args) {
    return new FunctionCall(null, name, copyArgs(args));
  }

  /** A copy with the given id. */
  public FunctionCall withId(@Nullable String id) {
    return new FunctionCall(id, name, args);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> copyArgs(Map<String, ?> args) {
    return (Map<String, @Nullable Object>) Objects.requireNonNull(args, "args");
  }
}
