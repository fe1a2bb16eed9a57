package dev.genaiprocessors.openai;

import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.ResponseFormatText;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputContent;
import com.openai.models.responses.ResponseInputFile;
import com.openai.models.responses.ResponseInputImage;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseInputText;
import com.openai.models.responses.ResponseTextConfig;
import com.openai.models.responses.ToolChoiceFunction;
import com.openai.models.responses.ToolChoiceOptions;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.PartData;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.CallIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Turns parts and settings into a Responses API request ({@code POST /v1/responses}): the mapping
 * of the content model onto Responses input items, in one place, as {@link Requests} does for Chat
 * Completions.
 */
final class ResponsesRequests {
  private ResponsesRequests() {}

  /**
   * The settings the Responses API does not have, by the name {@link ChatSettings} gives them, or
   * an empty list; {@link OpenAiModel.Builder#build()} refuses a model with any of them.
   */
  static List<String> unsupportedSettings(ChatSettings settings) {
    List<String> names = new ArrayList<>();
    if (!settings.stop().isEmpty()) {
      names.add("stop");
    }
    if (settings.seed() != null) {
      names.add("seed");
    }
    if (settings.presencePenalty() != null) {
      names.add("presencePenalty");
    }
    if (settings.frequencyPenalty() != null) {
      names.add("frequencyPenalty");
    }
    return names;
  }

  /** The request for {@code input}: model, instructions, settings and tools. */
  static ResponseCreateParams params(
      String model,
      ChatSettings settings,
      List<Requests.FunctionTool> tools,
      @Nullable String instructions,
      List<ResponseInputItem> input) {
    ResponseCreateParams.Builder b =
        ResponseCreateParams.builder().model(model).inputOfResponse(input);
    if (instructions != null) {
      b.instructions(instructions);
    }
    if (settings.temperature() != null) {
      b.temperature(settings.temperature());
    }
    if (settings.topP() != null) {
      b.topP(settings.topP());
    }
    if (settings.maxTokens() != null) {
      b.maxOutputTokens(settings.maxTokens());
    }
    if (settings.parallelToolCalls() != null) {
      b.parallelToolCalls(settings.parallelToolCalls());
    }
    if (settings.reasoningEffort() != null) {
      b.reasoning(
          Reasoning.builder().effort(ReasoningEffort.of(settings.reasoningEffort())).build());
    }
    String toolChoice = settings.toolChoice();
    if (toolChoice != null) {
      switch (toolChoice) {
        case "auto" -> b.toolChoice(ToolChoiceOptions.AUTO);
        case "none" -> b.toolChoice(ToolChoiceOptions.NONE);
        case "required" -> b.toolChoice(ToolChoiceOptions.REQUIRED);
        default -> b.toolChoice(ToolChoiceFunction.builder().name(toolChoice).build());
      }
    }
    ResponseFormat format = settings.responseFormat();
    if (format != null) {
      ResponseTextConfig.Builder text = ResponseTextConfig.builder();
      switch (format.type) {
        case TEXT -> text.format(ResponseFormatText.builder().build());
        case JSON_OBJECT -> text.format(ResponseFormatJsonObject.builder().build());
        case JSON_SCHEMA ->
            text.format(
                jsonSchema(
                    Objects.requireNonNull(format.name),
                    Objects.requireNonNull(format.schema),
                    format.strict));
        case JAVA_TYPE -> {
          // The same strict schema the Chat Completions path sends, derived once by the SDK.
          // The SDK holds the derived schema as raw JSON, so it is read back as plain JSON.
          ResponseFormatJsonSchema.JsonSchema derived =
              Requests.responseFormatFor(Objects.requireNonNull(format.javaType)).jsonSchema();
          Map<String, @Nullable Object> schema = new java.util.LinkedHashMap<>();
          Map<?, ?> json = ObjectMappers.jsonMapper().convertValue(derived._schema(), Map.class);
          json.forEach((k, v) -> schema.put(String.valueOf(k), v));
          text.format(jsonSchema(derived.name(), schema, derived.strict().orElse(true)));
        }
      }
      b.text(text.build());
    }
    for (Requests.FunctionTool tool : tools) {
      FunctionTool.Parameters.Builder parameters = FunctionTool.Parameters.builder();
      tool.parameters().forEach((k, v) -> parameters.putAdditionalProperty(k, JsonValue.from(v)));
      b.addTool(
          FunctionTool.builder()
              .name(tool.name())
              .description(tool.description())
              .parameters(parameters.build())
              // The Responses API makes a tool strict unless told otherwise, Chat Completions does
              // not: the same declaration means the same thing on both APIs.
              .strict(tool.strict() != null && tool.strict())
              .build());
    }
    return b.build();
  }

  private static ResponseFormatTextJsonSchemaConfig jsonSchema(
      String name, Map<String, @Nullable Object> schema, boolean strict) {
    ResponseFormatTextJsonSchemaConfig.Schema.Builder s =
        ResponseFormatTextJsonSchemaConfig.Schema.builder();
    schema.forEach((k, v) -> s.putAdditionalProperty(k, JsonValue.from(v)));
    return ResponseFormatTextJsonSchemaConfig.builder()
        .name(name)
        .schema(s.build())
        .strict(strict)
        .build();
  }

  // ---------------------------------------------------------------- input items

  /**
   * The input items for {@code parts}. Consecutive parts of one role form one message; adjacent
   * text parts are joined; a function call is a {@code function_call} item and a function response
   * a {@code function_call_output} item, paired by id (or, without one, with the earlier call of
   * the same name). Thoughts and empty text parts are left out.
   *
   * @throws IllegalArgumentException naming the part when it cannot be sent
   */
  static List<ResponseInputItem> input(List<ProcessorPart> parts) {
    ItemList list = new ItemList();
    for (ProcessorPart part : parts) {
      list.accept(part);
    }
    list.flush();
    return list.items;
  }

  /** Builds the item list one part at a time. */
  private static final class ItemList {
    final List<ResponseInputItem> items = new ArrayList<>();
    private @Nullable String role; // "user", "assistant", "system" or "developer"
    private final List<ResponseInputContent> content = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final CallIds callIds = new CallIds("call_");

    void accept(ProcessorPart part) {
      if (part.isThought() || (part.data() instanceof PartData.Text t && t.text().isEmpty())) {
        return;
      }
      if (part.data() instanceof FunctionResponse response) {
        flush();
        items.add(callOutput(response));
        return;
      }
      String partRole = Requests.role(part);
      if (!partRole.equals(role)) {
        flush();
        role = partRole;
      }
      switch (part.data()) {
        case FunctionCall call -> {
          if (!partRole.equals("assistant")) {
            throw new IllegalArgumentException(
                "a function call must come from the model but "
                    + call.name()
                    + " has role '"
                    + part.role()
                    + "'");
          }
          flush(); // the text before the call is a message of its own, before the call's item
          role = partRole;
          items.add(functionCall(call));
        }
        case PartData.Text t when part.isText() -> text.append(t.text());
        case PartData.Blob b when part.isText() -> text.append(part.text());
        default -> {
          if (!partRole.equals("user")) {
            throw new IllegalArgumentException(
                "OpenAI accepts "
                    + part.mimeType()
                    + " parts from the user only, but this one has role '"
                    + part.role()
                    + "'");
          }
          flushText();
          content.add(mediaContent(part));
        }
      }
    }

    void flush() {
      if (role == null) {
        return;
      }
      EasyInputMessage.Role messageRole =
          switch (role) {
            case "user" -> EasyInputMessage.Role.USER;
            case "assistant" -> EasyInputMessage.Role.ASSISTANT;
            case "system" -> EasyInputMessage.Role.SYSTEM;
            case "developer" -> EasyInputMessage.Role.DEVELOPER;
            default -> throw new IllegalStateException("unexpected role " + role);
          };
      if (!content.isEmpty()) {
        flushText();
        items.add(
            ResponseInputItem.ofEasyInputMessage(
                EasyInputMessage.builder()
                    .role(messageRole)
                    .contentOfResponseInputMessageContentList(List.copyOf(content))
                    .build()));
      } else if (!text.isEmpty()) {
        items.add(
            ResponseInputItem.ofEasyInputMessage(
                EasyInputMessage.builder().role(messageRole).content(text.toString()).build()));
      }
      role = null;
      text.setLength(0);
      content.clear();
    }

    private void flushText() {
      if (!text.isEmpty()) {
        content.add(
            ResponseInputContent.ofInputText(
                ResponseInputText.builder().text(text.toString()).build()));
        text.setLength(0);
      }
    }

    private ResponseInputItem functionCall(FunctionCall call) {
      String id = callIds.ofCall(call);
      return ResponseInputItem.ofFunctionCall(
          ResponseFunctionToolCall.builder()
              .callId(id)
              .name(call.name())
              .arguments(Requests.json(call.args(), "arguments of function call " + call.name()))
              .build());
    }

    private ResponseInputItem callOutput(FunctionResponse response) {
      String id = callIds.ofResponse(response, "OpenAI needs the call_id");
      if (response.response() == null) {
        throw new IllegalArgumentException(
            "function response "
                + response.name()
                + " holds "
                + response.parts().size()
                + " byte parts, which this model sends as text only");
      }
      return ResponseInputItem.ofFunctionCallOutput(
          ResponseInputItem.FunctionCallOutput.builder()
              .callId(id)
              .output(Requests.json(response.response(), "response of function " + response.name()))
              .build());
    }
  }

  /** An {@code input_image} or {@code input_file} content item. */
  private static ResponseInputContent mediaContent(ProcessorPart part) {
    String mime = MimeTypes.baseType(part.mimeType());
    boolean inline = part.data() instanceof PartData.Blob;
    String uri = part.data() instanceof PartData.FileData f ? f.uri() : "";
    if (!inline && !(part.data() instanceof PartData.FileData)) {
      throw unsupported(part);
    }
    if (MimeTypes.isImage(mime)) {
      ResponseInputImage.Builder image =
          ResponseInputImage.builder()
              .detail(
                  part.metadata("detail") instanceof String detail
                      ? ResponseInputImage.Detail.of(detail)
                      : ResponseInputImage.Detail.AUTO);
      if (inline) {
        image.imageUrl(Requests.dataUrl(mime, part.bytes()));
      } else if (isUrl(uri)) {
        image.imageUrl(uri);
      } else {
        image.fileId(uri); // an uploaded file's id, such as file-abc123
      }
      return ResponseInputContent.ofInputImage(image.build());
    }
    if (mime.equals(MimeTypes.APPLICATION_PDF)) {
      ResponseInputFile.Builder file = ResponseInputFile.builder();
      if (inline) {
        file.fileData(Requests.dataUrl(mime, part.bytes()));
        file.filename(
            part.data() instanceof PartData.Blob b && b.displayName() != null
                ? b.displayName()
                : "document.pdf");
      } else if (isUrl(uri)) {
        file.fileUrl(uri);
      } else {
        file.fileId(uri);
      }
      return ResponseInputContent.ofInputFile(file.build());
    }
    throw unsupported(part);
  }

  private static boolean isUrl(String uri) {
    return uri.startsWith("http://") || uri.startsWith("https://") || uri.startsWith("data:");
  }

  private static IllegalArgumentException unsupported(ProcessorPart part) {
    return new IllegalArgumentException(
        "the OpenAI Responses API cannot take a part of type "
            + part.mimeType()
            + " ("
            + part.data().getClass().getSimpleName()
            + "): it takes text,"
            + " images, PDF files, function calls and function responses (audio goes through"
            + " OpenAiApi.CHAT_COMPLETIONS)");
  }
}
