package dev.genaiprocessors.gcp;

import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.testing.gcp.StorageServer;
import dev.genaiprocessors.testing.gcp.TranslationServer;
import dev.genaiprocessors.testing.gcp.VisionServer;

/** The three loopback servers and the official clients pointed at them, per test. */
final class LocalCloud implements AutoCloseable {
  static final String BUCKET = "test-bucket";

  final StorageServer storage = StorageServer.start();
  final TranslationServer translation = TranslationServer.start();
  final VisionServer vision = VisionServer.start();
  final GcpClients clients;

  LocalCloud() {
    this(true);
  }

  LocalCloud(boolean sdkRetries) {
    storage.createBucket(BUCKET);
    clients =
        GcpClients.builder()
            .projectId("test-project")
            .noCredentials()
            .storageHost(storage.url())
            .translationEndpoint(translation.endpoint())
            .visionEndpoint(vision.endpoint())
            .plaintext(true)
            .sdkRetries(sdkRetries)
            .build();
  }

  static byte[] png(int extra) {
    byte[] bytes = new byte[8 + extra];
    byte[] header = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    System.arraycopy(header, 0, bytes, 0, header.length);
    for (int i = 8; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }

  static ProcessorPart pngPart(int extra) {
    return ProcessorPart.bytes(png(extra), "image/png");
  }

  @Override
  public void close() {
    clients.close();
    storage.close();
    translation.close();
    vision.close();
  }
}
