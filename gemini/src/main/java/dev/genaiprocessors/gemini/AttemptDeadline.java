package dev.genaiprocessors.gemini;

import dev.genaiprocessors.model.CallDeadline;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Ends the SDK's retry loop once the {@link CallDeadline} of the call on this thread has passed.
 *
 * <p>The SDK retries inside one OkHttp call, whose call timeout ({@link
 * GeminiModel.Builder#timeout}) spans every attempt; but when that timeout cancels the call, the
 * SDK's retry interceptor still waits its backoff and tries again (each try failing at once on the
 * cancelled call), so a call of a 3 s timeout ended seconds late. This network interceptor runs for
 * each attempt, under the SDK's retry interceptor: once the deadline has passed it throws {@link
 * CallDeadline.Exceeded}, which that interceptor does not retry. A blocking call runs the
 * interceptors on the calling thread, so the thread's deadline is the call's.
 */
final class AttemptDeadline implements Interceptor {

  @Override
  public Response intercept(Chain chain) throws IOException {
    CallDeadline deadline = CallDeadline.current();
    if (deadline == null) {
      return chain.proceed(chain.request());
    }
    if (deadline.passed()) {
      throw deadline.exceeded(null);
    }
    try {
      return chain.proceed(chain.request());
    } catch (IOException e) {
      throw deadline.attemptFailed(e);
    }
  }
}
