/**
 * Local servers that answer with a vendor's real wire format, so pipelines can be tested without
 * the vendor's cloud, its keys or its bills.
 *
 * <p>{@link dev.genaiprocessors.testing.OpenAiServer} speaks OpenAI's Chat Completions and
 * Responses APIs (JSON bodies and {@code text/event-stream} chunks) on loopback; a test scripts its
 * answers with {@link dev.genaiprocessors.testing.ChatReply}, {@link
 * dev.genaiprocessors.testing.ResponsesReply} and {@link dev.genaiprocessors.testing.ErrorReply},
 * faults included, and reads back what it was sent as {@link
 * dev.genaiprocessors.testing.RecordedRequest}s. {@link dev.genaiprocessors.testing.OpenAiDialect}
 * makes it answer the way OpenAI-compatible servers (Ollama, vLLM, Azure OpenAI, Qwen, GLM) do.
 * {@link dev.genaiprocessors.testing.GeminiServer} speaks Google's Gemini API the same way,
 * scripted with {@link dev.genaiprocessors.testing.GeminiReply}.
 *
 * <p>{@link dev.genaiprocessors.testing.AnthropicServer} speaks Anthropic's Messages API (named SSE
 * events, {@code error} events, Anthropic's error bodies); its answers are scripted with {@link
 * dev.genaiprocessors.testing.MessageReply} and {@link
 * dev.genaiprocessors.testing.AnthropicErrorReply}. Each of the three also takes a {@link
 * dev.genaiprocessors.testing.RawReply}: any status, content type and body, as a proxy in the
 * vendor's place answers.
 *
 * <p>{@link dev.genaiprocessors.testing.EventStreamFuzz} fuzzes the reader of an event stream: it
 * checks a property against a recorded stream mutated at random, read a few bytes at a time, and
 * names the seed that reproduces a failure; each input is a {@link
 * dev.genaiprocessors.testing.FuzzedStream}.
 */
@NullMarked
package dev.genaiprocessors.testing;

import org.jspecify.annotations.NullMarked;
