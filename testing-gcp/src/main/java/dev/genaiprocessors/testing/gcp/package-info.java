/**
 * Loopback stand-ins for Google Cloud services, so pipelines using the official Google Cloud
 * clients are tested without the cloud, its credentials or its bills.
 *
 * <p>{@link dev.genaiprocessors.testing.gcp.StorageServer} speaks Cloud Storage's JSON API (the
 * paths and bodies {@code google-cloud-storage} sends: multipart and resumable uploads with 308
 * chunking, gzip bodies, {@code /download} media paths, percent-encoded names) over a JDK {@code
 * HttpServer}; objects are kept in files, so large uploads cost no heap. {@link
 * dev.genaiprocessors.testing.gcp.VisionServer} and {@link
 * dev.genaiprocessors.testing.gcp.TranslationServer} implement the real protobuf methods of Vision
 * v1 ({@code BatchAnnotateImages}) and Translation v3 ({@code TranslateText}) over gRPC (Netty,
 * plaintext). Each binds the loopback address on a free port, records what it was sent and plays
 * scripted faults (gRPC statuses with {@code RetryInfo}, HTTP error statuses).
 */
@NullMarked
package dev.genaiprocessors.testing.gcp;

import org.jspecify.annotations.NullMarked;
