package dev.genaiprocessors.tools;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.FunctionResponse.Scheduling;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.RunConfig;
import dev.genaiprocessors.Streams;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The function-calling loop: wraps a model processor, runs the functions it calls and calls it
 * again with their responses, until it answers without calling anything (the Python library's
 * {@code FunctionCalling}; unary by default, live with {@link #withLiveModel}).
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
 *   <li>If the model made calls, go to 2. Otherwise, if background calls still run, wait for the
 *       next background result and go to 2; otherwise the output ends.
 * </ol>
 *
 * <p><b>Streaming tools.</b> A tool whose result is a {@code java.util.stream.Stream} or an {@code
 * Iterator}, or one made with {@link Tool#streaming}, sends one response per element, each sent to
 * the caller and added to the conversation as soon as it is produced (once every earlier call of
 * the turn is done, to keep call order), marked {@link FunctionResponse#willContinue()
 * willContinue} {@code true}. When the stream ends, a closing response {@code {"result": ""}} with
 * {@code willContinue} {@code false} ends the call; a failure mid-stream ends it with the error
 * response instead, after the results already sent.
 *
 * <p><b>Background tools</b> ({@link Tool#inBackground()}). A call to one is answered at once with
 * an acknowledgement, {@code {"result": "Running in background.", "function_call_id": id}} ({@code
 * willContinue} {@code true}, scheduling {@link Scheduling#SILENT SILENT}), and the tool runs on
 * while the loop goes on: the next model turn sees the acknowledgement and may answer (say, that
 * the result will follow). A call without an id gets one, {@code <name>_<k>} counting from 0 per
 * function within a run, so that it can be listed and cancelled. The tool's result (or each result
 * of a streaming one, the last marked {@code willContinue} {@code false}) is sent when it is ready:
 * results that arrive while the model answers or the tools of a turn run wait for the turn's end;
 * when the model has answered without calls, the loop waits for the next result, and each result
 * (or all those ready together) starts a new model turn. Several background calls may run at once.
 * The output ends once the model has answered and no background call is running.
 *
 * <p><b>Managing calls.</b> When a tool runs in the background (or {@link #withCallManagement} says
 * so), the model is also offered {@value #LIST_CALLS_TOOL}, which answers with the background calls
 * still running ({@code id}, {@code name}, {@code args}, {@code running_for_ms}), and {@value
 * #CANCEL_CALLS_TOOL} ({@code {"function_ids": ["search_0"]}}), which interrupts each of those
 * calls, waits for its thread to stop, and answers {@code "OK, cancelled."}, followed by a response
 * ending each cancelled call: {@code {"error": "Function call search_0 (search) was cancelled."}}.
 * An id that runs no call gives an error response naming it and the calls running. A {@link
 * ProcessorPart#toolCancellation tool-cancellation} part from the model (as live APIs send) cancels
 * its call the same way. With {@link #withBackgroundTimeout}, a call still running after that long
 * is cancelled and the model told so.
 *
 * <p><b>Live models</b> ({@link #withLiveModel withLiveModel(true)}): for a model processor that
 * keeps one session open, reading an endless input and answering as it goes (as live and realtime
 * APIs do). The model is applied once, to the declaration parts followed by the caller's input,
 * merged with the responses the loop writes back; the session ends when the caller's input ends (or
 * the model's output does). Every call runs in the background: the acknowledgement and, as they
 * come, the tool's results (and the call-management tools' answers) go to the caller and into the
 * open session, with no new model call; only responses are written back, since the live model keeps
 * its own history. The model's end-of-turn parts reach the caller. A call beyond the limit ends the
 * session. The background timeout applies to unary models only, and an {@link Error} thrown by a
 * tool fails the run when the session ends.
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
 * <p><b>Limit.</b> Every call to run counts, background calls and calls of the call-management
 * tools too; a call beyond {@link #withMaxFunctionCalls maxFunctionCalls} (default {@value
 * #DEFAULT_MAX_FUNCTION_CALLS}) is dropped: neither run nor emitted. After a turn in which a call
 * was dropped, the responses of the calls that ran are emitted, the background calls still running
 * are cancelled (each with an error response saying the limit was reached), and the output ends,
 * without calling the model again.
 *
 * <p><b>Threading and cancellation.</b> The loop runs on its processor thread; the model runs in a
 * run of its own for every turn, the calls of a turn in another, and each background call in one of
 * its own, all started and closed by the loop, so every thread belongs to the runtime. Closing the
 * caller's stream (or a failure) cancels the loop: the model's run and the running tools,
 * background ones included, are interrupted, and the close returns only once they have all stopped.
 * A tool that ignores interruption delays that (and a cancellation) until it returns.
 *
 * <p><b>Differences from the Python library.</b>
 *
 * <ul>
 *   <li>Python runs the synchronous tools of a turn one after another, each as soon as its call
 *       arrives, interleaving calls and responses ({@code fc1, fr1, fc2, fr2}); here they run
 *       concurrently once the model's answer is complete, and the output is {@code fc1, fc2, fr1,
 *       fr2}: the shape OpenAI, Anthropic and Gemini expect for parallel calls.
 *   <li>With a live model, the model's end-of-turn parts always reach the caller (Python holds them
 *       back while a tool runs), and a call beyond the limit ends the session at once.
 *   <li>Background tools are marked ({@link Tool#inBackground()}) rather than being the {@code
 *       async} ones, and their acknowledgement carries the call id. After it, the model is called
 *       again at once, as after any turn with calls (Python's silent acknowledgement starts no
 *       turn, so its model says nothing until a result arrives).
 *   <li>A streaming tool's closing response has {@code willContinue} {@code false}, not unset; a
 *       background tool's last response too.
 *   <li>{@value #LIST_CALLS_TOOL} and {@value #CANCEL_CALLS_TOOL} run at once, not as background
 *       calls with their own acknowledgement; {@value #LIST_CALLS_TOOL} answers with JSON records
 *       rather than sentences; a cancelled call gets a last (error) response instead of none, and
 *       the ids in messages are written as JSON lists. Python offers them in bidi mode only; here
 *       whenever a tool runs in the background.
 *   <li>A timeout for background calls ({@link #withBackgroundTimeout}), which Python lacks.
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

  /**
   * The name of the built-in tool that lists the background calls still running (the Python
   * library's {@code list_fc}); see {@link #withCallManagement(boolean)}.
   */
  public static final String LIST_CALLS_TOOL = "list_fc";

  /**
   * The name of the built-in tool that cancels running background calls by id (the Python library's
   * {@code cancel_fc}); see {@link #withCallManagement(boolean)}.
   */
  public static final String CANCEL_CALLS_TOOL = "cancel_fc";

  private static final String FUNCTION_IDS = "function_ids";

  /** How many background results may wait for the loop before their tools wait in turn. */
  private static final int EVENT_CAPACITY = 64;

  /** What a background call's own run emits once its thread runs. */
  private static final ProcessorPart STARTED = ProcessorPart.text("started");

  private static final FunctionDeclaration LIST_CALLS =
      new FunctionDeclaration(
          LIST_CALLS_TOOL,
          "Lists the background function calls still running: for each its id, name, arguments"
              + " and how long it has run (running_for_ms).",
          Map.of("type", "object", "properties", Map.of()));

  private static final FunctionDeclaration CANCEL_CALLS =
      new FunctionDeclaration(
          CANCEL_CALLS_TOOL,
          "Cancels running background function calls, given their ids.",
          Map.of(
              "type",
              "object",
              "properties",
              Map.of(
                  FUNCTION_IDS,
                  Map.of(
                      "type",
                      "array",
                      "items",
                      Map.of("type", "string"),
                      "description",
                      "The ids of the function calls to cancel.")),
              "required",
              List.of(FUNCTION_IDS)));

  private final Processor model;
  private final Map<String, Tool> tools;
  private final Settings settings;
  // The tools and declarations of every turn, when there is no toolset to read anew.
  private final @Nullable Catalogue fixedCatalogue;

  /**
   * Every setting of the loop but the model and its fixed tools. Never changed once a {@code
   * FunctionCalling} holds it: a wither changes a copy ({@link #with}), in one line.
   */
  private static final class Settings {
    int maxFunctionCalls = DEFAULT_MAX_FUNCTION_CALLS;
    String substreamName = FUNCTION_CALL_SUBSTREAM;
    boolean declareTools = true;
    boolean manageCalls;
    @Nullable Duration backgroundTimeout;
    boolean live;
    List<Toolset> toolsets = List.of();

    Settings() {}

    private Settings(Settings other) {
      this.maxFunctionCalls = other.maxFunctionCalls;
      this.substreamName = other.substreamName;
      this.declareTools = other.declareTools;
      this.manageCalls = other.manageCalls;
      this.backgroundTimeout = other.backgroundTimeout;
      this.live = other.live;
      this.toolsets = other.toolsets;
    }

    /** A copy of these settings with {@code change} applied. */
    Settings with(Consumer<Settings> change) {
      Settings copy = new Settings(this);
      change.accept(copy);
      return copy;
    }
  }

  private FunctionCalling(Processor model, Map<String, Tool> tools, Settings settings) {
    if (settings.manageCalls) {
      for (String reserved : List.of(LIST_CALLS_TOOL, CANCEL_CALLS_TOOL)) {
        if (tools.containsKey(reserved)) {
          throw new IllegalArgumentException(
              "a tool is named '"
                  + reserved
                  + "', the name of a built-in call-management tool; rename it, or turn call"
                  + " management off with withCallManagement(false)");
        }
      }
    }
    this.model = model;
    this.tools = tools;
    this.settings = settings;
    this.fixedCatalogue = settings.toolsets.isEmpty() ? buildCatalogue() : null;
  }

  /** The loop around {@code model} with these tools; see {@link #of(Processor, List)}. */
  public static FunctionCalling of(Processor model, Tool... tools) {
    return of(model, List.of(Objects.requireNonNull(tools, "tools")));
  }

  /**
   * The loop around {@code model}, running {@code tools}, with at most {@value
   * #DEFAULT_MAX_FUNCTION_CALLS} function calls per run. When a tool {@link Tool#runsInBackground()
   * runs in the background}, the call-management tools are added (see {@link
   * #withCallManagement(boolean)}).
   *
   * @throws IllegalArgumentException when two tools have the same name, naming it, or when a tool
   *     has the name of a call-management tool that is added
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
    boolean background = byName.values().stream().anyMatch(Tool::runsInBackground);
    return new FunctionCalling(
        model,
        Collections.unmodifiableMap(byName),
        new Settings().with(s -> s.manageCalls = background));
  }

  /**
   * A copy that runs at most {@code maxFunctionCalls} function calls per run ({@link
   * Integer#MAX_VALUE} for no limit). Every call counts: background calls and calls of the
   * call-management tools too.
   *
   * @throws IllegalArgumentException when {@code maxFunctionCalls} is below 1
   */
  public FunctionCalling withMaxFunctionCalls(int maxFunctionCalls) {
    if (maxFunctionCalls < 1) {
      throw new IllegalArgumentException(
          "maxFunctionCalls must be at least 1 but was " + maxFunctionCalls);
    }
    return new FunctionCalling(
        model, tools, settings.with(s -> s.maxFunctionCalls = maxFunctionCalls));
  }

  /** A copy that puts the function responses it creates on {@code substreamName}. */
  public FunctionCalling withSubstreamName(String substreamName) {
    Objects.requireNonNull(substreamName, "substreamName");
    return new FunctionCalling(model, tools, settings.with(s -> s.substreamName = substreamName));
  }

  /**
   * A copy that does (the default) or does not start every prompt with the tools' declaration
   * parts; turn it off for a model processor configured with the tools by other means.
   */
  public FunctionCalling withToolDeclarations(boolean declareTools) {
    return new FunctionCalling(model, tools, settings.with(s -> s.declareTools = declareTools));
  }

  /**
   * A copy that does or does not offer the model the two call-management tools: {@value
   * #LIST_CALLS_TOOL} (no arguments; answers with the background calls still running, each with its
   * {@code id}, {@code name}, {@code args} and {@code running_for_ms}) and {@value
   * #CANCEL_CALLS_TOOL} ({@code {"function_ids": [...]}}; interrupts each of those calls and sends
   * the model a cancellation response for it). By default they are offered when a tool runs in the
   * background.
   *
   * @throws IllegalArgumentException when turning them on and a tool has one of their names
   */
  public FunctionCalling withCallManagement(boolean manageCalls) {
    return new FunctionCalling(model, tools, settings.with(s -> s.manageCalls = manageCalls));
  }

  /**
   * A copy that cancels a background call still running {@code timeout} after it started, sending
   * the model an error response that says so (by default background calls run until they end). The
   * timeout is checked whenever the loop waits for background results or starts a model turn, so a
   * call may run a little longer while the model or the other tools of a turn are busy.
   *
   * @throws IllegalArgumentException when {@code timeout} is not positive
   */
  public FunctionCalling withBackgroundTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive but was " + timeout);
    }
    return new FunctionCalling(model, tools, settings.with(s -> s.backgroundTimeout = timeout));
  }

  /**
   * A copy for a model that keeps a session open ({@code true}), as live and realtime APIs do: see
   * "Live models" in the class comment. By default ({@code false}) the model is called once per
   * turn on the whole conversation.
   */
  public FunctionCalling withLiveModel(boolean live) {
    return new FunctionCalling(model, tools, settings.with(s -> s.live = live));
  }

  /**
   * A copy that also offers the tools of {@code toolset}, a set that may change while the loop runs
   * (an MCP server's tools, say). The loop reads {@link Toolset#tools()} before every model turn,
   * for the declarations it sends, and again when it runs the turn's calls, so a tool the set
   * gained meanwhile can be called and one it lost is answered as not found. The fixed tools come
   * first, then each toolset's in the order added; a live session is sent the declarations once,
   * when it starts. Toolsets' tools run in the foreground unless they {@link
   * Tool#runsInBackground() say otherwise}; add call management with {@link #withCallManagement} if
   * they do.
   *
   * <pre>{@code
   * try (McpToolset files = McpToolset.stdio("mcp-files", "/srv/docs")) {
   *   Processor agent = FunctionCalling.of(model).withToolset(files);
   *   ...
   * }
   * }</pre>
   *
   * <p>A turn whose tools include two with the same name, or one named like a call-management tool
   * that is offered, fails the run with an {@link IllegalStateException} naming it.
   */
  public FunctionCalling withToolset(Toolset toolset) {
    Objects.requireNonNull(toolset, "toolset");
    return new FunctionCalling(
        model, tools, settings.with(s -> s.toolsets = append(s.toolsets, toolset)));
  }

  /** Whether the model keeps a session open; see {@link #withLiveModel(boolean)}. */
  public boolean liveModel() {
    return settings.live;
  }

  /** Whether the model is offered the call-management tools; see {@link #withCallManagement}. */
  public boolean callManagement() {
    return settings.manageCalls;
  }

  /**
   * How long a background call may run, or empty for no limit; see {@link #withBackgroundTimeout}.
   */
  public Optional<Duration> backgroundTimeout() {
    return Optional.ofNullable(settings.backgroundTimeout);
  }

  /** The model processor the loop calls. */
  public Processor model() {
    return model;
  }

  /** The tools, in the order given (without those of {@link #withToolset toolsets}). */
  public List<Tool> tools() {
    return List.copyOf(tools.values());
  }

  /** The most function calls one run executes. */
  public int maxFunctionCalls() {
    return settings.maxFunctionCalls;
  }

  /** The substream of the function responses the loop creates. */
  public String substreamName() {
    return settings.substreamName;
  }

  /**
   * The tools a turn sees, by name, and their declaration parts (the call-management tools' too
   * when they are offered).
   */
  private record Catalogue(Map<String, Tool> tools, List<ProcessorPart> declarations) {}

  /** The tools a turn sees: the fixed ones, and those the toolsets offer now. */
  private Catalogue currentCatalogue() {
    Catalogue fixed = fixedCatalogue;
    return fixed != null ? fixed : buildCatalogue();
  }

  private Catalogue buildCatalogue() {
    Map<String, Tool> all = tools;
    if (!settings.toolsets.isEmpty()) {
      all = new LinkedHashMap<>(tools);
      for (Toolset toolset : settings.toolsets) {
        for (Tool tool : toolset.tools()) {
          String name = tool.name();
          if (all.putIfAbsent(name, tool) != null) {
            throw new IllegalStateException(
                "two tools are named '" + name + "' (one of them from " + toolset + ")");
          }
          if (settings.manageCalls
              && (LIST_CALLS_TOOL.equals(name) || CANCEL_CALLS_TOOL.equals(name))) {
            throw new IllegalStateException(
                "a tool of "
                    + toolset
                    + " is named '"
                    + name
                    + "', the name of a built-in call-management tool");
          }
        }
      }
    }
    List<ProcessorPart> parts = new ArrayList<>();
    all.values().forEach(t -> parts.add(t.declaration().toPart()));
    if (settings.manageCalls) {
      parts.add(LIST_CALLS.toPart());
      parts.add(CANCEL_CALLS.toPart());
    }
    return new Catalogue(Collections.unmodifiableMap(all), List.copyOf(parts));
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    List<ProcessorPart> conversation = new ArrayList<>();
    if (!settings.live) {
      for (ProcessorPart part : input) {
        if (!part.isEndOfTurn()) {
          conversation.add(part);
        }
      }
    }
    Run run = new Run(output, conversation, settings.live ? new FeedbackStream() : null);
    try {
      if (settings.live) {
        run.session(input);
      } else {
        run.loop();
      }
    } finally {
      run.stopAll();
    }
  }

  /** Where a call's responses go: the caller's output (foreground) or the run's events. */
  @FunctionalInterface
  private interface ResponseSink {
    void send(ProcessorPart response) throws InterruptedException;
  }

  /** A background call and the run that executes it. */
  private static final class BackgroundCall {
    final FunctionCall call;
    final long startNanos = System.nanoTime();

    /** Set once, by whoever ends the call: its last response, or a cancellation. */
    final AtomicBoolean settled = new AtomicBoolean();

    /** Counted down once the acknowledgement was sent: no result may overtake it. */
    final CountDownLatch acknowledged = new CountDownLatch(1);

    volatile @Nullable ProcessorStream stream;

    BackgroundCall(FunctionCall call) {
      this.call = call;
    }

    String id() {
      return Objects.requireNonNull(call.id(), "id");
    }
  }

  /** A response of a background call, or the {@link Error} that ended it. */
  private record Event(
      BackgroundCall call, @Nullable ProcessorPart response, boolean last, @Nullable Error error) {}

  /** The state of one run of the loop. */
  private final class Run {
    private final PartSink output;
    private final List<ProcessorPart> conversation;
    // Added to and removed from by the loop's thread and the tool threads (list_fc, cancel_fc).
    private final List<BackgroundCall> running = new CopyOnWriteArrayList<>();
    // Bounded: a background tool that streams faster than the loop takes its results waits.
    private final BlockingQueue<Event> events = new ArrayBlockingQueue<>(EVENT_CAPACITY);
    private final Map<String, Integer> idCounts = new HashMap<>();
    // Live sessions only: what is written back into the model's open input, and the calls that
    // ended on their own (their runs are closed when the session ends, not from their own thread).
    private final @Nullable FeedbackStream feedback;
    private final List<BackgroundCall> ended = new CopyOnWriteArrayList<>();
    private volatile @Nullable Error toolError;
    private int callCount;
    // Read anew before each turn; read by the tool threads, which start after it was set.
    private volatile Catalogue catalogue = currentCatalogue();

    Run(PartSink output, List<ProcessorPart> conversation, @Nullable FeedbackStream feedback) {
      this.output = output;
      this.conversation = conversation;
      this.feedback = feedback;
    }

    /**
     * The loop over a live model: one run of the model, reading the caller's input merged with the
     * responses written back; every call runs in the background.
     */
    void session(PartStream input) throws InterruptedException {
      FeedbackStream back = Objects.requireNonNull(feedback, "feedback");
      List<PartStream> sources = new ArrayList<>();
      if (settings.declareTools) {
        sources.add(PartStream.of(catalogue.declarations()));
      }
      sources.add(input);
      PartStream callerInput =
          sources.size() == 1 ? input : Streams.concat(sources.toArray(new PartStream[0]));
      try (ProcessorStream modelInput = Streams.merge(List.of(callerInput, back), true);
          ProcessorStream answer = model.apply(modelInput)) {
        for (ProcessorPart part : answer) {
          if (RunConfig.defaults().isReserved(part.substreamName())) {
            output.emit(part);
            continue;
          }
          if (part.role().isEmpty()) {
            part = part.withRole("model");
          }
          if (part.isFunctionCall() && part.substreamName().isEmpty()) {
            if (++callCount > settings.maxFunctionCalls) {
              return;
            }
            part = withBackgroundId(part).withSubstreamName(FUNCTION_CALL_SUBSTREAM);
            output.emit(part);
            sessionCall(part.functionCall());
            continue;
          }
          output.emit(part);
          String cancelled =
              part.isFunctionResponse() ? part.functionResponse().cancelledCallId() : null;
          if (cancelled != null) {
            BackgroundCall call = find(cancelled);
            if (call != null) {
              writeBack(cancel(call, "was cancelled at the model's request"));
            }
          }
        }
      }
      Error error = toolError;
      if (error != null) {
        throw error;
      }
    }

    private void sessionCall(FunctionCall call) throws InterruptedException {
      List<ProcessorPart> responses = new ArrayList<>();
      PartSink collect = responses::add;
      if (settings.manageCalls && LIST_CALLS_TOOL.equals(call.name())) {
        collect.emit(listCalls(call));
      } else if (settings.manageCalls && CANCEL_CALLS_TOOL.equals(call.name())) {
        cancelCalls(call, collect);
      } else {
        BackgroundCall background = start(call, collect);
        try {
          writeBack(responses);
        } finally {
          background.acknowledged.countDown();
        }
        return;
      }
      writeBack(responses);
    }

    /** Sends responses to the caller and into the live model's input. */
    private void writeBack(List<ProcessorPart> responses) throws InterruptedException {
      FeedbackStream back = Objects.requireNonNull(feedback, "feedback");
      for (ProcessorPart response : responses) {
        output.emit(response);
        back.put(response);
      }
    }

    /** Where a background call's response goes: the run's events, or a live model's input. */
    private void publish(BackgroundCall background, ProcessorPart response, boolean last)
        throws InterruptedException {
      background.acknowledged.await();
      if (feedback == null) {
        events.put(new Event(background, response, last, null));
        return;
      }
      writeBack(List.of(response));
      if (last) {
        running.remove(background);
        ended.add(background);
      }
    }

    void loop() throws Exception {
      while (true) {
        List<ProcessorPart> calls = new ArrayList<>();
        List<String> cancellations = new ArrayList<>();
        boolean dropped = false;
        catalogue = currentCatalogue();
        try (ProcessorStream answer = model.apply(prompt(catalogue, conversation))) {
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
              if (++callCount > settings.maxFunctionCalls) {
                dropped = true;
                continue;
              }
              part = withBackgroundId(part).withSubstreamName(FUNCTION_CALL_SUBSTREAM);
              calls.add(part);
            } else if (part.isFunctionResponse()
                && part.functionResponse().cancelledCallId() != null) {
              cancellations.add(Objects.requireNonNull(part.functionResponse().cancelledCallId()));
            }
            record(part);
          }
        }
        for (String id : cancellations) {
          BackgroundCall running = find(id);
          if (running != null) {
            recordAll(cancel(running, "was cancelled at the model's request"));
          }
        }
        if (!calls.isEmpty()) {
          catalogue = currentCatalogue();
          runCalls(calls);
        }
        if (dropped) {
          for (BackgroundCall call : running) {
            recordAll(
                cancel(
                    call,
                    "was cancelled: the limit of "
                        + settings.maxFunctionCalls
                        + " function calls was reached"));
          }
          return;
        }
        if (!calls.isEmpty()) {
          deliverReady();
          continue;
        }
        // The model answered without calling anything: go on only for background results.
        if (!deliverReady() && !awaitBackground()) {
          return;
        }
      }
    }

    private void record(ProcessorPart part) {
      output.emit(part);
      conversation.add(part);
    }

    private void recordAll(List<ProcessorPart> parts) {
      for (ProcessorPart part : parts) {
        record(part);
      }
    }

    /**
     * A call to a background tool without an id gets one, so that it can be listed and cancelled.
     */
    private ProcessorPart withBackgroundId(ProcessorPart part) {
      FunctionCall call = part.functionCall();
      Tool tool = catalogue.tools().get(call.name());
      if (call.id() != null || tool == null || !tool.runsInBackground()) {
        return part;
      }
      int k = idCounts.merge(call.name(), 1, Integer::sum) - 1;
      return ProcessorPart.functionCall(
              new FunctionCall(call.name() + "_" + k, call.name(), call.args()))
          .withRole(part.role())
          .withMetadata(part.metadata());
    }

    /**
     * Runs the calls of one turn: one thread per call (the stage's window is the number of calls),
     * the responses emitted in call order. A background call's thread starts the call's own run and
     * answers with the acknowledgement.
     */
    private void runCalls(List<ProcessorPart> calls) {
      PartProcessor runner =
          PartProcessor.named(name() + ".tools", (call, out) -> runCall(call.functionCall(), out));
      try (ProcessorStream responses = runner.toProcessor(calls.size()).apply(calls)) {
        for (ProcessorPart response : responses) {
          record(response);
        }
      }
    }

    private void runCall(FunctionCall call, PartSink out) throws Exception {
      if (settings.manageCalls && LIST_CALLS_TOOL.equals(call.name())) {
        out.emit(listCalls(call));
        return;
      }
      if (settings.manageCalls && CANCEL_CALLS_TOOL.equals(call.name())) {
        cancelCalls(call, out);
        return;
      }
      Tool tool = catalogue.tools().get(call.name());
      if (tool != null && tool.runsInBackground()) {
        start(call, out).acknowledged.countDown();
        return;
      }
      respond(catalogue, call, out::emit, false);
    }

    private BackgroundCall start(FunctionCall call, PartSink out) {
      BackgroundCall background = new BackgroundCall(call);
      running.add(background);
      Processor body =
          Processor.named(
              name() + "." + call.name(),
              (in, o) -> {
                o.emit(STARTED);
                runInBackground(background);
              });
      ProcessorStream stream = body.apply(List.of());
      background.stream = stream;
      stream.read(); // starts the call's thread, which emits STARTED first
      out.emit(acknowledgement(call));
      return background;
    }

    /** The body of a background call: its responses go to the run's events. */
    private void runInBackground(BackgroundCall background) throws InterruptedException {
      try {
        respond(
            catalogue,
            background.call,
            response -> {
              boolean last = !Boolean.TRUE.equals(response.functionResponse().willContinue());
              if (last) {
                if (background.settled.compareAndSet(false, true)) {
                  publish(background, response, true);
                }
              } else if (background.settled.get()) {
                throw new CancellationException("the function call was cancelled");
              } else {
                publish(background, response, false);
              }
            },
            true);
      } catch (Error e) {
        if (background.settled.compareAndSet(false, true)) {
          if (feedback == null) {
            events.put(new Event(background, null, true, e));
          } else {
            toolError = e;
            running.remove(background);
            ended.add(background);
          }
        }
      }
    }

    /** Sends the background results that are ready, ending calls past their timeout. */
    private boolean deliverReady() {
      boolean delivered = expire();
      Event event;
      while ((event = events.poll()) != null) {
        deliver(event);
        delivered = true;
      }
      return delivered;
    }

    /** Waits for the next background result while a background call runs; false when none runs. */
    private boolean awaitBackground() throws InterruptedException {
      while (!running.isEmpty()) {
        Event event;
        Duration timeout = settings.backgroundTimeout;
        if (timeout == null) {
          event = events.take();
        } else {
          long wait = Long.MAX_VALUE;
          long now = System.nanoTime();
          for (BackgroundCall call : running) {
            wait = Math.min(wait, call.startNanos + timeout.toNanos() - now);
          }
          event = wait <= 0 ? events.poll() : events.poll(wait, TimeUnit.NANOSECONDS);
        }
        if (event != null) {
          deliver(event);
          deliverReady();
          return true;
        }
        if (expire()) {
          return true;
        }
      }
      return false;
    }

    private void deliver(Event event) {
      Error error = event.error();
      if (error != null) {
        throw error;
      }
      record(Objects.requireNonNull(event.response()));
      if (event.last()) {
        BackgroundCall call = event.call();
        running.remove(call);
        ProcessorStream stream = call.stream;
        if (stream != null) {
          stream.close();
        }
      }
    }

    /** Cancels the background calls that have run longer than the timeout; true if any. */
    private boolean expire() {
      Duration timeout = settings.backgroundTimeout;
      if (timeout == null) {
        return false;
      }
      boolean expired = false;
      long now = System.nanoTime();
      for (BackgroundCall call : running) {
        if (now - call.startNanos >= timeout.toNanos() && !call.settled.get()) {
          List<ProcessorPart> trail =
              cancel(call, "did not finish within " + timeout + " and was cancelled");
          recordAll(trail);
          expired |= !trail.isEmpty();
        }
      }
      return expired;
    }

    private @Nullable BackgroundCall find(String id) {
      for (BackgroundCall call : running) {
        if (call.id().equals(id) && !call.settled.get()) {
          return call;
        }
      }
      return null;
    }

    /**
     * Ends a background call: interrupts its thread and waits for it, then returns the responses it
     * sent that the loop has not taken yet, followed by an error response saying it {@code what}.
     * Empty when the call had already ended.
     */
    private List<ProcessorPart> cancel(BackgroundCall background, String what) {
      if (!background.settled.compareAndSet(false, true)) {
        return List.of();
      }
      ProcessorStream stream = background.stream;
      if (stream != null) {
        stream.close();
      }
      running.remove(background);
      List<Event> pending = new ArrayList<>();
      for (Event event : events) {
        if (event.call() == background) {
          pending.add(event);
        }
      }
      events.removeAll(pending);
      List<ProcessorPart> trail = new ArrayList<>();
      for (Event event : pending) {
        if (event.response() != null) {
          trail.add(event.response());
        }
      }
      FunctionCall call = background.call;
      String message = "Function call " + call.id() + " (" + call.name() + ") " + what + ".";
      trail.add(
          withWillContinue(
              responsePart(FunctionResponse.error(call.name(), message), call), false));
      return trail;
    }

    private ProcessorPart listCalls(FunctionCall call) {
      List<Map<String, @Nullable Object>> calls = new ArrayList<>();
      long now = System.nanoTime();
      for (BackgroundCall background : running) {
        if (background.settled.get()) {
          continue;
        }
        Map<String, @Nullable Object> entry = new LinkedHashMap<>();
        entry.put("id", background.id());
        entry.put("name", background.call.name());
        entry.put("args", background.call.args());
        entry.put("running_for_ms", (now - background.startNanos) / 1_000_000);
        calls.add(entry);
      }
      return responsePart(FunctionResponse.result(call.name(), calls), call);
    }

    private void cancelCalls(FunctionCall call, PartSink out) {
      Object value = call.args().get(FUNCTION_IDS);
      List<String> ids = new ArrayList<>();
      if (value instanceof String id) {
        ids.add(id);
      } else if (value instanceof List<?> list
          && list.stream().allMatch(String.class::isInstance)) {
        list.forEach(id -> ids.add((String) id));
      } else {
        out.emit(
            responsePart(
                FunctionResponse.error(
                    call.name(),
                    "argument '"
                        + FUNCTION_IDS
                        + "' must be a list of function call ids but was "
                        + Arguments.json(value)),
                call));
        return;
      }
      List<String> cancelled = new ArrayList<>();
      List<String> notFound = new ArrayList<>();
      List<ProcessorPart> trails = new ArrayList<>();
      for (String id : ids) {
        BackgroundCall background = find(id);
        List<ProcessorPart> trail =
            background == null ? List.of() : cancel(background, "was cancelled");
        if (trail.isEmpty()) {
          notFound.add(id);
        } else {
          cancelled.add(id);
          trails.addAll(trail);
        }
      }
      FunctionResponse response;
      if (notFound.isEmpty()) {
        response = FunctionResponse.result(call.name(), "OK, cancelled.");
      } else if (cancelled.isEmpty()) {
        List<String> runningIds =
            running.stream().filter(c -> !c.settled.get()).map(BackgroundCall::id).toList();
        response =
            FunctionResponse.error(
                call.name(),
                "Could not find any of the following function calls: "
                    + Arguments.json(notFound)
                    + ". The calls running now are: "
                    + Arguments.json(runningIds)
                    + ".");
      } else {
        response =
            FunctionResponse.error(
                call.name(),
                "Cancelled the following function calls: "
                    + Arguments.json(cancelled)
                    + ". The following function calls were not found: "
                    + Arguments.json(notFound)
                    + ".");
      }
      out.emit(responsePart(response, call));
      out.emitAll(trails);
    }

    /** Stops every background call still running, without a word: the run is ending. */
    void stopAll() {
      for (BackgroundCall background : running) {
        background.settled.set(true);
        ProcessorStream stream = background.stream;
        if (stream != null) {
          stream.close();
        }
      }
      running.clear();
      for (BackgroundCall background : ended) {
        ProcessorStream stream = background.stream;
        if (stream != null) {
          stream.close();
        }
      }
      ended.clear();
    }
  }

  /**
   * The responses written back into a live model's input: a bounded queue read as a stream. It
   * never ends by itself; the session's merge stops reading it when the caller's input ends.
   */
  private static final class FeedbackStream implements PartStream {
    private final BlockingQueue<ProcessorPart> queue = new ArrayBlockingQueue<>(EVENT_CAPACITY);

    void put(ProcessorPart part) throws InterruptedException {
      queue.put(part);
    }

    @Override
    public @Nullable ProcessorPart read() {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        CancellationException cancelled = new CancellationException("the session ended");
        cancelled.initCause(e);
        throw cancelled;
      }
    }
  }

  private ProcessorPart acknowledgement(FunctionCall call) {
    Map<String, @Nullable Object> ack = new LinkedHashMap<>();
    ack.put("result", "Running in background.");
    ack.put("function_call_id", call.id());
    FunctionResponse response =
        new FunctionResponse(call.id(), call.name(), ack, List.of(), true, Scheduling.SILENT);
    return ProcessorPart.functionResponse(response)
        .withRole("user")
        .withSubstreamName(settings.substreamName);
  }

  private List<ProcessorPart> prompt(Catalogue catalogue, List<ProcessorPart> conversation) {
    List<ProcessorPart> declarations = catalogue.declarations();
    if (!settings.declareTools || declarations.isEmpty()) {
      return List.copyOf(conversation);
    }
    List<ProcessorPart> prompt = new ArrayList<>(declarations.size() + conversation.size());
    prompt.addAll(declarations);
    prompt.addAll(conversation);
    return prompt;
  }

  /**
   * Runs one call and sends its responses: one, or for a streaming tool one per result (marked as
   * continuing) and a closing one. In the background, the last response is marked as not
   * continuing. Throws only when the call is being cancelled.
   */
  private void respond(
      Catalogue catalogue, FunctionCall call, ResponseSink sink, boolean background)
      throws InterruptedException {
    Tool tool = catalogue.tools().get(call.name());
    if (tool == null) {
      ProcessorPart error =
          responsePart(FunctionResponse.error(call.name(), notFound(catalogue, call.name())), call);
      sink.send(background ? withWillContinue(error, false) : error);
      return;
    }
    boolean streamed = false;
    try {
      Object result = tool.invoke(call.args());
      if (result != null && isStream(result)) {
        streamed = true;
        forEachResult(
            result,
            value -> {
              try {
                sink.send(withWillContinue(toResponse(value, call), true));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw cancelled(e);
              }
            });
        sink.send(
            withWillContinue(responsePart(FunctionResponse.result(call.name(), ""), call), false));
      } else {
        ProcessorPart response = toResponse(result, call);
        sink.send(background ? withWillContinue(response, false) : response);
      }
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
      ProcessorPart error = responsePart(FunctionResponse.error(call.name(), message), call);
      sink.send(streamed || background ? withWillContinue(error, false) : error);
    }
  }

  private static boolean isStream(@Nullable Object result) {
    return result instanceof StreamedResults
        || result instanceof Stream<?>
        || result instanceof Iterator<?>;
  }

  private static void forEachResult(Object result, Consumer<@Nullable Object> results)
      throws Exception {
    if (result instanceof StreamedResults streamed) {
      streamed.run(results);
    } else if (result instanceof Stream<?> stream) {
      try (stream) {
        Iterator<?> iterator = stream.iterator();
        while (iterator.hasNext()) {
          results.accept(iterator.next());
        }
      }
    } else {
      Iterator<?> iterator = (Iterator<?>) result;
      while (iterator.hasNext()) {
        results.accept(iterator.next());
      }
    }
  }

  private static ProcessorPart withWillContinue(ProcessorPart part, boolean willContinue) {
    return ProcessorPart.functionResponse(part.functionResponse().withWillContinue(willContinue))
        .withMetadata(part.metadata())
        .withRole(part.role())
        .withSubstreamName(part.substreamName());
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

  private String notFound(Catalogue catalogue, String name) {
    TreeSet<String> names = new TreeSet<>(catalogue.tools().keySet());
    if (settings.manageCalls) {
      names.add(LIST_CALLS_TOOL);
      names.add(CANCEL_CALLS_TOOL);
    }
    String available = names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
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
          .withSubstreamName(
              part.substreamName().isEmpty() ? settings.substreamName : part.substreamName());
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
        .withSubstreamName(settings.substreamName);
  }

  private static List<Toolset> append(List<Toolset> toolsets, Toolset toolset) {
    List<Toolset> more = new ArrayList<>(toolsets);
    more.add(toolset);
    return List.copyOf(more);
  }

  @Override
  public String toString() {
    return "FunctionCalling[model="
        + model.name()
        + ", tools="
        + tools.keySet()
        + (settings.toolsets.isEmpty() ? "" : ", toolsets=" + settings.toolsets)
        + "]";
  }
}
