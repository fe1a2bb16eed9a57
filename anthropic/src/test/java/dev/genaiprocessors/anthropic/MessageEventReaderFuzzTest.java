package dev.genaiprocessors.anthropic;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.genaiprocessors.testing.EventStreamFuzz;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Messages stream reader, fed recorded-shaped streams mutated at random: whatever arrives, it
 * fails only as the model reports (a malformed event or an error event, which become an {@link
 * AnthropicException}), never with another exception, and it never hangs.
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
class MessageEventReaderFuzzTest {
  /** Far beyond what reading a few kilobytes takes: only a reader that loops forever trips it. */
  private static final Duration HANG = Duration.ofMinutes(2);

  private static final List<String> RECORDED =
      List.of(
          "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\","
              + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":"
              + "\"claude-sonnet-4-5\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":"
              + "{\"input_tokens\":12,\"output_tokens\":1,\"cache_creation_input_tokens\":0,"
              + "\"cache_read_input_tokens\":0}}}\n\n",
          "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
              + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}\n\n",
          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
              + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}\n\n",
          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
              + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}\n\n",
          "event: ping\ndata: {\"type\":\"ping\"}\n\n",
          "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,"
              + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
              + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n",
          "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
          "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2,"
              + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"get_weather\","
              + "\"input\":{}}}\n\n",
          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,"
              + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Par\"}}"
              + "\n\n",
          "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}\n\n",
          "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
              + "\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":42}}\n\n",
          "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
              + "\"message\":\"Overloaded\"}}\n\n",
          "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

  private static final List<String> WORDS =
      List.of(
          "type",
          "index",
          "delta",
          "content_block",
          "message",
          "usage",
          "error",
          "id",
          "model",
          "name",
          "text",
          "thinking",
          "signature",
          "data",
          "partial_json",
          "stop_reason",
          "stop_sequence",
          "input_tokens",
          "output_tokens",
          "message_start",
          "content_block_start",
          "content_block_delta",
          "content_block_stop",
          "message_delta",
          "message_stop",
          "ping",
          "text_delta",
          "input_json_delta",
          "thinking_delta",
          "signature_delta",
          "tool_use",
          "redacted_thinking",
          "overloaded_error");

  @Test
  void messages_failOnlyAsAMalformedEventOrAnErrorEvent() {
    EventStreamFuzz.of(RECORDED, WORDS)
        .check(
            "messages",
            stream ->
                assertTimeoutPreemptively(
                    HANG,
                    () -> {
                      try {
                        new MessageEventReader(stream.open(), new MessageEventReaderTest.Recorder())
                            .readAll();
                      } catch (MessageEventReader.MalformedEvent
                          | MessageEventReader.StreamError expected) {
                        // what the model turns into an AnthropicException
                      }
                    }));
  }
}
