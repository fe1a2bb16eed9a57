package dev.genaiprocessors.anthropic;

import com.anthropic.core.DefaultSleeper;
import com.anthropic.core.RequestOptions;
import com.anthropic.core.Sleeper;
import com.anthropic.core.Timeout;
import com.anthropic.core.http.HttpClient;
import com.anthropic.core.http.HttpRequest;
import com.anthropic.core.http.HttpResponse;
import com.anthropic.core.http.Interceptor;
import dev.genaiprocessors.model.CallDeadline;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The SDK's HTTP layer and retry sleeper bound by the {@link CallDeadline} of the call on this
 * thread, so that {@link AnthropicModel.Builder#timeout} bounds the whole call: the SDK applies its
 * request timeout to each attempt alone, so three attempts of a 3 s timeout could take 10 s.
 *
 * <p>Every attempt passes through {@link Http} (the SDK's retry loop sits above it): an attempt
 * gets no more than what is left of the deadline as its request timeout, none starts once it has
 * passed, and an attempt that failed because it had passed ends the loop with {@link
 * CallDeadline.Exceeded}, which the SDK does not retry. {@link Waits} refuses a retry wait that
 * would end after the deadline. Without a deadline on the thread both do what the SDK's own do.
 */
final class DeadlineBound {

  private DeadlineBound() {}

  /** Puts {@link Http} under the SDK's retry loop, where its interceptors go. */
  static final class Attempts implements Interceptor {
    @Override
    public HttpClient intercept(HttpClient next) {
      return new Http(next);
    }
  }

  /** The SDK's HTTP client, each attempt bounded by the deadline. */
  static final class Http implements HttpClient {
    private final HttpClient delegate;

    Http(HttpClient delegate) {
      this.delegate = delegate;
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
      CallDeadline deadline = CallDeadline.current();
      if (deadline == null) {
        return delegate.execute(request, options);
      }
      RequestOptions bounded = bounded(options, deadline);
      try {
        return delegate.execute(request, bounded);
      } catch (RuntimeException e) {
        throw deadline.attemptFailed(e);
      }
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(
        HttpRequest request, RequestOptions options) {
      // The model calls the blocking client only; an async call has no deadline on its thread.
      return delegate.executeAsync(request, options);
    }

    @Override
    public void close() {
      delegate.close();
    }

    /** {@code options} with a request timeout of at most what is left of {@code deadline}. */
    private static RequestOptions bounded(RequestOptions options, CallDeadline deadline) {
      Timeout timeout = options.timeout().orElse(null);
      Duration request = deadline.attemptTimeout(timeout == null ? null : timeout.request());
      Timeout.Builder b = timeout == null ? Timeout.builder() : timeout.toBuilder();
      return RequestOptions.builder()
          .timeout(b.request(request).build())
          .build()
          .applyDefaults(options);
    }
  }

  /** The SDK's retry sleeper: no wait that would end after the deadline. */
  static final class Waits implements Sleeper {
    private final Sleeper delegate = new DefaultSleeper();

    @Override
    public void sleep(Duration wait) {
      CallDeadline.beforeRetryWait(wait);
      delegate.sleep(wait);
    }

    @Override
    public CompletableFuture<Void> sleepAsync(Duration wait) {
      return delegate.sleepAsync(wait);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
