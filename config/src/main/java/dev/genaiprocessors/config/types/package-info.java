/**
 * The pipeline types that come with the {@code config} module: {@code identity} and {@code
 * template} (core), {@code openai}, {@code http} and {@code resilience} (each registered only when
 * its module is present). Not exported: {@link java.util.ServiceLoader} needs the providers public,
 * users need only their names and settings, which the pipeline's JSON Schema documents.
 */
@NullMarked
package dev.genaiprocessors.config.types;

import org.jspecify.annotations.NullMarked;
