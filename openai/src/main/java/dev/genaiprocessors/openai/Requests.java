package dev.genaiprocessors.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.ResponseFormatText;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartInputAudio;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionDeveloperMessageParam;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionSystemMessageParam;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.PartData;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.CallIds;
import dev.genaiprocessors.model.DeclaredFunction;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns parts and settings into a Chat Completions request: the mapping of the content model onto
 * OpenAI's messages, in one place.
 */
final class Requests {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** A function the model may call. */
  record FunctionTool(
      String name,
      String description,
      Map<String, @Nullable Object> parameters,
      @Nullable Boolean strict) {}

  private Requests() {}

  /** The request for {@code messages}: model, settings, tools and stream options. */
  static ChatCompletionCreateParams params(
      String model,
      ChatSettings settings,
      List<FunctionTool> tools,
      boolean includeUsage,
      List<ChatCompletionMessageParam> messages) {
    ChatCompletionCreateParams.Builder b =
        ChatCompletionCreateParams.builder().model(model).messages(messages);
    if (includeUsage) {
      b.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    if (settings.temperature() != null) {
      b.temperature(settings.temperature());
    }
    if (settings.topP() != null) {
      b.topP(settings.topP());
    }
    if (settings.maxTokens() != null) {
      b.maxCompletionTokens(settings.maxTokens());
    }
    if (!settings.stop().isEmpty()) {
      b.stopOfStrings(settings.stop());
    }
    if (settings.seed() != null) {
      seed(b, settings.seed());
    }
    if (settings.presencePenalty() != null) {
      b.presencePenalty(settings.presencePenalty());
    }
    if (settings.frequencyPenalty() != null) {
      b.frequencyPenalty(settings.frequencyPenalty());
    }
    if (settings.parallelToolCalls() != null) {
      b.parallelToolCalls(settings.parallelToolCalls());
    }
    if (settings.reasoningEffort() != null) {
      b.reasoningEffort(ReasoningEffort.of(settings.reasoningEffort()));
    }
    String toolChoice = settings.toolChoice();
    if (toolChoice != null) {
      switch (toolChoice) {
        case "auto" -> b.toolChoice(ChatCompletionToolChoiceOption.Auto.AUTO);
        case "none" -> b.toolChoice(ChatCompletionToolChoiceOption.Auto.NONE);
        case "required" -> b.toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED);
        default ->
            b.toolChoice(
                ChatCompletionNamedToolChoice.builder()
                    .function(
                        ChatCompletionNamedToolChoice.Function.builder().name(toolChoice).build())
                    .build());
      }
    }
    ResponseFormat format = settings.responseFormat();
    if (format != null) {
      switch (format.type) {
        case TEXT -> b.responseFormat(ResponseFormatText.builder().build());
        case JSON_OBJECT -> b.responseFormat(ResponseFormatJsonObject.builder().build());
        case JSON_SCHEMA -> {
          ResponseFormatJsonSchema.JsonSchema.Schema.Builder schema =
              ResponseFormatJsonSchema.JsonSchema.Schema.builder();
          java.util.Objects.requireNonNull(format.schema)
              .forEach((k, v) -> schema.putAdditionalProperty(k, JsonValue.from(v)));
          b.responseFormat(
              ResponseFormatJsonSchema.builder()
                  .jsonSchema(
                      ResponseFormatJsonSchema.JsonSchema.builder()
                          .name(java.util.Objects.requireNonNull(format.name))
                          .schema(schema.build())
                          .strict(format.strict)
                          .build())
                  .build());
        }
        case JAVA_TYPE ->
            b.responseFormat(responseFormatFor(java.util.Objects.requireNonNull(format.javaType)));
      }
    }
    for (FunctionTool tool : tools) {
      FunctionParameters.Builder parameters = FunctionParameters.builder();
      tool.parameters().forEach((k, v) -> parameters.putAdditionalProperty(k, JsonValue.from(v)));
      FunctionDefinition.Builder function =
          FunctionDefinition.builder()
              .name(tool.name())
              .description(tool.description())
              .parameters(parameters.build());
      if (tool.strict() != null) {
        function.strict(tool.strict());
      }
      b.addTool(ChatCompletionFunctionTool.builder().function(function.build()).build());
    }
    return b.build();
  }

  /** The tool a function-declaration part declares (see {@link DeclaredFunction#of}). */
  // OpenAI marks seed as deprecated (best effort, may go away) but still honours it; users who
  // set one expect it sent.
  @SuppressWarnings("deprecation")
  private static void seed(ChatCompletionCreateParams.Builder b, long seed) {
    b.seed(seed);
  }

  static FunctionTool declaredTool(ProcessorPart part) {
    DeclaredFunction declared = DeclaredFunction.of(part);
    return new FunctionTool(
        declared.name(), declared.description(), declared.parameters(), declared.strict());
  }

  /** The strict JSON-schema response format the SDK derives from {@code type}. */
  static ResponseFormatJsonSchema responseFormatFor(Class<?> type) {
    try {
      // The SDK's derivation (victools, checked against OpenAI's schema rules) is reached through
      // its structured-params builder; the placeholder model and message are dropped.
      return ChatCompletionCreateParams.builder()
          .model("placeholder")
          .addUserMessage("placeholder")
          .responseFormat(type)
          .build()
          .rawParams()
          .responseFormat()
          .orElseThrow()
          .asJsonSchema();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot derive a JSON schema for OpenAI from " + type.getName() + ": " + e.getMessage(),
          e);
    }
  }

  // ---------------------------------------------------------------- messages

  /**
   * The messages for {@code parts}. Consecutive parts of one role form one message; adjacent text
   * parts are joined (a streamed answer fed back is one text, not hundreds of deltas); function
   * calls join the assistant message they follow; each function response is a {@code tool} message.
   * Thoughts and empty text parts (end-of-turn markers) are left out.
   *
   * @throws IllegalArgumentException naming the part when it cannot be sent
   */
  static List<ChatCompletionMessageParam> messages(
      List<ProcessorPart> parts, @Nullable String systemInstruction) {
    MessageList list = new MessageList();
    if (systemInstruction != null) {
      list.add(
          ChatCompletionMessageParam.ofSystem(
              ChatCompletionSystemMessageParam.builder().content(systemInstruction).build()));
    }
    for (ProcessorPart part : parts) {
      list.accept(part);
    }
    list.flush();
    return list.messages;
  }

  /** Builds the message list one part at a time. */
  private static final class MessageList {
    final List<ChatCompletionMessageParam> messages = new ArrayList<>();
    private @Nullable String role; // "user", "assistant", "system" or "developer"
    private final List<ChatCompletionContentPart> content = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final List<ChatCompletionMessageFunctionToolCall> toolCalls = new ArrayList<>();
    private final CallIds callIds = new CallIds("call_");

    void add(ChatCompletionMessageParam message) {
      messages.add(message);
    }

    void accept(ProcessorPart part) {
      if (part.isThought() || (part.data() instanceof PartData.Text t && t.text().isEmpty())) {
        return;
      }
      if (part.data() instanceof FunctionResponse response) {
        flush();
        messages.add(toolMessage(response));
        return;
      }
      String partRole = role(part);
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
          toolCalls.add(toolCall(call));
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
          content.add(mediaPart(part));
        }
      }
    }

    void flush() {
      if (role == null) {
        return;
      }
      switch (role) {
        case "user" -> {
          if (content.isEmpty()) {
            if (!text.isEmpty()) {
              messages.add(
                  ChatCompletionMessageParam.ofUser(
                      ChatCompletionUserMessageParam.builder().content(text.toString()).build()));
            }
          } else {
            flushText();
            messages.add(
                ChatCompletionMessageParam.ofUser(
                    ChatCompletionUserMessageParam.builder()
                        .contentOfArrayOfContentParts(List.copyOf(content))
                        .build()));
          }
        }
        case "assistant" -> {
          if (!text.isEmpty() || !toolCalls.isEmpty()) {
            ChatCompletionAssistantMessageParam.Builder assistant =
                ChatCompletionAssistantMessageParam.builder();
            if (!text.isEmpty()) {
              assistant.content(text.toString());
            }
            toolCalls.forEach(assistant::addToolCall);
            messages.add(ChatCompletionMessageParam.ofAssistant(assistant.build()));
          }
        }
        case "system" -> {
          if (!text.isEmpty()) {
            messages.add(
                ChatCompletionMessageParam.ofSystem(
                    ChatCompletionSystemMessageParam.builder().content(text.toString()).build()));
          }
        }
        case "developer" -> {
          if (!text.isEmpty()) {
            messages.add(
                ChatCompletionMessageParam.ofDeveloper(
                    ChatCompletionDeveloperMessageParam.builder()
                        .content(text.toString())
                        .build()));
          }
        }
        default -> throw new IllegalStateException("unexpected role " + role);
      }
      role = null;
      text.setLength(0);
      content.clear();
      toolCalls.clear();
    }

    private void flushText() {
      if (!text.isEmpty()) {
        content.add(
            ChatCompletionContentPart.ofText(
                ChatCompletionContentPartText.builder().text(text.toString()).build()));
        text.setLength(0);
      }
    }

    private ChatCompletionMessageFunctionToolCall toolCall(FunctionCall call) {
      String id = callIds.ofCall(call);
      return ChatCompletionMessageFunctionToolCall.builder()
          .id(id)
          .function(
              ChatCompletionMessageFunctionToolCall.Function.builder()
                  .name(call.name())
                  .arguments(json(call.args(), "arguments of function call " + call.name()))
                  .build())
          .build();
    }

    private ChatCompletionMessageParam toolMessage(FunctionResponse response) {
      String id = callIds.ofResponse(response, "OpenAI needs the tool_call_id");
      if (response.response() == null) {
        throw new IllegalArgumentException(
            "function response "
                + response.name()
                + " holds "
                + response.parts().size()
                + " byte parts, which Chat Completions tool messages cannot"
                + " carry (text only)");
      }
      return ChatCompletionMessageParam.ofTool(
          ChatCompletionToolMessageParam.builder()
              .toolCallId(id)
              .content(json(response.response(), "response of function " + response.name()))
              .build());
    }
  }

  /** OpenAI's message role for a part's role. */
  static String role(ProcessorPart part) {
    String role = part.role().toLowerCase(Locale.ROOT);
    return switch (role) {
      case "", "user" -> "user";
      case "model", "assistant" -> "assistant";
      case "system" -> "system";
      case "developer" -> "developer";
      default ->
          throw new IllegalArgumentException(
              "OpenAI knows the roles user, model (assistant),"
                  + " system and developer, but a part has role '"
                  + part.role()
                  + "'");
    };
  }

  /** An image, audio or file content part. */
  private static ChatCompletionContentPart mediaPart(ProcessorPart part) {
    String mime = MimeTypes.baseType(part.mimeType());
    boolean inline = part.data() instanceof PartData.Blob;
    String uri = part.data() instanceof PartData.FileData f ? f.uri() : "";
    if (!inline && !(part.data() instanceof PartData.FileData)) {
      throw unsupported(part);
    }
    if (MimeTypes.isImage(mime)) {
      String url = inline ? dataUrl(mime, part.bytes()) : uri;
      ChatCompletionContentPartImage.ImageUrl.Builder image =
          ChatCompletionContentPartImage.ImageUrl.builder().url(url);
      if (part.metadata("detail") instanceof String detail) {
        image.detail(ChatCompletionContentPartImage.ImageUrl.Detail.of(detail));
      }
      return ChatCompletionContentPart.ofImageUrl(
          ChatCompletionContentPartImage.builder().imageUrl(image.build()).build());
    }
    if (MimeTypes.isAudio(mime)) {
      ChatCompletionContentPartInputAudio.InputAudio.Format format =
          switch (mime) {
            case "audio/wav", "audio/x-wav", "audio/wave" ->
                ChatCompletionContentPartInputAudio.InputAudio.Format.WAV;
            case "audio/mp3", "audio/mpeg" ->
                ChatCompletionContentPartInputAudio.InputAudio.Format.MP3;
            default ->
                throw new IllegalArgumentException(
                    "OpenAI accepts wav or mp3 audio but a part is " + part.mimeType());
          };
      if (!inline) {
        throw new IllegalArgumentException(
            "OpenAI accepts audio as bytes only but a part refers to " + uri);
      }
      return ChatCompletionContentPart.ofInputAudio(
          ChatCompletionContentPartInputAudio.builder()
              .inputAudio(
                  ChatCompletionContentPartInputAudio.InputAudio.builder()
                      .data(Base64.getEncoder().encodeToString(part.bytes()))
                      .format(format)
                      .build())
              .build());
    }
    if (mime.equals(MimeTypes.APPLICATION_PDF)) {
      ChatCompletionContentPart.File.FileObject.Builder file =
          ChatCompletionContentPart.File.FileObject.builder();
      if (inline) {
        file.fileData(dataUrl(mime, part.bytes()));
        file.filename(
            part.data() instanceof PartData.Blob b && b.displayName() != null
                ? b.displayName()
                : "document.pdf");
      } else {
        file.fileId(uri); // an uploaded file's id, such as file-abc123
      }
      return ChatCompletionContentPart.ofFile(
          ChatCompletionContentPart.File.builder().file(file.build()).build());
    }
    throw unsupported(part);
  }

  private static IllegalArgumentException unsupported(ProcessorPart part) {
    return new IllegalArgumentException(
        "OpenAI Chat Completions cannot take a part of type "
            + part.mimeType()
            + " ("
            + part.data().getClass().getSimpleName()
            + "): it takes text,"
            + " images, wav/mp3 audio, PDF files, function calls and function responses");
  }

  static String dataUrl(String mime, byte[] bytes) {
    return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  static String json(@Nullable Object value, String what) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the " + what + " as JSON", e);
    }
  }
}
