/**
 * Google Gemini models as processors.
 *
 * <p>{@link dev.genaiprocessors.gemini.GeminiModel} streams a Gemini answer as parts: text as it
 * arrives, thoughts as thought parts, function calls as function-call parts, thought signatures
 * kept on the parts they came with, and a final part whose metadata carries the finish reason, the
 * model version, the response id, the safety ratings and the {@link
 * dev.genaiprocessors.model.TokenUsage}. {@link dev.genaiprocessors.gemini.GenerationSettings} are
 * its validated generation settings; failures reach the caller as a {@link
 * dev.genaiprocessors.gemini.GeminiException} carrying the HTTP status, Google's status string and
 * the {@code RetryInfo} wait, never the API key.
 */
@NullMarked
package dev.genaiprocessors.gemini;

import org.jspecify.annotations.NullMarked;
