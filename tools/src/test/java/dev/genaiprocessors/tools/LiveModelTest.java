package dev.genaiprocessors.tools;

import static dev.genaiprocessors.tools.FunctionCallingTest.call;
import static dev.genaiprocessors.tools.FunctionCallingTest.emitted;
import static dev.genaiprocessors.tools.FunctionCallingTest.modelText;
import static dev.genaiprocessors.tools.StreamingAndBackgroundToolsTest.acknowledgement;
import static dev.genaiprocessors.tools.StreamingAndBackgroundToolsTest.response;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.tools.FunctionCallingTest.City;
import dev.genaiprocessors.tools.StreamingAndBackgroundToolsTest.BlockingTool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// The timeout only turns a hang into a failure; no test measures time.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveModelTest {

  /** The caller's side of a live session: parts sent one by one, then the end. */
  static final class Session implements PartStream {
    private static final ProcessorPart END = ProcessorPart.text("end of session");
    private final BlockingQueue<ProcessorPart> queue = new LinkedBlockingQueue<>();

    void send(String text) {
      queue.add(ProcessorPart.text(text));
    }

    void end() {
      queue.add(END);
    }

    @Override
    public @Nullable ProcessorPart read() {
      try {
        ProcessorPart part = queue.take();
        return part == END ? null : part;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted");
      }
    }
  }

  /**
   * A model that keeps its session open, as live APIs do: it reads its input as it comes, asks for
   * the weather of every city the user names, and speaks once a final response arrives.
   */
  static final class LiveWeatherModel implements Processor {
    final List<ProcessorPart> seen = new CopyOnWriteArrayList<>();
    private final String tool;

    LiveWeatherModel(String tool) {
      this.tool = tool;
    }

    @Override
    public void call(PartStream input, PartSink output) {
      int calls = 0;
      for (ProcessorPart part : input) {
        if (part.mimeType().equals(MimeTypes.FUNCTION_DECLARATION)) {
          continue;
        }
        seen.add(part);
        if (part.isText()) {
          Map<String, ?> args = tool.equals("get_weather") ? Map.of("city", part.text()) : Map.of();
          output.emit(FunctionCallingTest.call("w" + ++calls, tool, args));
        } else if (part.isFunctionResponse()
            && Boolean.FALSE.equals(part.functionResponse().willContinue())) {
          output.emit("It is " + part.functionResponse().response().get("result"));
        }
      }
    }
  }

  private static final Tool WEATHER =
      Tool.of("get_weather", "The weather.", City.class, c -> "sunny in " + c.city());

  @Test
  void toolResponses_areWrittenIntoTheOpenSession_andTheSessionEndsWithTheCallersInput() {
    LiveWeatherModel model = new LiveWeatherModel("get_weather");
    Session session = new Session();

    try (ProcessorStream out =
        FunctionCalling.of(model, WEATHER).withLiveModel(true).apply(session)) {
      session.send("Paris");
      ProcessorPart call = call("w1", "get_weather", Map.of("city", "Paris"));
      assertThat(out.read()).isEqualTo(emitted(call));
      assertThat(out.read()).isEqualTo(acknowledgement("w1", "get_weather"));
      assertThat(out.read()).isEqualTo(response("w1", "get_weather", "sunny in Paris", false));
      assertThat(out.read()).isEqualTo(modelText("It is sunny in Paris"));

      session.send("Oslo");
      assertThat(out.read()).isEqualTo(emitted(call("w2", "get_weather", Map.of("city", "Oslo"))));
      assertThat(out.read()).isEqualTo(acknowledgement("w2", "get_weather"));
      assertThat(out.read()).isEqualTo(response("w2", "get_weather", "sunny in Oslo", false));
      assertThat(out.read()).isEqualTo(modelText("It is sunny in Oslo"));

      session.end();
      assertThat(out.read()).isNull();
    }
    // The live model keeps its own history: only the user's parts and the responses reach it.
    assertThat(model.seen)
        .containsExactly(
            ProcessorPart.text("Paris"),
            acknowledgement("w1", "get_weather"),
            response("w1", "get_weather", "sunny in Paris", false),
            ProcessorPart.text("Oslo"),
            acknowledgement("w2", "get_weather"),
            response("w2", "get_weather", "sunny in Oslo", false));
  }

  @Test
  void closingTheOutput_endsTheSession_andCancelsTheRunningTools() throws Exception {
    BlockingTool never = new BlockingTool("never");
    LiveWeatherModel model = new LiveWeatherModel("never");
    Session session = new Session();

    ProcessorStream out = FunctionCalling.of(model, never.tool).withLiveModel(true).apply(session);
    session.send("Paris");
    assertThat(out.read()).isEqualTo(emitted(call("w1", "never", Map.of())));
    assertThat(out.read()).isEqualTo(acknowledgement("w1", "never"));
    never.started.await();
    out.close();

    assertThat(never.interrupted.getCount()).isZero();
    assertThat(never.stopped.getCount()).isZero();
    never.assertNoThreadLeft();
  }
}
