package dev.genaiprocessors.tools;

import static dev.genaiprocessors.tools.FunctionCallingTest.call;
import static dev.genaiprocessors.tools.FunctionCallingTest.responses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.FunctionResponse;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.tools.FunctionCallingTest.City;
import dev.genaiprocessors.tools.FunctionCallingTest.ScriptedModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// The timeout only turns a hang into a failure; no test measures time.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ToolsetTest {

  private static final Tool WEATHER =
      Tool.of("get_weather", "The weather in a city.", City.class, c -> "sunny in " + c.city());

  private static final Tool TIME =
      Tool.of("get_time", "The time in a city.", City.class, c -> "12:00 in " + c.city());

  /** A toolset whose tools the test changes between turns, as a server's list changes. */
  static final class ChangingToolset implements Toolset {
    final List<Tool> current = new CopyOnWriteArrayList<>();

    @Override
    public List<Tool> tools() {
      return List.copyOf(current);
    }

    @Override
    public String toString() {
      return "ChangingToolset";
    }
  }

  static List<String> declaredNames(List<ProcessorPart> prompt) {
    return prompt.stream()
        .filter(p -> p.mimeType().equals(MimeTypes.FUNCTION_DECLARATION))
        .map(p -> FunctionDeclaration.fromPart(p).name())
        .toList();
  }

  @Test
  void aToolTheSetGainsDuringTheRun_isDeclaredAtTheNextTurn_andCalled() {
    ChangingToolset set = new ChangingToolset();
    set.current.add(WEATHER);
    ScriptedModel model =
        new ScriptedModel(
            (prompt, out) -> {
              int answered = responses(prompt).size();
              if (answered == 0) {
                set.current.add(TIME); // the server's list changes while the call runs
                out.emit(call("c1", "get_weather", Map.of("city", "Oslo")));
              } else if (answered == 1) {
                out.emit(call("c2", "get_time", Map.of("city", "Oslo")));
              } else {
                out.emit(ProcessorPart.text("done"));
              }
            });

    ProcessorContent out = FunctionCalling.of(model).withToolset(set).apply("hi").gather();

    assertThat(declaredNames(model.prompts.get(0))).containsExactly("get_weather");
    assertThat(declaredNames(model.prompts.get(1))).containsExactly("get_weather", "get_time");
    assertThat(responses(out.parts()))
        .extracting(p -> p.functionResponse().response())
        .containsExactly(Map.of("result", "sunny in Oslo"), Map.of("result", "12:00 in Oslo"));
    assertThat(out.parts().getLast().text()).isEqualTo("done");
  }

  @Test
  void aToolTheSetLost_isAnsweredAsNotFound_andTheConversationGoesOn() {
    ChangingToolset set = new ChangingToolset();
    set.current.add(WEATHER);
    ScriptedModel model =
        new ScriptedModel(
            (prompt, out) -> {
              if (responses(prompt).isEmpty()) {
                set.current.clear();
                out.emit(call("c1", "get_weather", Map.of("city", "Oslo")));
              } else {
                out.emit(ProcessorPart.text("sorry"));
              }
            });

    ProcessorContent out = FunctionCalling.of(model, TIME).withToolset(set).apply("hi").gather();

    FunctionResponse response = responses(out.parts()).getFirst().functionResponse();
    assertThat(response.response())
        .isEqualTo(
            Map.of("error", "Function get_weather not found. Available functions: 'get_time'."));
    assertThat(declaredNames(model.prompts.get(1))).containsExactly("get_time");
  }

  @Test
  void aToolsetToolNamedLikeAFixedTool_failsTheRun_namingIt() {
    ChangingToolset set = new ChangingToolset();
    set.current.add(WEATHER);
    ScriptedModel model = new ScriptedModel((prompt, out) -> out.emit(ProcessorPart.text("hi")));
    FunctionCalling loop = FunctionCalling.of(model, WEATHER).withToolset(set);

    assertThatThrownBy(() -> loop.apply("hi").gather())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two tools are named 'get_weather'")
        .hasMessageContaining("ChangingToolset");
  }

  @Test
  void withToolset_keepsTheOtherSettings_andTheFixedTools() {
    ScriptedModel model = new ScriptedModel((prompt, out) -> {});
    FunctionCalling loop =
        FunctionCalling.of(model, TIME)
            .withMaxFunctionCalls(7)
            .withSubstreamName("tools")
            .withToolset(new ChangingToolset());

    assertThat(loop.maxFunctionCalls()).isEqualTo(7);
    assertThat(loop.substreamName()).isEqualTo("tools");
    assertThat(loop.tools()).containsExactly(TIME);
    assertThat(loop.toString()).contains("toolsets=[ChangingToolset]");
  }
}
