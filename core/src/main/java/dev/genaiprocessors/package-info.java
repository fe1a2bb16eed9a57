/**
 * The core of GenAI Processors: one content model that everything flows as.
 *
 * <p>A {@link dev.genaiprocessors.ProcessorPart} is one immutable piece of content (text, bytes
 * with a MIME type, a function call or response, JSON, code) with a role, a substream name and
 * metadata. A {@link dev.genaiprocessors.ProcessorContent} is an immutable ordered list of parts.
 * {@link dev.genaiprocessors.MimeTypes} classifies MIME types and {@link
 * dev.genaiprocessors.PartJson} reads and writes parts in the wire shape shared with the Python
 * {@code genai-processors} library.
 */
@NullMarked
package dev.genaiprocessors;

import org.jspecify.annotations.NullMarked;
