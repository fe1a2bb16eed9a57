package dev.genaiprocessors.gemini;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the body of an HTTP error response for the call running on this thread.
 *
 * <p>The SDK's {@code ApiException} keeps only the code, status and message of Google's error, but
 * the retry hint ({@code RetryInfo.retryDelay}) and the quota that ran out ({@code QuotaFailure})
 * are in the body's {@code details}. This interceptor sits on the OkHttp client the model gives the
 * SDK, outside the SDK's own retry interceptor, so it sees the final response; it copies an error
 * body (without consuming it) into the holder that {@link GeminiModel#call} opened on its thread. A
 * blocking call runs the interceptors on the calling thread, so a thread-local reaches the right
 * call.
 */
final class ErrorCapture implements Interceptor {
  private static final long MAX_BODY = 256 * 1024;
  private static final ThreadLocal<Holder> CURRENT = new ThreadLocal<>();

  /** The error body of the call running on one thread, once one arrived. */
  static final class Holder {
    @Nullable String body;
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
    if (!response.isSuccessful()) {
      Holder holder = CURRENT.get();
      if (holder != null) {
        holder.body = response.peekBody(MAX_BODY).string();
      }
    }
    return response;
  }
}
