package dev.genaiprocessors.testing.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.translate.v3.TranslateTextRequest;
import com.google.cloud.translate.v3.TranslateTextResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the servers record of the calls they get, over real connections: a bounded window of the
 * most recent ones, and a count of all, so that a long run (a benchmark) holds a steady heap.
 */
class RecordsTest {
  private static final io.grpc.MethodDescriptor<TranslateTextRequest, TranslateTextResponse>
      TRANSLATE =
          io.grpc.MethodDescriptor.<TranslateTextRequest, TranslateTextResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName("google.cloud.translation.v3.TranslationService/TranslateText")
              .setRequestMarshaller(
                  ProtoUtils.marshaller(TranslateTextRequest.getDefaultInstance()))
              .setResponseMarshaller(
                  ProtoUtils.marshaller(TranslateTextResponse.getDefaultInstance()))
              .build();

  private static TranslateTextRequest request(int i) {
    return TranslateTextRequest.newBuilder()
        .setParent("projects/p/locations/global")
        .setTargetLanguageCode("fr")
        .addContents("text " + i)
        .build();
  }

  @Test
  void grpcServerKeepsTheMostRecentRequestsAndCountsThemAll() throws Exception {
    int calls = GrpcLoopbackServer.KEPT_REQUESTS + 5;
    try (TranslationServer server = TranslationServer.start()) {
      ManagedChannel channel =
          NettyChannelBuilder.forTarget(server.endpoint()).usePlaintext().build();
      try {
        server.failCall(3, Status.Code.UNAVAILABLE, "try later");
        for (int i = 1; i <= calls; i++) {
          TranslateTextRequest request = request(i);
          if (i == 3) {
            assertThatThrownBy(
                    () ->
                        ClientCalls.blockingUnaryCall(
                            channel, TRANSLATE, CallOptions.DEFAULT, request))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("try later");
            continue;
          }
          TranslateTextResponse response =
              ClientCalls.blockingUnaryCall(channel, TRANSLATE, CallOptions.DEFAULT, request);
          assertThat(response.getTranslations(0).getTranslatedText()).isEqualTo("[fr] text " + i);
        }
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
      List<TranslateTextRequest> kept = server.requests();
      assertThat(server.requestCount()).isEqualTo(calls);
      assertThat(kept).hasSize(GrpcLoopbackServer.KEPT_REQUESTS);
      assertThat(kept.get(0)).isEqualTo(request(6));
      assertThat(kept.get(kept.size() - 1)).isEqualTo(request(calls));
    }
  }

  @Test
  void storageServerKeepsTheMostRecentExchangesAndCountsThemAll() throws Exception {
    int requests = 1005;
    try (StorageServer server = StorageServer.start();
        HttpClient http = HttpClient.newHttpClient()) {
      server.createBucket("b");
      for (int i = 1; i <= requests; i++) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            server.url() + "/storage/v1/b/" + (i == requests ? "b" : "nope")))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(i == requests ? 200 : 404);
      }
      // An exchange is recorded once it is answered: the last one may trail the client a little.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.exchangeCount() < requests && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(server.exchangeCount()).isEqualTo(requests);
      List<StorageServer.Exchange> kept = server.exchanges();
      assertThat(kept).hasSize(1000);
      assertThat(kept.get(kept.size() - 1).path()).isEqualTo("/storage/v1/b/b");
      assertThat(kept.get(kept.size() - 1).status()).isEqualTo(200);
      assertThat(kept.get(0).status()).isEqualTo(404);
    }
  }
}
