package dev.genaiprocessors.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatChunkReaderTest {

  /** Writes down every call, one line each. */
  static final class Recorder implements ChatChunkReader.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void header(@Nullable String id, @Nullable String model, @Nullable String fingerprint) {
      events.add("header " + id + " " + model + " " + fingerprint);
    }

    @Override
    public void content(String text) {
      events.add("content " + text);
    }

    @Override
    public void reasoning(String text) {
      events.add("reasoning " + text);
    }

    @Override
    public void refusal(String text) {
      events.add("refusal " + text);
    }

    @Override
    public void toolCall(
        long index, @Nullable String id, @Nullable String name, @Nullable String arguments) {
      events.add("tool " + index + " " + id + " " + name + " " + arguments);
    }

    @Override
    public void finish(String reason) {
      events.add("finish " + reason);
    }

    @Override
    public void usage(long prompt, long completion, long total, long cached, long reasoning) {
      events.add(
          "usage " + prompt + " " + completion + " " + total + " " + cached + " " + reasoning);
    }
  }

  private static List<String> read(String body, int chunkSize) throws Exception {
    Recorder recorder = new Recorder();
    new ChatChunkReader(trickle(body.getBytes(StandardCharsets.UTF_8), chunkSize), recorder)
        .readAll();
    return recorder.events;
  }

  /** A stream that hands out at most {@code size} bytes per read, as a slow network does. */
  private static InputStream trickle(byte[] bytes, int size) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, size));
      }
    };
  }

  private static final String REFERENCE =
      """
      data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1736000000,"model":"gpt-4o-mini","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}

      data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1736000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null}

      data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1736000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

      data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1736000000,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}}

      data: [DONE]

      """;

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 8192})
  void referenceStream_isReadFieldByField_howeverTheBytesArrive(int chunkSize) throws Exception {
    assertThat(read(REFERENCE, chunkSize))
        .containsExactly(
            "header chatcmpl-1 gpt-4o-mini fp_1",
            "content Hel",
            "header chatcmpl-1 gpt-4o-mini null",
            "finish stop",
            "header chatcmpl-1 gpt-4o-mini null",
            "usage 12 3 15 4 2",
            "header chatcmpl-1 gpt-4o-mini null");
  }

  @Test
  void crlfCommentsEventNamesAndSplitDataLines_areTolerated() throws Exception {
    String body =
        ": keep-alive\r\nevent: message\r\ndata: {\"choices\":[{\"index\":0,\r\ndata: \"delta\":{\"content\":\"a\"}}]}\r\n\r\n"
            + "data:{\"choices\":[{\"delta\":{\"content\":\"b\"},\"index\":0}]}\r\n\r\n";

    assertThat(read(body, 3))
        .containsExactly(
            "content a", "header null null null", "content b", "header null null null");
  }

  @Test
  void toolCallFragments_reachTheListenerWithTheirIndex() throws Exception {
    String body =
        """
        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}

        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":"}},{"index":1,"id":"call_2","function":{"name":"t","arguments":"{}"}}]}}]}

        data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

        """;

    assertThat(read(body, 8192))
        .containsExactly(
            "tool 0 call_1 get_weather ",
            "header null null null",
            "tool 0 null null {\"city\":",
            "tool 1 call_2 t {}",
            "header null null null",
            "finish tool_calls",
            "header null null null");
  }

  @Test
  void compatibleServersQuirks_nullChoicesEmptyToolCallsReasoningAndOtherChoices()
      throws Exception {
    String body =
        """
        data: {"choices":[{"index":0,"delta":{"reasoning_content":"think","content":"x","tool_calls":[]}}]}

        data: {"choices":[{"index":1,"delta":{"content":"other choice"}}]}

        data: {"choices":null,"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}
        """;

    assertThat(read(body, 8192))
        .containsExactly(
            "reasoning think",
            "content x",
            "header null null null",
            "header null null null",
            "usage 1 2 3 0 0",
            "header null null null");
  }

  @Test
  void azureChunks_choicesBeforeIdAndModel_andAFirstChunkWithBothEmpty_giveTheRealValues()
      throws Exception {
    String body =
        """
        data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}

        data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{"content":"Hel"},"finish_reason":null,"index":0,"logprobs":null}],"created":1736000000,"id":"chatcmpl-az","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_az"}

        data: {"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"stop","index":0,"logprobs":null}],"created":1736000000,"id":"chatcmpl-az","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_az"}

        data: {"choices":[],"created":1736000000,"id":"chatcmpl-az","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_az","usage":{"completion_tokens":1,"prompt_tokens":9,"total_tokens":10}}

        data: [DONE]

        """;

    assertThat(read(body, 8192))
        .containsExactly(
            "header null null null",
            "content Hel",
            "header chatcmpl-az gpt-4o-2024-08-06 fp_az",
            "finish stop",
            "header chatcmpl-az gpt-4o-2024-08-06 fp_az",
            "usage 9 1 10 0 0",
            "header chatcmpl-az gpt-4o-2024-08-06 fp_az");
  }

  @Test
  void toolCallFragments_withAnEmptyIdOrName_passNeither_soTheFirstFragmentsValuesStand()
      throws Exception {
    String body =
        """
        data: {"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_q","type":"function","function":{"name":"get_weather","arguments":""}}]},"index":0}]}

        data: {"choices":[{"delta":{"tool_calls":[{"index":0,"id":"","type":"function","function":{"arguments":"{\\"city\\":"}}]},"index":0}]}

        data: {"choices":[{"delta":{"tool_calls":[{"index":0,"type":"function","function":{"name":"","arguments":"\\"Oslo\\"}"}}]},"index":0}]}

        """;

    assertThat(read(body, 8192))
        .filteredOn(event -> event.startsWith("tool"))
        .containsExactly(
            "tool 0 call_q get_weather ",
            "tool 0 null null {\"city\":",
            "tool 0 null null \"Oslo\"}");
  }

  @Test
  void errorEvent_isThrownWithTheVendorsFields() {
    String body =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
            + "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n";
    Recorder recorder = new Recorder();

    assertThatThrownBy(
            () ->
                new ChatChunkReader(trickle(body.getBytes(StandardCharsets.UTF_8), 5), recorder)
                    .readAll())
        .isInstanceOfSatisfying(
            ChatChunkReader.StreamError.class,
            e -> {
              assertThat(e.type).isEqualTo("server_error");
              assertThat(e.vendorMessage).isEqualTo("The server had an error");
            });
    assertThat(recorder.events).contains("content a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"choices\":[{\"index\":0,\"del", "not json", "[1,2]"})
  void malformedEvent_isRejectedNamingWhatCame(String data) {
    String body = "data: " + data + "\n\n";

    assertThatThrownBy(() -> read(body, 8192))
        .isInstanceOf(ChatChunkReader.MalformedChunk.class)
        .hasMessageContaining(data.substring(0, 5));
  }

  @Test
  void anObjectWithNoneOfAChunksFields_isMalformed_ratherThanSkipped() {
    String body = "data: {\"unexpected\":true}\n\ndata: [DONE]\n\n";

    assertThatThrownBy(() -> read(body, 8192))
        .isInstanceOf(ChatChunkReader.MalformedChunk.class)
        .hasMessageContaining("not a Chat Completions chunk")
        .hasMessageContaining("{\"unexpected\":true}");
  }

  @Test
  void brokenConnection_surfacesAsIOException_afterWhatArrived() {
    byte[] first =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"cho"
            .getBytes(StandardCharsets.UTF_8);
    InputStream broken =
        new InputStream() {
          int position;

          @Override
          public int read() throws IOException {
            if (position < first.length) {
              return first[position++];
            }
            throw new IOException("connection reset");
          }
        };
    Recorder recorder = new Recorder();

    assertThatThrownBy(() -> new ChatChunkReader(broken, recorder).readAll())
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset");
    assertThat(recorder.events).containsExactly("content a", "header null null null");
  }
}
