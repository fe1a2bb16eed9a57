package dev.genaiprocessors.testing.gcp;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Scripted gRPC failures, played in order, one per call, before the call is answered. */
final class GrpcFaults {
  private final ConcurrentLinkedQueue<StatusRuntimeException> pending =
      new ConcurrentLinkedQueue<>();
  private final Map<Integer, StatusRuntimeException> byCall = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();

  void add(Status.Code code, String message, @Nullable Duration retryDelay) {
    pending.add(fault(code, message, retryDelay));
  }

  void addAt(int call, Status.Code code, String message) {
    if (call < 1) {
      throw new IllegalArgumentException("call must be at least 1 but was " + call);
    }
    byCall.put(call, fault(code, message, null));
  }

  private static StatusRuntimeException fault(
      Status.Code code, String message, @Nullable Duration retryDelay) {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    if (code == Status.Code.OK) {
      throw new IllegalArgumentException("a fault needs an error code, not OK");
    }
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message);
    if (retryDelay != null) {
      status.addDetails(
          Any.pack(
              RetryInfo.newBuilder()
                  .setRetryDelay(
                      com.google.protobuf.Duration.newBuilder()
                          .setSeconds(retryDelay.getSeconds())
                          .setNanos(retryDelay.getNano()))
                  .build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /** The next scripted failure, or null when the call is to be answered. */
  @Nullable StatusRuntimeException next() {
    StatusRuntimeException scripted = byCall.remove(calls.incrementAndGet());
    return scripted != null ? scripted : pending.poll();
  }

  static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
