package dev.genaiprocessors.gemini;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.RunConfig;
import dev.genaiprocessors.model.CallDeadline;
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
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * A Google Gemini model as a processor: it reads the whole input as one conversation, sends it to
 * {@code streamGenerateContent} and emits the answer as it arrives. It runs on Google's official
 * Gen AI Java SDK, against the Gemini API (an AI Studio key) or Vertex AI (a project and location,
 * credentials from the environment).
 *
 * <pre>{@code
 * try (GeminiModel model = GeminiModel.builder()
 *     .model("gemini-2.5-flash")
 *     .apiKey(System.getenv("GEMINI_API_KEY"))
 *     .settings(GenerationSettings.builder().temperature(0.2).build())
 *     .build();
 *     ProcessorStream answer = model.apply("Tell me a joke")) {  // closing it ends the call
 *   for (ProcessorPart part : answer) {
 *     System.out.print(part.text());   // text as it arrives, then an empty final part
 *   }
 * }
 * }</pre>
 *
 * <p><b>Input.</b> Parts map one to one onto Gemini's {@code Part}s: text (and JSON) as {@code
 * text}, bytes as {@code inlineData}, {@link ProcessorPart#fromUri file references} as {@code
 * fileData}, function calls and responses (ids kept), executable code and its results; the thought
 * flag and the thought signature travel on the part. Consecutive parts of one role form one {@code
 * Content}; roles are {@code user} (also none, {@code tool}) and {@code model} (also {@code
 * assistant}); parts with role {@code system} go to the system instruction, after the one of {@link
 * Builder#systemInstruction}. Function declaration parts ({@code
 * application/x-function-declaration}, as the {@code tools} module's {@code FunctionCalling} sends
 * them) are offered to the model as functions, beside those of {@link Builder#function}. Empty text
 * parts (end-of-turn markers) are left out; parts on the {@code status}, {@code debug} and {@code
 * ui} substreams pass straight to the output. An empty conversation sends nothing and emits
 * nothing. A part that cannot be sent fails the run with an {@link IllegalArgumentException} naming
 * it. A part's {@link ProcessorPart#extraFields() extra fields} (read from a Python peer's JSON:
 * {@code video_metadata}, a file reference's own {@code mime_type}...) are merged into its {@code
 * Part} with their keys in the SDK's camelCase; a field the SDK does not know is dropped without an
 * error, and one it rejects for the endpoint (say {@code function_call.will_continue} on the Gemini
 * API) fails the run as the SDK reports it.
 *
 * <p><b>Output</b>, all with role {@code model}, from the first candidate: every part as it arrives
 * (text deltas; thoughts as thought parts; function calls, arguments whole, with the call's id when
 * the server gave one; inline data as bytes), each carrying its thought signature when it had one,
 * so that feeding the answer back sends the signature back on the same part, as Gemini requires.
 * Last comes an empty text part whose metadata holds {@link #FINISH_REASON} ({@code STOP}, {@code
 * MAX_TOKENS}, {@code SAFETY}...), {@link #MODEL} (the {@code modelVersion}), {@link #RESPONSE_ID},
 * {@link #USAGE} (read it with {@link TokenUsage#of}: prompt = {@code promptTokenCount}, completion
 * = candidates + thoughts, cached = {@code cachedContentTokenCount}, reasoning = {@code
 * thoughtsTokenCount}), {@link #SAFETY_RATINGS} and {@link #FINISH_MESSAGE} when sent, and {@code
 * turn_complete=true}. Unlike the Python library's {@code GenaiModel}, which copies each chunk's
 * metadata onto its parts and emits no end part, this follows the shape every model processor of
 * this library shares ({@link ModelOutput}).
 *
 * <p><b>Errors.</b> Failures arrive as a {@link GeminiException} (HTTP status, Google's status,
 * {@code RetryInfo} wait, quota ids; never the API key), thrown to the caller as itself, the model
 * named in it ({@code ProcessorException.stageOf}). A blocked prompt ({@code
 * promptFeedback.blockReason}) is {@link GeminiException.Kind#PROMPT_BLOCKED}. Gemini marks no end
 * of stream, so a stream that ends without a finish reason is {@link
 * GeminiException.Kind#STREAM_INTERRUPTED}. A 200 whose {@code Content-Type} is not {@code
 * text/event-stream} (a proxy's or captive portal's page; a missing one is read as a stream), or a
 * chunk that is not a response, is {@link GeminiException.Kind#INVALID_RESPONSE}, not retryable,
 * quoting the start of what came (not seen with a {@link Builder#client client of your own}, whose
 * stream the SDK reads). {@link Builder#timeout} bounds the whole call, SDK retries included
 * ({@link GeminiException.Kind#TIMEOUT}). With a {@link Builder#client client of your own}, the
 * error body's details are not seen, so {@code retryAfter()} and {@code quotaIds()} stay empty.
 *
 * <p><b>Which layer retries.</b> The SDK does not retry by default here ({@link Builder#maxRetries}
 * 0): its backoff ignores Google's {@code RetryInfo}, so a retry decorator does it, such as the
 * {@code resilience} module's, which reads {@link GeminiException#retryAfter()} and {@link
 * GeminiException#isRetryable()}. A retrying {@code Resilience} refuses to decorate a model built
 * with {@code maxRetries} above 0, so that only one layer retries ({@link #withoutSdkRetries()}
 * gives a copy without them); it cannot see a model inside a chain, so build such a model with
 * {@code maxRetries} unset or 0.
 *
 * <p><b>Threads.</b> The SDK builds, authenticates, sends and (if asked) retries the request and
 * maps HTTP errors; the model then reads the streamed answer itself, with Jackson's streaming
 * parser, which costs far less per chunk than the SDK's decoding. The call blocks the processor's
 * virtual thread on the SDK's blocking client; cancelling the run interrupts it and closes the
 * response. One model serves any number of concurrent runs. {@link #close()} releases the SDK
 * client it built (not one given to {@link Builder#client}).
 */
public final class GeminiModel implements Processor, SdkRetries, AutoCloseable {
  /**
   * Metadata key of the final part: why the model stopped ({@code STOP}, {@code MAX_TOKENS}...).
   */
  public static final String FINISH_REASON = ModelOutput.FINISH_REASON;

  /** Metadata key of the final part: the model version that answered ({@code modelVersion}). */
  public static final String MODEL = ModelOutput.MODEL;

  /** Metadata key of the final part: the response's id ({@code responseId}). */
  public static final String RESPONSE_ID = ModelOutput.RESPONSE_ID;

  /** Metadata key of the final part: the token counts, a map read by {@link TokenUsage#of}. */
  public static final String USAGE = ModelOutput.USAGE;

  /**
   * Metadata key of the final part: the candidate's safety ratings, a list of maps with {@code
   * category}, {@code probability} and, when sent, {@code blocked}; absent when none were sent.
   */
  public static final String SAFETY_RATINGS = "safety_ratings";

  /** Metadata key of the final part: the candidate's {@code finishMessage}, when sent. */
  public static final String FINISH_MESSAGE = "finish_message";

  private static final String ROLE = "model";
  private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

  private final String model;
  private final Client client;
  private final boolean ownsClient;
  private final @Nullable OkHttpClient okHttp;
  private final @Nullable String apiKey;
  private final @Nullable String baseUrl;
  private final @Nullable String vertex;
  private final GenerationSettings settings;
  private final List<Requests.Function> functions;
  private final @Nullable String systemInstruction;
  private final GenerateContentConfig baseConfig;
  private final @Nullable Duration timeout;
  private final int sdkMaxRetries;
  private final boolean sdkMaxRetriesChosen;

  /** Per-request HTTP options of a copy whose SDK retries are off; null: the client's. */
  private final @Nullable HttpOptions requestHttp;

  private GeminiModel(Builder b, Client client, boolean ownsClient, @Nullable OkHttpClient okHttp) {
    this.model = Objects.requireNonNull(b.model);
    this.client = client;
    this.ownsClient = ownsClient;
    this.okHttp = okHttp;
    this.apiKey = b.endpoint.apiKey();
    this.baseUrl = b.endpoint.baseUrl();
    this.vertex = b.project == null ? null : b.project + "/" + b.location;
    this.settings = b.settings;
    this.functions = List.copyOf(b.functions);
    this.systemInstruction = b.systemInstruction;
    this.baseConfig = Requests.config(settings, systemParts(List.of()), functions);
    this.timeout = b.endpoint.timeout();
    Integer retries = b.endpoint.maxRetries();
    // The model builds the SDK client with retries off unless told; a client of the caller's own
    // cannot be asked, and is taken to be so configured too.
    this.sdkMaxRetries = retries == null ? 0 : retries;
    this.sdkMaxRetriesChosen = retries != null;
    this.requestHttp = null;
  }

  /** {@code from} on the same client, which it does not own, each request's SDK retries off. */
  private GeminiModel(GeminiModel from) {
    this.model = from.model;
    this.client = from.client;
    this.ownsClient = false;
    this.okHttp = null;
    this.apiKey = from.apiKey;
    this.baseUrl = from.baseUrl;
    this.vertex = from.vertex;
    this.settings = from.settings;
    this.functions = from.functions;
    this.systemInstruction = from.systemInstruction;
    this.timeout = from.timeout;
    this.sdkMaxRetries = 0;
    this.sdkMaxRetriesChosen = false;
    // The SDK's retry interceptor takes a request's own retry options over the client's.
    this.requestHttp =
        HttpOptions.builder().retryOptions(HttpRetryOptions.builder().attempts(1).build()).build();
    this.baseConfig = withRequestHttp(from.baseConfig);
  }

  /**
   * A builder; {@link Builder#model} and an API key, Vertex AI settings or a client are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The model's name as sent in requests. */
  public String model() {
    return model;
  }

  /** The generation settings every request carries. */
  public GenerationSettings settings() {
    return settings;
  }

  /**
   * How often the SDK retries a failed request by itself: {@link Builder#maxRetries}, else 0 (the
   * model's default; also taken for a {@link Builder#client client of your own}).
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
   * This model with the SDK's retries off for each of its requests (the same client, timeouts and
   * settings); this model when its SDK does not retry, as by default. Closing this model closes the
   * copy's client too; closing the copy does nothing.
   */
  @Override
  public GeminiModel withoutSdkRetries() {
    return sdkMaxRetries == 0 ? this : new GeminiModel(this);
  }

  @Override
  public String name() {
    return "GeminiModel(" + model + ")";
  }

  @Override
  public void call(PartStream input, PartSink output) {
    List<ProcessorPart> parts = new ArrayList<>();
    RunConfig run = RunConfig.current();
    for (ProcessorPart part : input) {
      if (run.isReserved(part.substreamName())) {
        output.emit(part);
      } else {
        parts.add(part);
      }
    }
    Requests.Conversation conversation = Requests.conversation(parts);
    List<Content> contents = conversation.contents();
    if (contents.isEmpty()) {
      return;
    }
    GenerateContentConfig config =
        conversation.system().isEmpty() && conversation.declared().isEmpty()
            ? baseConfig
            : withRequestHttp(
                Requests.config(
                    settings,
                    systemParts(conversation.system()),
                    functions(conversation.declared())));
    Answer answer = new Answer(output);
    // The deadline, current on this thread, stops the SDK's retries once it has passed
    // (AttemptDeadline); the OkHttp call timeout already spans them and the streamed answer.
    try (CallDeadline deadline = timeout == null ? null : CallDeadline.start(timeout)) {
      ResponseCapture.Holder captured = ResponseCapture.open();
      ResponseStream<GenerateContentResponse> stream;
      try {
        stream = client.models.generateContentStream(model, contents, config);
      } catch (RuntimeException e) {
        if (captured.stream != null) {
          captured.stream.close(); // taken before the SDK failed: nobody else will close it
        }
        CallDeadline.Exceeded exceeded = exceeded(deadline, e);
        throw exceeded != null
            ? Errors.timedOut(model, exceeded, apiKey)
            : Errors.translate(e, model, false, captured.errorBody, apiKey);
      } finally {
        ResponseCapture.close();
      }
      try (stream;
          ResponseBody raw = captured.stream) {
        if (raw != null) {
          // The model's own OkHttp client handed over the body: read it directly.
          EventStreams.check(captured.contentType, raw.byteStream(), apiKey);
          ChunkReader.readAll(raw.byteStream(), answer);
        } else {
          readDecoded(stream, answer);
        }
      } catch (IOException e) {
        CallDeadline.Exceeded exceeded = exceeded(deadline, e);
        throw exceeded != null
            ? Errors.timedOut(model, exceeded, apiKey)
            : Errors.streamFailed(e, model, apiKey);
      } catch (ChunkReader.StreamError e) {
        throw Errors.inStream(e.code, e.status, e.vendorMessage, e, model, apiKey);
      } catch (ChunkReader.Malformed e) {
        throw Errors.invalid(model, String.valueOf(e.getMessage()), e.getCause(), apiKey);
      } catch (EventStreams.NotAnEventStream e) {
        throw Errors.notAnEventStream(model, String.valueOf(e.getMessage()), apiKey);
      }
    }
    answer.finish();
  }

  /** The timeout's failure when {@code error} is one or the deadline has passed; else null. */
  private static CallDeadline.@Nullable Exceeded exceeded(
      @Nullable CallDeadline deadline, Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof CallDeadline.Exceeded e) {
        return e;
      }
    }
    return deadline != null && deadline.passed() ? deadline.exceeded(error) : null;
  }

  /** {@code config} with this model's per-request HTTP options, when it has any. */
  private GenerateContentConfig withRequestHttp(GenerateContentConfig config) {
    return requestHttp == null ? config : config.toBuilder().httpOptions(requestHttp).build();
  }

  /** Reads the chunks the SDK decoded (on a client given to the builder). */
  private void readDecoded(ResponseStream<GenerateContentResponse> stream, Answer answer)
      throws ChunkReader.Malformed {
    Iterator<GenerateContentResponse> chunks = stream.iterator();
    while (true) {
      GenerateContentResponse chunk;
      try {
        if (!chunks.hasNext()) {
          return;
        }
        chunk = chunks.next();
      } catch (RuntimeException e) {
        throw Errors.translate(e, model, true, null, apiKey);
      }
      answer.chunk(DecodedChunks.of(chunk));
    }
  }

  /** Closes the SDK client this model built; a client given to the builder is left open. */
  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
    if (okHttp != null) {
      okHttp.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "GeminiModel[model="
        + model
        + (baseUrl == null ? "" : ", baseUrl=" + baseUrl)
        + (apiKey == null ? "" : ", apiKey=<redacted>")
        + (vertex == null ? "" : ", vertexAi=" + vertex)
        + ", "
        + settings
        + ", functions="
        + functions.stream().map(Requests.Function::name).toList()
        + "]";
  }

  private List<Part> systemParts(List<Part> fromInput) {
    List<Part> system = new ArrayList<>();
    if (systemInstruction != null) {
      system.add(Part.builder().text(systemInstruction).build());
    }
    system.addAll(fromInput);
    return system;
  }

  private List<Requests.Function> functions(List<Requests.Function> declared) {
    List<Requests.Function> all = new ArrayList<>(functions);
    for (Requests.Function f : declared) {
      if (all.stream().noneMatch(g -> g.name().equals(f.name()))) {
        all.add(f);
      }
    }
    return all;
  }

  /** The answer of one call, emitted as its chunks arrive. */
  private final class Answer implements ChunkReader.Listener {
    private final PartSink output;
    private @Nullable String responseId;
    private @Nullable String modelVersion;
    private @Nullable String finishReason;
    private @Nullable String finishMessage;
    private @Nullable TokenUsage usage;
    private List<Map<String, Object>> safetyRatings = List.of();

    Answer(PartSink output) {
      this.output = output;
    }

    @Override
    public void chunk(ChunkReader.Chunk chunk) {
      if (chunk.responseId() != null) {
        responseId = chunk.responseId();
      }
      if (chunk.modelVersion() != null) {
        modelVersion = chunk.modelVersion();
      }
      if (chunk.usage() != null) {
        usage = chunk.usage();
      }
      if (chunk.blockReason() != null) {
        throw Errors.blocked(model, chunk.blockReason(), chunk.blockMessage(), apiKey);
      }
      for (ProcessorPart part : chunk.parts()) {
        output.emit(part);
      }
      if (chunk.finishReason() != null) {
        finishReason = chunk.finishReason();
      }
      if (chunk.finishMessage() != null) {
        finishMessage = chunk.finishMessage();
      }
      if (!chunk.safetyRatings().isEmpty()) {
        safetyRatings = chunk.safetyRatings();
      }
    }

    void finish() {
      if (finishReason == null) {
        throw Errors.truncated(model, apiKey);
      }
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put(FINISH_REASON, finishReason);
      if (modelVersion != null) {
        metadata.put(MODEL, modelVersion);
      }
      if (responseId != null) {
        metadata.put(RESPONSE_ID, responseId);
      }
      if (usage != null) {
        metadata.put(USAGE, usage.toMetadata());
      }
      if (!safetyRatings.isEmpty()) {
        metadata.put(SAFETY_RATINGS, safetyRatings);
      }
      if (finishMessage != null) {
        metadata.put(FINISH_MESSAGE, finishMessage);
      }
      metadata.put(ProcessorPart.TURN_COMPLETE, true);
      output.emit(ProcessorPart.text("").withRole(ROLE).withMetadata(metadata));
    }
  }

  /**
   * Builds a {@link GeminiModel}. Give it a model name and either an API key (the Gemini API), a
   * Vertex AI project and location, or a {@link #client} of your own.
   */
  public static final class Builder {
    private @Nullable String model;
    private @Nullable String project;
    private @Nullable String location;
    private @Nullable String apiVersion;
    private ModelEndpoint endpoint = ModelEndpoint.defaults();
    private @Nullable Client client;
    private GenerationSettings settings = GenerationSettings.defaults();
    private final List<Requests.Function> functions = new ArrayList<>();
    private @Nullable String systemInstruction;

    private Builder() {}

    /** The model to call ({@code gemini-2.5-flash}, ...). Required. */
    public Builder model(String model) {
      this.model = notBlank("model", model);
      return this;
    }

    /**
     * The Gemini API key (AI Studio), sent as {@code x-goog-api-key}. It is never shown in
     * messages, logs or {@code toString()}.
     */
    public Builder apiKey(String apiKey) {
      endpoint = endpoint.withApiKey(apiKey);
      return this;
    }

    /**
     * Calls Vertex AI instead of the Gemini API, in this Google Cloud project and location ({@code
     * us-central1}, {@code global}, ...); credentials come from the environment (Application
     * Default Credentials) when the model is built.
     */
    public Builder vertexAi(String project, String location) {
      this.project = notBlank("project", project);
      this.location = notBlank("location", location);
      return this;
    }

    /**
     * The API's base URL, without the version path: {@code
     * https://generativelanguage.googleapis.com} by default (a local test server's, for example).
     *
     * @throws IllegalArgumentException unless it is an absolute http or https URL
     */
    public Builder baseUrl(String baseUrl) {
      endpoint = endpoint.withBaseUrl(baseUrl);
      return this;
    }

    /**
     * The API version in the path: {@code v1beta} by default for the Gemini API, the SDK's default
     * for Vertex AI.
     */
    public Builder apiVersion(String apiVersion) {
      this.apiVersion = notBlank("apiVersion", apiVersion);
      return this;
    }

    /**
     * The most a whole call may take: every attempt of the SDK's retries, the waits between them
     * and the streamed answer together (none by default). Once it has passed no attempt starts and
     * the call fails as {@link GeminiException.Kind#TIMEOUT}, naming it. Each call has its own:
     * under a retry decorator, each of its attempts.
     */
    public Builder timeout(Duration timeout) {
      endpoint = endpoint.withTimeout(timeout);
      return this;
    }

    /** The most connecting may take (none by default). */
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
     * How often the SDK retries a failed request (408, 429, 500, 502, 503, 504, connection
     * failures) with its own backoff, which ignores Google's {@code RetryInfo}: 0 by default, so a
     * retry decorator that honours it (the {@code resilience} module's) decides. A retrying {@code
     * Resilience} refuses to decorate a model with this set above 0.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder maxRetries(int maxRetries) {
      endpoint = endpoint.withMaxRetries(maxRetries);
      return this;
    }

    /**
     * An SDK client of your own, used instead of one built from the key, Vertex AI settings, URL,
     * timeouts and retries (which must then not be set). The model does not close it.
     *
     * <p>On a client of your own the model reads the chunks the SDK decoded: it cannot reach the
     * raw stream, as it does on the client it builds, so a fast stream costs about twice as much
     * CPU, and an error body's details ({@code RetryInfo}, quota ids) are not seen.
     */
    public Builder client(Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The generation settings of every request. */
    public Builder settings(GenerationSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The system instruction of every request ({@code systemInstruction}). */
    public Builder systemInstruction(String systemInstruction) {
      this.systemInstruction = Objects.requireNonNull(systemInstruction, "systemInstruction");
      return this;
    }

    /**
     * Declares a function the model may call, with its parameters' JSON schema (plain maps and
     * lists, for example from a schema generator), sent as {@code parametersJsonSchema}.
     *
     * @throws IllegalArgumentException when the name is not a letter or underscore followed by at
     *     most 63 letters, digits, {@code _} or {@code -}, or is declared twice
     */
    public Builder function(String name, String description, Map<String, ?> parameters) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(parameters, "parameters");
      if (!FUNCTION_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "function name must be a letter or underscore followed"
                + " by at most 63 letters, digits, _ or -, but was '"
                + name
                + "'");
      }
      if (functions.stream().anyMatch(f -> f.name().equals(name))) {
        throw new IllegalArgumentException("function '" + name + "' is declared twice");
      }
      functions.add(new Requests.Function(name, description, new LinkedHashMap<>(parameters)));
      return this;
    }

    /**
     * The model.
     *
     * @throws IllegalStateException when the model name is missing; or neither an API key, Vertex
     *     AI settings nor a client is given, or more than one of them; or a client comes with
     *     client settings
     */
    public GeminiModel build() {
      String apiKey = endpoint.apiKey();
      String baseUrl = endpoint.baseUrl();
      if (model == null) {
        throw new IllegalStateException("model is required (for example \"gemini-2.5-flash\")");
      }
      if (client != null) {
        List<String> set = new ArrayList<>(endpoint.given());
        if (project != null) set.add("vertexAi");
        if (apiVersion != null) set.add("apiVersion");
        if (!set.isEmpty()) {
          throw new IllegalStateException(
              "with a client of your own, configure it there: "
                  + String.join(", ", set)
                  + " must not be set here");
        }
        return new GeminiModel(this, client, false, null);
      }
      if (apiKey != null && project != null) {
        throw new IllegalStateException(
            "give either apiKey (Gemini API) or vertexAi(project, location), not both");
      }
      if (apiKey == null && project == null) {
        throw new IllegalStateException(
            "apiKey (Gemini API) or vertexAi(project, location) is required without a client");
      }
      OkHttpClient okHttp = okHttp();
      HttpOptions.Builder http =
          HttpOptions.builder()
              .retryOptions(
                  HttpRetryOptions.builder()
                      .attempts(1 + (endpoint.maxRetries() == null ? 0 : endpoint.maxRetries()))
                      .build());
      if (baseUrl != null) {
        http.baseUrl(baseUrl);
      }
      if (apiVersion != null) {
        http.apiVersion(apiVersion);
      } else if (apiKey != null) {
        // The Gemini API's features this processor uses (parametersJsonSchema, responseJsonSchema,
        // thinking) are in v1beta, the version Google's docs and the Python library call.
        http.apiVersion("v1beta");
      }
      Client.Builder sdk =
          Client.builder()
              .httpOptions(http.build())
              .clientOptions(ClientOptions.builder().customHttpClient(okHttp).build());
      if (apiKey != null) {
        sdk.apiKey(apiKey);
      } else {
        sdk.vertexAI(true)
            .project(Objects.requireNonNull(project))
            .location(Objects.requireNonNull(location));
      }
      return new GeminiModel(this, sdk.build(), true, okHttp);
    }

    /**
     * The OkHttp client given to the SDK: it captures error bodies for {@link GeminiException} and
     * hands stream bodies to {@link ChunkReader}, and has no timeouts unless set (as the SDK's own
     * client).
     */
    private OkHttpClient okHttp() {
      OkHttpClient.Builder b =
          new OkHttpClient.Builder()
              .addInterceptor(new ResponseCapture())
              .addNetworkInterceptor(new AttemptDeadline())
              .connectTimeout(Objects.requireNonNullElse(endpoint.connectTimeout(), Duration.ZERO))
              .readTimeout(Objects.requireNonNullElse(endpoint.readTimeout(), Duration.ZERO))
              .writeTimeout(Duration.ZERO)
              .retryOnConnectionFailure(false);
      if (endpoint.timeout() != null) {
        b.callTimeout(endpoint.timeout());
      }
      return b.build();
    }

    @Override
    public String toString() {
      return "GeminiModel.Builder[model="
          + model
          + (endpoint.baseUrl() == null ? "" : ", baseUrl=" + endpoint.baseUrl())
          + (endpoint.apiKey() == null ? "" : ", apiKey=<redacted>")
          + (project == null ? "" : ", vertexAi=" + project + "/" + location)
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
