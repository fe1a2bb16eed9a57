package dev.genaiprocessors.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Gemini server's wire format, read with a plain JDK HTTP client. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GeminiServerTest {
  private static final String STREAM =
      "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
  private static final String REQUEST =
      "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}";

  private GeminiServer server;

  /** A response as a plain client reads it ({@code java.base}'s, so no module needs adding). */
  record Response(int statusCode, HttpURLConnection connection, String body) {
    Optional<String> header(String name) {
      return Optional.ofNullable(connection.getHeaderField(name));
    }
  }

  @BeforeEach
  void start() {
    server = GeminiServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Response post(String path, String body) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create(server.baseUrl() + path).toURL().openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("x-goog-api-key", "AIza-secret");
    connection.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    int status = connection.getResponseCode();
    try (InputStream in =
        status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
      return new Response(
          status, connection, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void streamedReply_isTheReferenceEventStream_byteForByte() throws Exception {
    server.enqueue(
        GeminiReply.text("Hel", "lo")
            .usage(12, 3)
            .modelVersion("gemini-2.5-flash")
            .responseId("abc"));

    Response response = post(STREAM, REQUEST);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.header("content-type")).contains("text/event-stream");
    assertThat(response.body())
        .isEqualTo(
            "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hel\"}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,\"totalTokenCount\":12},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"abc\"}\r\n\r\n"
                + "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"lo\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":3,\"totalTokenCount\":15,\"thoughtsTokenCount\":0},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"abc\"}\r\n\r\n");
    assertThat(response.body()).doesNotContain("[DONE]");
  }

  @Test
  void thoughtsCallsAndInlineData_carryTheirFields() throws Exception {
    server.enqueue(
        GeminiReply.create()
            .thought("Thinking", "c2ln")
            .functionCalls(
                GenerateContentReply.call("a", "{\"x\": 1}").withId("c1"),
                GenerateContentReply.call("b", "{}").withThoughtSignature("czI="))
            .inlineData("image/png", new byte[] {1, 2, 3})
            .signedText("Done", "czM=")
            .finishReason("MAX_TOKENS")
            .safetyRating("HARM_CATEGORY_HARASSMENT", "LOW", true)
            .usage(5, 7, 11, 2)
            .responseId("r"));

    String body = post(STREAM, REQUEST).body();

    assertThat(body.split("\r\n\r\n"))
        .containsExactly(
            "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Thinking\",\"thought\":true,\"thoughtSignature\":\"c2ln\"}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":5,\"totalTokenCount\":5},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r\"}",
            "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"id\":\"c1\",\"name\":\"a\",\"args\":{\"x\":1}}},{\"functionCall\":{\"name\":\"b\",\"args\":{}},\"thoughtSignature\":\"czI=\"}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":5,\"totalTokenCount\":5},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r\"}",
            "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"AQID\"}}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":5,\"totalTokenCount\":5},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r\"}",
            "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Done\",\"thoughtSignature\":\"czM=\"}]},\"finishReason\":\"MAX_TOKENS\",\"index\":0,\"safetyRatings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"probability\":\"LOW\",\"blocked\":true}]}],\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":7,\"totalTokenCount\":23,\"cachedContentTokenCount\":2,\"thoughtsTokenCount\":11},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r\"}");
  }

  @Test
  void blockedPrompt_hasPromptFeedbackAndNoCandidates() throws Exception {
    server.enqueue(
        GeminiReply.text("never sent").blockedPrompt("PROHIBITED_CONTENT").responseId("r"));

    assertThat(post(STREAM, REQUEST).body())
        .isEqualTo(
            "data: {\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},\"usageMetadata\":{\"promptTokenCount\":10,\"totalTokenCount\":10},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r\"}\r\n\r\n");
  }

  @Test
  void rateLimit_isGooglesErrorBody_withQuotaFailureAndRetryInfo() throws Exception {
    server.enqueue(
        GeminiReply.error(429, "You exceeded your current quota.")
            .quotaFailure(
                "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                "GenerateRequestsPerMinutePerProjectPerModel-FreeTier")
            .retryDelay("34s"));

    Response response = post(STREAM, REQUEST);

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.header("content-type")).contains("application/json; charset=UTF-8");
    assertThat(response.body())
        .isEqualTo(
            """
        {
          "error": {
            "code": 429,
            "message": "You exceeded your current quota.",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
              {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [
                  {
                    "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                    "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"
                  }
                ]
              },
              {
                "@type": "type.googleapis.com/google.rpc.RetryInfo",
                "retryDelay": "34s"
              }
            ]
          }
        }
        """);
  }

  @Test
  void errorStatus_followsTheCode() throws Exception {
    server.enqueue(
        GeminiReply.error(503, "The model is overloaded."),
        GeminiReply.error(500, "Internal error"),
        GeminiReply.error(400, "bad"),
        GeminiReply.error(403, "denied"));

    assertThat(post(STREAM, REQUEST).body())
        .contains("\"code\": 503", "\"status\": \"UNAVAILABLE\"")
        .doesNotContain("details");
    assertThat(post(STREAM, REQUEST).body()).contains("\"status\": \"INTERNAL\"");
    assertThat(post(STREAM, REQUEST).body()).contains("\"status\": \"INVALID_ARGUMENT\"");
    assertThat(post(STREAM, REQUEST).body()).contains("\"status\": \"PERMISSION_DENIED\"");
  }

  @Test
  void generateContent_returnsOneJsonBody_andWithoutSse_aJsonArray() throws Exception {
    GenerateContentReply reply = GeminiReply.text("Hel", "lo").usage(1, 2).responseId("r");
    server.replyAlways(reply);

    assertThat(post("/v1beta/models/m:generateContent", REQUEST).body())
        .isEqualTo(
            "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hel\"},{\"text\":\"lo\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1,\"candidatesTokenCount\":2,\"totalTokenCount\":3,\"thoughtsTokenCount\":0},\"modelVersion\":\"m\",\"responseId\":\"r\"}");
    String array = post("/v1beta/models/m:streamGenerateContent", REQUEST).body();
    assertThat(array).startsWith("[{\"candidates\"").endsWith("}]").contains("},\r\n{");
  }

  @Test
  void faults_cutEndMalformedAndErrorEvents() throws Exception {
    server.enqueue(
        GeminiReply.text("a", "b", "c").endAfterEvents(2),
        GeminiReply.text("a", "b").malformedEventAt(1),
        GeminiReply.text("a", "b", "c").errorEventAt(1, 500, "boom"),
        GeminiReply.text("a", "b", "c").cutAfterEvents(1));

    String ended = post(STREAM, REQUEST).body();
    assertThat(ended.split("\r\n\r\n")).hasSize(2);
    assertThat(ended).doesNotContain("finishReason");

    String malformed = post(STREAM, REQUEST).body();
    assertThat(malformed.split("\r\n\r\n")[1]).endsWith("{\"text\":\"trunc");

    String error = post(STREAM, REQUEST).body();
    assertThat(error.split("\r\n\r\n")).hasSize(2);
    assertThat(error.split("\r\n\r\n")[1])
        .isEqualTo("data: {\"error\":{\"code\":500,\"message\":\"boom\",\"status\":\"INTERNAL\"}}");

    assertThatThrownBy(() -> post(STREAM, REQUEST)).isInstanceOf(IOException.class);
  }

  @Test
  void requests_areRecorded_andTheKeyIsRedactedInToString() throws Exception {
    server.enqueue(GeminiReply.text("x"));

    post(STREAM, REQUEST);

    RecordedRequest request = server.lastRequest();
    assertThat(request.path()).isEqualTo(STREAM);
    assertThat(request.header("x-goog-api-key")).isEqualTo("AIza-secret");
    assertThat(request.json().at("/contents/0/parts/0/text").asText()).isEqualTo("Hi");
    assertThat(request.toString()).doesNotContain("AIza-secret").contains("<redacted>");
  }

  @Test
  void unknownPath_getsGoogles404_andNoScript_a500() throws Exception {
    Response notFound = post("/v1beta/models/m:countTokens", REQUEST);
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.body()).contains("\"status\": \"NOT_FOUND\"");

    Response unscripted = post(STREAM, REQUEST);
    assertThat(unscripted.statusCode()).isEqualTo(500);
    assertThat(unscripted.body()).contains("no reply scripted");
  }

  @Test
  void vertexPath_isServedToo() throws Exception {
    server.enqueue(GeminiReply.text("v"));

    Response response =
        post(
            "/v1/projects/p/locations/us-central1/publishers/google/models/"
                + "gemini-2.5-flash:streamGenerateContent?alt=sse",
            REQUEST);

    assertThat(response.body()).contains("{\"text\":\"v\"}");
  }

  @Test
  void invalidScripts_failNamingTheValue() {
    assertThatThrownBy(() -> GenerateContentReply.call("f", "[1]"))
        .hasMessage("arguments of f must be a JSON object but were [1]");
    assertThatThrownBy(() -> GeminiReply.error(200, "x"))
        .hasMessage("error code must be in [400, 599] but was 200");
    assertThatThrownBy(() -> GeminiReply.create().thought("t", "not base64!"))
        .hasMessage("thoughtSignature must be base64 but was 'not base64!'");
  }
}
