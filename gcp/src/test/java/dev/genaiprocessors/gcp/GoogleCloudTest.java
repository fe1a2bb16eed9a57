package dev.genaiprocessors.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.genaiprocessors.PartData;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GoogleCloudTest {
  private final LocalCloud cloud = new LocalCloud();

  @AfterEach
  void close() throws Exception {
    cloud.close();
  }

  @Test
  void router_sendsImagesToVision_textToTranslation_andTheRestToStorage() {
    Processor router =
        GoogleCloud.router(
            CloudVision.builder(cloud.clients.vision()).build(),
            CloudTranslation.builder(cloud.clients.translation(), "test-project")
                .targetLanguage("de")
                .build(),
            CloudStorage.builder(cloud.clients.storage(), LocalCloud.BUCKET).build().upload());

    List<ProcessorPart> out =
        router
            .apply(
                List.of(
                    ProcessorPart.text("one"),
                    LocalCloud.pngPart(3),
                    ProcessorPart.bytes(new byte[] {1, 2}, "application/pdf"),
                    ProcessorPart.text("two"),
                    LocalCloud.pngPart(4)))
            .gather()
            .parts();

    assertThat(out).hasSize(5);
    assertThat(out)
        .filteredOn(ProcessorPart::isText)
        .extracting(ProcessorPart::text)
        .containsExactly("[de] one", "[de] two");
    assertThat(out)
        .filteredOn(p -> p.mimeType().equals("image/png"))
        .hasSize(2)
        .allSatisfy(p -> assertThat(p.metadata("vision")).isNotNull());
    assertThat(out)
        .filteredOn(p -> p.data() instanceof PartData.FileData)
        .singleElement()
        .satisfies(p -> assertThat(p.mimeType()).isEqualTo("application/pdf"));
    assertThat(cloud.translation.requests()).hasSize(1);
    assertThat(cloud.vision.requests()).hasSize(1);
    assertThat(cloud.storage.objectNames(LocalCloud.BUCKET))
        .singleElement()
        .asString()
        .endsWith(".pdf");
  }

  @Test
  void clients_neverShowTheirCredentials() throws Exception {
    GoogleCredentials secret =
        GoogleCredentials.create(new AccessToken("ya29.super-secret-token", null));
    try (GcpClients clients = GcpClients.builder().projectId("p").credentials(secret).build()) {
      assertThat(clients.toString())
          .contains("project=p", "credentials=given")
          .doesNotContain("super-secret");
    }
  }

  @Test
  void clients_rejectBadSettings_namingThem() {
    assertThatThrownBy(() -> GcpClients.builder().build())
        .hasMessageContaining("projectId is required");
    assertThatThrownBy(
            () -> GcpClients.builder().projectId("p").storageHost("127.0.0.1:80").build())
        .hasMessageContaining(
            "storageHost must start with http:// or https:// but was \"127.0.0.1:80\"");
    assertThatThrownBy(() -> GcpClients.builder().projectId("p").visionEndpoint("http://x").build())
        .hasMessageContaining("host:port but was \"http://x\"");
  }

  @Test
  void closedClients_refuseToHandOutClients() throws Exception {
    GcpClients clients = GcpClients.builder().projectId("p").noCredentials().build();
    clients.close();
    assertThatThrownBy(clients::storage).hasMessageContaining("closed");
  }
}
