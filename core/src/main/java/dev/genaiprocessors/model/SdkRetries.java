package dev.genaiprocessors.model;

import dev.genaiprocessors.Processor;

/**
 * A processor whose vendor SDK retries failed requests by itself, seen by a retry decorator so that
 * exactly one layer retries.
 *
 * <p>Two layers that both retry multiply: a decorator making 5 attempts over an SDK that tries 3
 * times sends 15 requests for one call. The model processors ({@code OpenAiModel}, {@code
 * AnthropicModel}, {@code GeminiModel}) implement this interface; a retry decorator (the {@code
 * resilience} module's {@code Resilience.decorate}) asks {@link #sdkMaxRetries()} and, when the SDK
 * would retry, either decorates {@link #withoutSdkRetries()} instead (the retries are the SDK's
 * default) or refuses (the caller chose them, {@link #sdkMaxRetriesChosen()}), saying which setting
 * to change.
 *
 * <pre>{@code
 * if (processor instanceof SdkRetries sdk && sdk.sdkMaxRetries() > 0) {
 *   processor = sdk.withoutSdkRetries();   // the decorator's retries are the only ones
 * }
 * }</pre>
 *
 * <p>The decorator sees only the processor it is given: a model hidden inside a chain or behind
 * another wrapper is not found, so build such a model with {@code maxRetries(0)} yourself.
 */
public interface SdkRetries {

  /** How often the SDK retries a failed request by itself, the first attempt not counted. */
  int sdkMaxRetries();

  /**
   * Whether the caller chose {@link #sdkMaxRetries()} (the builder's {@code maxRetries}); false
   * when it is the SDK's or the model's default.
   */
  boolean sdkMaxRetriesChosen();

  /**
   * This processor with the SDK's retries off and everything else the same (client, settings,
   * timeouts); this processor itself when its SDK does not retry. The copy shares this processor's
   * client: closing this processor closes it, closing the copy (where it can be closed) does not.
   */
  Processor withoutSdkRetries();
}
