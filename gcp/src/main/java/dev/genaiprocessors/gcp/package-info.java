/**
 * Google Cloud processors on the official client libraries: {@link
 * dev.genaiprocessors.gcp.CloudTranslation} (Translation v3, batched {@code TranslateText}), {@link
 * dev.genaiprocessors.gcp.CloudVision} (Vision v1, batched {@code BatchAnnotateImages}), {@link
 * dev.genaiprocessors.gcp.CloudStorage} (objects in and {@code gs://} references out, resumable
 * uploads streamed), and {@link dev.genaiprocessors.gcp.GoogleCloud#router} sending images to
 * Vision, text to Translation and the rest to Storage.
 *
 * <p>Clients are injected, or built by {@link dev.genaiprocessors.gcp.GcpClients} from explicit
 * settings (project, endpoints, credentials; Application Default Credentials when none are given).
 * Failures of the services are {@link dev.genaiprocessors.gcp.GcpException}s, which tell a retry
 * decorator what to do ({@link dev.genaiprocessors.model.RetryAdvice}); what a processor does with
 * them is its {@link dev.genaiprocessors.gcp.GcpErrorStrategy}.
 */
@NullMarked
package dev.genaiprocessors.gcp;

import org.jspecify.annotations.NullMarked;
