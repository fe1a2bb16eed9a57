/**
 * OpenAI and OpenAI-compatible models as processors.
 *
 * <p>{@link dev.genaiprocessors.openai.OpenAiModel} streams a chat completion as parts: text deltas
 * as they arrive, tool calls as function-call parts, and a final part whose metadata carries the
 * finish reason, the model, the response id and the {@link dev.genaiprocessors.model.TokenUsage}.
 * It calls the Chat Completions API by default, or OpenAI's Responses API when built with {@link
 * dev.genaiprocessors.openai.OpenAiApi#RESPONSES}; the parts in and out are the same on both.
 * {@link dev.genaiprocessors.openai.ChatSettings} and {@link
 * dev.genaiprocessors.openai.ResponseFormat} are its validated generation settings; failures reach
 * the caller as an {@link dev.genaiprocessors.openai.OpenAiException} carrying the vendor's status,
 * error type and request id, never the API key.
 */
@NullMarked
package dev.genaiprocessors.openai;

import org.jspecify.annotations.NullMarked;
