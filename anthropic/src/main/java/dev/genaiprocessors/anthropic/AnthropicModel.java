package dev.genaiprocessors.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.Timeout;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.genaiprocessors.FunctionCall;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An Anthropic Claude model as a processor: it reads the whole input as one conversation, sends it
 * to the Messages API with streaming on, and emits the answer as it arrives. It runs on Anthropic's
 * official Java SDK.
 *
 * <pre>{@code
 * try (AnthropicModel claude = AnthropicModel.builder()
 *     .model("claude-sonnet-4-5")
 *     .apiKey(System.getenv("ANTHROPIC_API_KEY"))
 *     .systemInstruction("You are a concise assistant.")
 *     .settings(MessageSettings.builder().maxTokens(1024).temperature(0.2).build())
 *     .build();
 *     ProcessorStream answer = claude.apply("Tell me a joke")) {  // closing it ends the call
 *   for (ProcessorPart part : answer) {
 *     System.out.print(part.text());   // text deltas, as they arrive
 *   }
 * }
 * }</pre>
 *
 * <p><b>Input.</b> Parts with role {@code system} are gathered, in order, into the request's {@code
 * system} prompt, after {@link Builder#systemInstruction}. The others become messages: role {@code
 * user} (or none) as {@code user}, {@code model} or {@code assistant} as {@code assistant};
 * consecutive parts of one role form one message with several content blocks, adjacent text parts
 * joined into one text block. Images (jpeg, png, gif, webp) and PDFs go as base64 blocks when they
 * are bytes and as URL blocks when they are {@link ProcessorPart#fromUri URIs}; function calls
 * become {@code tool_use} blocks and function responses {@code tool_result} blocks, paired by id
 * (or, without one, with the earlier call of the same name; a response holding an {@code error} is
 * sent with {@code is_error}). Thought parts the model emitted go back as {@code thinking} blocks
 * with their signature, and redacted thinking as it came; thoughts without a signature (of another
 * vendor, say) and empty text parts (end-of-turn markers) are left out. Function declaration parts
 * (the {@code tools} module's {@code FunctionDeclaration.toPart()}, which its {@code
 * FunctionCalling} loop sends) are offered as tools, beside those of {@link Builder#function}.
 * Parts on the {@code status}, {@code debug} and {@code ui} substreams pass straight to the output.
 * An empty conversation sends nothing and emits nothing. A part that cannot be sent fails the run
 * with an {@link IllegalArgumentException} naming it.
 *
 * <p><b>Prompt caching.</b> A part whose metadata {@value #CACHE_CONTROL} is {@code "ephemeral"}
 * (or {@code {"type": "ephemeral", "ttl": "1h"}}) puts a cache breakpoint on its content block:
 * {@code ProcessorPart.text(longDocument).withMetadata(AnthropicModel.CACHE_CONTROL, "ephemeral")}.
 *
 * <p><b>Output</b>, all with role {@code model}: one text part per {@code text_delta}, as it
 * arrives; extended thinking ({@link MessageSettings.Builder#thinkingBudget}) as thought parts, one
 * per {@code thinking_delta}, the last of each block carrying the block's signature in its metadata
 * ({@value #THINKING_SIGNATURE}) and as its {@link ProcessorPart#thoughtSignature()}, so that
 * sending the parts back in a later turn round-trips the block; redacted thinking as an empty
 * thought part with metadata {@value #REDACTED_THINKING}; each {@code tool_use} block as a
 * function-call part ({@link FunctionCall} with the block's id) as soon as its input JSON is
 * complete; and last an empty text part whose metadata holds {@link #FINISH_REASON} (the {@code
 * stop_reason}: {@code end_turn}, {@code tool_use}, {@code max_tokens}, ...), {@link #MODEL},
 * {@link #RESPONSE_ID} (the message id), {@link #STOP_SEQUENCE} when one matched, {@link #USAGE}
 * (read it with {@link TokenUsage#of}: prompt tokens count the input and both cache counts, cached
 * tokens the cache reads, cache-creation tokens the cache writes) and {@code turn_complete=true}.
 * {@code model.apply(prompt).text()} gathers the whole answer.
 *
 * <p><b>Errors.</b> Failures of the call arrive as an {@link AnthropicException} (kind, status,
 * error type, request id, retry hint; never the API key), thrown to the caller as itself, the model
 * named in it ({@code ProcessorException.stageOf}): 429 is {@link
 * AnthropicException.Kind#RATE_LIMITED}, 529 and an in-stream {@code overloaded_error} event {@link
 * AnthropicException.Kind#OVERLOADED}, never error text in the stream. A stream that ends or breaks
 * before {@code message_stop} is an error too ({@link AnthropicException.Kind#STREAM_INTERRUPTED}),
 * since the answer is incomplete; a malformed event is {@link
 * AnthropicException.Kind#INVALID_RESPONSE}, and so is a 200 whose {@code Content-Type} is not
 * {@code text/event-stream} (a proxy's or captive portal's page; a missing one is read as a
 * stream), not retryable, quoting the start of what came. {@link Builder#timeout} bounds the whole
 * call, retries included ({@link AnthropicException.Kind#TIMEOUT}).
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
public final class AnthropicModel implements Processor, SdkRetries, AutoCloseable {
  /**
   * Metadata key of the final part: why the model stopped ({@code end_turn}, {@code tool_use},
   * ...).
   */
  public static final String FINISH_REASON = ModelOutput.FINISH_REASON;

  /** Metadata key of the final part: the model that answered, as the server names it. */
  public static final String MODEL = ModelOutput.MODEL;

  /** Metadata key of the final part: the message's id ({@code msg_...}). */
  public static final String RESPONSE_ID = ModelOutput.RESPONSE_ID;

  /**
   * Metadata key of the final part: the custom stop sequence that ended the answer, when one did.
   */
  public static final String STOP_SEQUENCE = "stop_sequence";

  /** Metadata key of the final part: the token counts, a map read by {@link TokenUsage#of}. */
  public static final String USAGE = ModelOutput.USAGE;

  /**
   * Metadata key of an input part asking for a prompt-cache breakpoint on its content block: {@code
   * "ephemeral"} or {@code {"type": "ephemeral", "ttl": "5m" | "1h"}}.
   */
  public static final String CACHE_CONTROL = Requests.CACHE_CONTROL;

  /** Metadata key of a thought part: the signature of the thinking block it ends. */
  public static final String THINKING_SIGNATURE = Requests.THINKING_SIGNATURE;

  /** Metadata key of a thought part: the opaque data of a redacted thinking block. */
  public static final String REDACTED_THINKING = Requests.REDACTED_THINKING;

  private static final String ROLE = "model";

  /** The retries anthropic-java makes when told nothing. */
  private static final int SDK_DEFAULT_RETRIES = 2;

  private final String model;
  private final AnthropicClient client;
  private final boolean ownsClient;
  private final @Nullable String apiKey;
  private final @Nullable String baseUrl;
  private final MessageSettings settings;
  private final List<Requests.FunctionTool> tools;
  private final @Nullable String systemInstruction;
  private final @Nullable Duration timeout;
  private final int sdkMaxRetries;
  private final boolean sdkMaxRetriesChosen;

  private AnthropicModel(Builder b, AnthropicClient client, boolean ownsClient) {
    this.model = Objects.requireNonNull(b.model);
    this.client = client;
    this.ownsClient = ownsClient;
    this.apiKey = b.endpoint.apiKey();
    this.baseUrl = b.endpoint.baseUrl();
    this.settings = b.settings;
    this.tools = List.copyOf(b.tools);
    this.systemInstruction = b.systemInstruction;
    this.timeout = b.endpoint.timeout();
    Integer retries = b.endpoint.maxRetries();
    // A client of the caller's own is taken to retry as the SDK does by default.
    this.sdkMaxRetries = retries == null ? SDK_DEFAULT_RETRIES : retries;
    this.sdkMaxRetriesChosen = retries != null;
  }

  /** {@code from} on {@code client}, which it does not own, whose SDK retries are off. */
  private AnthropicModel(AnthropicModel from, AnthropicClient client) {
    this.model = from.model;
    this.client = client;
    this.ownsClient = false;
    this.apiKey = from.apiKey;
    this.baseUrl = from.baseUrl;
    this.settings = from.settings;
    this.tools = from.tools;
    this.systemInstruction = from.systemInstruction;
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

  /** The generation settings every request carries. */
  public MessageSettings settings() {
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
  public AnthropicModel withoutSdkRetries() {
    return sdkMaxRetries == 0
        ? this
        : new AnthropicModel(this, client.withOptions(o -> o.maxRetries(0)));
  }

  @Override
  public String name() {
    return "AnthropicModel(" + model + ")";
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
    Requests.Conversation conversation = Requests.conversation(parts, systemInstruction);
    if (conversation.messages().isEmpty()) {
      return;
    }
    MessageCreateParams params = Requests.params(model, settings, tools, conversation);
    Answer answer = new Answer(output);
    boolean answering = false;
    Map<String, List<String>> headers = Map.of();
    // The SDK builds, sends and retries the request and turns error statuses into exceptions; the
    // body is read by MessageEventReader, which skips the SDK's per-event tree and reflection work.
    // The deadline, current on this thread, bounds the SDK's attempts and waits (DeadlineBound).
    CallDeadline deadline = timeout == null ? null : CallDeadline.start(timeout);
    try (deadline;
        HttpResponseFor<StreamResponse<RawMessageStreamEvent>> raw =
            client.messages().withRawResponse().createStreaming(params)) {
      answering = true;
      headers = Errors.headersOf(raw.headers());
      EventStreams.check(Errors.contentType(headers), raw.body(), apiKey);
      new MessageEventReader(raw.body(), answer).readAll();
    } catch (CallDeadline.Exceeded e) {
      throw Errors.timedOut(model, e, headers, apiKey);
    } catch (com.anthropic.errors.AnthropicException e) {
      throw deadline != null && deadline.passed()
          ? Errors.timedOut(model, deadline.exceeded(e), headers, apiKey)
          : Errors.translate(e, model, answering, apiKey);
    } catch (EventStreams.NotAnEventStream e) {
      throw Errors.notAnEventStream(model, e.getMessage(), headers, apiKey);
    } catch (MessageEventReader.StreamError e) {
      throw Errors.streamError(model, e.type, e.vendorMessage, headers, apiKey);
    } catch (MessageEventReader.MalformedEvent e) {
      throw Errors.malformed(model, e.getMessage(), headers, apiKey);
    } catch (IOException e) {
      throw deadline != null && deadline.passed()
          ? Errors.timedOut(model, deadline.exceeded(e), headers, apiKey)
          : Errors.broken(model, e, headers, apiKey);
    }
    answer.finish();
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
    return "AnthropicModel[model="
        + model
        + (baseUrl == null ? "" : ", baseUrl=" + baseUrl)
        + (apiKey == null ? "" : ", apiKey=<redacted>")
        + ", "
        + settings
        + ", tools="
        + tools.stream().map(Requests.FunctionTool::name).toList()
        + "]";
  }

  /** A {@code tool_use} block being assembled from its input fragments. */
  private static final class PendingToolUse {
    final @Nullable String id;
    final String name;
    final StringBuilder input = new StringBuilder();

    PendingToolUse(@Nullable String id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  /** A {@code thinking} block: its last delta is held back until the signature arrives. */
  private static final class PendingThinking {
    @Nullable String heldDelta;
    final StringBuilder signature = new StringBuilder();
  }

  /** The answer of one call, assembled from its events and emitted as it goes. */
  private final class Answer implements MessageEventReader.Listener {
    private final PartSink output;
    private final Map<Long, Object> blocks = new HashMap<>(4);
    private @Nullable String messageId;
    private @Nullable String answeringModel;
    private @Nullable String stopReason;
    private @Nullable String stopSequence;
    private boolean stopped;
    private long inputTokens;
    private long outputTokens;
    private long cacheCreationTokens;
    private long cacheReadTokens;
    private boolean usageSeen;

    Answer(PartSink output) {
      this.output = output;
    }

    @Override
    public void messageStart(
        @Nullable String id, @Nullable String model, MessageEventReader.Usage usage) {
      messageId = id;
      answeringModel = model;
      if (usage.present()) {
        usageSeen = true;
        inputTokens = orZero(usage.input());
        outputTokens = orZero(usage.output());
        cacheCreationTokens = orZero(usage.cacheCreation());
        cacheReadTokens = orZero(usage.cacheRead());
      }
    }

    /** {@code message_delta} usage is cumulative; counts it leaves out keep their start values. */
    @Override
    public void messageDelta(
        @Nullable String stopReason,
        @Nullable String stopSequence,
        MessageEventReader.Usage usage) {
      if (stopReason != null) {
        this.stopReason = stopReason;
      }
      if (stopSequence != null) {
        this.stopSequence = stopSequence;
      }
      if (usage.present()) {
        usageSeen = true;
        if (usage.output() != null) {
          outputTokens = usage.output();
        }
        if (usage.input() != null) {
          inputTokens = usage.input();
        }
        if (usage.cacheCreation() != null) {
          cacheCreationTokens = usage.cacheCreation();
        }
        if (usage.cacheRead() != null) {
          cacheReadTokens = usage.cacheRead();
        }
      }
    }

    @Override
    public void messageStop() {
      stopped = true;
    }

    @Override
    public void textStart(long index, String text) {
      text(index, text);
    }

    @Override
    public void thinkingStart(long index, String text, String signature) {
      PendingThinking thinking = new PendingThinking();
      if (!text.isEmpty()) {
        thinking.heldDelta = text;
      }
      thinking.signature.append(signature);
      blocks.put(index, thinking);
    }

    @Override
    public void redactedThinking(long index, String data) {
      output.emit(
          ProcessorPart.text("")
              .withRole(ROLE)
              .withThought(true)
              .withMetadata(REDACTED_THINKING, data));
    }

    @Override
    public void toolUseStart(long index, @Nullable String id, @Nullable String name) {
      if (name == null || name.isBlank()) {
        throw Errors.invalid(model, "a tool_use block came without a name", apiKey);
      }
      blocks.put(index, new PendingToolUse(id, name));
    }

    @Override
    public void text(long index, String text) {
      if (!text.isEmpty()) {
        output.emit(ProcessorPart.text(text).withRole(ROLE));
      }
    }

    @Override
    public void thinking(long index, String text) {
      if (blocks.get(index) instanceof PendingThinking thinking) {
        if (thinking.heldDelta != null) {
          output.emit(ProcessorPart.text(thinking.heldDelta).withRole(ROLE).withThought(true));
        }
        thinking.heldDelta = text;
      }
    }

    @Override
    public void signature(long index, String signature) {
      if (blocks.get(index) instanceof PendingThinking thinking) {
        thinking.signature.append(signature);
      }
    }

    @Override
    public void inputJson(long index, String partialJson) {
      if (blocks.get(index) instanceof PendingToolUse toolUse) {
        toolUse.input.append(partialJson);
      }
    }

    private static long orZero(@Nullable Long count) {
      return count == null ? 0 : count;
    }

    @Override
    public void blockStop(long index) {
      Object block = blocks.remove(index);
      if (block instanceof PendingThinking thinking) {
        ProcessorPart part =
            ProcessorPart.text(thinking.heldDelta == null ? "" : thinking.heldDelta)
                .withRole(ROLE)
                .withThought(true);
        if (!thinking.signature.isEmpty()) {
          String signature = thinking.signature.toString();
          part =
              part.withMetadata(THINKING_SIGNATURE, signature)
                  .withThoughtSignature(signature.getBytes(StandardCharsets.UTF_8));
        }
        output.emit(part);
      } else if (block instanceof PendingToolUse toolUse) {
        output.emit(
            ProcessorPart.functionCall(new FunctionCall(toolUse.id, toolUse.name, input(toolUse)))
                .withRole(ROLE));
      }
    }

    private Map<String, @Nullable Object> input(PendingToolUse toolUse) {
      String text = toolUse.input.toString().strip();
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
              + toolUse.name
              + " with an input that is not"
              + " a JSON object: "
              + Requests.abbreviate(text),
          apiKey);
    }

    void finish() {
      if (!stopped) {
        throw Errors.truncated(model, "no message_stop", apiKey);
      }
      if (stopReason == null) {
        throw Errors.truncated(model, "no stop_reason", apiKey);
      }
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put(FINISH_REASON, stopReason);
      if (answeringModel != null) {
        metadata.put(MODEL, answeringModel);
      }
      if (messageId != null) {
        metadata.put(RESPONSE_ID, messageId);
      }
      if (stopSequence != null) {
        metadata.put(STOP_SEQUENCE, stopSequence);
      }
      if (usageSeen) {
        long prompt = inputTokens + cacheReadTokens + cacheCreationTokens;
        metadata.put(
            USAGE,
            new TokenUsage(
                    prompt,
                    outputTokens,
                    prompt + outputTokens,
                    cacheReadTokens,
                    cacheCreationTokens,
                    0)
                .toMetadata());
      }
      metadata.put(ProcessorPart.TURN_COMPLETE, true);
      output.emit(ProcessorPart.text("").withRole(ROLE).withMetadata(metadata));
    }
  }

  /**
   * Builds an {@link AnthropicModel}. Give it a model name and either the settings to build an SDK
   * client from (API key, base URL, timeouts, retries) or a {@link #client} of your own.
   */
  public static final class Builder {
    private @Nullable String model;
    private ModelEndpoint endpoint = ModelEndpoint.defaults();
    private @Nullable AnthropicClient client;
    private MessageSettings settings = MessageSettings.defaults();
    private final List<Requests.FunctionTool> tools = new ArrayList<>();
    private @Nullable String systemInstruction;

    private Builder() {}

    /** The model to call ({@code claude-sonnet-4-5}, {@code claude-haiku-4-5}, ...). Required. */
    public Builder model(String model) {
      this.model = notBlank("model", model);
      return this;
    }

    /**
     * The API key, sent as {@code x-api-key}. It is never shown in messages, logs or {@code
     * toString()}.
     */
    public Builder apiKey(String apiKey) {
      endpoint = endpoint.withApiKey(apiKey);
      return this;
    }

    /**
     * The API's base URL, without {@code /v1}: Anthropic's {@code https://api.anthropic.com} by
     * default; a proxy or a local test server otherwise.
     *
     * @throws IllegalArgumentException unless it is an absolute http or https URL
     */
    public Builder baseUrl(String baseUrl) {
      endpoint = endpoint.withBaseUrl(baseUrl);
      return this;
    }

    /**
     * The most a whole call may take: every attempt of the SDK's retries, the waits between them
     * and the streamed answer together (the SDK's default: 10 minutes per attempt). Once it has
     * passed no attempt starts and the call fails as {@link AnthropicException.Kind#TIMEOUT},
     * naming it. Each call has its own: under a retry decorator, each of its attempts.
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

    /** The most the server may stay silent: before the first byte and between events. */
    public Builder readTimeout(Duration readTimeout) {
      endpoint = endpoint.withReadTimeout(readTimeout);
      return this;
    }

    /**
     * How often the SDK retries a failed request (408, 409, 429, 5xx and 529, connection failures),
     * 2 by default. Left unset, a retrying {@code Resilience} that decorates this model turns the
     * SDK's retries off, so that one layer retries; set above 0, such a decorator refuses the
     * model.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder maxRetries(int maxRetries) {
      endpoint = endpoint.withMaxRetries(maxRetries);
      return this;
    }

    /**
     * An SDK client of your own, shared with other code, used instead of one built from the key,
     * URL and timeouts (which must then not be set). The model does not close it.
     */
    public Builder client(AnthropicClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The generation settings of every request ({@link MessageSettings#defaults()} by default). */
    public Builder settings(MessageSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** A system prompt put before the system parts of every conversation. */
    public Builder systemInstruction(String systemInstruction) {
      this.systemInstruction = Objects.requireNonNull(systemInstruction, "systemInstruction");
      return this;
    }

    /**
     * Declares a function the model may call, with its parameters' JSON schema (plain maps and
     * lists, for example from a schema generator), sent as a tool's {@code input_schema}.
     *
     * @throws IllegalArgumentException when the name is not 1 to 64 letters, digits, {@code _} or
     *     {@code -}, or is declared twice
     */
    public Builder function(String name, String description, Map<String, ?> parameters) {
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
      tools.add(new Requests.FunctionTool(name, description, copy));
      return this;
    }

    /**
     * The model.
     *
     * @throws IllegalStateException when the model name is missing, or neither an API key nor a
     *     client is given, or both a client and client settings are
     */
    public AnthropicModel build() {
      String apiKey = endpoint.apiKey();
      String baseUrl = endpoint.baseUrl();
      if (model == null) {
        throw new IllegalStateException("model is required (for example \"claude-sonnet-4-5\")");
      }
      if (client != null) {
        List<String> set = new ArrayList<>(endpoint.given());
        if (!set.isEmpty()) {
          throw new IllegalStateException(
              "with a client of your own, configure it there: "
                  + String.join(", ", set)
                  + " must not be set here");
        }
        return new AnthropicModel(this, client, false);
      }
      if (apiKey == null) {
        throw new IllegalStateException("apiKey is required without a client");
      }
      // The SDK applies its request timeout to each attempt alone: these hold the whole call to it.
      AnthropicOkHttpClient.Builder sdk =
          AnthropicOkHttpClient.builder()
              .apiKey(apiKey)
              .addInterceptor(new DeadlineBound.Attempts())
              .sleeper(new DeadlineBound.Waits());
      if (baseUrl != null) {
        sdk.baseUrl(baseUrl);
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
      return new AnthropicModel(this, sdk.build(), true);
    }

    @Override
    public String toString() {
      return "AnthropicModel.Builder[model="
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
