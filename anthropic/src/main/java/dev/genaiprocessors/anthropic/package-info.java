/**
 * Anthropic Claude models as processors.
 *
 * <p>{@link dev.genaiprocessors.anthropic.AnthropicModel} streams a Messages API answer as parts:
 * text deltas as they arrive, extended thinking as thought parts (signed, so they can be sent
 * back), tool use as function-call parts, and a final part whose metadata carries the stop reason,
 * the model, the message id and the {@link dev.genaiprocessors.model.TokenUsage} (prompt-cache
 * reads and writes included). {@link dev.genaiprocessors.anthropic.MessageSettings} are its
 * validated generation settings; failures reach the caller as an {@link
 * dev.genaiprocessors.anthropic.AnthropicException} carrying the vendor's status, error type,
 * request id and retry hint, never the API key.
 */
@NullMarked
package dev.genaiprocessors.anthropic;

import org.jspecify.annotations.NullMarked;
