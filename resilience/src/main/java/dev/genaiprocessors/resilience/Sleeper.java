package dev.genaiprocessors.resilience;

import java.time.Duration;

/**
 * Waits: how the decorators pause between retries and for rate limits. Inject a fake one in tests
 * (one that advances a fake {@link java.time.Clock} and returns at once) to test waits without
 * sleeping.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Blocks the calling thread for {@code duration}.
   *
   * @throws InterruptedException when the thread is interrupted (its run was cancelled)
   */
  void sleep(Duration duration) throws InterruptedException;

  /** The sleeper that really sleeps ({@link Thread#sleep(Duration)}, cheap on a virtual thread). */
  static Sleeper system() {
    return Thread::sleep;
  }
}
