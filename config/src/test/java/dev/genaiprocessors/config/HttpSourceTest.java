package dev.genaiprocessors.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.testing.RecordedRequest;
import dev.genaiprocessors.testing.ScriptedHttpServer;
import dev.genaiprocessors.testing.ScriptedResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP source against a real JDK HttpServer (the {@code testing} module's) whose answer the test
 * changes.
 */
class HttpSourceTest {
  record Labels(@NotBlank String label) {}

  /** What the server answers; a 200 with this ETag becomes a 304 when the client has it. */
  record Answer(int status, String contentType, String body, @Nullable String etag) {}

  /** The conditional headers of one request, and the status it got. */
  record Seen(@Nullable String ifNoneMatch, @Nullable String ifModifiedSince, int status) {}

  private ScriptedHttpServer server;
  private final AtomicReference<Answer> answer = new AtomicReference<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private URI uri;

  @BeforeEach
  void start() {
    server = ScriptedHttpServer.start().otherwise(this::handle);
    uri = URI.create(server.uri("/config") + "?token=s3cr3t");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Answers the current answer, or 304 when the client already has its ETag. */
  private ScriptedResponse handle(RecordedRequest request) {
    Answer a = answer.get();
    String ifNoneMatch = request.header("If-None-Match");
    String ifModifiedSince = request.header("If-Modified-Since");
    int status =
        a.status() == 200 && a.etag() != null && a.etag().equals(ifNoneMatch) ? 304 : a.status();
    seen.add(new Seen(ifNoneMatch, ifModifiedSince, status));
    ScriptedResponse response =
        ScriptedResponse.status(status)
            .withHeader("Content-Type", a.contentType())
            .withHeader("Last-Modified", "Wed, 02 Dec 2026 05:00:00 GMT");
    if (a.etag() != null) {
      response = response.withHeader("ETag", a.etag());
    }
    return status == 304 ? response : response.withBody(a.body());
  }

  private static Answer json(String label, String etag) {
    return new Answer(200, "application/json", "{\"label\":\"" + label + "\"}", etag);
  }

  @Test
  void theRightVersionWins_andEveryBadAnswerIsRejectedKeepingTheOld() {
    answer.set(json("v1", "\"1\""));
    BlockingQueue<ConfigException> rejections = new LinkedBlockingQueue<>();
    try (LiveConfig<Labels> live =
        Config.builder().source(ConfigSource.http(uri, Duration.ofHours(1))).watch(Labels.class)) {
      live.onRejection(rejections::add);
      assertThat(live.current()).isEqualTo(new Versioned<>(1, new Labels("v1")));
      assertThat(seen.get(0)).isEqualTo(new Seen(null, null, 200));

      answer.set(json("v2", "\"2\""));
      assertThat(live.reload()).isTrue();
      assertThat(live.current()).isEqualTo(new Versioned<>(2, new Labels("v2")));
      assertThat(seen.get(1)).isEqualTo(new Seen("\"1\"", "Wed, 02 Dec 2026 05:00:00 GMT", 200));

      assertThat(live.reload()).isFalse(); // unchanged: a 304, no new version, no rejection
      assertThat(seen.get(2).status()).isEqualTo(304);
      assertThat(live.current().version()).isEqualTo(2);
      assertThat(rejections).isEmpty();

      String where = server.uri("/config").toString();
      answer.set(new Answer(500, "text/plain", "oops", null));
      assertThat(live.reload()).isFalse();
      assertThat(rejections.poll().problems())
          .extracting(ConfigProblem::toString)
          .containsExactly(where + " answered HTTP 500, not 200 or 304");

      answer.set(new Answer(200, "application/json", "{\"label\": v3", "\"3\""));
      assertThat(live.reload()).isFalse();
      assertThat(rejections.poll().problems())
          .extracting(ConfigProblem::toString)
          .containsExactly(
              "is not valid JSON: Unrecognized token 'v3': was expecting (JSON String, Number,"
                  + " Array, Object or token 'null', 'true' or 'false') ("
                  + where
                  + ":1:13)");

      answer.set(new Answer(200, "text/html; charset=utf-8", "<html>sign in</html>", "\"4\""));
      assertThat(live.reload()).isFalse();
      assertThat(rejections.poll().problems())
          .extracting(ConfigProblem::toString)
          .containsExactly(where + " answered text/html, which is neither JSON nor YAML");

      answer.set(new Answer(200, "application/yaml", "label: 7\nextra: true\n", "\"5\""));
      assertThat(live.reload()).isFalse();
      assertThat(rejections.poll().problems())
          .extracting(ConfigProblem::toString)
          .containsExactly(
              "extra: is not a known key; the known keys are label (" + where + ":2:1)");
      assertThat(live.current()).isEqualTo(new Versioned<>(2, new Labels("v2")));

      answer.set(new Answer(200, "application/yaml", "label: v3\n", "\"6\""));
      assertThat(live.reload()).isTrue();
      assertThat(live.current()).isEqualTo(new Versioned<>(3, new Labels("v3")));
      assertThat(live.rejections()).isEqualTo(4);
      assertThat(live.lastRejection().orElseThrow().getMessage()).doesNotContain("s3cr3t");
    }
  }

  @Test
  void headersGiven_areSentWithEveryRequest_andNeverShown() {
    answer.set(new Answer(401, "text/plain", "who are you?", null));
    ConfigSource source =
        ConfigSource.http(
            uri, Duration.ofHours(1), Map.of("Authorization", Secret.of("Bearer t0ken-value")));
    assertThatThrownBy(() -> Config.builder().source(source).build())
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "the configuration has 1 problem: "
                + server.uri("/config")
                + " answered HTTP 401, not 200 or 304")
        .hasMessageNotContaining("t0ken");
    assertThat(server.requests().get(0).header("Authorization")).isEqualTo("Bearer t0ken-value");
  }

  @Test
  void aPollingSource_seesAChangeByItself() throws Exception {
    answer.set(json("v1", "\"1\""));
    BlockingQueue<Versioned<Labels>> changes = new LinkedBlockingQueue<>();
    try (LiveConfig<Labels> live =
        Config.builder()
            .source(ConfigSource.http(uri, Duration.ofMillis(20)))
            .watch(Labels.class)) {
      live.onChange((old, now) -> changes.add(now));
      answer.set(json("v2", "\"2\""));
      assertThat(changes.poll(30, TimeUnit.SECONDS))
          .isEqualTo(new Versioned<>(2, new Labels("v2")));
    }
    int requests = seen.size();
    assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
    Thread.sleep(100);
    assertThat(seen).as("no poll after close").hasSize(requests);
  }

  @Test
  void afterFailures_theIntervalDoubles_upTo32Times_andResetsOnSuccess() {
    Duration every = Duration.ofSeconds(10);
    assertThat(HttpSource.backoff(every, 0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(HttpSource.backoff(every, 1)).isEqualTo(Duration.ofSeconds(20));
    assertThat(HttpSource.backoff(every, 3)).isEqualTo(Duration.ofSeconds(80));
    assertThat(HttpSource.backoff(every, 5)).isEqualTo(Duration.ofSeconds(320));
    assertThat(HttpSource.backoff(every, 40)).isEqualTo(Duration.ofSeconds(320));

    answer.set(new Answer(503, "text/plain", "busy", null));
    HttpSource source = new HttpSource(uri, every, null, Duration.ofSeconds(10), Map.of());
    try (ConfigSource.Reading reading = new ConfigSource.Reading()) {
      for (int i = 0; i < 3; i++) {
        try {
          source.read(reading);
        } catch (ConfigException expected) {
          // counted
        }
      }
      assertThat(source.nextPoll()).isEqualTo(Duration.ofSeconds(80));
      answer.set(json("ok", null));
      source.read(reading);
      assertThat(source.nextPoll()).isEqualTo(every);
    }
  }
}
