package dev.genaiprocessors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.FunctionResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallIdsTest {

  @Test
  void callsKeepTheirIds_orGetNewOnes_andResponsesWithoutIdsAnswerTheOldestCallOfTheirName() {
    CallIds ids = new CallIds("call_");

    assertThat(ids.ofCall(FunctionCall.of("time", Map.of()))).isEqualTo("call_0");
    assertThat(ids.ofCall(FunctionCall.of("time", Map.of()).withId("t-9"))).isEqualTo("t-9");
    assertThat(ids.ofCall(FunctionCall.of("time", Map.of()))).isEqualTo("call_1");

    // t-9 is answered by id, so the id-less responses answer call_0, then call_1.
    assertThat(ids.ofResponse(FunctionResponse.result("time", 1).withId("t-9"), "x"))
        .isEqualTo("t-9");
    assertThat(ids.ofResponse(FunctionResponse.result("time", 2), "x")).isEqualTo("call_0");
    assertThat(ids.ofResponse(FunctionResponse.result("time", 3), "x")).isEqualTo("call_1");
  }

  @Test
  void aResponseWithoutIdAndNoCallToAnswer_failsNamingTheFunctionAndWhatTheVendorNeeds() {
    CallIds ids = new CallIds("call_");
    ids.ofCall(FunctionCall.of("weather", Map.of()));

    assertThatThrownBy(
            () ->
                ids.ofResponse(FunctionResponse.result("time", 1), "OpenAI needs the tool_call_id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "function response time has no id and answers no earlier function call of"
                + " that name: OpenAI needs the tool_call_id");
  }
}
