/**
 * Storage for pipelines: every run of a processor, its input parts and its results kept in a
 * database for audit, replay, evaluation and cost accounting, and a {@link
 * dev.genaiprocessors.ProcessorCache} on the same database.
 *
 * <p>{@link dev.genaiprocessors.jdbc.Storage} is the entry point: it owns the connection pool and
 * the schema, wraps processors ({@link
 * dev.genaiprocessors.jdbc.Storage#wrap(dev.genaiprocessors.Processor)}), loads stored runs back
 * ({@link dev.genaiprocessors.jdbc.StoredRun}) and makes caches ({@link
 * dev.genaiprocessors.jdbc.Storage#cache}). PostgreSQL, MariaDB and embedded H2 (the default) are
 * supported; {@link dev.genaiprocessors.jdbc.DatabaseDown} says what a run does when the database
 * stops answering, and {@link dev.genaiprocessors.jdbc.StorageException} is what it throws.
 */
@NullMarked
package dev.genaiprocessors.jdbc;

import org.jspecify.annotations.NullMarked;
