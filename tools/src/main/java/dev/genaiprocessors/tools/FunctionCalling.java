package dev.genaiprocessors.tools;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.RunConfig;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The function-calling loop: wraps a model processor, runs the functions it calls and calls it
 * again with their responses, until it answers without calling anything (the Python library's
 * {@code FunctionCalling} in unary mode).
 *
 * <pre>{@code
 * Processor agent = FunctionCalling.of(model, Tool.fromMethods(new WeatherTools()))
 *     .withMaxFunctionCalls(10);
 * try (ProcessorStream out = agent.apply("Do I need an umbrella in Paris today?")) {
 *   for (ProcessorPart part : out) { ... }   // model text, function calls and responses, as they happen
 * }
 * }</pre>
 *
 * <p><b>The model</b> is any {@link Processor} that reads a whole conversation and answers it,
 * emitting {@link ProcessorPart#functionCall function-call parts} (on the default substream) for
 * the functions it wants called: the OpenAI, Anthropic and Gemini processors, or one written in a
 * test. Every prompt it is sent starts with one {@link FunctionDeclaration#toPart() declaration
 * part} per tool (unless {@link #withToolDeclarations(boolean) turned off}), followed by the
 * conversation.
 *
 * <p><b>The loop.</b>
 *
 * <ol>
 *   <li>The conversation starts as the caller's input (end-of-turn parts removed).
 *   <li>The model is called on it. Each part it emits is sent to the caller at once and added to
 *       the conversation; a part without a role gets the role {@code model}. A function call on the
 *       default substream is to be run: it is moved to the substream {@value
 *       #FUNCTION_CALL_SUBSTREAM}. Function calls already on a substream (notifications from a
 *       nested loop) and function responses pass through like text. Parts on a reserved substream
 *       ({@code status}, {@code debug}, {@code ui}) go to the caller only; the model's end-of-turn
 *       parts are dropped.
 *   <li>When the model's answer has ended, the calls it made are run <em>concurrently</em>, each on
 *       a virtual thread of the runtime. Their responses are sent to the caller and added to the
 *       conversation <em>in call order</em>, each as soon as it and every earlier one are done. So
 *       the next prompt is: input, the model's answer (function calls included), the responses.
 *   <li>If the model made calls, go to 2; otherwise the output ends.
 * </ol>
 *
 * <p><b>Responses</b> are function-response parts with role {@code user}, on the substream set by
 * {@link #withSubstreamName} ({@value #FUNCTION_CALL_SUBSTREAM} by default), carrying the call's id
 * and name. A tool's result becomes {@code {"result": value}} (a record or other object as its JSON
 * form; a content of text parts as its text; other content as byte parts; see {@link
 * FunctionResponse#result}). A tool may return a function-response part of its own: it is used as
 * it is, given the call's id, the call's name when it has none, and the default role and substream
 * when it has none.
 *
 * <p><b>Errors</b> go to the model, and the loop goes on, as in the Python library:
 *
 * <ul>
 *   <li>a tool that throws, or whose arguments do not fit its schema, gives an error response
 *       {@code {"error": "Failed to invoke function get_weather({\"days\":\"three\"}): argument
 *       'days' must be an integer but was \"three\""}};
 *   <li>a call to an unknown function gives {@code {"error": "Function get_time not found.
 *       Available functions: 'get_weather', 'search'."}}.
 * </ul>
 *
 * <p>Errors ({@link Error}) thrown by a tool and failures of the model fail the run.
 *
 * <p><b>Limit.</b> Every call to run counts; a call beyond {@link #withMaxFunctionCalls
 * maxFunctionCalls} (default {@value #DEFAULT_MAX_FUNCTION_CALLS}) is dropped: neither run nor
 * emitted. After a turn in which a call was dropped, the responses of the calls that ran are
 * emitted and the output ends, without calling the model again.
 *
 * <p><b>Threading and cancellation.</b> The loop runs on its processor thread; the model runs in a
 * run of its own for every turn, and the calls of a turn in another, so every thread belongs to the
 * runtime. Closing the caller's stream (or a failure) cancels the loop: the model's run or the
 * running tools are interrupted, and the close returns only once they have all stopped.
 *
 * <p><b>Differences from the Python library.</b>
 *
 * <ul>
 *   <li>Python runs the synchronous tools of a turn one after another, each as soon as its call
 *       arrives, interleaving calls and responses ({@code fc1, fr1, fc2, fr2}); here they run
 *       concurrently once the model's answer is complete, and the output is {@code fc1, fc2, fr1,
 *       fr2}: the shape OpenAI, Anthropic and Gemini expect for parallel calls.
 *   <li>Only the unary mode: no bidi (live) models, no background tools ({@code Running in
 *       background.}, {@code will_continue}, scheduling), no {@code cancel_fc}/{@code list_fc}.
 *   <li>No {@code pre_processor}: chain one before the model ({@code pre.then(model)}); it then
 *       sees the whole conversation at every turn.
 *   <li>Arguments in error messages are written as JSON ({@code {"city":"Paris"}}), not as a Python
 *       dict ({@code {'city': 'Paris'}}).
 *   <li>Arguments are checked against the schema before the tool runs (Python lets the call fail).
 *   <li>The tools are declared to the model as parts at the start of every prompt, not through the
 *       model's configuration.
 *   <li>The model's turns and the tool calls run with the default {@link RunConfig}, not the
 *       caller's.
 * </ul>
 */
public final class FunctionCalling implements Processor {
  /**
   * The substream of the function calls the loop runs (always), and by default of the responses it
   * creates: the Python library's {@code FUNCTION_CALL_SUBSTREAM_NAME}.
   */
  public static final String FUNCTION_CALL_SUBSTREAM = "function_call";

  /** The default of {@link #maxFunctionCalls()}: the Python library's default in unary mode. */
  public static final int DEFAULT_MAX_FUNCTION_CALLS = 5;

  private final Processor model;
  private final Map<String, Tool> tools;
  private final List<ProcessorPart> declarations;
  private final int maxFunctionCalls;
  private final String substreamName;
  private final boolean declareTools;

  private FunctionCalling(
      Processor model,
      Map<String, Tool> tools,
      int maxFunctionCalls,
      String substreamName,
      boolean declareTools) {
    this.model = model;
    this.tools = tools;
    this.declarations = tools.values().stream().map(t -> t.declaration().toPart()).toList();
    this.maxFunctionCalls = maxFunctionCalls;
    this.substreamName = substreamName;
    this.declareTools = declareTools;
  }

  /** The loop around {@code model} with these tools; see {@link #of(Processor, List)}. */
  public static FunctionCalling of(Processor model, Tool... tools) {
    return of(model, List.of(Objects.requireNonNull(tools, "tools")));
  }

  /**
   * The loop around {@code model}, running {@code tools}, with at most {@value
   * #DEFAULT_MAX_FUNCTION_CALLS} function calls per run.
   *
   * @throws IllegalArgumentException when two tools have the same name, naming it
   */
  public static FunctionCalling of(Processor model, List<? extends Tool> tools) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(tools, "tools");
    Map<String, Tool> byName = new LinkedHashMap<>();
    for (Tool tool : tools) {
      Objects.requireNonNull(tool, "tool");
      if (byName.putIfAbsent(tool.name(), tool) != null) {
        throw new IllegalArgumentException("two tools are named '" + tool.name() + "'");
      }
    }
    return new FunctionCalling(
        model,
        Collections.unmodifiableMap(byName),
        DEFAULT_MAX_FUNCTION_CALLS,
        FUNCTION_CALL_SUBSTREAM,
        true);
  }

  /**
   * A copy that runs at most {@code maxFunctionCalls} function calls per run ({@link
   * Integer#MAX_VALUE} for no limit).
   *
   * @throws IllegalArgumentException when {@code maxFunctionCalls} is below 1
   */
  public FunctionCalling withMaxFunctionCalls(int maxFunctionCalls) {
    if (maxFunctionCalls < 1) {
      throw new IllegalArgumentException(
          "maxFunctionCalls must be at least 1 but was " + maxFunctionCalls);
    }
    return new FunctionCalling(model, tools, maxFunctionCalls, substreamName, declareTools);
  }

  /** A copy that puts the function responses it creates on {@code substreamName}. */
  public FunctionCalling withSubstreamName(String substreamName) {
    Objects.requireNonNull(substreamName, "substreamName");
    return new FunctionCalling(model, tools, maxFunctionCalls, substreamName, declareTools);
  }

  /**
   * A copy that does (the default) or does not start every prompt with the tools' declaration
   * parts; turn it off for a model processor configured with the tools by other means.
   */
  public FunctionCalling withToolDeclarations(boolean declareTools) {
    return new FunctionCalling(model, tools, maxFunctionCalls, substreamName, declareTools);
  }

  /** The model processor the loop calls. */
  public Processor model() {
    return model;
  }

  /** The tools, in the order given. */
  public List<Tool> tools() {
    return List.copyOf(tools.values());
  }

  /** The most function calls one run executes. */
  public int maxFunctionCalls() {
    return maxFunctionCalls;
  }

  /** The substream of the function responses the loop creates. */
  public String substreamName() {
    return substreamName;
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    List<ProcessorPart> conversation = new ArrayList<>();
    for (ProcessorPart part : input) {
      if (!part.isEndOfTurn()) {
        conversation.add(part);
      }
    }
    int callCount = 0;
    while (true) {
      List<ProcessorPart> calls = new ArrayList<>();
      boolean dropped = false;
      try (ProcessorStream answer = model.apply(prompt(conversation))) {
        for (ProcessorPart part : answer) {
          if (RunConfig.defaults().isReserved(part.substreamName())) {
            output.emit(part);
            continue;
          }
          if (part.isEndOfTurn()) {
            continue;
          }
          if (part.role().isEmpty()) {
            part = part.withRole("model");
          }
          if (part.isFunctionCall() && part.substreamName().isEmpty()) {
            if (++callCount > maxFunctionCalls) {
              dropped = true;
              continue;
            }
            part = part.withSubstreamName(FUNCTION_CALL_SUBSTREAM);
            calls.add(part);
          }
          output.emit(part);
          conversation.add(part);
        }
      }
      if (calls.isEmpty()) {
        return;
      }
      // One thread per call: the stage's window is the number of calls, and it emits in call order.
      PartProcessor runner =
          PartProcessor.named(
              name() + ".tools", (call, out) -> out.emit(respond(call.functionCall())));
      try (ProcessorStream responses = runner.toProcessor(calls.size()).apply(calls)) {
        for (ProcessorPart response : responses) {
          output.emit(response);
          conversation.add(response);
        }
      }
      if (dropped) {
        return;
      }
    }
  }

  private List<ProcessorPart> prompt(List<ProcessorPart> conversation) {
    if (!declareTools || declarations.isEmpty()) {
      return List.copyOf(conversation);
    }
    List<ProcessorPart> prompt = new ArrayList<>(declarations.size() + conversation.size());
    prompt.addAll(declarations);
    prompt.addAll(conversation);
    return prompt;
  }

  /** Runs one call and returns its response part; throws only when the run is being cancelled. */
  private ProcessorPart respond(FunctionCall call) throws InterruptedException {
    Tool tool = tools.get(call.name());
    if (tool == null) {
      return responsePart(FunctionResponse.error(call.name(), notFound(call.name())), call);
    }
    try {
      Object result = tool.invoke(call.args());
      return toResponse(result, call);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      if (Thread.currentThread().isInterrupted()) {
        // The run is being cancelled: whatever the tool made of the interrupt, do not answer.
        throw cancelled(e);
      }
      String message =
          "Failed to invoke function "
              + call.name()
              + "("
              + Arguments.json(call.args())
              + "): "
              + describe(e);
      return responsePart(FunctionResponse.error(call.name(), message), call);
    }
  }

  private static CancellationException cancelled(Exception e) {
    if (e instanceof CancellationException c) {
      return c;
    }
    CancellationException cancellation =
        new CancellationException("the function call was cancelled");
    cancellation.initCause(e);
    return cancellation;
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isEmpty() ? e.getClass().getName() : message;
  }

  private String notFound(String name) {
    String available =
        tools.keySet().stream().sorted().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    return "Function " + name + " not found. Available functions: " + available + ".";
  }

  private ProcessorPart toResponse(@Nullable Object result, FunctionCall call) {
    Object value = result;
    if (value instanceof ProcessorContent content && content.size() == 1) {
      value = content.get(0);
    }
    if (value instanceof ProcessorPart part && part.isFunctionResponse()) {
      FunctionResponse own = part.functionResponse();
      FunctionResponse response =
          new FunctionResponse(
              call.id(),
              own.name() == null ? call.name() : own.name(),
              own.response(),
              own.parts(),
              own.willContinue(),
              own.scheduling());
      ProcessorPart answer = ProcessorPart.functionResponse(response).withMetadata(part.metadata());
      return answer
          .withRole(part.role().isEmpty() ? "user" : part.role())
          .withSubstreamName(part.substreamName().isEmpty() ? substreamName : part.substreamName());
    }
    if (value instanceof FunctionResponse own) {
      return toResponse(ProcessorPart.functionResponse(own), call);
    }
    if (!(value == null
        || value instanceof ProcessorContent
        || value instanceof ProcessorPart
        || value instanceof CharSequence
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof Integer
        || value instanceof Double
        || value instanceof BigInteger
        || value instanceof BigDecimal)) {
      // Records, maps, lists, dates: their JSON form, written by this module's mapper (which knows
      // Optional and java.time), so the core gets plain JSON values.
      value = Schemas.MAPPER.convertValue(value, Object.class);
    }
    if (value instanceof CharSequence text) {
      value = text.toString();
    }
    return responsePart(FunctionResponse.result(call.name(), value), call);
  }

  private ProcessorPart responsePart(FunctionResponse response, FunctionCall call) {
    return ProcessorPart.functionResponse(response.withId(call.id()))
        .withRole("user")
        .withSubstreamName(substreamName);
  }

  @Override
  public String toString() {
    return "FunctionCalling[model=" + model.name() + ", tools=" + tools.keySet() + "]";
  }
}
