package dev.genaiprocessors.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplyScriptTest {

  private static RecordedRequest request(int i) {
    return new RecordedRequest("POST", "/v1/" + i, Map.of(), new byte[0]);
  }

  @Test
  void keepsTheMostRecentRequests_andCountsThemAll() {
    ReplyScript<String> script = new ReplyScript<>();
    script.replyAlways("ok");
    int sent = ReplyScript.KEPT_REQUESTS + 50;
    for (int i = 0; i < sent; i++) {
      assertThat(script.next(request(i))).isEqualTo("ok");
    }

    List<RecordedRequest> kept = script.requests();
    assertThat(script.requestCount()).isEqualTo(sent);
    assertThat(kept).hasSize(ReplyScript.KEPT_REQUESTS);
    assertThat(kept.get(0).path()).isEqualTo("/v1/50");
    assertThat(script.lastRequest("test").path()).isEqualTo("/v1/" + (sent - 1));

    script.clearRequests();
    assertThat(script.requestCount()).isZero();
    assertThat(script.requests()).isEmpty();
  }
}
