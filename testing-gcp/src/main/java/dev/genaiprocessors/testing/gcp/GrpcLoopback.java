package dev.genaiprocessors.testing.gcp;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A plaintext Netty gRPC server on the loopback address serving one unary method, its service
 * definition built by hand from the proto classes the client ships (no generated stub jar needed).
 */
final class GrpcLoopback implements AutoCloseable {
  private final Server server;

  <Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message> GrpcLoopback(
      String service, String method, Q requestType, R responseType, Function<Q, R> answer) {
    MethodDescriptor<Q, R> descriptor =
        MethodDescriptor.<Q, R>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
            .setRequestMarshaller(ProtoUtils.marshaller(requestType))
            .setResponseMarshaller(ProtoUtils.marshaller(responseType))
            .build();
    ServerServiceDefinition definition =
        ServerServiceDefinition.builder(service)
            .addMethod(
                descriptor,
                ServerCalls.asyncUnaryCall(
                    (Q request, StreamObserver<R> observer) -> {
                      R response;
                      try {
                        response = answer.apply(request);
                      } catch (RuntimeException e) {
                        observer.onError(e);
                        return;
                      }
                      observer.onNext(response);
                      observer.onCompleted();
                    }))
            .build();
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .maxInboundMessageSize(64 * 1024 * 1024)
              .addService(definition)
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a gRPC server on the loopback address", e);
    }
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
