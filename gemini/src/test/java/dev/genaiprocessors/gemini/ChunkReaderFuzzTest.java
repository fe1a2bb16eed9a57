package dev.genaiprocessors.gemini;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The {@code streamGenerateContent} reader, fed recorded-shaped streams mutated at random: whatever
 * arrives, it fails only as the model reports (a malformed chunk or an error object, which become
 * a {@link GeminiException}), never with another exception, and it never hangs.
 */
class ChunkReaderFuzzTest {
  /** Far beyond what reading a few kilobytes takes: only a reader that loops forever trips it. */
  private static final Duration HANG = Duration.ofSeconds(20);

  private static final List<String> RECORDED = List.of(
      "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"thinking...\","
          + "\"thought\": true}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\":"
          + " {\"promptTokenCount\": 12,\"totalTokenCount\": 12},\"modelVersion\":"
          + " \"gemini-2.5-flash\",\"responseId\": \"resp-1\"}\r\n\r\n",
      "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hel\","
          + "\"thoughtSignature\": \"c2ln\"}],\"role\": \"model\"},\"index\": 0}],"
          + "\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"resp-1\"}\r\n\r\n",
      "data: {\"candidates\": [{\"content\": {\"parts\": [{\"functionCall\": {\"name\":"
          + " \"get_weather\",\"args\": {\"city\": \"Paris\"}}},{\"inlineData\": {\"mimeType\":"
          + " \"image/png\",\"data\": \"iVBORw0KGgo=\"}},{\"executableCode\": {\"language\":"
          + " \"PYTHON\",\"code\": \"print(1)\"}}],\"role\": \"model\"},\"index\": 0}]}\r\n\r\n",
      "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"lo\"}],\"role\":"
          + " \"model\"},\"finishReason\": \"STOP\",\"safetyRatings\": [{\"category\":"
          + " \"HARM_CATEGORY_HARASSMENT\",\"probability\": \"NEGLIGIBLE\"}],\"index\": 0}],"
          + "\"usageMetadata\": {\"promptTokenCount\": 12,\"candidatesTokenCount\": 3,"
          + "\"totalTokenCount\": 15,\"thoughtsTokenCount\": 2},\"modelVersion\":"
          + " \"gemini-2.5-flash\",\"responseId\": \"resp-1\"}\r\n\r\n",
      "data: {\"promptFeedback\": {\"blockReason\": \"SAFETY\",\"blockReasonMessage\":"
          + " \"blocked\"}}\r\n\r\n",
      "data: {\"error\": {\"code\": 503,\"message\": \"overloaded\",\"status\":"
          + " \"UNAVAILABLE\"}}\r\n\r\n");

  private static final List<String> WORDS = List.of("candidates", "content", "parts", "role",
      "text", "thought", "thoughtSignature", "functionCall", "functionResponse", "name", "args",
      "id", "inlineData", "fileData", "mimeType", "data", "fileUri", "executableCode",
      "codeExecutionResult", "language", "code", "outcome", "output", "finishReason",
      "finishMessage", "safetyRatings", "category", "probability", "index", "usageMetadata",
      "promptTokenCount", "candidatesTokenCount", "totalTokenCount", "thoughtsTokenCount",
      "cachedContentTokenCount", "modelVersion", "responseId", "promptFeedback", "blockReason",
      "blockReasonMessage", "error", "message", "status", "STOP", "MAX_TOKENS", "model");

  @Provide
  Arbitrary<byte[]> streams() {
    return FuzzedStreams.bodies(RECORDED, WORDS);
  }

  @Property
  void chunks_failOnlyAsMalformedOrAStreamError(
      @ForAll("streams") byte[] body, @ForAll @IntRange(min = 1, max = 97) int readSize) {
    assertTimeoutPreemptively(HANG, () -> {
      try {
        ChunkReader.readAll(FuzzedStreams.trickle(body, readSize), chunk -> { });
      } catch (ChunkReader.Malformed | ChunkReader.StreamError expected) {
        // what the model turns into a GeminiException
      }
    });
  }
}
