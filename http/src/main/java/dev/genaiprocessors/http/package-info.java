/**
 * External HTTP APIs as processors. {@link dev.genaiprocessors.http.HttpProcessor} is a {@link
 * dev.genaiprocessors.PartProcessor} that turns each part into a request (URL template, headers, a
 * {@link dev.genaiprocessors.http.RequestBody}) and the response into parts (JSON, text or bytes by
 * content type; one part per line or event for NDJSON and server-sent events; a body expected as
 * JSON that is not is an {@link dev.genaiprocessors.http.UnexpectedResponseException}),
 * authenticated by an {@link dev.genaiprocessors.http.HttpAuth} whose secrets never show, even when
 * a server echoes them, failing as its {@link dev.genaiprocessors.http.HttpErrorStrategy} says, and
 * retried and rate-limited by a {@link dev.genaiprocessors.resilience.Resilience}.
 */
@NullMarked
package dev.genaiprocessors.http;

import org.jspecify.annotations.NullMarked;
