package dev.genaiprocessors.gemini;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * Hands the model what the SDK would not show it of the response to the call running on this
 * thread: the body of an HTTP error, and the body of a successful stream.
 *
 * <p>The SDK's {@code ApiException} keeps only the code, status and message of Google's error, but
 * the retry hint ({@code RetryInfo.retryDelay}) and the quota that ran out ({@code QuotaFailure})
 * are in the body's {@code details}: an error body is copied (not consumed) into the holder.
 *
 * <p>The body of a successful {@code streamGenerateContent} is taken, so that {@link ChunkReader}
 * reads it, and the SDK gets an empty body in its place (an empty stream, which it reads as one).
 * The SDK has built, authenticated, sent and, if asked, retried the request by then, and mapped
 * error statuses.
 *
 * <p>This interceptor sits on the OkHttp client the model gives the SDK, outside the SDK's own
 * retry interceptor, so it sees the final response. A blocking call runs the interceptors on the
 * calling thread, so a thread-local reaches the right call.
 */
final class ResponseCapture implements Interceptor {
  private static final long MAX_BODY = 256 * 1024;
  private static final ThreadLocal<Holder> CURRENT = new ThreadLocal<>();

  /** What was captured of the call running on one thread. */
  static final class Holder {
    /** The error body, once an error response arrived. */
    @Nullable String errorBody;

    /** The successful stream's body, for the caller to read and close. */
    @Nullable ResponseBody stream;

    /** The successful stream's {@code Content-Type}, or null when it had none. */
    @Nullable String contentType;
  }

  /** Starts capturing for a call on this thread. */
  static Holder open() {
    Holder holder = new Holder();
    CURRENT.set(holder);
    return holder;
  }

  /** Ends capturing on this thread. */
  static void close() {
    CURRENT.remove();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    Holder holder = CURRENT.get();
    if (holder == null) {
      return response;
    }
    if (!response.isSuccessful()) {
      holder.errorBody = response.peekBody(MAX_BODY).string();
      return response;
    }
    ResponseBody body = response.body();
    if (body != null
        && holder.stream == null
        && chain.request().url().encodedPath().endsWith(":streamGenerateContent")) {
      holder.stream = body;
      holder.contentType = response.header("Content-Type");
      return response
          .newBuilder()
          .body(ResponseBody.create(new byte[0], body.contentType()))
          .build();
    }
    return response;
  }
}
