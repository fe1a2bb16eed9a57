package dev.genaiprocessors.anthropic;

import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.Base64PdfSource;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.DocumentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RedactedThinkingBlockParam;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.ThinkingBlockParam;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolChoiceAuto;
import com.anthropic.models.messages.ToolChoiceNone;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.anthropic.models.messages.UrlImageSource;
import com.anthropic.models.messages.UrlPdfSource;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.PartData;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.CallIds;
import dev.genaiprocessors.model.DeclaredFunction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns parts and settings into a Messages API request: the mapping of the content model onto
 * Anthropic's system prompt, messages and content blocks, in one place.
 */
final class Requests {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The metadata key that asks for a prompt-cache breakpoint on a part's content block. */
  static final String CACHE_CONTROL = "cache_control";

  /** The metadata key of a thinking block's signature, on the last thought part of the block. */
  static final String THINKING_SIGNATURE = "thinking_signature";

  /** The metadata key of a redacted thinking block's opaque data. */
  static final String REDACTED_THINKING = "redacted_thinking";

  private static final Set<String> IMAGE_TYPES =
      Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  /** A function the model may call. */
  record FunctionTool(String name, String description, Map<String, @Nullable Object> parameters) {}

  /**
   * What one conversation becomes: the system blocks, the messages, and tools declared as parts.
   */
  record Conversation(
      List<TextBlockParam> system, List<Message> messages, List<FunctionTool> declaredTools) {}

  /** One message: its role and its content blocks. */
  record Message(boolean assistant, List<ContentBlockParam> content) {}

  private Requests() {}

  /** The request for {@code conversation}: model, settings, system prompt, tools and messages. */
  static MessageCreateParams params(
      String model, MessageSettings settings, List<FunctionTool> tools, Conversation conversation) {
    MessageCreateParams.Builder b =
        MessageCreateParams.builder().model(model).maxTokens(settings.maxTokens());
    if (!conversation.system().isEmpty()) {
      b.systemOfTextBlockParams(conversation.system());
    }
    for (Message message : conversation.messages()) {
      if (message.assistant()) {
        b.addAssistantMessageOfContentBlockParams(message.content());
      } else {
        b.addUserMessageOfContentBlockParams(message.content());
      }
    }
    // The SDK's builder has no typed setters for the sampling settings: they go as body properties.
    if (settings.temperature() != null) {
      b.putAdditionalBodyProperty("temperature", JsonValue.from(settings.temperature()));
    }
    if (settings.topP() != null) {
      b.putAdditionalBodyProperty("top_p", JsonValue.from(settings.topP()));
    }
    if (settings.topK() != null) {
      b.putAdditionalBodyProperty("top_k", JsonValue.from(settings.topK()));
    }
    if (!settings.stopSequences().isEmpty()) {
      b.stopSequences(settings.stopSequences());
    }
    if (settings.thinkingBudget() != null) {
      b.thinking(ThinkingConfigEnabled.builder().budgetTokens(settings.thinkingBudget()).build());
    }
    String toolChoice = settings.toolChoice();
    if (toolChoice != null) {
      switch (toolChoice) {
        case "auto" -> b.toolChoice(ToolChoiceAuto.builder().build());
        case "any" -> b.toolChoice(ToolChoiceAny.builder().build());
        case "none" -> b.toolChoice(ToolChoiceNone.builder().build());
        default -> b.toolToolChoice(toolChoice);
      }
    }
    Map<String, FunctionTool> all = new LinkedHashMap<>();
    for (FunctionTool tool : tools) {
      all.put(tool.name(), tool);
    }
    for (FunctionTool tool : conversation.declaredTools()) {
      all.putIfAbsent(tool.name(), tool); // the builder's declaration wins
    }
    for (FunctionTool tool : all.values()) {
      b.addTool(tool(tool));
    }
    return b.build();
  }

  private static Tool tool(FunctionTool tool) {
    Tool.InputSchema.Builder schema = Tool.InputSchema.builder();
    // "type" is always "object" (the SDK writes it); everything else goes as it is.
    tool.parameters()
        .forEach(
            (key, value) -> {
              if (!key.equals("type")) {
                schema.putAdditionalProperty(key, JsonValue.from(value));
              }
            });
    Tool.Builder b = Tool.builder().name(tool.name()).inputSchema(schema.build());
    if (!tool.description().isEmpty()) {
      b.description(tool.description());
    }
    return b.build();
  }

  // ---------------------------------------------------------------- messages

  /**
   * The conversation for {@code parts}. System parts are gathered into the system prompt, after
   * {@code systemInstruction}; consecutive parts of one role form one message, whose adjacent text
   * parts are joined into one text block (a part with {@code cache_control} ends its block);
   * function calls become {@code tool_use} blocks of the assistant, function responses {@code
   * tool_result} blocks of the user; signed thoughts become {@code thinking} blocks. Unsigned
   * thoughts and empty text parts (end-of-turn markers) are left out.
   *
   * @throws IllegalArgumentException naming the part when it cannot be sent
   */
  static Conversation conversation(List<ProcessorPart> parts, @Nullable String systemInstruction) {
    Builder builder = new Builder();
    if (systemInstruction != null && !systemInstruction.isEmpty()) {
      builder.system.add(TextBlockParam.builder().text(systemInstruction).build());
    }
    for (ProcessorPart part : parts) {
      builder.accept(part);
    }
    builder.flush();
    return new Conversation(
        List.copyOf(builder.system),
        List.copyOf(builder.messages),
        List.copyOf(builder.declaredTools));
  }

  /** Builds the conversation one part at a time. */
  private static final class Builder {
    final List<TextBlockParam> system = new ArrayList<>();
    final List<Message> messages = new ArrayList<>();
    final List<FunctionTool> declaredTools = new ArrayList<>();
    private @Nullable Boolean assistant; // the role of the message being built; null: none yet
    private final List<ContentBlockParam> content = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private final CallIds callIds = new CallIds("toolu_genai_");

    void accept(ProcessorPart part) {
      if (!part.isThought()) {
        thinking.setLength(0); // unsigned thinking before this part is dropped
      }
      if (DeclaredFunction.isDeclaration(part)) {
        DeclaredFunction declared = DeclaredFunction.of(part);
        declaredTools.add(
            new FunctionTool(declared.name(), declared.description(), declared.parameters()));
        return;
      }
      String role = role(part);
      if (role.equals("system")) {
        acceptSystem(part);
        return;
      }
      if (part.data() instanceof FunctionResponse response) {
        startMessage(false);
        flushText();
        content.add(ContentBlockParam.ofToolResult(toolResult(response, cacheControl(part))));
        return;
      }
      if (part.data() instanceof FunctionCall call) {
        if (role.equals("user") && !part.role().isEmpty()) {
          throw new IllegalArgumentException(
              "a function call must come from the model but "
                  + call.name()
                  + " has role '"
                  + part.role()
                  + "'");
        }
        startMessage(true);
        flushText();
        content.add(ContentBlockParam.ofToolUse(toolUse(call, cacheControl(part))));
        return;
      }
      if (part.isThought()) {
        acceptThought(part, role);
        return;
      }
      if (part.data() instanceof PartData.Text t && t.text().isEmpty()) {
        return; // an end-of-turn marker, such as the model's final part
      }
      boolean isAssistant = role.equals("assistant");
      startMessage(isAssistant);
      CacheControlEphemeral cache = cacheControl(part);
      if (part.isText() && !(part.data() instanceof PartData.FileData)) {
        text.append(part.text());
        if (cache != null) {
          flushText(cache);
        }
        return;
      }
      if (isAssistant) {
        throw new IllegalArgumentException(
            "Anthropic accepts "
                + part.mimeType()
                + " parts from the user only, but this one has role '"
                + part.role()
                + "'");
      }
      flushText();
      content.add(mediaBlock(part, cache));
    }

    private void acceptSystem(ProcessorPart part) {
      if (!part.isText() || part.data() instanceof PartData.FileData) {
        throw new IllegalArgumentException(
            "Anthropic's system prompt takes text only, but a system"
                + " part is "
                + part.mimeType());
      }
      String value = part.text();
      if (value.isEmpty()) {
        return;
      }
      TextBlockParam.Builder block = TextBlockParam.builder().text(value);
      CacheControlEphemeral cache = cacheControl(part);
      if (cache != null) {
        block.cacheControl(cache);
      }
      system.add(block.build());
    }

    /**
     * A thought part of the model: its text joins the thinking block being built, which ends at the
     * part carrying the signature. A block that never gets one is dropped: Anthropic refuses
     * unsigned thinking (thoughts of another vendor, for example).
     */
    private void acceptThought(ProcessorPart part, String role) {
      if (!role.equals("assistant") && !part.role().isEmpty()) {
        return; // a user's "thought" has no meaning to Anthropic
      }
      if (part.metadata(REDACTED_THINKING) instanceof String data) {
        startMessage(true);
        flushText();
        thinking.setLength(0);
        content.add(
            ContentBlockParam.ofRedactedThinking(
                RedactedThinkingBlockParam.builder().data(data).build()));
        return;
      }
      if (part.isText()) {
        startMessage(true);
        flushText();
        thinking.append(part.text());
      }
      String signature = signature(part);
      if (signature != null) {
        startMessage(true);
        content.add(
            ContentBlockParam.ofThinking(
                ThinkingBlockParam.builder()
                    .thinking(thinking.toString())
                    .signature(signature)
                    .build()));
        thinking.setLength(0);
      }
    }

    private void startMessage(boolean isAssistant) {
      if (assistant != null && assistant == isAssistant) {
        return;
      }
      flush();
      assistant = isAssistant;
    }

    void flush() {
      flushText();
      thinking.setLength(0);
      if (assistant != null && !content.isEmpty()) {
        messages.add(new Message(assistant, List.copyOf(content)));
      }
      content.clear();
      assistant = null;
    }

    private void flushText() {
      flushText(null);
    }

    private void flushText(@Nullable CacheControlEphemeral cache) {
      if (text.isEmpty()) {
        return;
      }
      TextBlockParam.Builder block = TextBlockParam.builder().text(text.toString());
      if (cache != null) {
        block.cacheControl(cache);
      }
      content.add(ContentBlockParam.ofText(block.build()));
      text.setLength(0);
    }

    private ToolUseBlockParam toolUse(FunctionCall call, @Nullable CacheControlEphemeral cache) {
      String id = callIds.ofCall(call);
      ToolUseBlockParam.Input.Builder input = ToolUseBlockParam.Input.builder();
      call.args().forEach((key, value) -> input.putAdditionalProperty(key, JsonValue.from(value)));
      ToolUseBlockParam.Builder block =
          ToolUseBlockParam.builder().id(id).name(call.name()).input(input.build());
      if (cache != null) {
        block.cacheControl(cache);
      }
      return block.build();
    }

    private ToolResultBlockParam toolResult(
        FunctionResponse response, @Nullable CacheControlEphemeral cache) {
      String id = callIds.ofResponse(response, "Anthropic needs the tool_use_id");
      ToolResultBlockParam.Builder block = ToolResultBlockParam.builder().toolUseId(id);
      if (response.response() != null) {
        block.content(json(response.response(), "response of function " + response.name()));
      } else {
        List<ToolResultBlockParam.Content.Block> blocks = new ArrayList<>();
        for (ProcessorPart part : response.parts()) {
          ContentBlockParam media = mediaBlock(part, null);
          if (media.isImage()) {
            blocks.add(ToolResultBlockParam.Content.Block.ofImage(media.asImage()));
          } else {
            blocks.add(ToolResultBlockParam.Content.Block.ofDocument(media.asDocument()));
          }
        }
        block.contentOfBlocks(blocks);
      }
      if (response.isError()) {
        block.isError(true);
      }
      if (cache != null) {
        block.cacheControl(cache);
      }
      return block.build();
    }
  }

  /** Anthropic's role for a part's role: {@code user}, {@code assistant} or {@code system}. */
  private static String role(ProcessorPart part) {
    String role = part.role().toLowerCase(Locale.ROOT);
    return switch (role) {
      case "", "user" -> "user";
      case "model", "assistant" -> "assistant";
      case "system" -> "system";
      default ->
          throw new IllegalArgumentException(
              "Anthropic knows the roles user, model"
                  + " (assistant) and system, but a part has role '"
                  + part.role()
                  + "'");
    };
  }

  /** The thinking signature a part carries: its metadata, else its thought signature bytes. */
  private static @Nullable String signature(ProcessorPart part) {
    if (part.metadata(THINKING_SIGNATURE) instanceof String signature && !signature.isEmpty()) {
      return signature;
    }
    byte[] bytes = part.thoughtSignature();
    return bytes == null || bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * The {@code cache_control} a part asks for with its metadata: {@code "ephemeral"}, or a map
   * {@code {"type": "ephemeral", "ttl": "1h"}}; {@code null} when it asks for none.
   */
  static @Nullable CacheControlEphemeral cacheControl(ProcessorPart part) {
    Object value = part.metadata(CACHE_CONTROL);
    if (value == null || Boolean.FALSE.equals(value)) {
      return null;
    }
    if (value.equals("ephemeral") || Boolean.TRUE.equals(value)) {
      return CacheControlEphemeral.builder().build();
    }
    if (value instanceof Map<?, ?> map && "ephemeral".equals(map.get("type"))) {
      CacheControlEphemeral.Builder cache = CacheControlEphemeral.builder();
      if (map.get("ttl") instanceof String ttl) {
        cache.ttl(CacheControlEphemeral.Ttl.of(ttl));
      }
      return cache.build();
    }
    throw new IllegalArgumentException(
        "metadata cache_control must be \"ephemeral\" or"
            + " {\"type\": \"ephemeral\", \"ttl\": ...} but was "
            + value);
  }

  /** An image or document block. */
  private static ContentBlockParam mediaBlock(
      ProcessorPart part, @Nullable CacheControlEphemeral cache) {
    String mime = MimeTypes.baseType(part.mimeType());
    boolean inline = part.data() instanceof PartData.Blob;
    String uri = part.data() instanceof PartData.FileData f ? f.uri() : null;
    if (MimeTypes.isImage(mime) && (inline || uri != null)) {
      ImageBlockParam.Builder image = ImageBlockParam.builder();
      if (inline) {
        if (!IMAGE_TYPES.contains(mime)) {
          throw new IllegalArgumentException(
              "Anthropic accepts jpeg, png, gif and webp images but a"
                  + " part is "
                  + part.mimeType());
        }
        image.source(
            Base64ImageSource.builder()
                .data(Base64.getEncoder().encodeToString(part.bytes()))
                .mediaType(Base64ImageSource.MediaType.of(mime))
                .build());
      } else {
        image.source(UrlImageSource.builder().url(Objects.requireNonNull(uri)).build());
      }
      if (cache != null) {
        image.cacheControl(cache);
      }
      return ContentBlockParam.ofImage(image.build());
    }
    if (MimeTypes.isPdf(mime) && (inline || uri != null)) {
      DocumentBlockParam.Builder document = DocumentBlockParam.builder();
      if (inline) {
        document.source(
            Base64PdfSource.builder()
                .data(Base64.getEncoder().encodeToString(part.bytes()))
                .build());
        if (part.data() instanceof PartData.Blob b && b.displayName() != null) {
          document.title(b.displayName());
        }
      } else {
        document.source(UrlPdfSource.builder().url(Objects.requireNonNull(uri)).build());
      }
      if (cache != null) {
        document.cacheControl(cache);
      }
      return ContentBlockParam.ofDocument(document.build());
    }
    throw new IllegalArgumentException(
        "Anthropic Messages cannot take a part of type "
            + part.mimeType()
            + " ("
            + part.data().getClass().getSimpleName()
            + "): it takes text,"
            + " jpeg/png/gif/webp images, PDF documents, function calls and function responses");
  }

  private static String json(@Nullable Object value, String what) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the " + what + " as JSON", e);
    }
  }

  static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
