package dev.genaiprocessors.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Starts the example and chats with it over HTTP, against the local OpenAI server. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatApplicationTest {
  private static final OpenAiServer SERVER = OpenAiServer.start();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void model(DynamicPropertyRegistry registry) {
    registry.add("OPENAI_API_KEY", () -> "sk-test-0a1b2c3d4e");
    registry.add("OPENAI_BASE_URL", SERVER::baseUrl);
  }

  @AfterAll
  static void stop() {
    SERVER.close();
  }

  @Test
  void chat_streamsTheAnswersTokens_andTheMetricsCountTheCall() throws Exception {
    SERVER.enqueue(ChatReply.create().text("Rayleigh", " scattering."));
    HttpClient http = HttpClient.newHttpClient();

    List<String> lines =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat?q=sky"))
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .body()
            .toList();

    assertThat(lines).contains("data: Rayleigh", "data:  scattering.", "event:done");
    assertThat(SERVER.lastRequest().bodyText()).contains("Answer in one short paragraph.");
    String scrape =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(scrape).contains("gen_ai_client_operation_duration_seconds_count");
  }
}
