package dev.genaiprocessors.openai;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.openai.core.ObjectMappers;
import com.openai.errors.OpenAIException;
import com.openai.models.responses.ResponseStreamEvent;
import dev.genaiprocessors.model.SseReader;
import dev.genaiprocessors.testing.EventStreamFuzz;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Both OpenAI stream readers, fed recorded-shaped streams mutated at random: whatever arrives, they
 * fail only as the model reports (a malformed chunk, an error event, an {@link OpenAiException}; on
 * the Responses path also the SDK's own exceptions, which the model translates), never with another
 * exception, and they never hang.
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
class StreamReadersFuzzTest {
  /** Far beyond what reading a few kilobytes takes: only a reader that loops forever trips it. */
  private static final Duration HANG = Duration.ofMinutes(2);

  private static final List<String> CHAT =
      List.of(
          "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1736000000,"
              + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,"
              + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
              + "\"finish_reason\":null}],\"usage\":null}\n\n",
          "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1736000000,"
              + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},"
              + "\"finish_reason\":null}],\"usage\":null}\n\n",
          "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1736000000,"
              + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":"
              + "\"hmm\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
              + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\"}}]},"
              + "\"finish_reason\":null}]}\n\n",
          "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1736000000,"
              + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":"
              + "[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},"
              + "\"finish_reason\":\"tool_calls\"}]}\n\n",
          "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1736000000,"
              + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,"
              + "\"completion_tokens\":3,\"total_tokens\":15,\"prompt_tokens_details\":"
              + "{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n",
          "data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":500}}\n\n",
          "data: [DONE]\n\n");

  private static final List<String> CHAT_WORDS =
      List.of(
          "id",
          "object",
          "created",
          "model",
          "choices",
          "index",
          "delta",
          "content",
          "role",
          "reasoning_content",
          "reasoning",
          "refusal",
          "tool_calls",
          "function",
          "name",
          "arguments",
          "finish_reason",
          "usage",
          "prompt_tokens",
          "completion_tokens",
          "total_tokens",
          "prompt_tokens_details",
          "cached_tokens",
          "error",
          "message",
          "type",
          "code",
          "param",
          "stop",
          "[DONE]");

  private static final List<String> RESPONSES =
      List.of(
          "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,"
              + "\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1736000000,"
              + "\"status\":\"in_progress\",\"model\":\"gpt-4o-mini\",\"output\":[]}}\n\n",
          "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
              + "\"sequence_number\":1,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,"
              + "\"delta\":\"Hel\"}\n\n",
          "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\","
              + "\"sequence_number\":2,\"output_index\":1,\"item\":{\"type\":\"function_call\","
              + "\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"\","
              + "\"status\":\"in_progress\"}}\n\n",
          "event: response.function_call_arguments.done\ndata: {\"type\":"
              + "\"response.function_call_arguments.done\",\"sequence_number\":3,\"item_id\":\"fc_1\","
              + "\"output_index\":1,\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}\n\n",
          "event: response.reasoning_summary_text.delta\ndata: {\"type\":"
              + "\"response.reasoning_summary_text.delta\",\"sequence_number\":4,\"item_id\":\"rs_1\","
              + "\"output_index\":0,\"summary_index\":0,\"delta\":\"hmm\"}\n\n",
          "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":5,"
              + "\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1736000000,"
              + "\"status\":\"completed\",\"model\":\"gpt-4o-mini\",\"output\":[],\"usage\":"
              + "{\"input_tokens\":12,\"output_tokens\":3,\"total_tokens\":15}}}\n\n",
          "event: error\ndata: {\"type\":\"error\",\"sequence_number\":6,\"code\":\"server_error\","
              + "\"message\":\"boom\",\"param\":null}\n\n");

  private static final List<String> RESPONSES_WORDS =
      List.of(
          "type",
          "sequence_number",
          "response",
          "id",
          "object",
          "status",
          "model",
          "output",
          "usage",
          "input_tokens",
          "output_tokens",
          "delta",
          "item",
          "item_id",
          "output_index",
          "function_call",
          "call_id",
          "name",
          "arguments",
          "incomplete_details",
          "reason",
          "error",
          "code",
          "message",
          "response.created",
          "response.output_text.delta",
          "response.output_item.added",
          "response.output_item.done",
          "response.function_call_arguments.done",
          "response.completed",
          "response.incomplete",
          "response.failed",
          "response.refusal.delta");

  @Test
  void chatCompletions_failsOnlyAsAMalformedChunkOrAnErrorEvent() {
    EventStreamFuzz.of(CHAT, CHAT_WORDS)
        .check(
            "chat completions",
            stream ->
                assertTimeoutPreemptively(
                    HANG,
                    () -> {
                      try {
                        new ChatChunkReader(stream.open(), new ChatChunkReaderTest.Recorder())
                            .readAll();
                      } catch (ChatChunkReader.MalformedChunk
                          | ChatChunkReader.StreamError expected) {
                        // what the model turns into an OpenAiException
                      }
                    }));
  }

  @Test
  void responses_failOnlyAsAnOpenAiExceptionOrTheSdksOwn() {
    EventStreamFuzz.of(RESPONSES, RESPONSES_WORDS)
        .check(
            "responses",
            stream ->
                assertTimeoutPreemptively(
                    HANG,
                    () -> {
                      try {
                        ResponsesAnswer answer =
                            new ResponsesAnswer(
                                "gpt-4o-mini", "sk-fuzz", null, part -> {}, Map.of());
                        SseReader events = new SseReader(stream.open());
                        while (events.next()) {
                          ResponseStreamEvent event;
                          try {
                            event =
                                ObjectMappers.jsonMapper()
                                    .readValue(
                                        events.data(),
                                        0,
                                        events.dataLength(),
                                        ResponseStreamEvent.class);
                          } catch (JsonProcessingException e) {
                            // the SDK throws OpenAIInvalidDataException here, which the model
                            // translates
                            continue;
                          }
                          answer.accept(event);
                        }
                        answer.finish();
                      } catch (OpenAiException | OpenAIException expected) {
                        // the model's own, or the SDK's, which the model translates
                      }
                    }));
  }
}
