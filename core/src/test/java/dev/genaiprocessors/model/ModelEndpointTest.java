package dev.genaiprocessors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModelEndpointTest {
  private static final String KEY = "sk-endpoint-9c2f41";

  @Test
  void settingsGiven_areKept_listed_andTheKeyNeverShown() {
    ModelEndpoint endpoint =
        ModelEndpoint.defaults()
            .withApiKey(KEY)
            .withBaseUrl("http://127.0.0.1:8080/v1")
            .withReadTimeout(Duration.ofSeconds(5))
            .withMaxRetries(0);

    assertThat(endpoint.apiKey()).isEqualTo(KEY);
    assertThat(endpoint.readTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(endpoint.timeout()).isNull();
    assertThat(endpoint.given()).containsExactly("apiKey", "baseUrl", "readTimeout", "maxRetries");
    assertThat(ModelEndpoint.defaults().given()).isEmpty();
    assertThat(endpoint.toString())
        .isEqualTo(
            "ModelEndpoint[baseUrl=http://127.0.0.1:8080/v1, apiKey=<redacted>,"
                + " readTimeout=PT5S, maxRetries=0]")
        .doesNotContain(KEY);
  }

  @Test
  void invalidSettings_failNamingTheSettingAndTheValue() {
    ModelEndpoint e = ModelEndpoint.defaults();
    assertThatThrownBy(() -> e.withApiKey(" ")).hasMessage("apiKey must not be blank");
    assertThatThrownBy(() -> e.withBaseUrl("ftp://host/x"))
        .hasMessage("baseUrl must be an http or https URL but was 'ftp://host/x'");
    assertThatThrownBy(() -> e.withBaseUrl("http://bad host"))
        .hasMessageContaining("'http://bad host'")
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> e.withBaseUrl("localhost:8080"))
        .hasMessageContaining("'localhost:8080'");
    assertThatThrownBy(() -> e.withTimeout(Duration.ZERO))
        .hasMessage("timeout must be positive but was PT0S");
    assertThatThrownBy(() -> e.withConnectTimeout(Duration.ofSeconds(-1)))
        .hasMessage("connectTimeout must be positive but was PT-1S");
    assertThatThrownBy(() -> e.withMaxRetries(-2))
        .hasMessage("maxRetries must not be negative but was -2");
    assertThatThrownBy(() -> e.withReadTimeout(null)).hasMessage("readTimeout");
  }
}
