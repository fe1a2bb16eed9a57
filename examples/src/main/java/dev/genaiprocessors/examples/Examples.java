package dev.genaiprocessors.examples;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * Starts one example by name: what README's run command calls. {@code -Dexample=ChainExample} (the
 * class's simple name) and {@code -Dexample=dev.genaiprocessors.examples.ChainExample} both work;
 * an unknown name stops with the list of examples to choose from.
 */
public final class Examples {
  /** Every runnable example, in the order README lists them. */
  static final List<Class<?>> ALL =
      List.of(
          HelloPipeline.class,
          ChainExample.class,
          ParallelExample.class,
          RoutingExample.class,
          StreamsExample.class,
          CachingAndErrorsExample.class,
          StorageExample.class,
          CancellationExample.class,
          FunctionCallingExample.class,
          BackgroundToolExample.class,
          McpToolsExample.class,
          ResilienceExample.class,
          LoadBalancingExample.class,
          HttpApiExample.class,
          ObservabilityExample.class,
          GoogleCloudExample.class,
          AwsExample.class,
          QueueWorkersExample.class,
          OpenAiStreamingChat.class,
          AnthropicStreamingChat.class,
          GeminiStreamingChat.class,
          ConfigReloadExample.class,
          YamlPipelineExample.class);

  private Examples() {}

  /**
   * Runs the example named by the first argument (its simple or full class name; {@code
   * HelloPipeline} when there is none), passing it the remaining arguments.
   *
   * @throws IllegalArgumentException when no example has that name, listing those that exist
   */
  public static void main(String[] args) throws Throwable {
    String name = args.length == 0 || args[0].isBlank() ? "HelloPipeline" : args[0].strip();
    Method main = find(name).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** The example class called {@code name}, by simple or full name. */
  static Class<?> find(String name) {
    for (Class<?> example : ALL) {
      if (example.getSimpleName().equals(name) || example.getName().equals(name)) {
        return example;
      }
    }
    StringBuilder known = new StringBuilder();
    for (Class<?> example : ALL) {
      known.append(known.isEmpty() ? "" : ", ").append(example.getSimpleName());
    }
    String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
    throw new IllegalArgumentException(
        "no example is called '"
            + shown
            + "'; pick one of "
            + known
            + " (for example -Dexample=ChainExample)");
  }
}
