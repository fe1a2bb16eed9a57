package dev.genaiprocessors.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class S3MockServerTest {

  @Test
  void theVersion_isTheOneTheBuildFilledIn() {
    assertThat(S3MockServer.version()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void aMissingJar_isAClearError_namingThePath_andHowToFetchIt() {
    Path nowhere = Path.of("no", "such", "s3mock-exec.jar");

    assertThatThrownBy(() -> S3MockServer.start(nowhere))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("S3Mock's jar is not at " + nowhere)
        .hasMessageContaining("dependency:get -Dartifact=com.adobe.testing:s3mock:")
        .hasMessageContaining("-Ds3mock.jar=");
  }
}
