package dev.genaiprocessors.gemini;

import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.Part;
import com.google.genai.types.SafetyRating;
import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.model.TokenUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a chunk the SDK decoded into the {@link ChunkReader.Chunk} that {@link ChunkReader} reads
 * from the wire, for a model on an SDK client given to its builder, whose raw stream the model
 * cannot reach. The two must agree: {@code GeminiModelTest} runs the same answer through both.
 */
final class DecodedChunks {
  private DecodedChunks() {}

  /**
   * The chunk's fields and parts.
   *
   * @throws ChunkReader.Malformed when a function call has no name, or a part holds a value no part
   *     may have (a malformed MIME type or URI)
   */
  static ChunkReader.Chunk of(GenerateContentResponse response) throws ChunkReader.Malformed {
    var feedback = response.promptFeedback().orElse(null);
    List<Candidate> candidates = response.candidates().orElse(List.of());
    Candidate candidate = candidates.isEmpty() ? null : candidates.get(0);
    List<ProcessorPart> parts = new ArrayList<>(2);
    List<Map<String, Object>> ratings = List.of();
    if (candidate != null) {
      for (Part p : candidate.content().flatMap(Content::parts).orElse(List.of())) {
        ProcessorPart part;
        try {
          part = part(p);
        } catch (IllegalArgumentException e) {
          // The content model refused a value the server sent (a MIME type, a URI), as in
          // ChunkReader: the server's fault.
          throw new ChunkReader.Malformed("sent a part that is not valid: " + e.getMessage(), e);
        }
        if (part != null) {
          parts.add(part);
        }
      }
      ratings = ratings(candidate.safetyRatings().orElse(List.of()));
    }
    return new ChunkReader.Chunk(
        response.responseId().orElse(null),
        response.modelVersion().orElse(null),
        response.usageMetadata().map(DecodedChunks::usage).orElse(null),
        feedback == null ? null : feedback.blockReason().map(Object::toString).orElse(null),
        feedback == null ? null : feedback.blockReasonMessage().orElse(null),
        parts,
        candidate == null ? null : candidate.finishReason().map(Object::toString).orElse(null),
        candidate == null ? null : candidate.finishMessage().orElse(null),
        ratings);
  }

  private static @Nullable ProcessorPart part(Part p) throws ChunkReader.Malformed {
    ProcessorPart other = null;
    if (p.functionCall().isPresent()) {
      com.google.genai.types.FunctionCall call = p.functionCall().get();
      String name = call.name().orElse("");
      if (name.isBlank()) {
        throw new ChunkReader.Malformed("sent a function call without a function name", null);
      }
      Map<String, @Nullable Object> args = new LinkedHashMap<>(call.args().orElse(Map.of()));
      other = ProcessorPart.functionCall(new FunctionCall(call.id().orElse(null), name, args));
    } else if (p.inlineData().isPresent()) {
      var blob = p.inlineData().get();
      other =
          ProcessorPart.blob(
              blob.data().orElse(new byte[0]), blob.mimeType().orElse("application/octet-stream"));
    } else if (p.fileData().isPresent()) {
      var file = p.fileData().get();
      other =
          ProcessorPart.fromUri(
              file.fileUri().orElse(""), file.mimeType().orElse("application/octet-stream"));
    } else if (p.executableCode().isPresent()) {
      var code = p.executableCode().get();
      other =
          ProcessorPart.executableCode(
              code.code().orElse(""), code.language().map(Object::toString).orElse("PYTHON"));
    } else if (p.codeExecutionResult().isPresent()) {
      var result = p.codeExecutionResult().get();
      other =
          ProcessorPart.codeExecutionResult(
              result.outcome().map(Object::toString).orElse("OUTCOME_UNSPECIFIED"),
              result.output().orElse(""));
    }
    return ChunkReader.assemble(
        other, p.text().orElse(null), p.thought().orElse(false), p.thoughtSignature().orElse(null));
  }

  private static List<Map<String, Object>> ratings(List<SafetyRating> ratings) {
    List<Map<String, Object>> out = new ArrayList<>(ratings.size());
    for (SafetyRating rating : ratings) {
      Map<String, Object> r = new LinkedHashMap<>();
      rating.category().ifPresent(c -> r.put("category", c.toString()));
      rating.probability().ifPresent(p -> r.put("probability", p.toString()));
      rating.blocked().ifPresent(b -> r.put("blocked", b));
      out.add(r);
    }
    return out;
  }

  private static TokenUsage usage(GenerateContentResponseUsageMetadata u) {
    long prompt = u.promptTokenCount().orElse(0);
    long thoughts = u.thoughtsTokenCount().orElse(0);
    long completion = u.candidatesTokenCount().orElse(0) + thoughts;
    long total = u.totalTokenCount().map(Integer::longValue).orElse(prompt + completion);
    return new TokenUsage(
        prompt, completion, total, u.cachedContentTokenCount().orElse(0), 0, thoughts);
  }
}
