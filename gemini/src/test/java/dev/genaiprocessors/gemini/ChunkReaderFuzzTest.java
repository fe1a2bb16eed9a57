package dev.genaiprocessors.gemini;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.genaiprocessors.testing.EventStreamFuzz;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code streamGenerateContent} reader, fed recorded-shaped streams mutated at random: whatever
 * arrives, it fails only as the model reports (a malformed chunk or an error object, which become a
 * {@link GeminiException}), never with another exception, and it never hangs.
 *
 * <p>The ordinary build checks each property on 500 inputs ({@link EventStreamFuzz}, the {@code
 * fuzz.tries} and {@code fuzz.seed} system properties). For a long run by hand, about a million
 * inputs over the readers of the three vendors ({@code StreamReadersFuzzTest}, {@code
 * MessageEventReaderFuzzTest}, {@code ChunkReaderFuzzTest}: 4 properties; named, as {@code
 * -Dtest='*FuzzTest'} would run core's too), from the repository's root, with a new first seed each
 * time; it takes about an hour on two cores, most of it the Responses property:
 *
 * <pre>{@code
 * ./mvnw -B -o -pl openai,anthropic,gemini -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='StreamReadersFuzzTest,MessageEventReaderFuzzTest,ChunkReaderFuzzTest' \
 *     -Dfuzz.tries=250000 -Dfuzz.seed=$RANDOM$RANDOM
 * }</pre>
 *
 * <p>A failure names the seed that reproduces it and the input.
 */
class ChunkReaderFuzzTest {
  /** Far beyond what reading a few kilobytes takes: only a reader that loops forever trips it. */
  private static final Duration HANG = Duration.ofMinutes(2);

  private static final List<String> RECORDED =
      List.of(
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

  private static final List<String> WORDS =
      List.of(
          "candidates",
          "content",
          "parts",
          "role",
          "text",
          "thought",
          "thoughtSignature",
          "functionCall",
          "functionResponse",
          "name",
          "args",
          "id",
          "inlineData",
          "fileData",
          "mimeType",
          "data",
          "fileUri",
          "executableCode",
          "codeExecutionResult",
          "language",
          "code",
          "outcome",
          "output",
          "finishReason",
          "finishMessage",
          "safetyRatings",
          "category",
          "probability",
          "index",
          "usageMetadata",
          "promptTokenCount",
          "candidatesTokenCount",
          "totalTokenCount",
          "thoughtsTokenCount",
          "cachedContentTokenCount",
          "modelVersion",
          "responseId",
          "promptFeedback",
          "blockReason",
          "blockReasonMessage",
          "error",
          "message",
          "status",
          "STOP",
          "MAX_TOKENS",
          "model");

  @Test
  void chunks_failOnlyAsMalformedOrAStreamError() {
    EventStreamFuzz.of(RECORDED, WORDS)
        .check(
            "chunks",
            stream ->
                assertTimeoutPreemptively(
                    HANG,
                    () -> {
                      try {
                        ChunkReader.readAll(stream.open(), chunk -> {});
                      } catch (ChunkReader.Malformed | ChunkReader.StreamError expected) {
                        // what the model turns into a GeminiException
                      }
                    }));
  }
}
