package dev.genaiprocessors.aws;

import dev.genaiprocessors.PartData;
import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Stores parts in an Amazon S3 bucket and reads them back: each stored part becomes a reference
 * part ({@code s3://bucket/key}, with its size, ETag and content type, and optionally a presigned
 * URL), which later stages pass around instead of the bytes.
 *
 * <pre>{@code
 * try (S3Store store = S3Store.builder()
 *     .settings(AwsSettings.defaults().withRegion("eu-west-1"))
 *     .bucket("my-bucket")
 *     .keyTemplate("uploads/{date}/{uuid}{ext}")
 *     .presignFor(Duration.ofMinutes(15))
 *     .build()) {
 *   ProcessorPart ref = store.store().apply(ProcessorPart.bytes(png, "image/png")).gather().get(0);
 *   // ref.mimeType() is image/png; ref.metadata("s3") holds bucket, key, size, etag, presigned_url
 *   byte[] back = store.read().apply(ref).gather().get(0).bytes();
 * }
 * }</pre>
 *
 * <p><b>The processors.</b> {@link #store()} stores each part as its own object: its bytes (text as
 * UTF-8) with its MIME type as content type, or, for a part with no bytes (a function call, a file
 * reference), its JSON ({@link PartJson}) as {@code application/json}. {@link #storeStream()}
 * stores the bytes of all its input parts, in order, as one object, without holding more than one
 * upload part in memory: the way to upload a large stream. {@link #read()} and {@link #read(long,
 * long)} turn reference parts back into bytes parts (the whole object, or a byte range).
 *
 * <p><b>Reference parts.</b> {@code ProcessorPart.fromUri("s3://bucket/key", contentType)} with the
 * metadata {@code "s3"}: {@code {"bucket", "key", "size", "etag", "content_type"}} and, with {@link
 * Builder#presignFor}, {@code "presigned_url"} and {@code "presigned_url_expires"} (an ISO-8601
 * instant). {@link Rekognition} analyses such a part in place when it is an image.
 *
 * <p><b>Keys</b> come from a template checked at build time: literal text and the placeholders
 * {@code {uuid}} (a random UUID), {@code {sha256}} (of the content; not for streams), {@code {ext}}
 * (an extension for the MIME type, {@code .bin} when unknown), {@code {date}} ({@code yyyy/MM/dd},
 * UTC) and {@code {meta:<key>}} (the part's metadata value). The key made must be a key S3 and
 * file-system mirrors handle safely: 1 to 1024 UTF-8 bytes, no control character, no leading {@code
 * /}, no empty, {@code .} or {@code ..} segment; otherwise the part fails with an {@link
 * IllegalArgumentException} naming the template, the key and the rule.
 *
 * <p><b>Large objects.</b> Content larger than {@code partSize} (8 MiB by default, at least S3's 5
 * MiB) goes up as a multipart upload, one part at a time from a single reused buffer; a failure
 * aborts the upload, so no orphaned parts are left to pay for.
 *
 * <p><b>Errors.</b> A service failure ({@code NoSuchBucket}, {@code AccessDenied}, {@code
 * NoSuchKey}, throttling) is an {@link AwsException} naming the operation, the part and the key,
 * retryable for throttling and 5xx. The part processors fail the run by default; decorate them with
 * the core's strategies ({@code store.store().onErrorEmitPart()}) to keep the stream going.
 *
 * <p><b>Threads.</b> The part processors handle many parts at once (the run's concurrency) and emit
 * in input order; the client is thread-safe. Closing closes the client and presigner only when this
 * store built them.
 */
public final class S3Store implements AutoCloseable {
  /** The metadata key of a reference part's S3 facts. */
  public static final String METADATA_KEY = "s3";

  /** S3's smallest upload part but the last: 5 MiB. */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  private final S3Client client;
  private final @Nullable S3Presigner presigner;
  private final boolean ownsClients;
  private final String bucket;
  private final KeyTemplate keyTemplate;
  private final int partSize;
  private final @Nullable Duration presignFor;
  private final Clock clock;

  private S3Store(
      Builder b, S3Client client, @Nullable S3Presigner presigner, boolean ownsClients) {
    this.client = client;
    this.presigner = presigner;
    this.ownsClients = ownsClients;
    this.bucket = Objects.requireNonNull(b.bucket);
    this.keyTemplate = KeyTemplate.parse(b.keyTemplate);
    this.partSize = b.partSize;
    this.presignFor = b.presignFor;
    this.clock = b.clock;
  }

  /** A builder; the bucket is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The bucket this store writes to. */
  public String bucket() {
    return bucket;
  }

  /** Stores each part as its own object and emits its reference part in its place. */
  public PartProcessor store() {
    return new PartProcessor() {
      @Override
      public void call(ProcessorPart part, PartSink out) {
        out.emit(storePart(part));
      }

      @Override
      public boolean match(ProcessorPart part) {
        return !isReference(part);
      }

      @Override
      public String name() {
        return "s3-store";
      }
    };
  }

  /**
   * Stores the bytes of every input part, in order, as one object (content type and key from the
   * first part) and emits one reference part at the end; nothing when the input is empty. Memory
   * holds one upload part, whatever the object's size.
   */
  public Processor storeStream() {
    return Processor.named(
        "s3-store-stream",
        (PartStream input, PartSink out) -> {
          ProcessorPart first = input.read();
          if (first == null) {
            return;
          }
          String key = keyTemplate.keyFor(first, null, clock);
          try (InputStream bytes = new PartBytesInputStream(first, input)) {
            out.emit(upload(bytes, key, first.mimeType(), "a stream of parts"));
          }
        });
  }

  /** Reads each {@code s3://} reference part's object into a bytes part of its content type. */
  public PartProcessor read() {
    return reader(-1, -1);
  }

  /**
   * Reads {@code length} bytes from {@code offset} of each referenced object (fewer at its end).
   *
   * @throws IllegalArgumentException when {@code offset} is negative or {@code length} not positive
   */
  public PartProcessor read(long offset, long length) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be at least 0 but was " + offset);
    }
    if (length < 1) {
      throw new IllegalArgumentException("length must be at least 1 but was " + length);
    }
    return reader(offset, length);
  }

  private PartProcessor reader(long offset, long length) {
    return new PartProcessor() {
      @Override
      public void call(ProcessorPart part, PartSink out) {
        out.emit(readPart(part, offset, length));
      }

      @Override
      public boolean match(ProcessorPart part) {
        return isReference(part);
      }

      @Override
      public String name() {
        return "s3-read";
      }
    };
  }

  /**
   * Uploads everything {@code content} holds as the object {@code key}, streaming it (multipart
   * when over the part size), and returns its reference part. The stream is read to its end, not
   * closed.
   *
   * @throws AwsException when S3 fails; a multipart upload is aborted first
   * @throws UncheckedIOException when reading {@code content} fails; the upload is aborted
   */
  public ProcessorPart upload(InputStream content, String key, String contentType) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(contentType, "contentType");
    return upload(content, key, contentType, "an uploaded stream");
  }

  private static boolean isReference(ProcessorPart part) {
    return part.data() instanceof PartData.FileData f && f.uri().startsWith("s3://");
  }

  private ProcessorPart storePart(ProcessorPart part) {
    byte[] content;
    String contentType = part.mimeType();
    switch (part.data()) {
      case PartData.Text t -> content = part.bytes();
      case PartData.Blob b -> content = part.bytes();
      default -> {
        content = PartJson.toJsonBytes(part);
        contentType = "application/json";
      }
    }
    String key = keyTemplate.keyFor(part, content, clock);
    String what = PartResults.describe(part);
    if (content.length < partSize) {
      return put(content, key, contentType, what);
    }
    return upload(new ByteArrayInputStream(content), key, contentType, what);
  }

  /** Puts {@code content}, smaller than a part, as the object {@code key} in one request. */
  private ProcessorPart put(byte[] content, String key, String contentType, String what) {
    try {
      var response =
          client.putObject(
              r -> r.bucket(bucket).key(key).contentType(contentType),
              body(content, content.length));
      return reference(key, content.length, response.eTag(), contentType);
    } catch (SdkException e) {
      throw AwsException.of("s3", "PutObject", what + " to s3://" + bucket + "/" + key, e);
    }
  }

  /**
   * The first {@code length} bytes of {@code buffer} as a request body the SDK can replay for a
   * retry without copying them (a {@code fromInputStream} body copies what it reads, to replay it).
   */
  private static RequestBody body(byte[] buffer, int length) {
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(buffer, 0, length), length, "application/octet-stream");
  }

  private ProcessorPart upload(InputStream content, String key, String contentType, String what) {
    // The first read takes what the content holds up to one part, so a small object costs no more
    // than its own size; a large one's first part becomes the buffer every later part reuses.
    byte[] buffer = readPart(content, partSize);
    if (buffer.length < partSize) {
      return put(buffer, key, contentType, what);
    }
    int n = buffer.length;
    String operation = "CreateMultipartUpload";
    String uploadId = null;
    try {
      String id =
          client
              .createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType))
              .uploadId();
      uploadId = id;
      List<CompletedPart> parts = new ArrayList<>();
      long size = 0;
      operation = "UploadPart";
      while (n > 0) {
        int number = parts.size() + 1;
        int length = n;
        UploadPartResponse r =
            client.uploadPart(
                u -> u.bucket(bucket).key(key).uploadId(id).partNumber(number),
                body(buffer, length));
        parts.add(
            CompletedPart.builder()
                .partNumber(number)
                .eTag(r.eTag())
                .checksumCRC32(r.checksumCRC32())
                .build());
        size += n;
        n = readFully(content, buffer);
      }
      operation = "CompleteMultipartUpload";
      var done =
          client.completeMultipartUpload(
              r -> r.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
      uploadId = null;
      return reference(key, size, done.eTag(), contentType);
    } catch (SdkException e) {
      abort(key, uploadId, e);
      throw AwsException.of("s3", operation, what + " to s3://" + bucket + "/" + key, e);
    } catch (RuntimeException | Error e) {
      abort(key, uploadId, e);
      throw e;
    }
  }

  /** Reads up to {@code max} bytes, fewer only at the stream's end. */
  private static byte[] readPart(InputStream in, int max) {
    try {
      return in.readNBytes(max);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the content to upload failed", e);
    }
  }

  /** Reads until {@code buffer} is full or the stream ends; returns how many bytes it read. */
  private static int readFully(InputStream in, byte[] buffer) {
    try {
      return in.readNBytes(buffer, 0, buffer.length);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the content to upload failed", e);
    }
  }

  private void abort(String key, @Nullable String uploadId, Throwable failure) {
    if (uploadId == null) {
      return;
    }
    try {
      client.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      failure.addSuppressed(e);
    }
  }

  private ProcessorPart reference(String key, long size, @Nullable String etag, String type) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("bucket", bucket);
    facts.put("key", key);
    facts.put("size", size);
    facts.put("etag", etag == null ? "" : etag);
    facts.put("content_type", type);
    if (presignFor != null && presigner != null) {
      Duration expiry = presignFor;
      var presigned =
          presigner.presignGetObject(
              p -> p.signatureDuration(expiry).getObjectRequest(g -> g.bucket(bucket).key(key)));
      facts.put("presigned_url", presigned.url().toString());
      facts.put("presigned_url_expires", presigned.expiration().toString());
    }
    return ProcessorPart.fromUri(new S3Location(bucket, key).uri(), type)
        .withMetadata(METADATA_KEY, facts);
  }

  private ProcessorPart readPart(ProcessorPart part, long offset, long length) {
    S3Location location = S3Location.parse(((PartData.FileData) part.data()).uri());
    try {
      ResponseBytes<GetObjectResponse> bytes =
          client.getObjectAsBytes(
              r -> {
                r.bucket(location.bucket()).key(location.key());
                if (offset >= 0) {
                  r.range("bytes=" + offset + "-" + (offset + length - 1));
                }
              });
      return ProcessorPart.blob(bytes.asByteArrayUnsafe(), part.mimeType())
          .withMetadata(part.metadata());
    } catch (SdkException e) {
      throw AwsException.of(
          "s3",
          "GetObject",
          PartResults.describe(part)
              + (offset >= 0 ? " (bytes " + offset + "+" + length + ")" : ""),
          e);
    }
  }

  /** Closes the client and presigner if this store built them. */
  @Override
  public void close() {
    if (ownsClients) {
      client.close();
      if (presigner != null) {
        presigner.close();
      }
    }
  }

  @Override
  public String toString() {
    return "S3Store[bucket="
        + bucket
        + ", keyTemplate="
        + keyTemplate
        + ", partSize="
        + partSize
        + "]";
  }

  /** Builds an {@link S3Store}; every setting is checked at {@link #build()}. */
  public static final class Builder {
    private @Nullable S3Client client;
    private @Nullable S3Presigner presigner;
    private @Nullable AwsSettings settings;
    private @Nullable String bucket;
    private String keyTemplate = "{uuid}{ext}";
    private int partSize = 8 * 1024 * 1024;
    private @Nullable Duration presignFor;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The client to call; the caller keeps it and closes it. Excludes {@link #settings}. */
    public Builder client(S3Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The presigner for {@link #presignFor}, with {@link #client}; the caller closes it. */
    public Builder presigner(S3Presigner presigner) {
      this.presigner = Objects.requireNonNull(presigner, "presigner");
      return this;
    }

    /** Settings to build the client (and presigner) from, closed with the store. */
    public Builder settings(AwsSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The bucket to store in (required). */
    public Builder bucket(String bucket) {
      this.bucket = Objects.requireNonNull(bucket, "bucket");
      return this;
    }

    /** The object key template (default {@code "{uuid}{ext}"}); see {@link S3Store}. */
    public Builder keyTemplate(String keyTemplate) {
      this.keyTemplate = Objects.requireNonNull(keyTemplate, "keyTemplate");
      return this;
    }

    /** The multipart upload part size in bytes (5 MiB to 512 MiB, default 8 MiB). */
    public Builder partSize(int partSize) {
      this.partSize = partSize;
      return this;
    }

    /** Adds a presigned GET URL valid for {@code expiry} (1 s to 7 days) to reference parts. */
    public Builder presignFor(Duration expiry) {
      this.presignFor = Objects.requireNonNull(expiry, "expiry");
      return this;
    }

    /** The clock for {@code {date}} in keys (default: the system's, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The store.
     *
     * @throws IllegalArgumentException naming the setting and its value when the bucket is missing
     *     or blank, the key template is invalid, a size or expiry is out of range, or a client and
     *     settings were both given
     */
    public S3Store build() {
      if (bucket == null || bucket.isBlank()) {
        throw new IllegalArgumentException("bucket is required but was " + bucket);
      }
      KeyTemplate.parse(keyTemplate);
      if (partSize < MIN_PART_SIZE || partSize > 512 * 1024 * 1024) {
        throw new IllegalArgumentException(
            "partSize must be in ["
                + MIN_PART_SIZE
                + ", "
                + 512 * 1024 * 1024
                + "] but was "
                + partSize);
      }
      if (presignFor != null
          && (presignFor.compareTo(Duration.ofSeconds(1)) < 0
              || presignFor.compareTo(Duration.ofDays(7)) > 0)) {
        throw new IllegalArgumentException(
            "presignFor must be in [1s, 7 days] but was " + presignFor);
      }
      if (client != null && settings != null) {
        throw new IllegalArgumentException(
            "give either client or settings, not both (settings were " + settings + ")");
      }
      if (client == null && presigner != null) {
        throw new IllegalArgumentException("a presigner is given with a client, but no client was");
      }
      if (client != null) {
        if (presignFor != null && presigner == null) {
          throw new IllegalArgumentException(
              "presignFor needs a presigner when the client is given (Builder.presigner)");
        }
        return new S3Store(this, client, presigner, false);
      }
      AwsSettings s = settings != null ? settings : AwsSettings.defaults();
      return new S3Store(this, s.s3Client(), presignFor == null ? null : s.s3Presigner(), true);
    }
  }

  /** The bytes of a stream of parts, read part by part as they are consumed. */
  private static final class PartBytesInputStream extends InputStream {
    private final PartStream rest;
    private @Nullable InputStream current;

    PartBytesInputStream(ProcessorPart first, PartStream rest) {
      this.rest = rest;
      this.current = new ByteArrayInputStream(first.bytes());
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (current != null) {
        int n = current.read(b, off, len);
        if (n > 0 || len == 0) {
          return n;
        }
        ProcessorPart next = rest.read();
        current = next == null ? null : new ByteArrayInputStream(next.bytes());
      }
      return -1;
    }
  }
}
