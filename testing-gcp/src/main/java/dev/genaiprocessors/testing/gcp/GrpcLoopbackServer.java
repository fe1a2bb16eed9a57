package dev.genaiprocessors.testing.gcp;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the loopback gRPC servers share: a plaintext Netty server on the loopback address serving
 * one unary method, its service definition built by hand from the proto classes the client ships
 * (no generated stub jar needed); the record of the requests received; the scripted faults, played
 * before a call is answered; start and stop.
 *
 * <p>The record keeps the most recent {@value #KEPT_REQUESTS} requests and counts them all, so a
 * server that answers millions of calls (a benchmark, a soak test) holds a bounded heap and spends
 * constant time per call on its bookkeeping.
 *
 * @param <Q> the method's request message
 * @param <R> the method's response message
 */
abstract class GrpcLoopbackServer<Q extends Message, R extends Message> implements AutoCloseable {
  /** How many of the most recent requests {@link #requests()} keeps. */
  static final int KEPT_REQUESTS = 1000;

  private final GrpcFaults faults = new GrpcFaults();
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private final ArrayDeque<Q> requests = new ArrayDeque<>();
  // Guarded by lock.
  private long requestCount;
  private final Server server;

  GrpcLoopbackServer(String service, String method, Q requestType, R responseType) {
    MethodDescriptor<Q, R> descriptor =
        MethodDescriptor.<Q, R>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
            .setRequestMarshaller(ProtoUtils.marshaller(requestType))
            .setResponseMarshaller(ProtoUtils.marshaller(responseType))
            .build();
    ServerServiceDefinition definition =
        ServerServiceDefinition.builder(service)
            .addMethod(descriptor, ServerCalls.asyncUnaryCall(this::call))
            .build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .maxInboundMessageSize(64 * 1024 * 1024)
            .addService(definition)
            .build();
  }

  /** Starts listening; the subclass's factory calls it once its fields are set. */
  final void listen() {
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a gRPC server on the loopback address", e);
    }
  }

  /**
   * The answer to a request that no fault took; throws a {@link StatusRuntimeException} to fail.
   */
  abstract R answer(Q request);

  private void call(Q request, StreamObserver<R> observer) {
    R response;
    try {
      record(request);
      StatusRuntimeException fault = faults.next();
      if (fault != null) {
        throw fault;
      }
      response = answer(request);
    } catch (RuntimeException e) {
      observer.onError(e);
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  private void record(Q request) {
    lock.lock();
    try {
      if (requests.size() == KEPT_REQUESTS) {
        requests.removeFirst();
      }
      requests.addLast(request);
      requestCount++;
    } finally {
      lock.unlock();
    }
  }

  /** The port listened on. */
  public int port() {
    return server.getPort();
  }

  /** {@code 127.0.0.1:<port>}, the endpoint for the client's settings. */
  public String endpoint() {
    return "127.0.0.1:" + port();
  }

  /**
   * The requests received, faults included, in arrival order: every one, up to the most recent
   * 1,000 ({@link #requestCount()} counts them all).
   */
  public List<Q> requests() {
    lock.lock();
    try {
      return List.copyOf(requests);
    } finally {
      lock.unlock();
    }
  }

  /** How many requests were received since the server started, faults included. */
  public long requestCount() {
    lock.lock();
    try {
      return requestCount;
    } finally {
      lock.unlock();
    }
  }

  /** Makes the next unanswered call fail with {@code code} and {@code message}. */
  public void failNext(Status.Code code, String message) {
    faults.add(code, message, null);
  }

  /**
   * Makes the next unanswered call fail with {@code code} and {@code message}, asking the caller to
   * wait {@code retryDelay} ({@code google.rpc.RetryInfo}).
   */
  public void failNext(Status.Code code, String message, Duration retryDelay) {
    faults.add(code, message, retryDelay);
  }

  /**
   * Makes the {@code call}-th call since the server started (counting from 1, faults included) fail
   * with {@code code} and {@code message}: to fail one batch in the middle of a stream.
   */
  public void failCall(int call, Status.Code code, String message) {
    faults.addAt(call, code, message);
  }

  /** Stops the server at once, cancelling calls in flight, and waits up to 10 s for it to end. */
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
