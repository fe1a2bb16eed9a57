/**
 * The core of GenAI Processors: one content model that everything flows as.
 *
 * <p>A {@link dev.genaiprocessors.ProcessorPart} is one immutable piece of content (text, bytes
 * with a MIME type, a function call or response, JSON, code) with a role, a substream name and
 * metadata. A {@link dev.genaiprocessors.ProcessorContent} is an immutable ordered list of parts.
 * {@link dev.genaiprocessors.MimeTypes} classifies MIME types and {@link
 * dev.genaiprocessors.PartJson} reads and writes parts in the wire shape shared with the Python
 * {@code genai-processors} library.
 *
 * <p>A {@link dev.genaiprocessors.Processor} turns a stream of parts into another; a {@link
 * dev.genaiprocessors.PartProcessor} handles one part at a time, many at once, order kept. They
 * compose in sequence ({@code then}, {@code chain}), in parallel ({@code parallel}), by routing
 * ({@link dev.genaiprocessors.Switch}, {@link dev.genaiprocessors.PartSwitch}) and with the
 * combinators of {@link dev.genaiprocessors.PartFunctions}. A caller runs one with {@code apply}
 * and reads a {@link dev.genaiprocessors.ProcessorStream}; {@link dev.genaiprocessors.RunConfig}
 * sets buffers, concurrency, reserved substreams and {@link
 * dev.genaiprocessors.ProcessorInterceptor}s. {@link dev.genaiprocessors.ErrorStrategies} turns
 * failures into parts; {@link dev.genaiprocessors.Cached} caches results in a {@link
 * dev.genaiprocessors.ProcessorCache} such as {@link dev.genaiprocessors.InMemoryCache}, keyed by
 * {@link dev.genaiprocessors.ContentHash}. {@link dev.genaiprocessors.Streams} merges, concatenates
 * and splits streams; a {@link dev.genaiprocessors.Source} generates parts.
 *
 * <p>A failed run throws the processor's own exception when it is unchecked (the failing stage
 * named in a suppressed exception), a {@link dev.genaiprocessors.ProcessorException} carrying it
 * when it is checked; {@link dev.genaiprocessors.ProcessorException#stageOf} names the stage.
 */
@NullMarked
package dev.genaiprocessors;

import org.jspecify.annotations.NullMarked;
