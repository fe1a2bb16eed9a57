/**
 * Observability for every run, with one line: {@link
 * dev.genaiprocessors.observability.Observability} is a {@link
 * dev.genaiprocessors.ProcessorInterceptor} that turns the runtime's stage events into
 * OpenTelemetry spans (nested as the pipeline is, model calls following the GenAI semantic
 * conventions), Micrometer metrics (stage throughput, durations and errors; the GenAI client
 * histograms; retries, rate-limit waits and circuit states) and SLF4J MDC entries naming the run
 * and the stage.
 *
 * <pre>{@code
 * Observability observability = Observability.builder()
 *     .openTelemetry(openTelemetry)
 *     .meterRegistry(registry)
 *     .build();
 * observability.installAsDefault();                        // every run from now on
 * pipeline.apply(observability.runConfig(), input);       // or one run
 * }</pre>
 */
@NullMarked
package dev.genaiprocessors.observability;

import org.jspecify.annotations.NullMarked;
