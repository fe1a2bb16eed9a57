/**
 * What model and HTTP integrations share, kept out of the core package so that a reader of {@code
 * dev.genaiprocessors} meets the library's concepts first.
 *
 * <p>{@link dev.genaiprocessors.model.ModelEndpoint} holds the settings every model processor takes
 * (base URL, key, timeouts, retries); {@link dev.genaiprocessors.model.CallDeadline} bounds a whole
 * call and each attempt; {@link dev.genaiprocessors.model.SdkRetries} and {@link
 * dev.genaiprocessors.model.RetryAdvice} keep one retry layer; {@link
 * dev.genaiprocessors.model.SseReader} and {@link dev.genaiprocessors.model.EventStreams} read
 * server-sent events; {@link dev.genaiprocessors.model.Secrets} keeps keys out of messages; {@link
 * dev.genaiprocessors.model.CallIds} pairs function calls with their responses; {@link
 * dev.genaiprocessors.model.DeclaredFunction} describes a tool to a model; {@link
 * dev.genaiprocessors.model.TokenUsage} and {@link dev.genaiprocessors.model.ModelOutput} name what
 * a model's output parts carry.
 *
 * <p>Most users never import this package: they build a model processor and read its parts.
 */
@NullMarked
package dev.genaiprocessors.model;

import org.jspecify.annotations.NullMarked;
