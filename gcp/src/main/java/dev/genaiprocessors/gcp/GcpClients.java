package dev.genaiprocessors.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.auth.Credentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.translate.v3.TranslationServiceClient;
import com.google.cloud.translate.v3.TranslationServiceSettings;
import com.google.cloud.vision.v1.ImageAnnotatorClient;
import com.google.cloud.vision.v1.ImageAnnotatorSettings;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The Google Cloud clients of one project, built from explicit settings when first asked for and
 * closed together.
 *
 * <pre>{@code
 * try (GcpClients clients = GcpClients.builder().projectId("my-project").build()) {
 *   // Application Default Credentials, Google's endpoints, gax retries on
 *   Processor toFrench =
 *       CloudTranslation.builder(clients.translation(), clients.projectId())
 *           .targetLanguage("fr").build();
 * }
 * }</pre>
 *
 * <p><b>Credentials.</b> When none are given, each client finds Application Default Credentials
 * itself (the {@code GOOGLE_APPLICATION_CREDENTIALS} file, gcloud's user credentials, the metadata
 * server). {@link Builder#credentials} fixes them; {@link Builder#noCredentials} sends none, for
 * local servers such as the {@code testing-gcp} module's. Credentials never appear in {@link
 * #toString()} or in any message of this module.
 *
 * <p><b>Endpoints.</b> Google's by default; {@link Builder#storageHost}, {@link
 * Builder#translationEndpoint} and {@link Builder#visionEndpoint} point a client elsewhere, and
 * {@link Builder#plaintext} drops TLS on the gRPC channels (loopback servers only).
 *
 * <p><b>Retries.</b> The clients' own (gax, and Cloud Storage's) retries are on by default, as
 * Google configures them. {@link Builder#sdkRetries sdkRetries(false)} turns them off so that a
 * retry decorator (the {@code resilience} module's, which reads {@link GcpException}'s advice) is
 * the only layer retrying.
 *
 * <p>Thread-safe: each client is built once, under a lock, and shared. Clients handed in from
 * outside are not made here; build processors from them directly.
 */
public final class GcpClients implements AutoCloseable {
  private final String projectId;
  private final @Nullable Credentials credentials;
  private final boolean noCredentials;
  private final @Nullable String storageHost;
  private final @Nullable String translationEndpoint;
  private final @Nullable String visionEndpoint;
  private final boolean plaintext;
  private final boolean sdkRetries;
  private final ReentrantLock lock = new ReentrantLock();
  private @Nullable Storage storage;
  private @Nullable TranslationServiceClient translation;
  private @Nullable ImageAnnotatorClient vision;
  private boolean closed;

  private GcpClients(Builder b) {
    this.projectId = Objects.requireNonNull(b.projectId);
    this.credentials = b.credentials;
    this.noCredentials = b.noCredentials;
    this.storageHost = b.storageHost;
    this.translationEndpoint = b.translationEndpoint;
    this.visionEndpoint = b.visionEndpoint;
    this.plaintext = b.plaintext;
    this.sdkRetries = b.sdkRetries;
  }

  /** A builder; the project id is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The project the clients work for. */
  public String projectId() {
    return projectId;
  }

  /** The Cloud Storage client (JSON API over HTTP), built on first use. */
  public Storage storage() {
    lock.lock();
    try {
      checkOpen();
      if (storage == null) {
        StorageOptions.Builder options = StorageOptions.http().setProjectId(projectId);
        if (storageHost != null) {
          options.setHost(storageHost);
        }
        if (noCredentials) {
          options.setCredentials(NoCredentials.getInstance());
        } else if (credentials != null) {
          options.setCredentials(credentials);
        }
        if (!sdkRetries) {
          options.setRetrySettings(ServiceOptions.getNoRetrySettings());
        }
        storage = options.build().getService();
      }
      return storage;
    } finally {
      lock.unlock();
    }
  }

  /** The Translation v3 client (gRPC), built on first use. */
  public TranslationServiceClient translation() {
    lock.lock();
    try {
      checkOpen();
      if (translation == null) {
        TranslationServiceSettings.Builder settings = TranslationServiceSettings.newBuilder();
        settings.setCredentialsProvider(credentialsProvider());
        if (translationEndpoint != null) {
          settings.setEndpoint(translationEndpoint);
          settings.setTransportChannelProvider(channel(translationEndpoint));
        }
        if (!sdkRetries) {
          settings.applyToAllUnaryMethods(
              method -> {
                method.setRetryableCodes(Set.of());
                return null;
              });
        }
        translation = TranslationServiceClient.create(settings.build());
      }
      return translation;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Translation client", e);
    } finally {
      lock.unlock();
    }
  }

  /** The Vision v1 client (gRPC), built on first use. */
  public ImageAnnotatorClient vision() {
    lock.lock();
    try {
      checkOpen();
      if (vision == null) {
        ImageAnnotatorSettings.Builder settings = ImageAnnotatorSettings.newBuilder();
        settings.setCredentialsProvider(credentialsProvider());
        if (visionEndpoint != null) {
          settings.setEndpoint(visionEndpoint);
          settings.setTransportChannelProvider(channel(visionEndpoint));
        }
        if (!sdkRetries) {
          settings.applyToAllUnaryMethods(
              method -> {
                method.setRetryableCodes(Set.of());
                return null;
              });
        }
        vision = ImageAnnotatorClient.create(settings.build());
      }
      return vision;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Vision client", e);
    } finally {
      lock.unlock();
    }
  }

  private CredentialsProvider credentialsProvider() {
    if (noCredentials) {
      return NoCredentialsProvider.create();
    }
    if (credentials != null) {
      return FixedCredentialsProvider.create(credentials);
    }
    return TranslationServiceSettings.defaultCredentialsProviderBuilder().build();
  }

  // gax's channel configurator is typed with the raw ManagedChannelBuilder.
  @SuppressWarnings("rawtypes")
  private InstantiatingGrpcChannelProvider channel(String endpoint) {
    InstantiatingGrpcChannelProvider.Builder channel =
        InstantiatingGrpcChannelProvider.newBuilder().setEndpoint(endpoint);
    if (plaintext) {
      channel.setChannelConfigurator(ManagedChannelBuilder::usePlaintext);
    }
    return channel.build();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("these GcpClients are closed");
    }
  }

  /**
   * Closes the clients built so far; the gRPC channels are shut down.
   *
   * @throws IllegalStateException when a client fails to close, carrying its exception
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      IllegalStateException failure = null;
      for (AutoCloseable client : new AutoCloseable[] {translation, vision, storage}) {
        if (client == null) {
          continue;
        }
        try {
          client.close();
        } catch (Exception e) {
          if (failure == null) {
            failure = new IllegalStateException("closing a Google Cloud client failed", e);
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      lock.unlock();
    }
  }

  /** The project and endpoints; never the credentials. */
  @Override
  public String toString() {
    return "GcpClients[project="
        + projectId
        + ", credentials="
        + (noCredentials ? "none" : credentials != null ? "given" : "application default")
        + (storageHost != null ? ", storage=" + storageHost : "")
        + (translationEndpoint != null ? ", translation=" + translationEndpoint : "")
        + (visionEndpoint != null ? ", vision=" + visionEndpoint : "")
        + (plaintext ? ", plaintext" : "")
        + (sdkRetries ? "" : ", no SDK retries")
        + "]";
  }

  /** Settings of {@link GcpClients}; {@link #build()} checks them, naming a bad one. */
  public static final class Builder {
    private @Nullable String projectId;
    private @Nullable Credentials credentials;
    private boolean noCredentials;
    private @Nullable String storageHost;
    private @Nullable String translationEndpoint;
    private @Nullable String visionEndpoint;
    private boolean plaintext;
    private boolean sdkRetries = true;

    private Builder() {}

    /** The project the clients work for (and Translation bills); required. */
    public Builder projectId(String projectId) {
      this.projectId = Objects.requireNonNull(projectId, "projectId");
      return this;
    }

    /** Fixed credentials instead of Application Default Credentials. */
    public Builder credentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** No credentials at all: for local test servers. */
    public Builder noCredentials() {
      this.noCredentials = true;
      return this;
    }

    /** Cloud Storage's host with its scheme, such as {@code http://127.0.0.1:8080}. */
    public Builder storageHost(String storageHost) {
      this.storageHost = Objects.requireNonNull(storageHost, "storageHost");
      return this;
    }

    /** Translation's gRPC endpoint, {@code host:port}. */
    public Builder translationEndpoint(String endpoint) {
      this.translationEndpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** Vision's gRPC endpoint, {@code host:port}. */
    public Builder visionEndpoint(String endpoint) {
      this.visionEndpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** gRPC without TLS, for loopback servers only (default false). */
    public Builder plaintext(boolean plaintext) {
      this.plaintext = plaintext;
      return this;
    }

    /** Whether the clients retry by themselves, as Google configures them (default true). */
    public Builder sdkRetries(boolean sdkRetries) {
      this.sdkRetries = sdkRetries;
      return this;
    }

    /**
     * The clients (none is built yet).
     *
     * @throws IllegalArgumentException naming the setting that is missing or invalid
     */
    public GcpClients build() {
      if (projectId == null || projectId.isBlank()) {
        throw new IllegalArgumentException("projectId is required but was not set");
      }
      if (noCredentials && credentials != null) {
        throw new IllegalArgumentException("credentials and noCredentials() exclude each other");
      }
      if (storageHost != null && !storageHost.matches("https?://.+")) {
        throw new IllegalArgumentException(
            "storageHost must start with http:// or https:// but was \"" + storageHost + "\"");
      }
      for (String endpoint : new String[] {translationEndpoint, visionEndpoint}) {
        if (endpoint != null && !endpoint.matches("[^/:]+:\\d{1,5}")) {
          throw new IllegalArgumentException(
              "a gRPC endpoint must be host:port but was \"" + endpoint + "\"");
        }
      }
      return new GcpClients(this);
    }
  }
}
