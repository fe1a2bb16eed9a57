/**
 * The {@code genai} command line: {@link dev.genaiprocessors.cli.GenaiCli} runs a YAML pipeline
 * (see {@code dev.genaiprocessors.config.Pipeline}) on arguments, files, directories, standard
 * input or JSONL parts, prints its output as text or JSONL parts, writes a trace file and serves
 * the trace viewer; {@link dev.genaiprocessors.cli.LocalModelType} is the {@code local} model type
 * that makes the sample pipelines run with no key and no network.
 *
 * <pre>{@code
 * genai run cli/samples/hello.yaml "Why is the sky blue?"
 * genai run pipeline.yaml docs/ --glob '*.md' --format jsonl --trace run.json
 * genai trace view run.json
 * genai validate pipeline.yaml; genai list; genai schema > pipeline.schema.json
 * }</pre>
 */
@NullMarked
package dev.genaiprocessors.cli;

import org.jspecify.annotations.NullMarked;
