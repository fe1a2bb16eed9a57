package dev.genaiprocessors.testing.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * A loopback Cloud Storage server speaking the JSON API the official {@code google-cloud-storage}
 * client sends, over a JDK {@code HttpServer}.
 *
 * <pre>{@code
 * try (StorageServer server = StorageServer.start()) {
 *   server.createBucket("photos");
 *   Storage storage = StorageOptions.http().setHost(server.url())
 *       .setProjectId("test-project").setCredentials(NoCredentials.getInstance())
 *       .build().getService();
 * }
 * }</pre>
 *
 * <p><b>What it serves.</b> Multipart uploads ({@code POST /upload/storage/v1/b/{b}/o?
 * uploadType=multipart}, gzip bodies included); resumable uploads (a session at {@code
 * uploadType=resumable}, then {@code PUT} chunks answered {@code 308} with the persisted {@code
 * Range} until the last one, answered with the object); simple media uploads; object metadata and
 * deletion at {@code /storage/v1/b/{b}/o/{name}}; media at {@code
 * /download/storage/v1/b/{b}/o/{name}?alt=media}, with {@code Range} requests; bucket metadata at
 * {@code /storage/v1/b/{b}}. Names are percent-decoded ({@code dir%2Fa} is {@code dir/a}). An
 * unknown bucket or object is a 404 with Google's JSON error body; {@code ifGenerationMatch} is a
 * 412 when it does not hold. Each object gets a new generation, its size, CRC32C and MD5.
 *
 * <p><b>Objects live in files</b> under a directory of the server's own (deleted by {@link
 * #close()}), streamed in and out, so a large upload costs no heap on this side either.
 *
 * <p><b>Faults</b> ({@link #failNext}) answer the next requests with an error status and Google's
 * error body. The most recent 1,000 exchanges are recorded ({@link #exchanges()}) and all are
 * counted ({@link #exchangeCount()}), so the heap a long run holds stays bounded. Thread-safe.
 */
public final class StorageServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern UPLOAD = Pattern.compile("/upload/storage/v1/b/([^/]+)/o");
  private static final Pattern OBJECT = Pattern.compile("/(download/)?storage/v1/b/([^/]+)/o/(.+)");
  private static final Pattern BUCKET = Pattern.compile("/storage/v1/b/([^/]+)");
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
  private static final int KEPT_EXCHANGES = 1000;

  /**
   * One request as the server saw it and the status it answered.
   *
   * @param method the HTTP method
   * @param path the raw (percent-encoded) path
   * @param query the raw query, empty when there was none
   * @param contentEncoding the request's {@code Content-Encoding}, null when absent
   * @param contentRange the request's {@code Content-Range}, null when absent
   * @param status the status answered
   */
  public record Exchange(
      String method,
      String path,
      String query,
      @Nullable String contentEncoding,
      @Nullable String contentRange,
      int status) {
    /** Checks the required components. */
    public Exchange(
        String method,
        String path,
        String query,
        @Nullable String contentEncoding,
        @Nullable String contentRange,
        int status) {
      this.method = Objects.requireNonNull(method, "method");
      this.path = Objects.requireNonNull(path, "path");
      this.query = Objects.requireNonNull(query, "query");
      this.contentEncoding = contentEncoding;
      this.contentRange = contentRange;
      this.status = status;
    }
  }

  /**
   * An object the server holds.
   *
   * @param bucket its bucket
   * @param name its name
   * @param generation its generation
   * @param size its size in bytes
   * @param contentType its content type
   * @param crc32c its CRC32C, base64 of the big-endian value as the JSON API writes it
   * @param md5 its MD5, base64
   * @param metadata its custom metadata
   */
  public record StoredObject(
      String bucket,
      String name,
      long generation,
      long size,
      String contentType,
      String crc32c,
      String md5,
      Map<String, String> metadata) {
    /** Copies the metadata. */
    public StoredObject {
      metadata = Map.copyOf(metadata);
    }
  }

  private record Stored(StoredObject object, Path file, Instant created) {}

  private record Session(
      String bucket, String name, String contentType, Map<String, String> metadata, Path file) {}

  private record Fault(int status, String message) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Path directory;
  private final Set<String> buckets = ConcurrentHashMap.newKeySet();
  private final Map<String, Stored> objects = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Long> persisted = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final ReentrantLock exchangesLock = new ReentrantLock();
  // The most recent KEPT_EXCHANGES exchanges, and how many there were; guarded by exchangesLock.
  private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>();
  private long exchangeCount;
  private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);

  private StorageServer() {
    try {
      directory = Files.createTempDirectory("storage-server");
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the storage server on the loopback address", e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a server on a free loopback port, with no buckets. */
  public static StorageServer start() {
    return new StorageServer();
  }

  /** The port listened on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port>}, the host for {@code StorageOptions.http().setHost}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Creates an empty bucket named {@code name} (nothing happens if it exists). */
  public void createBucket(String name) {
    buckets.add(Objects.requireNonNull(name, "name"));
  }

  /** The object {@code name} in {@code bucket}, or null when there is none. */
  public @Nullable StoredObject object(String bucket, String name) {
    Stored stored = objects.get(key(bucket, name));
    return stored == null ? null : stored.object();
  }

  /** The content of object {@code name} in {@code bucket}. */
  public byte[] content(String bucket, String name) {
    Stored stored = objects.get(key(bucket, name));
    if (stored == null) {
      throw new IllegalArgumentException("no object " + name + " in bucket " + bucket);
    }
    try {
      return Files.readAllBytes(stored.file());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The names of the objects in {@code bucket}, sorted. */
  public List<String> objectNames(String bucket) {
    return objects.values().stream()
        .map(Stored::object)
        .filter(o -> o.bucket().equals(bucket))
        .map(StoredObject::name)
        .sorted()
        .toList();
  }

  /**
   * The exchanges so far, in the order they were answered: every one, up to the most recent 1,000
   * ({@link #exchangeCount()} counts them all).
   */
  public List<Exchange> exchanges() {
    exchangesLock.lock();
    try {
      return List.copyOf(exchanges);
    } finally {
      exchangesLock.unlock();
    }
  }

  /** How many exchanges were answered since the server started. */
  public long exchangeCount() {
    exchangesLock.lock();
    try {
      return exchangeCount;
    } finally {
      exchangesLock.unlock();
    }
  }

  /**
   * Answers the next request (whatever it is) with {@code status} and Google's JSON error body
   * carrying {@code message}.
   */
  public void failNext(int status, String message) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be in [400, 599] but was " + status);
    }
    faults.add(new Fault(status, Objects.requireNonNull(message, "message")));
  }

  /** Stops serving and deletes every object's file. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ handling

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (HttpError e) {
        error(exchange, e.status, e.getMessage());
      } catch (RuntimeException e) {
        error(exchange, 500, String.valueOf(e));
      }
    }
  }

  /**
   * Records the exchange, then sends the response's status line and headers: recorded before the
   * client can see any of the answer, so a test that reads {@link #exchanges()} right after its
   * call returns finds it there.
   */
  private void sendHeaders(HttpExchange exchange, int status, long length) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    record(
        new Exchange(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            query == null ? "" : query,
            exchange.getRequestHeaders().getFirst("Content-Encoding"),
            exchange.getRequestHeaders().getFirst("Content-Range"),
            status));
    exchange.sendResponseHeaders(status, length);
  }

  private void record(Exchange exchange) {
    exchangesLock.lock();
    try {
      if (exchanges.size() == KEPT_EXCHANGES) {
        exchanges.removeFirst();
      }
      exchanges.addLast(exchange);
      exchangeCount++;
    } finally {
      exchangesLock.unlock();
    }
  }

  private int route(HttpExchange exchange) throws IOException {
    Fault fault = faults.poll();
    if (fault != null) {
      drain(exchange);
      throw new HttpError(fault.status(), fault.message());
    }
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    Map<String, String> query = query(exchange);
    Matcher m = UPLOAD.matcher(path);
    if (m.matches()) {
      String bucket = bucket(decode(m.group(1)));
      String uploadId = query.get("upload_id");
      if (method.equals("PUT") && uploadId != null) {
        return chunk(exchange, uploadId);
      }
      if (!method.equals("POST")) {
        throw new HttpError(405, "Method not allowed: " + method);
      }
      return switch (query.getOrDefault("uploadType", "")) {
        case "multipart" -> multipart(exchange, bucket, query);
        case "resumable" -> startResumable(exchange, bucket, query);
        case "media" -> media(exchange, bucket, query);
        default -> throw new HttpError(400, "Unknown uploadType: " + query.get("uploadType"));
      };
    }
    m = OBJECT.matcher(path);
    if (m.matches()) {
      String bucket = bucket(decode(m.group(2)));
      String name = decode(m.group(3));
      Stored stored = objects.get(key(bucket, name));
      if (stored == null) {
        drain(exchange);
        throw new HttpError(404, "No such object: " + bucket + "/" + name);
      }
      switch (method) {
        case "GET" -> {
          if (m.group(1) != null || "media".equals(query.get("alt"))) {
            return download(exchange, stored);
          }
          return json(exchange, 200, objectJson(stored));
        }
        case "DELETE" -> {
          objects.remove(key(bucket, name));
          Files.deleteIfExists(stored.file());
          sendHeaders(exchange, 204, -1);
          return 204;
        }
        default -> throw new HttpError(405, "Method not allowed: " + method);
      }
    }
    m = BUCKET.matcher(path);
    if (m.matches() && method.equals("GET")) {
      String bucket = bucket(decode(m.group(1)));
      ObjectNode json = JSON.createObjectNode();
      json.put("kind", "storage#bucket").put("id", bucket).put("name", bucket);
      json.put("location", "US").put("storageClass", "STANDARD");
      return json(exchange, 200, json);
    }
    drain(exchange);
    throw new HttpError(404, "Not Found: " + method + " " + path);
  }

  private String bucket(String name) {
    if (!buckets.contains(name)) {
      throw new HttpError(404, "The specified bucket does not exist.");
    }
    return name;
  }

  private void precondition(String bucket, String name, Map<String, String> query) {
    String match = query.get("ifGenerationMatch");
    if (match == null) {
      return;
    }
    Stored existing = objects.get(key(bucket, name));
    long current = existing == null ? 0 : existing.object().generation();
    if (current != Long.parseLong(match)) {
      throw new HttpError(412, "At least one of the pre-conditions you specified did not hold.");
    }
  }

  private int multipart(HttpExchange exchange, String bucket, Map<String, String> query)
      throws IOException {
    String type =
        Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Content-Type"), "");
    Matcher b = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(type);
    if (!type.startsWith("multipart/related") || !b.find()) {
      throw new HttpError(400, "Expected multipart/related with a boundary, got: " + type);
    }
    byte[] body = body(exchange).readAllBytes();
    List<byte[]> parts = parts(body, b.group(1));
    if (parts.size() != 2) {
      throw new HttpError(400, "Expected 2 parts (metadata, media), got " + parts.size());
    }
    JsonNode metadata = JSON.readTree(partBody(parts.get(0)));
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) {
      throw new HttpError(400, "Required: object name");
    }
    precondition(bucket, name, query);
    Path file = directory.resolve(UUID.randomUUID().toString());
    Files.write(file, partBody(parts.get(1)));
    Stored stored = store(bucket, name, contentType(metadata), customMetadata(metadata), file);
    return json(exchange, 200, objectJson(stored));
  }

  private int media(HttpExchange exchange, String bucket, Map<String, String> query)
      throws IOException {
    String name = query.getOrDefault("name", "");
    if (name.isEmpty()) {
      throw new HttpError(400, "Required: object name");
    }
    precondition(bucket, name, query);
    Path file = directory.resolve(UUID.randomUUID().toString());
    try (InputStream in = body(exchange)) {
      Files.copy(in, file);
    }
    String type =
        Objects.requireNonNullElse(
            exchange.getRequestHeaders().getFirst("Content-Type"), "application/octet-stream");
    return json(exchange, 200, objectJson(store(bucket, name, type, Map.of(), file)));
  }

  private int startResumable(HttpExchange exchange, String bucket, Map<String, String> query)
      throws IOException {
    byte[] body = body(exchange).readAllBytes();
    JsonNode metadata = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    String name = metadata.path("name").asText(query.getOrDefault("name", ""));
    if (name.isEmpty()) {
      throw new HttpError(400, "Required: object name");
    }
    precondition(bucket, name, query);
    String type = metadata.path("contentType").asText("");
    if (type.isEmpty()) {
      type =
          Objects.requireNonNullElse(
              exchange.getRequestHeaders().getFirst("X-Upload-Content-Type"),
              "application/octet-stream");
    }
    String id = UUID.randomUUID().toString();
    Path file = directory.resolve(id);
    Files.createFile(file);
    sessions.put(id, new Session(bucket, name, type, customMetadata(metadata), file));
    persisted.put(id, 0L);
    exchange
        .getResponseHeaders()
        .set(
            "Location",
            url()
                + "/upload/storage/v1/b/"
                + URLEncoder.encode(bucket, StandardCharsets.UTF_8)
                + "/o?uploadType=resumable&upload_id="
                + id);
    sendHeaders(exchange, 200, -1);
    return 200;
  }

  private int chunk(HttpExchange exchange, String id) throws IOException {
    Session session = sessions.get(id);
    if (session == null) {
      drain(exchange);
      throw new HttpError(404, "No such upload session: " + id);
    }
    String range = exchange.getRequestHeaders().getFirst("Content-Range");
    Matcher m = CONTENT_RANGE.matcher(range == null ? "" : range.strip());
    if (!m.matches()) {
      drain(exchange);
      throw new HttpError(400, "Bad Content-Range: " + range);
    }
    long have = persisted.getOrDefault(id, 0L);
    if (m.group(1) != null) {
      long first = Long.parseLong(m.group(1));
      if (first > have) {
        drain(exchange);
        throw new HttpError(
            400, "Chunk starts at " + first + " but only " + have + " bytes were persisted");
      }
      try (InputStream in = body(exchange);
          OutputStream out = Files.newOutputStream(session.file(), StandardOpenOption.APPEND)) {
        in.skipNBytes(have - first);
        have += in.transferTo(out);
      }
      persisted.put(id, have);
    } else {
      drain(exchange);
    }
    String total = m.group(3);
    if (!total.equals("*") && Long.parseLong(total) == have) {
      sessions.remove(id);
      persisted.remove(id);
      Stored stored =
          store(
              session.bucket(),
              session.name(),
              session.contentType(),
              session.metadata(),
              session.file());
      return json(exchange, 200, objectJson(stored));
    }
    if (have > 0) {
      exchange.getResponseHeaders().set("Range", "bytes=0-" + (have - 1));
    }
    sendHeaders(exchange, 308, -1);
    return 308;
  }

  private int download(HttpExchange exchange, Stored stored) throws IOException {
    drain(exchange);
    StoredObject o = stored.object();
    long size = o.size();
    long first = 0;
    long last = size - 1;
    String range = exchange.getRequestHeaders().getFirst("Range");
    int status = 200;
    if (range != null) {
      Matcher m = RANGE.matcher(range.strip());
      if (m.matches()) {
        first = Long.parseLong(m.group(1));
        if (!m.group(2).isEmpty()) {
          last = Math.min(last, Long.parseLong(m.group(2)));
        }
        if (first >= size && size > 0) {
          throw new HttpError(416, "Requested range not satisfiable");
        }
        status = 206;
        exchange
            .getResponseHeaders()
            .set("Content-Range", "bytes " + first + "-" + last + "/" + size);
      }
    }
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", o.contentType());
    headers.set("x-goog-generation", Long.toString(o.generation()));
    headers.set("x-goog-metageneration", "1");
    headers.set("x-goog-stored-content-length", Long.toString(size));
    headers.set("x-goog-stored-content-encoding", "identity");
    if (status == 200) {
      headers.add("x-goog-hash", "crc32c=" + o.crc32c());
      headers.add("x-goog-hash", "md5=" + o.md5());
    }
    long length = Math.max(0, last - first + 1);
    sendHeaders(exchange, status, length == 0 ? -1 : length);
    if (length > 0) {
      try (InputStream in = Files.newInputStream(stored.file());
          OutputStream out = exchange.getResponseBody()) {
        in.skipNBytes(first);
        copy(in, out, length);
      }
    }
    return status;
  }

  private Stored store(
      String bucket, String name, String contentType, Map<String, String> metadata, Path file)
      throws IOException {
    CRC32C crc = new CRC32C();
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long size = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        crc.update(buffer, 0, n);
        md5.update(buffer, 0, n);
        size += n;
      }
    }
    byte[] crcBytes = ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    StoredObject object =
        new StoredObject(
            bucket,
            name,
            generations.incrementAndGet(),
            size,
            contentType,
            Base64.getEncoder().encodeToString(crcBytes),
            Base64.getEncoder().encodeToString(md5.digest()),
            metadata);
    Stored stored = new Stored(object, file, Instant.now());
    Stored old = objects.put(key(bucket, name), stored);
    if (old != null) {
      Files.deleteIfExists(old.file());
    }
    return stored;
  }

  private ObjectNode objectJson(Stored stored) {
    StoredObject o = stored.object();
    ObjectNode json = JSON.createObjectNode();
    json.put("kind", "storage#object");
    json.put("id", o.bucket() + "/" + o.name() + "/" + o.generation());
    json.put("selfLink", url() + "/storage/v1/b/" + o.bucket() + "/o/" + encode(o.name()));
    json.put(
        "mediaLink",
        url() + "/download/storage/v1/b/" + o.bucket() + "/o/" + encode(o.name()) + "?alt=media");
    json.put("name", o.name());
    json.put("bucket", o.bucket());
    json.put("generation", Long.toString(o.generation()));
    json.put("metageneration", "1");
    json.put("contentType", o.contentType());
    json.put("storageClass", "STANDARD");
    json.put("size", Long.toString(o.size()));
    json.put("md5Hash", o.md5());
    json.put("crc32c", o.crc32c());
    json.put("etag", "C" + o.generation());
    json.put("timeCreated", stored.created().toString());
    json.put("updated", stored.created().toString());
    if (!o.metadata().isEmpty()) {
      ObjectNode custom = json.putObject("metadata");
      o.metadata().forEach(custom::put);
    }
    return json;
  }

  private static String contentType(JsonNode metadata) {
    String type = metadata.path("contentType").asText("");
    return type.isEmpty() ? "application/octet-stream" : type;
  }

  private static Map<String, String> customMetadata(JsonNode metadata) {
    Map<String, String> custom = new LinkedHashMap<>();
    metadata
        .path("metadata")
        .properties()
        .forEach(e -> custom.put(e.getKey(), e.getValue().asText()));
    return custom;
  }

  private int json(HttpExchange exchange, int status, JsonNode json) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(json);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    sendHeaders(exchange, status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    return status;
  }

  private void error(HttpExchange exchange, int status, @Nullable String message)
      throws IOException {
    ObjectNode json = JSON.createObjectNode();
    ObjectNode error = json.putObject("error");
    error.put("code", status);
    error.put("message", message);
    ObjectNode detail = error.putArray("errors").addObject();
    detail.put("message", message).put("domain", "global").put("reason", reason(status));
    try {
      json(exchange, status, json);
    } catch (IOException e) {
      // The client went away; its exchange is recorded all the same.
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "invalid";
      case 401 -> "required";
      case 403 -> "forbidden";
      case 404 -> "notFound";
      case 412 -> "conditionNotMet";
      case 429 -> "rateLimitExceeded";
      case 503 -> "backendError";
      default -> "error";
    };
  }

  private static InputStream body(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    return encoding != null && encoding.equalsIgnoreCase("gzip") ? new GZIPInputStream(in) : in;
  }

  private static void drain(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private static void copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  /** The bodies (headers included) between the boundaries of a multipart body. */
  private static List<byte[]> parts(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    List<byte[]> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break;
      }
      start = skipLineEnd(body, start);
      int next = indexOf(body, delimiter, start);
      if (next < 0) {
        break;
      }
      int end = next;
      if (end >= 2 && body[end - 2] == '\r' && body[end - 1] == '\n') {
        end -= 2;
      } else if (end >= 1 && body[end - 1] == '\n') {
        end -= 1;
      }
      byte[] part = new byte[Math.max(0, end - start)];
      System.arraycopy(body, start, part, 0, part.length);
      parts.add(part);
      at = next;
    }
    return parts;
  }

  /** A part's body: what follows its headers' blank line. */
  private static byte[] partBody(byte[] part) {
    int crlf = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
    int skip = 4;
    if (crlf < 0) {
      crlf = indexOf(part, "\n\n".getBytes(StandardCharsets.US_ASCII), 0);
      skip = 2;
    }
    if (crlf < 0) {
      throw new HttpError(400, "A multipart part has no blank line after its headers");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(part, crlf + skip, part.length - crlf - skip);
    return out.toByteArray();
  }

  private static int skipLineEnd(byte[] body, int at) {
    if (at < body.length && body[at] == '\r') {
      at++;
    }
    if (at < body.length && body[at] == '\n') {
      at++;
    }
    return at;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static Map<String, String> query(HttpExchange exchange) {
    String raw = exchange.getRequestURI().getRawQuery();
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(decode(name), URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  /** Percent-decoding of a path segment ({@code +} stays a plus). */
  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String encode(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String key(String bucket, String name) {
    return bucket + "\n" + name;
  }

  /** An error answered with Google's JSON error body. */
  private static final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
