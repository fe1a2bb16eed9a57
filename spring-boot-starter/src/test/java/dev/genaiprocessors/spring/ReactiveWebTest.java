package dev.genaiprocessors.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.spring.WebScenarios.Event;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link PartFlux} in a real WebFlux application on Netty, called by the JDK's HTTP client: the
 * model's tokens from the testing module's OpenAI server arrive as server-sent events, and a client
 * that leaves mid-stream cancels the run.
 */
@SpringBootTest(
    classes = ReactiveTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.main.web-application-type=reactive")
class ReactiveWebTest {
  private static final String KEY = "sk-test-0b4f7e22a9";
  private static final OpenAiServer MODEL_SERVER = OpenAiServer.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired ReactiveWebServerApplicationContext context;
  @Autowired StarterTestApplication.Ticker ticker;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("genai.models.chat.provider", () -> "openai");
    registry.add("genai.models.chat.model", () -> "gpt-4o-mini");
    registry.add("genai.models.chat.api-key", () -> KEY);
    registry.add("genai.models.chat.base-url", MODEL_SERVER::baseUrl);
  }

  @AfterAll
  static void stopModelServer() {
    MODEL_SERVER.close();
  }

  @Test
  void theApplication_runsOnNetty() {
    assertThat(context.getWebServer().getClass().getSimpleName()).isEqualTo("NettyWebServer");
  }

  @Test
  void chat_streamsTheModelsTokens_asServerSentEvents() throws Exception {
    MODEL_SERVER.enqueue(ChatReply.create().text("Hel", "lo", " wor", "ld").usage(7, 4));

    HttpResponse<InputStream> response = get("/chat?q=Say%20hello");
    List<Event> events = WebScenarios.events(response);

    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    List<String> tokens = events.stream().filter(e -> e.name() == null).map(Event::data).toList();
    assertThat(String.join("", tokens)).isEqualTo("Hello world");
    assertThat(tokens).hasSizeGreaterThan(1); // streamed token by token, not as one answer
    assertThat(events).anyMatch(e -> "part".equals(e.name()) && e.data().contains("usage"));
    assertThat(events.getLast().name()).isEqualTo("done");
    assertThat(MODEL_SERVER.lastRequest().bodyText()).contains("Say hello");
  }

  @Test
  void aClientLeavingMidStream_cancelsTheRun_andLeavesNoThreadOfIt() throws Exception {
    HttpResponse<InputStream> response = get("/ticks");
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      int ticks = 0;
      String line;
      while (ticks < 3 && (line = reader.readLine()) != null) {
        if (line.startsWith("data:tick") || line.startsWith("data: tick")) {
          ticks++;
        }
      }
      assertThat(ticks).isEqualTo(3);
    } // closing the body closes the connection

    // Netty sees the channel close and cancels the flux, which cancels the run. The waits only
    // guard against a hang: nothing is asserted about how long it took.
    assertThat(ticker.stopped.await(30, TimeUnit.SECONDS)).as("the run was cancelled").isTrue();
    Thread thread = ticker.thread.get();
    assertThat(thread.join(Duration.ofSeconds(30))).as("the ticker's thread ended").isTrue();
    assertThat(thread.isAlive()).isFalse();
  }

  private HttpResponse<InputStream> get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build();
    HttpResponse<InputStream> response =
        HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response;
  }
}
