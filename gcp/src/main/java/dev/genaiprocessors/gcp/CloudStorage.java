package dev.genaiprocessors.gcp;

import com.google.auth.ServiceAccountSigner;
import com.google.cloud.BaseServiceException;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import dev.genaiprocessors.ErrorStrategies;
import dev.genaiprocessors.PartData;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Substreams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Cloud Storage for parts: stores parts as objects and emits {@code gs://} references to them
 * ({@link #upload()}), reads references back into parts ({@link #download()}), and streams large
 * content in and out without holding it in memory ({@link #upload(InputStream, String)}, {@link
 * #downloadTo}).
 *
 * <pre>{@code
 * CloudStorage storage =
 *     CloudStorage.builder(clients.storage(), "my-bucket")
 *         .objectNames("genai/{date}/{uuid}{ext}")
 *         .build();
 * ProcessorPart ref = storage.upload().apply(photo).gather().get(0);
 * // ref: gs://my-bucket/genai/2026/12/02/1b4e...png, metadata gcs_generation, gcs_size, ...
 * ProcessorPart back = storage.download().apply(ref).gather().get(0);
 * }</pre>
 *
 * <p><b>Upload.</b> {@link #upload()} takes text and inline-bytes parts, and {@code file:}
 * references ({@link ProcessorPart#fromUri}), which are streamed from the file; other parts
 * (function calls, {@code gs://} references, error parts) pass through. Content up to {@link
 * Builder#resumableThreshold} goes in one multipart request; larger content goes as a resumable
 * upload in {@link Builder#chunkSize} chunks, so a retry of a chunk resends that chunk only. The
 * reference part is {@code gs://<bucket>/<name>} of the content's MIME type, with the original's
 * role, substream and metadata, plus {@code gcs_bucket}, {@code gcs_object}, {@code
 * gcs_generation}, {@code gcs_size}, {@code gcs_content_type}, and {@code gcs_signed_url} when
 * {@link Builder#signedUrls} is set.
 *
 * <p><b>Object names</b> come from a template checked by {@link Builder#build()}: literal text and
 * {@code {uuid}}, {@code {date}} ({@code yyyy/MM/dd} UTC, from the builder's clock), {@code {ext}}
 * ({@code .png} for {@code image/png}...), {@code {role}}, {@code {sha256}} (of the content) and
 * {@code {meta:<key>}} (a metadata value). Every name is checked against Cloud Storage's rules (1
 * to 1024 bytes, no control characters, not {@code .} or {@code ..}, not under {@code
 * .well-known/acme-challenge/}) before any call, and a bad one is an {@link
 * IllegalArgumentException} naming the name, the part and the template.
 *
 * <p><b>Download.</b> {@link #download()} replaces each {@code gs://} reference by a part holding
 * the object's content (its content type as MIME type; the reference's generation when it names
 * one), keeping role, substream and metadata. It holds the content in memory, so it refuses objects
 * over {@link Builder#maxDownloadBytes}; {@link #downloadTo} streams instead.
 *
 * <p><b>Errors.</b> A refusal or failure of Cloud Storage is a {@link GcpException} naming the part
 * and the object ({@code 404} for a missing bucket or object, retryable for 429 and 5xx); the part
 * processors handle it, and bad names, with their {@link GcpErrorStrategy}. The client's own
 * retries (on by default) run first, for idempotent calls only: reads, and uploads with {@link
 * Builder#overwrite overwrite(false)}. This object does not own the client.
 */
public final class CloudStorage {
  private final Storage storage;
  private final String bucket;
  private final ObjectNames names;
  private final long resumableThreshold;
  private final int chunkSize;
  private final long maxDownloadBytes;
  private final @Nullable Duration signedUrlValidity;
  private final @Nullable ServiceAccountSigner signer;
  private final Clock clock;
  private final GcpErrorStrategy strategy;
  private final Storage.BlobTargetOption[] targetOptions;
  private final Storage.BlobWriteOption[] writeOptions;

  private CloudStorage(Builder b) {
    this.storage = b.storage;
    this.bucket = b.bucket;
    this.names = ObjectNames.parse(b.objectNames);
    this.resumableThreshold = b.resumableThreshold;
    this.chunkSize = b.chunkSize;
    this.maxDownloadBytes = b.maxDownloadBytes;
    this.signedUrlValidity = b.signedUrlValidity;
    this.signer = b.signer;
    this.clock = b.clock;
    this.strategy = b.strategy;
    this.targetOptions =
        b.overwrite
            ? new Storage.BlobTargetOption[0]
            : new Storage.BlobTargetOption[] {Storage.BlobTargetOption.doesNotExist()};
    this.writeOptions =
        b.overwrite
            ? new Storage.BlobWriteOption[0]
            : new Storage.BlobWriteOption[] {Storage.BlobWriteOption.doesNotExist()};
  }

  /** A builder storing objects in {@code bucket} through {@code storage}. */
  public static Builder builder(Storage storage, String bucket) {
    return new Builder(storage, bucket);
  }

  /** The bucket objects are stored in. */
  public String bucket() {
    return bucket;
  }

  /**
   * A part processor storing each text, bytes or {@code file:} part as an object and emitting its
   * {@code gs://} reference in its place (see the class comment); other parts pass through.
   */
  public PartProcessor upload() {
    PartProcessor upload =
        new PartProcessor() {
          @Override
          public void call(ProcessorPart part, PartSink output) {
            output.emit(uploadPart(part));
          }

          @Override
          public boolean match(ProcessorPart part) {
            return uploadable(part);
          }

          @Override
          public String name() {
            return "cloud_storage_upload(" + bucket + ")";
          }
        };
    return withStrategy(upload);
  }

  /**
   * A part processor replacing each {@code gs://} reference by a part holding the object's content
   * (see the class comment); other parts pass through.
   */
  public PartProcessor download() {
    PartProcessor download =
        new PartProcessor() {
          @Override
          public void call(ProcessorPart part, PartSink output) {
            output.emit(downloadPart(part));
          }

          @Override
          public boolean match(ProcessorPart part) {
            return part.data() instanceof PartData.FileData f && f.uri().startsWith("gs://");
          }

          @Override
          public String name() {
            return "cloud_storage_download";
          }
        };
    return withStrategy(download);
  }

  /**
   * Streams {@code content} into a new object of type {@code contentType} with a resumable upload,
   * {@link Builder#chunkSize} bytes at a time, and returns its {@code gs://} reference. At most one
   * chunk is held in memory, whatever the size. The stream is read to its end, not closed. The name
   * template must not use {@code {sha256}} or {@code {meta:...}}.
   *
   * @throws GcpException when Cloud Storage refuses or fails the upload
   * @throws IllegalArgumentException when the name is invalid
   */
  public ProcessorPart upload(InputStream content, String contentType) {
    Objects.requireNonNull(content, "content");
    ProcessorPart like = ProcessorPart.fromUri("stream:", contentType);
    String described = "a stream of " + contentType;
    String name = names.name(like, () -> noContent(described), clock, described);
    BlobInfo info = BlobInfo.newBuilder(bucket, name).setContentType(contentType).build();
    try {
      Blob blob = storage.createFrom(info, content, chunkSize, writeOptions);
      return reference(like, blob);
    } catch (BaseServiceException e) {
      throw GcpException.fromStorage(
          "Cloud Storage upload of " + described + " to gs://" + bucket + "/" + name, e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "reading " + described + " for gs://" + bucket + "/" + name + " failed", e);
    }
  }

  /**
   * Streams the object {@code reference} names ({@code gs://bucket/name}) into {@code out}, never
   * holding it whole in memory. {@code out} is not closed.
   *
   * @throws GcpException when the object does not exist or Cloud Storage fails
   */
  public void downloadTo(ProcessorPart reference, OutputStream out) {
    Objects.requireNonNull(out, "out");
    BlobId id = blobId(reference);
    try {
      storage.downloadTo(id, out);
    } catch (BaseServiceException e) {
      throw GcpException.fromStorage("Cloud Storage download of " + gsUri(id), e);
    }
  }

  private PartProcessor withStrategy(PartProcessor processor) {
    return switch (strategy) {
      case FAIL -> processor;
      case PASS_THROUGH -> ErrorStrategies.passThroughOnError(processor, Batcher::errorPart);
      case EMIT_ERROR_PART -> ErrorStrategies.emitErrorPart(processor, Batcher::errorPart);
    };
  }

  private static boolean uploadable(ProcessorPart part) {
    if (part.isException()
        || part.substreamName().equals(Substreams.STATUS)
        || part.substreamName().equals(Substreams.DEBUG)) {
      return false;
    }
    return switch (part.data()) {
      case PartData.Text t -> true;
      case PartData.Blob b -> true;
      case PartData.FileData f -> f.uri().startsWith("file:");
      default -> false;
    };
  }

  private ProcessorPart uploadPart(ProcessorPart part) {
    String described = describe(part);
    String contentType = part.mimeType();
    if (part.data() instanceof PartData.FileData file) {
      Path path = Path.of(URI.create(file.uri()));
      String name = names.name(part, () -> noContent(described), clock, described);
      BlobInfo info = BlobInfo.newBuilder(bucket, name).setContentType(contentType).build();
      try (InputStream in = Files.newInputStream(path)) {
        return reference(part, storage.createFrom(info, in, chunkSize, writeOptions));
      } catch (BaseServiceException e) {
        throw GcpException.fromStorage(
            "Cloud Storage upload of " + described + " to gs://" + bucket + "/" + name, e);
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + described + " failed: " + e.getMessage(), e);
      }
    }
    byte[] bytes = part.bytes();
    String name = names.name(part, () -> bytes, clock, described);
    BlobInfo info = BlobInfo.newBuilder(bucket, name).setContentType(contentType).build();
    try {
      Blob blob =
          bytes.length <= resumableThreshold
              ? storage.create(info, bytes, targetOptions)
              : storage.createFrom(info, new ByteArrayInputStream(bytes), chunkSize, writeOptions);
      return reference(part, blob);
    } catch (BaseServiceException e) {
      throw GcpException.fromStorage(
          "Cloud Storage upload of " + described + " to gs://" + bucket + "/" + name, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ProcessorPart downloadPart(ProcessorPart reference) {
    BlobId id = blobId(reference);
    String what = "Cloud Storage download of " + gsUri(id);
    try {
      Blob blob = storage.get(id);
      if (blob == null) {
        throw new GcpException(
            "Cloud Storage", what + " failed: 404 No such object", "404", false, null, null);
      }
      Long size = blob.getSize();
      if (size != null && size > maxDownloadBytes) {
        throw new IllegalArgumentException(
            gsUri(id)
                + " is "
                + size
                + " bytes, more than maxDownloadBytes ("
                + maxDownloadBytes
                + "); stream it with CloudStorage.downloadTo instead");
      }
      byte[] content = storage.readAllBytes(id);
      String type = blob.getContentType() == null ? reference.mimeType() : blob.getContentType();
      return ProcessorPart.bytes(content, type)
          .withRole(reference.role())
          .withSubstreamName(reference.substreamName())
          .withMetadata(reference.metadata());
    } catch (BaseServiceException e) {
      throw GcpException.fromStorage(what, e);
    }
  }

  private ProcessorPart reference(ProcessorPart part, Blob blob) {
    Map<String, Object> metadata = new LinkedHashMap<>(part.metadata());
    metadata.put("gcs_bucket", blob.getBucket());
    metadata.put("gcs_object", blob.getName());
    if (blob.getGeneration() != null) {
      metadata.put("gcs_generation", blob.getGeneration());
    }
    if (blob.getSize() != null) {
      metadata.put("gcs_size", blob.getSize());
    }
    String type = blob.getContentType() == null ? part.mimeType() : blob.getContentType();
    metadata.put("gcs_content_type", type);
    if (signedUrlValidity != null && signer != null) {
      URL url =
          storage.signUrl(
              BlobInfo.newBuilder(blob.getBucket(), blob.getName()).build(),
              signedUrlValidity.toSeconds(),
              TimeUnit.SECONDS,
              Storage.SignUrlOption.withV4Signature(),
              Storage.SignUrlOption.signWith(signer));
      metadata.put("gcs_signed_url", url.toString());
    }
    return ProcessorPart.fromUri("gs://" + blob.getBucket() + "/" + blob.getName(), type)
        .withRole(part.role())
        .withSubstreamName(part.substreamName())
        .withMetadata(metadata);
  }

  private static BlobId blobId(ProcessorPart reference) {
    if (!(reference.data() instanceof PartData.FileData file) || !file.uri().startsWith("gs://")) {
      throw new IllegalArgumentException(
          "not a gs:// reference: a part of type "
              + reference.mimeType()
              + " holding "
              + reference.data());
    }
    String path = file.uri().substring("gs://".length());
    int slash = path.indexOf('/');
    if (slash <= 0 || slash == path.length() - 1) {
      throw new IllegalArgumentException(
          "'" + file.uri() + "' names no object: expected gs://<bucket>/<object>");
    }
    Object generation = reference.metadata("gcs_generation");
    return generation instanceof Number n
        ? BlobId.of(path.substring(0, slash), path.substring(slash + 1), n.longValue())
        : BlobId.of(path.substring(0, slash), path.substring(slash + 1));
  }

  private static String gsUri(BlobId id) {
    return "gs://" + id.getBucket() + "/" + id.getName();
  }

  private static byte[] noContent(String described) {
    throw new IllegalArgumentException(
        "the object name's {sha256} needs the content in memory, but "
            + described
            + " is streamed");
  }

  /** {@code "part (image/png, 68 bytes)"}: enough to find the part, none of its content. */
  static String describe(ProcessorPart part) {
    String size =
        switch (part.data()) {
          case PartData.Text t -> t.text().length() + " chars";
          case PartData.Blob b -> b.size() + " bytes";
          case PartData.FileData f -> f.uri();
          default -> part.data().getClass().getSimpleName();
        };
    return "part (" + part.mimeType() + ", " + size + ")";
  }

  /** Settings of a {@link CloudStorage}; {@link #build()} checks them, naming a bad one. */
  public static final class Builder {
    private static final int QUANTUM = 256 * 1024;

    private final Storage storage;
    private final String bucket;
    private String objectNames = "genai/{date}/{uuid}{ext}";
    private long resumableThreshold = 8L * 1024 * 1024;
    private int chunkSize = 8 * 1024 * 1024;
    private long maxDownloadBytes = 64L * 1024 * 1024;
    private @Nullable Duration signedUrlValidity;
    private @Nullable ServiceAccountSigner signer;
    private Clock clock = Clock.systemUTC();
    private GcpErrorStrategy strategy = GcpErrorStrategy.FAIL;
    private boolean overwrite = true;

    private Builder(Storage storage, String bucket) {
      this.storage = Objects.requireNonNull(storage, "storage");
      this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    /**
     * The object-name template (default {@code genai/{date}/{uuid}{ext}}; see the class comment).
     */
    public Builder objectNames(String template) {
      this.objectNames = Objects.requireNonNull(template, "template");
      return this;
    }

    /** Content larger than this goes as a resumable upload (default 8 MiB); at least 0. */
    public Builder resumableThreshold(long bytes) {
      this.resumableThreshold = bytes;
      return this;
    }

    /** The chunk of a resumable upload: a positive multiple of 256 KiB (default 8 MiB). */
    public Builder chunkSize(int bytes) {
      this.chunkSize = bytes;
      return this;
    }

    /** The largest object {@link #download()} reads into a part (default 64 MiB). */
    public Builder maxDownloadBytes(long bytes) {
      this.maxDownloadBytes = bytes;
      return this;
    }

    /**
     * Adds a V4 signed URL, valid for {@code validity} (at most 7 days), to each reference, signed
     * by {@code signer} (for example the {@code ServiceAccountCredentials} of a key file).
     */
    public Builder signedUrls(Duration validity, ServiceAccountSigner signer) {
      this.signedUrlValidity = Objects.requireNonNull(validity, "validity");
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
    }

    /**
     * Whether an upload may replace an existing object of the same name (default true). With false,
     * each upload carries the precondition {@code ifGenerationMatch=0}: an existing name is a
     * {@code 412} {@link GcpException}, and since the upload is then idempotent the client retries
     * it on 429 and 5xx, which it does not do for an unconditional upload.
     */
    public Builder overwrite(boolean overwrite) {
      this.overwrite = overwrite;
      return this;
    }

    /** The clock of {@code {date}} (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** What happens to a part that fails (default {@link GcpErrorStrategy#FAIL}). */
    public Builder errorStrategy(GcpErrorStrategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /**
     * The storage processors.
     *
     * @throws IllegalArgumentException naming the setting that is invalid
     */
    public CloudStorage build() {
      if (!bucket.matches("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]")) {
        throw new IllegalArgumentException(
            "bucket must be a bucket name (3 to 222 of a-z, 0-9, '.', '_', '-') but was \""
                + bucket
                + "\"");
      }
      if (resumableThreshold < 0) {
        throw new IllegalArgumentException(
            "resumableThreshold must be at least 0 but was " + resumableThreshold);
      }
      if (chunkSize <= 0 || chunkSize % QUANTUM != 0) {
        throw new IllegalArgumentException(
            "chunkSize must be a positive multiple of 262144 (256 KiB) but was " + chunkSize);
      }
      if (maxDownloadBytes < 0) {
        throw new IllegalArgumentException(
            "maxDownloadBytes must be at least 0 but was " + maxDownloadBytes);
      }
      if (signedUrlValidity != null
          && (signedUrlValidity.isNegative()
              || signedUrlValidity.isZero()
              || signedUrlValidity.compareTo(Duration.ofDays(7)) > 0)) {
        throw new IllegalArgumentException(
            "signed URL validity must be in (0, 7 days] but was " + signedUrlValidity);
      }
      return new CloudStorage(this);
    }
  }
}
