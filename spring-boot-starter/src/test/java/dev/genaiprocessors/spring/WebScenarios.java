package dev.genaiprocessors.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.jdbc.RunOutcome;
import dev.genaiprocessors.jdbc.Storage;
import dev.genaiprocessors.jdbc.StoredRun;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The scenarios of the web application, run by a real HTTP client against the starter on a real
 * server, with the storage on the database a subclass chooses.
 */
abstract class WebScenarios {
  static final String KEY = "sk-test-7d1e93b0c5";
  static final OpenAiServer MODEL_SERVER = OpenAiServer.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired Storage storage;
  @Autowired GenAiBeans beans;
  @Autowired StarterTestApplication.Ticker ticker;
  @Autowired DataSource dataSource;

  static void modelProperties(DynamicPropertyRegistry registry) {
    registry.add("genai.models.chat.provider", () -> "openai");
    registry.add("genai.models.chat.model", () -> "gpt-4o-mini");
    registry.add("genai.models.chat.api-key", () -> KEY);
    registry.add("genai.models.chat.base-url", MODEL_SERVER::baseUrl);
    registry.add("management.endpoints.web.exposure.include", () -> "*");
    registry.add("management.endpoint.configprops.show-values", () -> "always");
    registry.add("management.endpoint.env.show-values", () -> "always");
    registry.add("management.endpoint.health.show-details", () -> "always");
  }

  @AfterAll
  static void stopModelServer() {
    MODEL_SERVER.close();
  }

  /** An SSE event as the client read it: its name (null when unnamed) and its data. */
  record Event(String name, String data) {}

  @Test
  void chat_streamsTheModelsTokens_asServerSentEvents_andStoresTheRun() throws Exception {
    MODEL_SERVER.enqueue(ChatReply.create().text("Hel", "lo", " wor", "ld").usage(7, 4));
    Instant before = Instant.now();

    List<Event> events = events(get("/chat?q=Say%20hello"));

    String tokens =
        events.stream().filter(e -> e.name() == null).map(Event::data).reduce("", String::concat);
    assertThat(tokens).isEqualTo("Hello world");
    assertThat(events.getLast().name()).isEqualTo("done");
    assertThat(events).anyMatch(e -> "part".equals(e.name()) && e.data().contains("usage"));

    String storedName =
        beans.registered().stream()
            .filter(r -> r.name().equals("chat"))
            .findFirst()
            .orElseThrow()
            .storedName();
    List<StoredRun> runs = storage.runs(storedName, before, Instant.now().plusSeconds(1));
    assertThat(runs).isNotEmpty();
    StoredRun run = runs.getLast();
    assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(storage.inputs(run.id()).text()).isEqualTo("Say hello");
    assertThat(storage.results(run.id()).text()).isEqualTo("Hello world");
    assertThat(text(get("/actuator/genai"))).contains(run.id());
  }

  @Test
  void bootsFlyway_ranTheStorageMigrations_inTheStoragesHistory_shownByTheActuator()
      throws Exception {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                // Quoted: Flyway makes lower-case names on H2 too, which folds to upper case.
                "SELECT \"version\", \"description\", \"success\" FROM \"gp_schema_history\""
                    + " WHERE \"version\" = '1'")) {
      assertThat(row.next()).as("gp_schema_history lists V1").isTrue();
      assertThat(row.getString("description")).isEqualTo("runs parts and cache");
      assertThat(row.getBoolean("success")).isTrue();
    }

    String flyway = text(get("/actuator/flyway"));

    assertThat(flyway).contains("\"genAiStorageFlyway\"").contains("runs parts and cache");
    // The application's own Flyway beside it, with its own V1.
    assertThat(flyway).contains("\"flyway\"").contains("\"notes\"");
  }

  @Test
  void aModelStreamCutMidAnswer_endsWithAnErrorEvent_afterTheTokensSentBeforeIt() throws Exception {
    MODEL_SERVER.enqueue(ChatReply.create().text("Hel", "lo", " wor", "ld").cutAfterEvents(3));

    List<Event> events = events(get("/chat?q=Say%20hello"));

    String tokens =
        events.stream().filter(e -> e.name() == null).map(Event::data).reduce("", String::concat);
    assertThat(tokens).isNotEmpty().isNotEqualTo("Hello world");
    assertThat("Hello world").startsWith(tokens);
    Event last = events.getLast();
    assertThat(last.name()).isEqualTo("error");
    assertThat(last.data()).contains("\"type\":\"OpenAiException\"").doesNotContain(KEY);
  }

  @Test
  void prometheus_exportsTheModelCallsMetrics() throws Exception {
    MODEL_SERVER.enqueue(ChatReply.create().text("Hi").usage(3, 1));
    events(get("/chat?q=hi"));

    String scrape = text(get("/actuator/prometheus"));

    assertThat(scrape).contains("gen_ai_client_operation_duration_seconds_count");
    assertThat(scrape).contains("gen_ai_client_token_usage");
  }

  @Test
  void theActuator_showsTheModel_butItsKeyAsStars() throws Exception {
    String configprops = text(get("/actuator/configprops"));
    assertThat(configprops).contains("gpt-4o-mini").contains("******").doesNotContain(KEY);
    String env = text(get("/actuator/env"));
    assertThat(env).contains("gpt-4o-mini").doesNotContain(KEY);

    String health = text(get("/actuator/health"));
    assertThat(health).contains("\"genai\"").contains("gpt-4o-mini").doesNotContain(KEY);
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

    // The server finds the client gone at its next write and cancels the run. The waits below
    // only guard against a hang: nothing is asserted about how long it took.
    assertThat(ticker.stopped.await(30, TimeUnit.SECONDS)).as("the run was cancelled").isTrue();
    Thread thread = ticker.thread.get();
    assertThat(thread.join(Duration.ofSeconds(30))).as("the ticker's thread ended").isTrue();
    assertThat(thread.isAlive()).isFalse();
  }

  HttpResponse<InputStream> get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build();
    HttpResponse<InputStream> response =
        HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response;
  }

  static String text(HttpResponse<InputStream> response) throws Exception {
    try (InputStream in = response.body()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Reads every event to the end of the stream, as the SSE specification says a reader does. */
  static List<Event> events(HttpResponse<InputStream> response) throws Exception {
    List<Event> events = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String name = null;
      StringBuilder data = null;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(name, data.toString()));
          }
          name = null;
          data = null;
        } else if (line.startsWith("event:")) {
          name = field(line, "event:");
        } else if (line.startsWith("data:")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(field(line, "data:"));
        }
      }
    }
    return events;
  }

  private static String field(String line, String prefix) {
    String value = line.substring(prefix.length());
    return value.startsWith(" ") ? value.substring(1) : value;
  }
}
