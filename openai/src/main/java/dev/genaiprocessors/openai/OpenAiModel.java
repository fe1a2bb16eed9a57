package dev.genaiprocessors.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.core.ClientOptions;
import com.openai.core.Timeout;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunConfig;
import dev.genaiprocessors.model.CallDeadline;
import dev.genaiprocessors.model.DeclaredFunction;
import dev.genaiprocessors.model.EventStreams;
import dev.genaiprocessors.model.ModelEndpoint;
import dev.genaiprocessors.model.ModelOutput;
import dev.genaiprocessors.model.SdkRetries;
import dev.genaiprocessors.model.TokenUsage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI chat model as a processor: it reads the whole input as one conversation, sends it to
 * the Chat Completions API (or, with {@link Builder#api}, the Responses API) with streaming on, and
 * emits the answer as it arrives. It runs on OpenAI's official Java SDK and works with every server
 * that speaks the Chat Completions API (Ollama, vLLM, LM Studio, OpenRouter) through {@link
 * Builder#baseUrl}.
 *
 * <pre>{@code
 * try (OpenAiModel model = OpenAiModel.builder()
 *     .model("gpt-4o-mini")
 *     .apiKey(System.getenv("OPENAI_API_KEY"))
 *     .settings(ChatSettings.builder().temperature(0.2).build())
 *     .build();
 *     ProcessorStream answer = model.apply("Tell me a joke")) {  // closing it ends the call
 *   for (ProcessorPart part : answer) {
 *     System.out.print(part.text());   // token deltas, as they arrive
 *   }
 * }
 * }</pre>
 *
 * <p><b>Input.</b> Parts become messages (see the mapping below); consecutive parts of one role
 * form one message and adjacent text parts are joined. Roles: {@code user} (or none), {@code model}
 * or {@code assistant}, {@code system}, {@code developer}. Text and JSON parts are text; images go
 * as bytes (a {@code data:} URL) or as a {@link ProcessorPart#fromUri URI}, with an optional
 * metadata {@code detail}; audio as wav or mp3 bytes; PDFs as bytes or an uploaded file id;
 * function calls join the assistant message; function responses become {@code tool} messages
 * (paired by id, or, without one, with the earlier call of the same name). Model thoughts and empty
 * text parts (end-of-turn markers) are left out; parts on the {@code status}, {@code debug} and
 * {@code ui} substreams pass straight to the output. An empty conversation sends nothing and emits
 * nothing. A part that cannot be sent fails the run with an {@link IllegalArgumentException} naming
 * it. Function-declaration parts ({@link dev.genaiprocessors.MimeTypes#FUNCTION_DECLARATION}, as
 * the tools module's function-calling loop puts at the start of every prompt) are offered to the
 * model as function tools, beside those of {@link Builder#function}; a builder function of the same
 * name wins.
 *
 * <p><b>Output</b>, all with role {@code model}: one text part per content delta, as it arrives;
 * reasoning deltas of compatible servers ({@code reasoning_content}, {@code reasoning}) as thought
 * parts; a refusal as text with metadata {@code refusal=true}; each tool call, its argument
 * fragments joined, as a function-call part ({@link FunctionCall} with the call's id) once the
 * model finishes; and last an empty text part whose metadata holds {@link #FINISH_REASON}, {@link
 * #MODEL}, {@link #RESPONSE_ID}, {@link #SYSTEM_FINGERPRINT}, {@link #USAGE} (read it with {@link
 * TokenUsage#of}; absent when the server sent none, as Ollama does) and {@code turn_complete=true}
 * (as the Python library's OpenAI-compatible model marks its end). {@code
 * model.apply(prompt).text()} gathers the whole answer.
 *
 * <p><b>The Responses API</b> ({@link OpenAiApi#RESPONSES}) takes and gives the same parts. The
 * conversation becomes {@code input} items: messages of role {@code user}, {@code assistant},
 * {@code system} or {@code developer} with {@code input_text}, {@code input_image} (a {@code data:}
 * URL, a URL, or an uploaded file id; {@code detail} from the part's metadata, else {@code auto})
 * and {@code input_file} (PDF bytes, a URL or a file id) content; function calls as {@code
 * function_call} items and function responses as {@code function_call_output} items, paired by
 * {@code call_id}. The system instruction goes to {@code instructions}. Settings map to {@code
 * temperature}, {@code top_p}, {@code max_output_tokens}, {@code parallel_tool_calls}, {@code
 * reasoning.effort}, {@code tool_choice} and {@code text.format}; the API has no {@code stop},
 * {@code seed}, {@code presence_penalty} or {@code frequency_penalty}, so {@link Builder#build()}
 * refuses a model with one of them set ({@link IllegalArgumentException} naming it), and it takes
 * no audio parts. Function tools are sent with {@code strict} false unless declared strict (the
 * Responses API would otherwise make every tool strict, unlike Chat Completions). {@link
 * Builder#includeUsage} does not apply: the usage always comes with {@code response.completed}.
 * Output: text deltas, reasoning-summary deltas as thought parts, refusals, and each function call
 * (its id is the {@code call_id}) as soon as its arguments are done. The final part's {@link
 * #FINISH_REASON} uses the Chat Completions words, so code reading it works on both APIs: {@code
 * stop} or {@code tool_calls} for {@code response.completed}; for {@code response.incomplete},
 * {@code length} ({@code max_output_tokens}) or the server's reason ({@code content_filter}, ...).
 * {@link #RESPONSE_ID} is the {@code resp_...} id and there is no {@link #SYSTEM_FINGERPRINT}. A
 * {@code response.failed} or {@code error} event fails the run as {@link
 * OpenAiException.Kind#STREAM_ERROR} with the vendor's code and message; a stream that ends without
 * {@code response.completed} (or {@code response.incomplete}) as {@link
 * OpenAiException.Kind#STREAM_INTERRUPTED}.
 *
 * <p><b>Errors.</b> Failures of the call arrive as an {@link OpenAiException} (status, error type,
 * request id, retry hint; never the API key), thrown to the caller as itself, the model named in it
 * ({@code ProcessorException.stageOf}). A stream that ends without a finish reason is an error too
 * ({@link OpenAiException.Kind#STREAM_INTERRUPTED}), since the answer is incomplete. A 200 whose
 * {@code Content-Type} is not {@code text/event-stream} (a proxy's or captive portal's page; a
 * missing one is read as a stream), or events that are not the API's, are {@link
 * OpenAiException.Kind#INVALID_RESPONSE}, not retryable, quoting the start of what came. {@link
 * Builder#timeout} bounds the whole call, retries included ({@link OpenAiException.Kind#TIMEOUT}).
 *
 * <p><b>Which layer retries.</b> Alone, the model lets the SDK retry failed requests ({@link
 * Builder#maxRetries}, 2 by default, honouring {@code retry-after-ms} and {@code retry-after}); a
 * stream that broke after it started is not retried. Decorated by a retrying {@code Resilience}
 * ({@code Resilience.builder(name).retry(...).build().decorate(model)}), only the decorator
 * retries: it decorates {@link #withoutSdkRetries()}, and refuses a model built with {@code
 * maxRetries} above 0. A decorator around a chain that contains the model cannot see it: build the
 * model with {@code maxRetries(0)} then.
 *
 * <p><b>Threads.</b> The call blocks the processor's virtual thread on the SDK's blocking client;
 * cancelling the run interrupts it and closes the response. One model serves any number of
 * concurrent runs. {@link #close()} releases the SDK client it built (not one given to {@link
 * Builder#client}).
 */
public final class OpenAiModel implements Processor, SdkRetries, AutoCloseable {
  /**
   * Metadata key of the final part: why the model stopped ({@code stop}, {@code tool_calls}, ...).
   */
  public static final String FINISH_REASON = ModelOutput.FINISH_REASON;

  /** Metadata key of the final part: the model that answered, as the server names it. */
  public static final String MODEL = ModelOutput.MODEL;

  /**
   * Metadata key of the final part: the completion's id ({@code chatcmpl-...}, or {@code
   * resp_...}).
   */
  public static final String RESPONSE_ID = ModelOutput.RESPONSE_ID;

  /** Metadata key of the final part: the backend configuration's fingerprint, when sent. */
  public static final String SYSTEM_FINGERPRINT = "system_fingerprint";

  /** Metadata key of the final part: the token counts, a map read by {@link TokenUsage#of}. */
  public static final String USAGE = ModelOutput.USAGE;

  private static final String ROLE = "model";

  /** The retries openai-java makes when told nothing. */
  private static final int SDK_DEFAULT_RETRIES = 2;

  private final String model;
  private final OpenAIClient client;
  private final boolean ownsClient;
  private final @Nullable String apiKey;
  private final @Nullable String baseUrl;
  private final ChatSettings settings;
  private final List<Requests.FunctionTool> tools;
  private final @Nullable String systemInstruction;
  private final boolean includeUsage;
  private final @Nullable Class<?> outputType;
  private final OpenAiApi api;
  private final @Nullable Duration timeout;
  private final int sdkMaxRetries;
  private final boolean sdkMaxRetriesChosen;

  private OpenAiModel(Builder b, OpenAIClient client, boolean ownsClient) {
    this.model = Objects.requireNonNull(b.model);
    this.client = client;
    this.ownsClient = ownsClient;
    this.apiKey = b.endpoint.apiKey();
    this.baseUrl = b.endpoint.baseUrl();
    this.settings = b.settings;
    this.tools = List.copyOf(b.tools);
    this.systemInstruction = b.systemInstruction;
    this.includeUsage = b.includeUsage;
    this.api = b.api;
    ResponseFormat format = settings.responseFormat();
    this.outputType =
        format != null && format.type == ResponseFormat.Type.JAVA_TYPE ? format.javaType : null;
    this.timeout = b.endpoint.timeout();
    Integer retries = b.endpoint.maxRetries();
    // A client of the caller's own is taken to retry as the SDK does by default.
    this.sdkMaxRetries = retries == null ? SDK_DEFAULT_RETRIES : retries;
    this.sdkMaxRetriesChosen = retries != null;
  }

  /** {@code from} on {@code client}, which it does not own, whose SDK retries are off. */
  private OpenAiModel(OpenAiModel from, OpenAIClient client) {
    this.model = from.model;
    this.client = client;
    this.ownsClient = false;
    this.apiKey = from.apiKey;
    this.baseUrl = from.baseUrl;
    this.settings = from.settings;
    this.tools = from.tools;
    this.systemInstruction = from.systemInstruction;
    this.includeUsage = from.includeUsage;
    this.api = from.api;
    this.outputType = from.outputType;
    this.timeout = from.timeout;
    this.sdkMaxRetries = 0;
    this.sdkMaxRetriesChosen = false;
  }

  /**
   * A builder; {@link Builder#model} and either {@link Builder#apiKey} or {@link Builder#client}
   * are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The model's name as sent in requests. */
  public String model() {
    return model;
  }

  /** The API this model calls ({@link OpenAiApi#CHAT_COMPLETIONS} unless the builder chose). */
  public OpenAiApi api() {
    return api;
  }

  /** The generation settings every request carries. */
  public ChatSettings settings() {
    return settings;
  }

  /**
   * How often the SDK retries a failed request by itself: {@link Builder#maxRetries}, else the
   * SDK's default of 2 (also taken for a {@link Builder#client client of your own}).
   */
  @Override
  public int sdkMaxRetries() {
    return sdkMaxRetries;
  }

  /** Whether {@link Builder#maxRetries} was given. */
  @Override
  public boolean sdkMaxRetriesChosen() {
    return sdkMaxRetriesChosen;
  }

  /**
   * This model on a copy of its SDK client whose retries are off (the same HTTP connections,
   * timeouts and settings); this model when its SDK does not retry. A retry decorator such as
   * {@code Resilience.decorate} takes it, so that one layer retries. Closing this model closes the
   * copy's client too; closing the copy does nothing.
   */
  @Override
  public OpenAiModel withoutSdkRetries() {
    return sdkMaxRetries == 0
        ? this
        : new OpenAiModel(this, client.withOptions(o -> o.maxRetries(0)));
  }

  @Override
  public String name() {
    return "OpenAiModel(" + model + ")";
  }

  @Override
  public void call(PartStream input, PartSink output) {
    List<ProcessorPart> conversation = new ArrayList<>();
    List<Requests.FunctionTool> callTools = tools;
    RunConfig run = RunConfig.current();
    for (ProcessorPart part : input) {
      if (run.isReserved(part.substreamName())) {
        output.emit(part);
      } else if (DeclaredFunction.isDeclaration(part)) {
        callTools = withDeclared(callTools, part);
      } else {
        conversation.add(part);
      }
    }
    if (api == OpenAiApi.RESPONSES) {
      respond(conversation, callTools, output);
      return;
    }
    List<ChatCompletionMessageParam> messages = Requests.messages(conversation, systemInstruction);
    if (messages.isEmpty()) {
      return;
    }
    ChatCompletionCreateParams params =
        Requests.params(model, settings, callTools, includeUsage, messages);
    Answer answer = new Answer(output);
    boolean answering = false;
    Map<String, List<String>> headers = Map.of();
    CallDeadline deadline = startDeadline();
    // The SDK builds, sends and retries the request and turns error statuses into exceptions; the
    // body is read by ChatChunkReader, which skips the SDK's per-chunk tree and reflection
    // decoding.
    try (deadline;
        HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw =
            client.chat().completions().withRawResponse().createStreaming(params)) {
      answering = true;
      headers = Errors.headersOf(raw.headers());
      EventStreams.check(Errors.contentType(headers), raw.body(), apiKey);
      new ChatChunkReader(raw.body(), answer).readAll();
    } catch (CallDeadline.Exceeded e) {
      throw Errors.timedOut(model, e, headers, apiKey);
    } catch (OpenAIException e) {
      throw deadline != null && deadline.passed()
          ? Errors.timedOut(model, deadline.exceeded(e), headers, apiKey)
          : Errors.translate(e, model, answering, apiKey);
    } catch (EventStreams.NotAnEventStream e) {
      throw Errors.notAnEventStream(model, e.getMessage(), headers, apiKey);
    } catch (ChatChunkReader.StreamError e) {
      throw Errors.streamError(model, e.type, e.code, e.param, e.vendorMessage, headers, apiKey);
    } catch (ChatChunkReader.MalformedChunk e) {
      throw Errors.malformed(model, e.getMessage(), headers, apiKey);
    } catch (IOException e) {
      throw deadline != null && deadline.passed()
          ? Errors.timedOut(model, deadline.exceeded(e), headers, apiKey)
          : Errors.broken(model, e, headers, apiKey);
    }
    answer.finish();
  }

  /**
   * The deadline of one call, made current on this thread for the SDK's HTTP layer ({@link
   * DeadlineBound}); null without a {@link Builder#timeout}, or on a client of the caller's own.
   */
  private @Nullable CallDeadline startDeadline() {
    return timeout == null ? null : CallDeadline.start(timeout);
  }

  /** One call of the Responses API: the same input and output as the Chat Completions path. */
  private void respond(
      List<ProcessorPart> conversation, List<Requests.FunctionTool> callTools, PartSink output) {
    List<ResponseInputItem> items = ResponsesRequests.input(conversation);
    if (items.isEmpty()) {
      return;
    }
    ResponseCreateParams params =
        ResponsesRequests.params(model, settings, callTools, systemInstruction, items);
    boolean answering = false;
    ResponsesAnswer answer;
    Map<String, List<String>> headers = Map.of();
    CallDeadline deadline = startDeadline();
    try (deadline;
        HttpResponseFor<StreamResponse<ResponseStreamEvent>> raw =
            client.responses().withRawResponse().createStreaming(params)) {
      answering = true;
      headers = Errors.headersOf(raw.headers());
      // The SDK parses this stream; the check comes first, before it reads a byte of the body.
      EventStreams.check(Errors.contentType(headers), raw.body(), apiKey);
      try (StreamResponse<ResponseStreamEvent> response = raw.parse()) {
        answer = new ResponsesAnswer(model, apiKey, outputType, output, headers);
        Iterator<ResponseStreamEvent> events = response.stream().iterator();
        while (events.hasNext()) {
          answer.accept(events.next());
        }
      }
    } catch (CallDeadline.Exceeded e) {
      throw Errors.timedOut(model, e, headers, apiKey);
    } catch (OpenAIException e) {
      throw deadline != null && deadline.passed()
          ? Errors.timedOut(model, deadline.exceeded(e), headers, apiKey)
          : Errors.translate(e, model, answering, "Responses", apiKey);
    } catch (EventStreams.NotAnEventStream e) {
      throw Errors.notAnEventStream(model, e.getMessage(), headers, apiKey);
    }
    answer.finish();
  }

  /**
   * {@code tools} plus the function a declaration part declares, unless one of that name is there
   * already (a function given to the builder wins over a declaration part of the same name).
   */
  private static List<Requests.FunctionTool> withDeclared(
      List<Requests.FunctionTool> tools, ProcessorPart declaration) {
    Requests.FunctionTool declared = Requests.declaredTool(declaration);
    for (Requests.FunctionTool tool : tools) {
      if (tool.name().equals(declared.name())) {
        return tools;
      }
    }
    List<Requests.FunctionTool> more = new ArrayList<>(tools.size() + 1);
    more.addAll(tools);
    more.add(declared);
    return more;
  }

  /**
   * The arguments object of a call to {@code name}, parsed from the JSON text the model sent
   * ({@code {}} when it sent nothing).
   *
   * @throws OpenAiException of kind {@link OpenAiException.Kind#INVALID_RESPONSE} when the text is
   *     not a JSON object
   */
  static Map<String, @Nullable Object> arguments(
      String model, @Nullable String name, String arguments, @Nullable String apiKey) {
    String text = arguments.strip();
    if (text.isEmpty()) {
      return Map.of();
    }
    try {
      Object value = Requests.MAPPER.readValue(text, Object.class);
      if (value instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> args = (Map<String, @Nullable Object>) map;
        return args;
      }
    } catch (JsonProcessingException e) {
      // Reported below, with the text the model sent.
    }
    throw Errors.invalid(
        model,
        "the model called "
            + name
            + " with arguments that are not"
            + " a JSON object: "
            + abbreviate(text),
        apiKey);
  }

  /**
   * Emits the structured answer {@code json} as one JSON part of {@code type}; nothing when the
   * answer is empty.
   *
   * @throws OpenAiException of kind {@link OpenAiException.Kind#INVALID_RESPONSE} when it does not
   *     read as {@code type}
   */
  static void emitStructured(
      PartSink output, String model, Class<?> type, String answer, @Nullable String apiKey) {
    String json = answer.strip();
    if (json.isEmpty()) {
      return;
    }
    Object value;
    try {
      value = Requests.MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw Errors.invalid(
          model,
          "the answer is not a valid "
              + type.getSimpleName()
              + ": "
              + e.getOriginalMessage()
              + " in "
              + abbreviate(json),
          apiKey);
    }
    output.emit(ProcessorPart.json(value).withRole(ROLE));
  }

  /** Closes the SDK client this model built; a client given to the builder is left open. */
  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "OpenAiModel[model="
        + model
        + (api == OpenAiApi.RESPONSES ? ", api=RESPONSES" : "")
        + (baseUrl == null ? "" : ", baseUrl=" + baseUrl)
        + (apiKey == null ? "" : ", apiKey=<redacted>")
        + ", "
        + settings
        + ", tools="
        + tools.stream().map(Requests.FunctionTool::name).toList()
        + "]";
  }

  /** One tool call being assembled from its fragments. */
  private static final class PendingCall {
    @Nullable String id;
    @Nullable String name;
    final StringBuilder arguments = new StringBuilder();
  }

  /** The answer of one call, assembled from its chunks and emitted as it goes. */
  private final class Answer implements ChatChunkReader.Listener {
    private final PartSink output;
    private final TreeMap<Long, PendingCall> calls = new TreeMap<>();
    private final @Nullable StringBuilder structured;
    private @Nullable String responseId;
    private @Nullable String answeringModel;
    private @Nullable String fingerprint;
    private @Nullable String finishReason;
    private @Nullable TokenUsage usage;

    Answer(PartSink output) {
      this.output = output;
      this.structured = outputType == null ? null : new StringBuilder();
    }

    @Override
    public void header(@Nullable String id, @Nullable String model, @Nullable String fingerprint) {
      if (responseId == null) {
        responseId = id;
      }
      if (answeringModel == null) {
        answeringModel = model;
      }
      if (this.fingerprint == null) {
        this.fingerprint = fingerprint;
      }
    }

    @Override
    public void content(String text) {
      if (structured != null) {
        structured.append(text);
      } else {
        output.emit(ProcessorPart.text(text).withRole(ROLE));
      }
    }

    @Override
    public void reasoning(String text) {
      output.emit(ProcessorPart.text(text).withRole(ROLE).withThought(true));
    }

    @Override
    public void refusal(String text) {
      output.emit(ProcessorPart.text(text).withRole(ROLE).withMetadata("refusal", true));
    }

    @Override
    public void toolCall(
        long index, @Nullable String id, @Nullable String name, @Nullable String arguments) {
      PendingCall call = calls.computeIfAbsent(index, i -> new PendingCall());
      if (id != null) {
        call.id = id;
      }
      if (name != null) {
        call.name = name;
      }
      if (arguments != null) {
        call.arguments.append(arguments);
      }
    }

    @Override
    public void finish(String reason) {
      finishReason = reason;
      emitCalls();
    }

    @Override
    public void usage(long prompt, long completion, long total, long cached, long reasoning) {
      usage = new TokenUsage(prompt, completion, total, cached, 0, reasoning);
    }

    private void emitCalls() {
      for (PendingCall call : calls.values()) {
        if (call.name == null || call.name.isBlank()) {
          throw Errors.invalid(
              model,
              "a tool call "
                  + (call.id == null ? "" : call.id + " ")
                  + "came without a function name",
              apiKey);
        }
        output.emit(
            ProcessorPart.functionCall(new FunctionCall(call.id, call.name, arguments(call)))
                .withRole(ROLE));
      }
      calls.clear();
    }

    private Map<String, @Nullable Object> arguments(PendingCall call) {
      return OpenAiModel.arguments(model, call.name, call.arguments.toString(), apiKey);
    }

    void finish() {
      if (finishReason == null) {
        throw Errors.truncated(model, apiKey);
      }
      emitCalls();
      if (structured != null) {
        emitStructured(
            output, model, Objects.requireNonNull(outputType), structured.toString(), apiKey);
      }
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put(FINISH_REASON, finishReason);
      if (answeringModel != null) {
        metadata.put(MODEL, answeringModel);
      }
      if (responseId != null) {
        metadata.put(RESPONSE_ID, responseId);
      }
      if (fingerprint != null) {
        metadata.put(SYSTEM_FINGERPRINT, fingerprint);
      }
      if (usage != null) {
        metadata.put(USAGE, usage.toMetadata());
      }
      metadata.put(ProcessorPart.TURN_COMPLETE, true);
      output.emit(ProcessorPart.text("").withRole(ROLE).withMetadata(metadata));
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  /**
   * Builds an {@link OpenAiModel}. Give it a model name and either the settings to build an SDK
   * client from (API key, base URL, organisation, project, timeouts, retries) or a {@link #client}
   * of your own.
   */
  public static final class Builder {
    private @Nullable String model;
    private @Nullable String organization;
    private @Nullable String project;
    private ModelEndpoint endpoint = ModelEndpoint.defaults();
    private @Nullable OpenAIClient client;
    private ChatSettings settings = ChatSettings.defaults();
    private final List<Requests.FunctionTool> tools = new ArrayList<>();
    private @Nullable String systemInstruction;
    private boolean includeUsage = true;
    private OpenAiApi api = OpenAiApi.CHAT_COMPLETIONS;

    private Builder() {}

    /**
     * The API to call: {@link OpenAiApi#CHAT_COMPLETIONS} (the default) or {@link
     * OpenAiApi#RESPONSES}. Input and output parts are the same on both; see {@link OpenAiModel}
     * for what differs.
     */
    public Builder api(OpenAiApi api) {
      this.api = Objects.requireNonNull(api, "api");
      return this;
    }

    /** The model to call ({@code gpt-4o-mini}, {@code llama3.2}, ...). Required. */
    public Builder model(String model) {
      this.model = notBlank("model", model);
      return this;
    }

    /**
     * The API key, sent as {@code Authorization: Bearer}. Servers without keys (Ollama, vLLM)
     * accept any text. It is never shown in messages, logs or {@code toString()}.
     */
    public Builder apiKey(String apiKey) {
      endpoint = endpoint.withApiKey(apiKey);
      return this;
    }

    /**
     * The API's base URL: OpenAI's {@code https://api.openai.com/v1} by default; {@code
     * http://localhost:11434/v1} for Ollama, {@code http://localhost:8000/v1} for vLLM.
     *
     * @throws IllegalArgumentException unless it is an absolute http or https URL
     */
    public Builder baseUrl(String baseUrl) {
      endpoint = endpoint.withBaseUrl(baseUrl);
      return this;
    }

    /** The organisation to bill ({@code OpenAI-Organization}). */
    public Builder organization(String organization) {
      this.organization = notBlank("organization", organization);
      return this;
    }

    /** The project to bill ({@code OpenAI-Project}). */
    public Builder project(String project) {
      this.project = notBlank("project", project);
      return this;
    }

    /**
     * The most a whole call may take: every attempt of the SDK's retries, the waits between them
     * and the streamed answer together (the SDK's default: 10 minutes per attempt). Once it has
     * passed no attempt starts and the call fails as {@link OpenAiException.Kind#TIMEOUT}, naming
     * it. Each call has its own: under a retry decorator, each of its attempts.
     */
    public Builder timeout(Duration timeout) {
      endpoint = endpoint.withTimeout(timeout);
      return this;
    }

    /** The most connecting may take. */
    public Builder connectTimeout(Duration connectTimeout) {
      endpoint = endpoint.withConnectTimeout(connectTimeout);
      return this;
    }

    /** The most the server may stay silent: before the first byte and between chunks. */
    public Builder readTimeout(Duration readTimeout) {
      endpoint = endpoint.withReadTimeout(readTimeout);
      return this;
    }

    /**
     * How often the SDK retries a failed request (408, 409, 429, 5xx, connection failures), 2 by
     * default. Left unset, a retrying {@code Resilience} that decorates this model turns the SDK's
     * retries off, so that one layer retries; set above 0, such a decorator refuses the model.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder maxRetries(int maxRetries) {
      endpoint = endpoint.withMaxRetries(maxRetries);
      return this;
    }

    /**
     * An SDK client of your own, used instead of one built from the key, URL and timeouts (which
     * must then not be set). The model does not close it.
     */
    public Builder client(OpenAIClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The generation settings of every request. */
    public Builder settings(ChatSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** A system message put before every conversation. */
    public Builder systemInstruction(String systemInstruction) {
      this.systemInstruction = Objects.requireNonNull(systemInstruction, "systemInstruction");
      return this;
    }

    /**
     * Declares a function the model may call, with its parameters' JSON schema (plain maps and
     * lists, for example from a schema generator).
     *
     * @throws IllegalArgumentException when the name is not 1 to 64 letters, digits, {@code _} or
     *     {@code -}, or is declared twice
     */
    public Builder function(String name, String description, Map<String, ?> parameters) {
      return function(name, description, parameters, null);
    }

    /** {@link #function(String, String, Map)} with OpenAI's {@code strict} schema adherence. */
    public Builder function(
        String name, String description, Map<String, ?> parameters, @Nullable Boolean strict) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(parameters, "parameters");
      if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
        throw new IllegalArgumentException(
            "function name must be 1 to 64 of a-z, A-Z, 0-9, _ and - but was '" + name + "'");
      }
      if (tools.stream().anyMatch(t -> t.name().equals(name))) {
        throw new IllegalArgumentException("function '" + name + "' is declared twice");
      }
      Map<String, @Nullable Object> copy = new LinkedHashMap<>(parameters);
      tools.add(new Requests.FunctionTool(name, description, copy, strict));
      return this;
    }

    /**
     * Whether to ask for the usage chunk ({@code stream_options.include_usage}); on by default.
     * Turn it off for servers that reject the option.
     */
    public Builder includeUsage(boolean includeUsage) {
      this.includeUsage = includeUsage;
      return this;
    }

    /**
     * The model.
     *
     * @throws IllegalStateException when the model name is missing, or neither an API key nor a
     *     client is given, or both a client and client settings are
     */
    public OpenAiModel build() {
      String apiKey = endpoint.apiKey();
      String baseUrl = endpoint.baseUrl();
      if (model == null) {
        throw new IllegalStateException("model is required (for example \"gpt-4o-mini\")");
      }
      if (api == OpenAiApi.RESPONSES) {
        List<String> unsupported = ResponsesRequests.unsupportedSettings(settings);
        if (!unsupported.isEmpty()) {
          throw new IllegalArgumentException(
              "the Responses API has no "
                  + String.join(", ", unsupported)
                  + ": remove "
                  + (unsupported.size() == 1 ? "it" : "them")
                  + " from the ChatSettings or use OpenAiApi.CHAT_COMPLETIONS (settings were "
                  + settings
                  + ")");
        }
      }
      if (client != null) {
        List<String> set = new ArrayList<>(endpoint.given());
        if (organization != null) set.add("organization");
        if (project != null) set.add("project");
        if (!set.isEmpty()) {
          throw new IllegalStateException(
              "with a client of your own, configure it there: "
                  + String.join(", ", set)
                  + " must not be set here");
        }
        return new OpenAiModel(this, client, false);
      }
      if (apiKey == null) {
        throw new IllegalStateException(
            "apiKey is required without a client (servers without"
                + " keys, such as Ollama, accept any text)");
      }
      // Built as OpenAIOkHttpClient builds it, but with an HTTP layer and a sleeper that hold the
      // whole call to its timeout: the SDK's own apply it to each attempt alone.
      ClientOptions.Builder sdk =
          ClientOptions.builder().apiKey(apiKey).sleeper(new DeadlineBound.Waits());
      if (baseUrl != null) {
        sdk.baseUrl(baseUrl);
      }
      if (organization != null) {
        sdk.organization(organization);
      }
      if (project != null) {
        sdk.project(project);
      }
      if (endpoint.timeout() != null
          || endpoint.connectTimeout() != null
          || endpoint.readTimeout() != null) {
        Timeout.Builder t = Timeout.builder();
        if (endpoint.timeout() != null) {
          t.request(endpoint.timeout());
        }
        if (endpoint.connectTimeout() != null) {
          t.connect(endpoint.connectTimeout());
        }
        if (endpoint.readTimeout() != null) {
          t.read(endpoint.readTimeout());
        }
        sdk.timeout(t.build());
      }
      if (endpoint.maxRetries() != null) {
        sdk.maxRetries(endpoint.maxRetries());
      }
      sdk.httpClient(
          new DeadlineBound.Http(
              com.openai.client.okhttp.OkHttpClient.builder().timeout(sdk.timeout()).build()));
      return new OpenAiModel(this, new OpenAIClientImpl(sdk.build()), true);
    }

    @Override
    public String toString() {
      return "OpenAiModel.Builder[model="
          + model
          + (endpoint.baseUrl() == null ? "" : ", baseUrl=" + endpoint.baseUrl())
          + (endpoint.apiKey() == null ? "" : ", apiKey=<redacted>")
          + "]";
    }

    private static String notBlank(String name, String value) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }
}
