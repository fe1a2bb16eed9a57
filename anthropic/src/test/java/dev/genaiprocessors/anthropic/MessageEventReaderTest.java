package dev.genaiprocessors.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class MessageEventReaderTest {

  /** Writes down every call, one line each. */
  static final class Recorder implements MessageEventReader.Listener {
    final List<String> calls = new ArrayList<>();

    @Override
    public void messageStart(
        @Nullable String id, @Nullable String model, MessageEventReader.Usage usage) {
      calls.add("start " + id + " " + model + " " + usage);
    }

    @Override
    public void textStart(long index, String text) {
      calls.add("textStart " + index + " " + text);
    }

    @Override
    public void thinkingStart(long index, String thinking, String signature) {
      calls.add("thinkingStart " + index + " " + thinking + " " + signature);
    }

    @Override
    public void redactedThinking(long index, String data) {
      calls.add("redacted " + index + " " + data);
    }

    @Override
    public void toolUseStart(long index, @Nullable String id, @Nullable String name) {
      calls.add("toolUse " + index + " " + id + " " + name);
    }

    @Override
    public void text(long index, String text) {
      calls.add("text " + index + " " + text);
    }

    @Override
    public void thinking(long index, String thinking) {
      calls.add("thinking " + index + " " + thinking);
    }

    @Override
    public void signature(long index, String signature) {
      calls.add("signature " + index + " " + signature);
    }

    @Override
    public void inputJson(long index, String partialJson) {
      calls.add("json " + index + " " + partialJson);
    }

    @Override
    public void blockStop(long index) {
      calls.add("stop " + index);
    }

    @Override
    public void messageDelta(
        @Nullable String stopReason,
        @Nullable String stopSequence,
        MessageEventReader.Usage usage) {
      calls.add("delta " + stopReason + " " + stopSequence + " " + usage.output());
    }

    @Override
    public void messageStop() {
      calls.add("messageStop");
    }
  }

  private static List<String> read(String body) throws Exception {
    Recorder recorder = new Recorder();
    new MessageEventReader(
            new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), recorder)
        .readAll();
    return recorder.calls;
  }

  @Test
  void theReferenceStream_isReadEventByEvent() throws Exception {
    String body =
        """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type":"ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Par"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}}

        event: message_stop
        data: {"type":"message_stop"}

        """;

    assertThat(read(body))
        .containsExactly(
            "start msg_01 claude-sonnet-4-5 Usage[input=12, output=1, cacheCreation=0, cacheRead=0, present=true]",
            "textStart 0 ",
            "text 0 Hello",
            "stop 0",
            "toolUse 1 toolu_01 get_weather",
            "json 1 {\"city\": \"Par",
            "stop 1",
            "delta tool_use null 42",
            "messageStop");
  }

  @Test
  void fieldsInAnyOrder_unnamedEvents_andUnknownTypes_areHandled() throws Exception {
    String body =
        """
        data: {"delta":{"thinking":"hmm","type":"thinking_delta"},"index":2,"type":"content_block_delta"}

        event: content_block_delta
        data: {"index":2,"delta":{"signature":"sig","type":"signature_delta"},"type":"content_block_delta"}

        event: content_block_delta
        data: {"index":2,"delta":{"type":"citations_delta","citation":{}},"type":"content_block_delta"}

        event: something_new
        data: {"type":"something_new","index":9}

        event: content_block_start
        data: {"index":3,"content_block":{"data":"opaque","type":"redacted_thinking"},"type":"content_block_start"}

        """;

    assertThat(read(body))
        .containsExactly("thinking 2 hmm", "signature 2 sig", "redacted 3 opaque");
  }

  @Test
  void anErrorEvent_isThrownWithItsTypeAndMessage() {
    String body =
        """
        event: error
        data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

        """;

    assertThatThrownBy(() -> read(body))
        .isInstanceOfSatisfying(
            MessageEventReader.StreamError.class,
            e -> {
              assertThat(e.type).isEqualTo("overloaded_error");
              assertThat(e.vendorMessage).isEqualTo("Overloaded");
            });
  }

  @Test
  void aMalformedEvent_isRejectedNamingWhatCame() {
    assertThatThrownBy(() -> read("event: content_block_delta\ndata: {\"type\":\"content_bl\n\n"))
        .isInstanceOf(MessageEventReader.MalformedEvent.class)
        .hasMessageContaining("{\"type\":\"content_bl");
    assertThatThrownBy(() -> read("event: ping\ndata: [1]\n\n"))
        .isInstanceOf(MessageEventReader.MalformedEvent.class)
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void anUnnamedEventWithoutAType_isMalformed_ratherThanSkipped() {
    assertThatThrownBy(() -> read("data: {\"unexpected\":true}\n\n"))
        .isInstanceOf(MessageEventReader.MalformedEvent.class)
        .hasMessageContaining("has no type")
        .hasMessageContaining("{\"unexpected\":true}");
  }
}
