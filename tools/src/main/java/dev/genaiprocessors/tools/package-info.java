/**
 * Tools for models: Java code a model can call, and the loop that calls it.
 *
 * <p>A {@link dev.genaiprocessors.tools.Tool} is a function the model may call: its {@link
 * dev.genaiprocessors.tools.FunctionDeclaration} (name, description, JSON schema of its arguments,
 * derived from Java types) and the code that runs it. Make one from a lambda over a record ({@link
 * dev.genaiprocessors.tools.Tool#of}) or from the {@link dev.genaiprocessors.tools.ToolMethod}
 * methods of an object ({@link dev.genaiprocessors.tools.Tool#fromMethods}), describing arguments
 * with {@link dev.genaiprocessors.tools.ToolParam}.
 *
 * <p>{@link dev.genaiprocessors.tools.FunctionCalling} wraps any model processor that emits
 * function-call parts: it calls the model, runs the calls of each turn concurrently, feeds the
 * responses back and calls the model again until it answers without calls. Tools may stream several
 * responses per call ({@link dev.genaiprocessors.tools.Tool#streaming}) or run in the background
 * while the conversation goes on ({@link dev.genaiprocessors.tools.Tool#inBackground}), listed and
 * cancelled by the model.
 */
@NullMarked
package dev.genaiprocessors.tools;

import org.jspecify.annotations.NullMarked;
