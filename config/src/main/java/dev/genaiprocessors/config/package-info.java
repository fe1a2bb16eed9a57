/**
 * Configuration and declarative pipelines.
 *
 * <p>{@link dev.genaiprocessors.config.Config} layers {@link
 * dev.genaiprocessors.config.ConfigSource}s (YAML, JSON and properties files, HTTP, environment
 * variables, system properties; the last added wins), resolves {@code ${VAR}} and {@code
 * ${VAR:default}} references and binds the result to records, validating them with {@link
 * dev.genaiprocessors.config.Min}, {@link dev.genaiprocessors.config.Max}, {@link
 * dev.genaiprocessors.config.NotBlank} and {@link dev.genaiprocessors.config.Matches}: every
 * problem is reported at once in a {@link dev.genaiprocessors.config.ConfigException}, each naming
 * the key path, the value and the rule. {@link dev.genaiprocessors.config.Secret} marks values
 * never shown.
 *
 * <p>{@link dev.genaiprocessors.config.LiveConfig} reloads when a file changes or an HTTP source
 * answers something new; {@link dev.genaiprocessors.config.Reconfigurable} and {@link
 * dev.genaiprocessors.config.ReconfigurablePart} are processors that follow it, swapping their
 * settings atomically between runs or parts.
 *
 * <p>{@link dev.genaiprocessors.config.Pipeline} builds a processor from a YAML file that composes
 * processor types (chain, parallel, switch) found in a {@link
 * dev.genaiprocessors.config.ProcessorRegistry}; a module contributes its types by implementing
 * {@link dev.genaiprocessors.config.ProcessorType}.
 */
@NullMarked
package dev.genaiprocessors.config;

import org.jspecify.annotations.NullMarked;
