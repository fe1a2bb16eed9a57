/**
 * Processors on the official AWS SDK for Java v2: {@link dev.genaiprocessors.aws.Comprehend}
 * analyses text parts (language, sentiment, entities, key phrases, PII; batched 25 texts a call),
 * {@link dev.genaiprocessors.aws.Rekognition} analyses image parts (labels, text, moderation
 * labels, faces), {@link dev.genaiprocessors.aws.S3Store} stores parts in S3 and reads them back
 * (multipart upload, ranged reads, presigned URLs), and {@link dev.genaiprocessors.aws.AwsRouter}
 * sends each part to the right one with the core's {@link dev.genaiprocessors.Switch}.
 *
 * <p>Clients are given ready-made or built from {@link dev.genaiprocessors.aws.AwsSettings}
 * (region, endpoint override, credentials provider; the SDK's default chains when unset). A
 * service's failure arrives as an {@link dev.genaiprocessors.aws.AwsException}, which carries the
 * core's {@link dev.genaiprocessors.model.RetryAdvice} for the {@code resilience} module's retry
 * decorator.
 */
@NullMarked
package dev.genaiprocessors.aws;

import org.jspecify.annotations.NullMarked;
