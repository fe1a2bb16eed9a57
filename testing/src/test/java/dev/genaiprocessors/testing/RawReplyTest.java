package dev.genaiprocessors.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A raw reply goes out as scripted from every vendor server, whatever the request asked for. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RawReplyTest {
  private static final String HTML = "<!DOCTYPE html><title>Sign in to the Wi-Fi</title>";

  @Test
  void everyVendorServer_sendsTheStatusContentTypeAndBody_asScripted() throws IOException {
    RawReply reply = RawReply.of(200, "text/html; charset=utf-8", HTML);
    try (OpenAiServer openAi = OpenAiServer.start();
        AnthropicServer anthropic = AnthropicServer.start();
        GeminiServer gemini = GeminiServer.start()) {
      openAi.enqueue(reply, reply);
      anthropic.enqueue(reply);
      gemini.enqueue(reply);

      for (String url :
          new String[] {
            openAi.baseUrl() + "/chat/completions",
            openAi.baseUrl() + "/responses",
            anthropic.baseUrl() + "/v1/messages",
            gemini.baseUrl() + "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
          }) {
        HttpURLConnection connection = post(url);
        assertThat(connection.getResponseCode()).as(url).isEqualTo(200);
        assertThat(connection.getContentType()).as(url).isEqualTo("text/html; charset=utf-8");
        assertThat(body(connection)).as(url).isEqualTo(HTML);
      }
    }
  }

  @Test
  void aNullContentType_sendsNoContentTypeHeader() throws IOException {
    try (OpenAiServer server = OpenAiServer.start()) {
      server.enqueue(RawReply.of(200, null, "data: [DONE]\n\n"));

      HttpURLConnection connection = post(server.baseUrl() + "/chat/completions");

      assertThat(connection.getResponseCode()).isEqualTo(200);
      assertThat(connection.getHeaderField("Content-Type")).isNull();
      assertThat(body(connection)).isEqualTo("data: [DONE]\n\n");
    }
  }

  @Test
  void aStatusOutsideTheRange_isRejectedNamingIt() {
    assertThatThrownBy(() -> RawReply.of(101, "text/plain", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status must be in [200, 599] but was 101");
  }

  private static HttpURLConnection post(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", "application/json");
    connection.setRequestProperty("x-api-key", "sk-test");
    connection.setRequestProperty("anthropic-version", "2023-06-01");
    try (OutputStream out = connection.getOutputStream()) {
      out.write("{\"model\":\"m\",\"stream\":true}".getBytes(StandardCharsets.UTF_8));
    }
    return connection;
  }

  private static String body(HttpURLConnection connection) throws IOException {
    try (InputStream in = connection.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
