package dev.genaiprocessors.tools;

import com.fasterxml.jackson.databind.JavaType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** A tool that calls a {@link ToolMethod} method: made by {@link Tool#fromMethods(Object)}. */
final class MethodTool implements Tool {
  private final FunctionDeclaration declaration;
  private final Object target;
  private final Method method;
  private final List<String> names;
  private final List<JavaType> types;

  private MethodTool(
      FunctionDeclaration declaration,
      Object target,
      Method method,
      List<String> names,
      List<JavaType> types) {
    this.declaration = declaration;
    this.target = target;
    this.method = method;
    this.names = names;
    this.types = types;
  }

  static List<Tool> allOf(Object target) {
    Class<?> type = target.getClass();
    List<Method> methods = new ArrayList<>();
    // The most specific annotated declaration of each signature; calls dispatch to overrides
    // anyway.
    Set<String> seen = new HashSet<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method method : c.getDeclaredMethods()) {
        String signature = method.getName() + Arrays.toString(method.getParameterTypes());
        if (method.isAnnotationPresent(ToolMethod.class)
            && !method.isBridge()
            && seen.add(signature)) {
          methods.add(method);
        }
      }
    }
    if (methods.isEmpty()) {
      throw new IllegalArgumentException(
          type.getName() + " has no method annotated @" + ToolMethod.class.getSimpleName());
    }
    Map<String, Method> byName = new HashMap<>();
    List<Tool> tools = new ArrayList<>(methods.size());
    for (Method method : methods) {
      MethodTool tool = of(target, method);
      Method earlier = byName.putIfAbsent(tool.name(), method);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "two tool methods of "
                + type.getName()
                + " are named '"
                + tool.name()
                + "': "
                + earlier.getName()
                + " and "
                + method.getName());
      }
      tools.add(tool);
    }
    tools.sort(Comparator.comparing(Tool::name));
    return List.copyOf(tools);
  }

  private static MethodTool of(Object target, Method method) {
    ToolMethod annotation = method.getAnnotation(ToolMethod.class);
    String name = annotation.name().isEmpty() ? method.getName() : annotation.name();
    String where = method.getDeclaringClass().getName() + "." + method.getName();
    Object receiver = Modifier.isStatic(method.getModifiers()) ? null : target;
    if (!method.canAccess(receiver) && !method.trySetAccessible()) {
      throw new IllegalArgumentException(
          "cannot call tool method "
              + where
              + ": make it public in a public class, or open package "
              + method.getDeclaringClass().getPackageName()
              + " to dev.genaiprocessors.tools");
    }
    List<Schemas.Property> properties = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<JavaType> types = new ArrayList<>();
    Parameter[] parameters = method.getParameters();
    for (int i = 0; i < parameters.length; i++) {
      Parameter parameter = parameters[i];
      ToolParam param = parameter.getAnnotation(ToolParam.class);
      String argument = param != null && !param.name().isEmpty() ? param.name() : null;
      if (argument == null) {
        if (!parameter.isNamePresent()) {
          throw new IllegalArgumentException(
              "parameter "
                  + i
                  + " of tool method "
                  + where
                  + " has no name: compile with"
                  + " -parameters or name it with @ToolParam(name = ...)");
        }
        argument = parameter.getName();
      }
      if (names.contains(argument)) {
        throw new IllegalArgumentException(
            "two parameters of tool method " + where + " are named '" + argument + "'");
      }
      boolean required =
          !Schemas.isOptional(parameter.getType())
              && !Schemas.hasNullable(parameter)
              && !Schemas.hasNullable(parameter.getAnnotatedType());
      String description = param == null ? "" : param.description();
      properties.add(
          new Schemas.Property(argument, parameter.getParameterizedType(), description, required));
      names.add(argument);
      types.add(Schemas.MAPPER.constructType(parameter.getParameterizedType()));
    }
    FunctionDeclaration declaration =
        new FunctionDeclaration(name, annotation.description(), Schemas.objectSchema(properties));
    return new MethodTool(declaration, target, method, List.copyOf(names), List.copyOf(types));
  }

  @Override
  public FunctionDeclaration declaration() {
    return declaration;
  }

  @Override
  public @Nullable Object invoke(Map<String, @Nullable Object> arguments) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> normalised =
        (Map<String, @Nullable Object>) Objects.requireNonNull(Arguments.normalise(arguments));
    for (String key : normalised.keySet()) {
      if (!names.contains(key)) {
        throw new IllegalArgumentException(
            "unknown argument '"
                + key
                + "'"
                + names.stream()
                    .sorted()
                    .collect(Collectors.joining(", ", " (expected one of: ", ")")));
      }
    }
    Arguments.checkRequired(declaration.parameters(), normalised);
    @Nullable Object[] values = new Object[names.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Arguments.read(normalised.get(names.get(i)), types.get(i), names.get(i));
    }
    try {
      return method.invoke(Modifier.isStatic(method.getModifiers()) ? null : target, values);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return "Tool["
        + declaration.name()
        + " = "
        + method.getDeclaringClass().getSimpleName()
        + "."
        + method.getName()
        + "]";
  }
}
