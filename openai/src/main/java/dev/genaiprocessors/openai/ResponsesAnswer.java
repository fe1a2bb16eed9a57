package dev.genaiprocessors.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.openai.core.JsonField;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.ChatModel;
import com.openai.models.ResponsesModel;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseError;
import com.openai.models.responses.ResponseErrorEvent;
import com.openai.models.responses.ResponseFunctionCallArgumentsDoneEvent;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.TokenUsage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The answer of one Responses API call, assembled from its stream events and emitted as it goes, in
 * the same parts the Chat Completions path emits (see {@link OpenAiModel}).
 *
 * <p>Finish reasons use the Chat Completions words so that code reading them works on both APIs:
 * {@code response.completed} is {@code tool_calls} when the answer called a function, else {@code
 * stop}; {@code response.incomplete} is {@code length} for {@code max_output_tokens}, {@code
 * content_filter} for {@code content_filter}, and the server's reason (or {@code incomplete})
 * otherwise.
 */
final class ResponsesAnswer {
  private static final String ROLE = "model";

  private final String model;
  private final @Nullable String apiKey;
  private final @Nullable Class<?> outputType;
  private final PartSink output;
  private final Map<String, List<String>> headers;

  /** Function calls announced by {@code response.output_item.added}, by item id. */
  private final Map<String, ResponseFunctionToolCall> announced = new HashMap<>();

  /** Item ids of the calls already emitted. */
  private final Set<String> emitted = new HashSet<>();

  private final @Nullable StringBuilder structured;
  private @Nullable String responseId;
  private @Nullable String answeringModel;
  private @Nullable String finishReason;
  private @Nullable TokenUsage usage;
  private boolean calledFunctions;

  ResponsesAnswer(
      String model,
      @Nullable String apiKey,
      @Nullable Class<?> outputType,
      PartSink output,
      Map<String, List<String>> headers) {
    this.model = model;
    this.apiKey = apiKey;
    this.outputType = outputType;
    this.output = output;
    this.headers = headers;
    this.structured = outputType == null ? null : new StringBuilder();
  }

  /**
   * Reads one event; unknown and uninteresting ones are skipped, as the reference asks. Null is
   * what the SDK hands on for {@code data: null}, which is malformed.
   */
  void accept(@Nullable ResponseStreamEvent event) {
    if (event == null) {
      throw Errors.malformed(model, "Responses", "an event is JSON null", headers, apiKey);
    }
    if (event.isOutputTextDelta()) {
      String delta = event.asOutputTextDelta().delta();
      if (!delta.isEmpty()) {
        if (structured != null) {
          structured.append(delta);
        } else {
          output.emit(ProcessorPart.text(delta).withRole(ROLE));
        }
      }
    } else if (event.isFunctionCallArgumentsDone()) {
      ResponseFunctionCallArgumentsDoneEvent done = event.asFunctionCallArgumentsDone();
      ResponseFunctionToolCall call = announced.get(done.itemId());
      if (call != null) {
        emitCall(done.itemId(), call.callId(), call.name(), done.arguments());
      }
    } else if (event.isOutputItemAdded()) {
      ResponseOutputItem item = event.asOutputItemAdded().item();
      if (item.isFunctionCall()) {
        ResponseFunctionToolCall call = item.asFunctionCall();
        announced.put(call.id().orElse(call.callId()), call);
      }
    } else if (event.isOutputItemDone()) {
      ResponseOutputItem item = event.asOutputItemDone().item();
      if (item.isFunctionCall()) {
        ResponseFunctionToolCall call = item.asFunctionCall();
        emitCall(call.id().orElse(call.callId()), call.callId(), call.name(), call.arguments());
      }
    } else if (event.isReasoningSummaryTextDelta()) {
      thought(event.asReasoningSummaryTextDelta().delta());
    } else if (event.isReasoningTextDelta()) {
      thought(event.asReasoningTextDelta().delta());
    } else if (event.isRefusalDelta()) {
      String refusal = event.asRefusalDelta().delta();
      if (!refusal.isEmpty()) {
        output.emit(ProcessorPart.text(refusal).withRole(ROLE).withMetadata("refusal", true));
      }
    } else if (event.isCreated()) {
      identify(event.asCreated().response());
    } else if (event.isCompleted()) {
      Response response = event.asCompleted().response();
      identify(response);
      usage(response);
      finishReason = calledFunctions ? "tool_calls" : "stop";
    } else if (event.isIncomplete()) {
      Response response = event.asIncomplete().response();
      identify(response);
      usage(response);
      String reason =
          response
              .incompleteDetails()
              .flatMap(Response.IncompleteDetails::reason)
              .map(r -> r.asString())
              .orElse("incomplete");
      finishReason =
          switch (reason) {
            case "max_output_tokens" -> "length";
            default -> reason;
          };
    } else if (event.isFailed()) {
      Response response = event.asFailed().response();
      ResponseError error = response._error().asKnown().orElse(null);
      throw Errors.streamFailed(
          model,
          "response.failed",
          error == null ? null : error._code().asKnown().map(c -> c.asString()).orElse(null),
          error == null ? null : error._message().asKnown().orElse(null),
          null,
          headers,
          apiKey);
    } else if (event.isError()) {
      ResponseErrorEvent error = event.asError();
      throw Errors.streamFailed(
          model,
          "an error event",
          error._code().asKnown().orElse(null),
          error._message().asKnown().orElse(null),
          error._param().asKnown().orElse(null),
          headers,
          apiKey);
    } else {
      requireType(event);
    }
  }

  /**
   * Lets an event of a type this SDK does not know pass (the API adds types), but not one without a
   * type at all: skipped quietly, such events would end the call as a stream cut short, which is
   * retried, when the server (or a proxy) sent something that is not a Responses stream.
   */
  private void requireType(ResponseStreamEvent event) {
    JsonValue json = event._json().orElse(null);
    if (json == null) {
      return;
    }
    JsonField<?> field = json; // JsonValue extends the raw JsonField: view it typed
    Map<String, JsonValue> object = field.asObject().orElse(null);
    JsonValue type = object == null ? null : object.get("type");
    if (type == null || ((JsonField<?>) type).asString().isEmpty()) {
      String text = json(json);
      throw Errors.malformed(
          model,
          "Responses",
          "an event is not a Responses stream event (it"
              + " has no type): "
              + (text.length() <= 120 ? text : text.substring(0, 120) + "..."),
          headers,
          apiKey);
    }
  }

  /** The JSON text of {@code value}, as the server sent it (give or take spacing). */
  private static String json(JsonValue value) {
    try {
      return ObjectMappers.jsonMapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return value.toString();
    }
  }

  private void thought(String delta) {
    if (!delta.isEmpty()) {
      output.emit(ProcessorPart.text(delta).withRole(ROLE).withThought(true));
    }
  }

  private void emitCall(String itemId, String callId, String name, String arguments) {
    if (!emitted.add(itemId)) {
      return; // announced by function_call_arguments.done already; output_item.done repeats it
    }
    if (name.isBlank()) {
      throw Errors.invalid(
          model, "a function call " + callId + " came without a function name", apiKey);
    }
    calledFunctions = true;
    output.emit(
        ProcessorPart.functionCall(
                new FunctionCall(
                    callId, name, OpenAiModel.arguments(model, name, arguments, apiKey)))
            .withRole(ROLE));
  }

  private void identify(Response response) {
    if (responseId == null) {
      responseId = response._id().asKnown().orElse(null);
    }
    ResponsesModel answered = response._model().asKnown().orElse(null);
    if (answered != null) {
      answeringModel =
          answered
              .string()
              .or(() -> answered.chat().map(ChatModel::asString))
              .or(() -> answered.only().map(only -> only.asString()))
              .orElse(answeringModel);
    }
  }

  private void usage(Response response) {
    ResponseUsage u = response._usage().asKnown().orElse(null);
    if (u == null) {
      return;
    }
    long input = u._inputTokens().asKnown().orElse(0L);
    long outputTokens = u._outputTokens().asKnown().orElse(0L);
    usage =
        new TokenUsage(
            input,
            outputTokens,
            u._totalTokens().asKnown().orElse(input + outputTokens),
            u._inputTokensDetails().asKnown().flatMap(d -> d._cachedTokens().asKnown()).orElse(0L),
            0,
            u._outputTokensDetails()
                .asKnown()
                .flatMap(d -> d._reasoningTokens().asKnown())
                .orElse(0L));
  }

  /**
   * Ends the answer: the typed JSON part of a structured answer, then the final part.
   *
   * @throws OpenAiException when the stream ended without {@code response.completed} (or {@code
   *     response.incomplete})
   */
  void finish() {
    if (finishReason == null) {
      throw Errors.truncated(model, "response.completed", headers, apiKey);
    }
    if (structured != null && outputType != null) {
      OpenAiModel.emitStructured(output, model, outputType, structured.toString(), apiKey);
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put(OpenAiModel.FINISH_REASON, finishReason);
    if (answeringModel != null) {
      metadata.put(OpenAiModel.MODEL, answeringModel);
    }
    if (responseId != null) {
      metadata.put(OpenAiModel.RESPONSE_ID, responseId);
    }
    if (usage != null) {
      metadata.put(OpenAiModel.USAGE, usage.toMetadata());
    }
    metadata.put(ProcessorPart.TURN_COMPLETE, true);
    output.emit(ProcessorPart.text("").withRole(ROLE).withMetadata(metadata));
  }
}
