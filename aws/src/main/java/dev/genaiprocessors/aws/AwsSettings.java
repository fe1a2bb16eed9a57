package dev.genaiprocessors.aws;

import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.comprehend.ComprehendClient;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * How to build the AWS SDK clients when the caller gives none: region, endpoint override and
 * credentials provider, each optional.
 *
 * <pre>{@code
 * AwsSettings local = AwsSettings.defaults()
 *     .withRegion("us-east-1")
 *     .withEndpoint(URI.create("http://127.0.0.1:9090"))
 *     .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("id", "key")));
 * }</pre>
 *
 * <p>What is not set is left to the SDK: the region from its default region chain ({@code
 * AWS_REGION}, the profile, ...), the endpoint from the region, the credentials from the default
 * credentials chain. S3 uses path-style addresses ({@code http://host/bucket/key}) when an endpoint
 * is set, since local S3 servers serve no bucket subdomains, and virtual-host addresses otherwise.
 * The SDK's own retries stay on (its standard strategy).
 *
 * <p>Immutable. {@link #toString()} names the credentials provider's class, never a credential.
 *
 * @param region the region name ({@code "eu-west-1"}), or null for the SDK's region chain
 * @param endpoint the endpoint override ({@code http://127.0.0.1:9090}), or null for AWS's own
 * @param credentials the credentials provider, or null for the SDK's default chain
 */
public record AwsSettings(
    @Nullable String region, @Nullable URI endpoint, @Nullable AwsCredentialsProvider credentials) {

  /** Settings with nothing set: the SDK's defaults for everything. */
  public static AwsSettings defaults() {
    return new AwsSettings(null, null, null);
  }

  /**
   * A copy in region {@code region}.
   *
   * @throws IllegalArgumentException when {@code region} is blank
   */
  public AwsSettings withRegion(String region) {
    Objects.requireNonNull(region, "region");
    if (region.isBlank()) {
      throw new IllegalArgumentException("region must not be blank but was \"" + region + "\"");
    }
    return new AwsSettings(region, endpoint, credentials);
  }

  /**
   * A copy that sends every request to {@code endpoint} (a local server, a VPC endpoint).
   *
   * @throws IllegalArgumentException when {@code endpoint} has no {@code http}/{@code https} scheme
   *     or no host
   */
  public AwsSettings withEndpoint(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    String scheme = endpoint.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          "endpoint must be an http or https URI with a host but was " + endpoint);
    }
    return new AwsSettings(region, endpoint, credentials);
  }

  /** A copy that signs requests with the credentials {@code credentials} provides. */
  public AwsSettings withCredentials(AwsCredentialsProvider credentials) {
    return new AwsSettings(region, endpoint, Objects.requireNonNull(credentials, "credentials"));
  }

  ComprehendClient comprehendClient() {
    return configure(ComprehendClient.builder()).build();
  }

  RekognitionClient rekognitionClient() {
    return configure(RekognitionClient.builder()).build();
  }

  S3Client s3Client() {
    return configure(S3Client.builder()).forcePathStyle(endpoint != null).build();
  }

  S3Presigner s3Presigner() {
    S3Presigner.Builder builder =
        S3Presigner.builder()
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(endpoint != null).build());
    if (region != null) {
      builder.region(Region.of(region));
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    if (credentials != null) {
      builder.credentialsProvider(credentials);
    }
    return builder.build();
  }

  private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
    if (region != null) {
      builder.region(Region.of(region));
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    if (credentials != null) {
      builder.credentialsProvider(credentials);
    }
    return builder;
  }

  @Override
  public String toString() {
    return "AwsSettings[region="
        + (region == null ? "<default chain>" : region)
        + ", endpoint="
        + (endpoint == null ? "<AWS>" : endpoint)
        + ", credentials="
        + (credentials == null ? "<default chain>" : credentials.getClass().getSimpleName())
        + "]";
  }
}
