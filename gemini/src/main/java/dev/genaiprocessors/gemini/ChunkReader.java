package dev.genaiprocessors.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.SseReader;
import dev.genaiprocessors.model.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code streamGenerateContent}'s answer ({@code alt=sse}: one {@code
 * GenerateContentResponse} per event) and hands each chunk, already turned into parts, to a {@link
 * Listener}.
 *
 * <p>The SDK decodes every chunk into a JSON tree, runs its response converter over it through
 * reflection and then builds typed objects, which on a fast stream costs more than the rest of the
 * call; this reader walks each chunk's bytes once with Jackson's streaming parser and keeps what
 * the model processor uses. The SDK still builds, authenticates, sends and retries the request and
 * maps HTTP errors. On an SDK client given to the builder, whose stream the model cannot reach,
 * {@link DecodedChunks} makes the same {@link Chunk}s of the SDK's decoded objects.
 *
 * <p>Fields may come in any order; unknown fields and part kinds are skipped. Only the first
 * candidate is read: the model never asks for more.
 */
final class ChunkReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, @Nullable Object>> MAP = new TypeReference<>() {};
  private static final String ROLE = "model";

  /** What one chunk says; a null field was not in it. */
  record Chunk(
      @Nullable String responseId,
      @Nullable String modelVersion,
      @Nullable TokenUsage usage,
      @Nullable String blockReason,
      @Nullable String blockMessage,
      List<ProcessorPart> parts,
      @Nullable String finishReason,
      @Nullable String finishMessage,
      List<Map<String, Object>> safetyRatings) {}

  /** Receives each chunk as it is read. */
  interface Listener {
    void chunk(Chunk chunk);
  }

  /** An {@code error} object sent as a chunk: the server gave up mid-stream. */
  static final class StreamError extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;
    final @Nullable String status;
    final @Nullable String vendorMessage;

    StreamError(int code, @Nullable String status, @Nullable String vendorMessage) {
      super(vendorMessage, null, false, false);
      this.code = code;
      this.status = status;
      this.vendorMessage = vendorMessage;
    }
  }

  /** A chunk that is not a {@code GenerateContentResponse} the processor can use. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String problem, @Nullable Throwable cause) {
      super(problem, cause, false, false);
    }
  }

  private ChunkReader() {}

  /**
   * Reads chunks to the end of the body.
   *
   * @throws IOException when reading fails (the stream was cut off, or timed out)
   * @throws StreamError when the server sent an {@code error} object
   * @throws Malformed when a chunk is not a usable {@code GenerateContentResponse}
   */
  static void readAll(InputStream in, Listener listener)
      throws IOException, StreamError, Malformed {
    SseReader events = new SseReader(in);
    while (events.next()) {
      listener.chunk(parse(events.data(), 0, events.dataLength()));
    }
  }

  /**
   * One chunk from its JSON.
   *
   * @throws StreamError when it is an {@code error} object
   * @throws Malformed when it is not a usable {@code GenerateContentResponse}, or one of its parts
   *     holds a value no part may have (a malformed MIME type or URI)
   */
  static Chunk parse(byte[] json, int offset, int length) throws StreamError, Malformed {
    try (JsonParser p = JSON.createParser(json, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new Malformed(
            "sent a chunk that is not a JSON object: " + preview(json, offset, length), null);
      }
      ChunkBuilder chunk = new ChunkBuilder();
      if (!chunk.response(p)) {
        // Skipped quietly, such a chunk would end the call as a stream cut short, which is retried.
        throw new Malformed(
            "sent a chunk with none of the fields of a GenerateContentResponse"
                + " (candidates, usageMetadata, modelVersion, responseId, promptFeedback): "
                + preview(json, offset, length),
            null);
      }
      if (p.nextToken() != null) {
        throw new Malformed(
            "sent a chunk with data after its JSON object: " + preview(json, offset, length), null);
      }
      return chunk.build();
    } catch (JsonProcessingException e) {
      throw new Malformed(
          "sent data that is not a GenerateContentResponse: " + preview(json, offset, length), e);
    } catch (IOException e) {
      // A parser over a byte array reads no I/O; only its JSON errors are IOExceptions.
      throw new Malformed("sent a chunk that could not be read: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      // The content model refused a value the server sent (a MIME type, a URI): the server's fault.
      throw new Malformed("sent a part that is not valid: " + e.getMessage(), e);
    }
  }

  private static String preview(byte[] json, int offset, int length) {
    String text = new String(json, offset, Math.min(length, 120), StandardCharsets.UTF_8);
    return length <= 120 ? text : text + "...";
  }

  /**
   * The part one Gemini {@code Part} makes, with role {@code model}: its data part ({@code other},
   * when it had a function call, inline or file data, or code), else its text (a thought when
   * flagged); null when it carries nothing (an empty text without a signature). A thought signature
   * stays on the part, on an empty text part when it came alone, so that it goes back next turn.
   */
  static @Nullable ProcessorPart assemble(
      @Nullable ProcessorPart other,
      @Nullable String text,
      boolean thought,
      byte @Nullable [] signature) {
    ProcessorPart part;
    if (other != null) {
      part = other;
    } else if (text != null && (!text.isEmpty() || signature != null)) {
      part = thought ? ProcessorPart.text(text).withThought(true) : ProcessorPart.text(text);
    } else if (signature != null) {
      part = ProcessorPart.text("");
    } else {
      return null;
    }
    return (signature == null ? part : part.withThoughtSignature(signature)).withRole(ROLE);
  }

  /** The fields of the chunk being read. */
  private static final class ChunkBuilder {
    private @Nullable String responseId;
    private @Nullable String modelVersion;
    private @Nullable TokenUsage usage;
    private @Nullable String blockReason;
    private @Nullable String blockMessage;
    private final List<ProcessorPart> parts = new ArrayList<>(2);
    private @Nullable String finishReason;
    private @Nullable String finishMessage;
    private List<Map<String, Object>> safetyRatings = List.of();
    private boolean firstCandidateRead;
    private boolean error;
    private int errorCode;
    private @Nullable String errorStatus;
    private @Nullable String errorMessage;

    Chunk build() throws StreamError {
      if (error) {
        throw new StreamError(errorCode, errorStatus, errorMessage);
      }
      return new Chunk(
          responseId,
          modelVersion,
          usage,
          blockReason,
          blockMessage,
          parts.isEmpty() ? List.of() : parts,
          finishReason,
          finishMessage,
          safetyRatings);
    }

    /** Reads a response's fields; returns whether it had any of a response's fields. */
    boolean response(JsonParser p) throws IOException, Malformed {
      boolean known = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "candidates" -> candidates(p, value);
          case "usageMetadata" -> usage = usage(p, value);
          case "modelVersion" -> modelVersion = text(p, value);
          case "responseId" -> responseId = text(p, value);
          case "promptFeedback" -> promptFeedback(p, value);
          case "error" -> error(p, value);
          default -> {
            p.skipChildren();
            continue;
          }
        }
        known = true;
      }
      return known;
    }

    private void candidates(JsonParser p, JsonToken value) throws IOException, Malformed {
      if (value != JsonToken.START_ARRAY) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (firstCandidateRead || p.currentToken() != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        firstCandidateRead = true;
        candidate(p);
      }
    }

    private void candidate(JsonParser p) throws IOException, Malformed {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "content" -> content(p, value);
          case "finishReason" -> finishReason = text(p, value);
          case "finishMessage" -> finishMessage = text(p, value);
          case "safetyRatings" -> safetyRatings = ratings(p, value);
          default -> p.skipChildren();
        }
      }
    }

    private void content(JsonParser p, JsonToken value) throws IOException, Malformed {
      if (value != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("parts") && v == JsonToken.START_ARRAY) {
          while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.START_OBJECT) {
              ProcessorPart part = part(p);
              if (part != null) {
                parts.add(part);
              }
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
    }

    /** One {@code Part}; null when it carries nothing to emit. */
    private static @Nullable ProcessorPart part(JsonParser p) throws IOException, Malformed {
      String text = null;
      boolean thought = false;
      byte[] signature = null;
      ProcessorPart other = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "text" -> text = text(p, v);
          case "thought" -> thought = v == JsonToken.VALUE_TRUE;
          case "thoughtSignature" -> signature = binary(p, v);
          case "functionCall" -> other = functionCall(p, v);
          case "inlineData" -> other = inlineData(p, v);
          case "fileData" -> other = fileData(p, v);
          case "executableCode" -> other = executableCode(p, v);
          case "codeExecutionResult" -> other = codeExecutionResult(p, v);
          default -> p.skipChildren();
        }
      }
      return assemble(other, text, thought, signature);
    }

    private static @Nullable ProcessorPart functionCall(JsonParser p, JsonToken value)
        throws IOException, Malformed {
      if (value != JsonToken.START_OBJECT) {
        p.skipChildren();
        return null;
      }
      String id = null;
      String name = null;
      Map<String, @Nullable Object> args = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "id" -> id = text(p, v);
          case "name" -> name = text(p, v);
          case "args" -> {
            if (v == JsonToken.START_OBJECT) {
              args = p.readValueAs(MAP);
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
      if (name == null || name.isBlank()) {
        throw new Malformed("sent a function call without a function name", null);
      }
      return ProcessorPart.functionCall(
          new FunctionCall(id, name, args == null ? new LinkedHashMap<>() : args));
    }

    private static @Nullable ProcessorPart inlineData(JsonParser p, JsonToken value)
        throws IOException, Malformed {
      if (value != JsonToken.START_OBJECT) {
        p.skipChildren();
        return null;
      }
      byte[] data = null;
      String mimeType = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "data" -> data = binary(p, v);
          case "mimeType" -> mimeType = text(p, v);
          default -> p.skipChildren();
        }
      }
      return ProcessorPart.blob(
          data == null ? new byte[0] : data,
          mimeType == null ? "application/octet-stream" : mimeType);
    }

    private static @Nullable ProcessorPart fileData(JsonParser p, JsonToken value)
        throws IOException {
      @Nullable String[] f = strings(p, value, "fileUri", "mimeType");
      return f == null
          ? null
          : ProcessorPart.fromUri(or(f[0], ""), or(f[1], "application/octet-stream"));
    }

    private static @Nullable ProcessorPart executableCode(JsonParser p, JsonToken value)
        throws IOException {
      @Nullable String[] f = strings(p, value, "code", "language");
      return f == null ? null : ProcessorPart.executableCode(or(f[0], ""), or(f[1], "PYTHON"));
    }

    private static @Nullable ProcessorPart codeExecutionResult(JsonParser p, JsonToken value)
        throws IOException {
      @Nullable String[] f = strings(p, value, "outcome", "output");
      return f == null
          ? null
          : ProcessorPart.codeExecutionResult(or(f[0], "OUTCOME_UNSPECIFIED"), or(f[1], ""));
    }

    /**
     * The two string fields {@code first} and {@code second} of an object (an element null when
     * absent), skipping the others; null when the value is not an object.
     */
    private static @Nullable String @Nullable [] strings(
        JsonParser p, JsonToken value, String first, String second) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        p.skipChildren();
        return null;
      }
      @Nullable String[] found = new String[2];
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals(first)) {
          found[0] = text(p, v);
        } else if (field.equals(second)) {
          found[1] = text(p, v);
        } else {
          p.skipChildren();
        }
      }
      return found;
    }

    private static String or(@Nullable String value, String otherwise) {
      return value == null ? otherwise : value;
    }

    private static List<Map<String, Object>> ratings(JsonParser p, JsonToken value)
        throws IOException {
      if (value != JsonToken.START_ARRAY) {
        p.skipChildren();
        return List.of();
      }
      List<Map<String, Object>> ratings = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        Map<String, Object> rating = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          switch (field) {
            case "category", "probability" -> {
              String text = text(p, v);
              if (text != null) {
                rating.put(field, text);
              }
            }
            case "blocked" -> {
              if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                rating.put(field, v == JsonToken.VALUE_TRUE);
              } else {
                p.skipChildren();
              }
            }
            default -> p.skipChildren();
          }
        }
        ratings.add(rating);
      }
      return ratings;
    }

    /**
     * The usage counts: completion is candidates plus thoughts, as the other vendors count it, and
     * the total is the server's when it sent one.
     */
    private static @Nullable TokenUsage usage(JsonParser p, JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        p.skipChildren();
        return null;
      }
      long prompt = 0;
      long candidates = 0;
      long thoughts = 0;
      long cached = 0;
      long total = -1;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "promptTokenCount" -> prompt = number(p, v);
          case "candidatesTokenCount" -> candidates = number(p, v);
          case "thoughtsTokenCount" -> thoughts = number(p, v);
          case "cachedContentTokenCount" -> cached = number(p, v);
          case "totalTokenCount" -> total = number(p, v);
          default -> p.skipChildren();
        }
      }
      long completion = candidates + thoughts;
      return new TokenUsage(
          prompt, completion, total < 0 ? prompt + completion : total, cached, 0, thoughts);
    }

    private void promptFeedback(JsonParser p, JsonToken value) throws IOException {
      @Nullable String[] f = strings(p, value, "blockReason", "blockReasonMessage");
      if (f != null) {
        blockReason = f[0];
        blockMessage = f[1];
      }
    }

    private void error(JsonParser p, JsonToken value) throws IOException {
      error = true;
      if (value != JsonToken.START_OBJECT) {
        errorMessage = text(p, value);
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "code" -> errorCode = (int) number(p, v);
          case "status" -> errorStatus = text(p, v);
          case "message" -> errorMessage = text(p, v);
          default -> p.skipChildren();
        }
      }
    }

    private static @Nullable String text(JsonParser p, JsonToken value) throws IOException {
      if (value == JsonToken.VALUE_STRING) {
        return p.getText();
      }
      p.skipChildren();
      return null;
    }

    /** Base64 bytes: proto3's JSON form, standard or URL-safe alphabet. */
    private static byte @Nullable [] binary(JsonParser p, JsonToken value)
        throws IOException, Malformed {
      if (value != JsonToken.VALUE_STRING) {
        p.skipChildren();
        return null;
      }
      String text = p.getText();
      boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
      try {
        return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
      } catch (IllegalArgumentException e) {
        throw new Malformed("sent a '" + p.currentName() + "' that is not base64", e);
      }
    }

    private static long number(JsonParser p, JsonToken value) throws IOException {
      if (value == JsonToken.VALUE_NUMBER_INT) {
        return p.getLongValue();
      }
      p.skipChildren();
      return 0;
    }
  }
}
