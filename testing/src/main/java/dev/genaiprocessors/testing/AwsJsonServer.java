package dev.genaiprocessors.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A local server that speaks the AWS JSON 1.1 protocol of Amazon Comprehend and Amazon Rekognition,
 * for tests that must not reach AWS: point the official AWS SDK client at {@link #endpoint()} and
 * it talks to this server over a real loopback connection.
 *
 * <pre>{@code
 * try (AwsJsonServer server = AwsJsonServer.start()) {
 *   ComprehendClient client = ComprehendClient.builder()
 *       .endpointOverride(server.endpoint())
 *       .region(Region.US_EAST_1)
 *       .credentialsProvider(StaticCredentialsProvider.create(
 *           AwsBasicCredentials.create("AKIDTEST", "secret")))
 *       .build();
 *   client.detectSentiment(r -> r.text("What a great day").languageCode("en")); // POSITIVE
 *   server.enqueue(AwsJsonReply.throttling());  // the next call gets a ThrottlingException
 *   assertThat(server.lastRequest().header("x-amz-target"))
 *       .isEqualTo("Comprehend_20171127.DetectSentiment");
 * }
 * }</pre>
 *
 * <p><b>The wire.</b> Every call is {@code POST /} with {@code Content-Type:
 * application/x-amz-json-1.1} and {@code X-Amz-Target: Comprehend_20171127.<Operation>} or {@code
 * RekognitionService.<Operation>}. The server checks the request is signed as AWS signs it: an
 * {@code Authorization} header of the form {@code AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>
 * /<service>/aws4_request, SignedHeaders=..., Signature=<64 hex>} whose service is {@code
 * comprehend} or {@code rekognition} to match the target and whose signed headers include {@code
 * x-amz-target}; it does not recompute the signature (it knows no secret). A request that fails the
 * check gets 403 {@code IncompleteSignatureException} or {@code InvalidSignatureException}; an
 * unknown target gets 400 {@code UnknownOperationException}. Answers are PascalCase JSON; errors
 * are {@code {"__type":..., "Message":...}}; every answer carries {@code x-amzn-RequestId}.
 *
 * <p><b>What it answers</b>, in this order: the next reply queued with {@link #enqueue} (whatever
 * the operation); else the handler set with {@link #on} for the operation; else a built-in answer,
 * a deterministic stand-in for the service's analysis, enforcing the service's limits as AWS does:
 *
 * <ul>
 *   <li>Comprehend {@code DetectDominantLanguage}, {@code DetectSentiment}, {@code DetectEntities},
 *       {@code DetectKeyPhrases}, {@code DetectPiiEntities} and the {@code BatchDetect...} forms of
 *       the first four. Sentiment counts words such as "great" and "terrible"; entities are runs of
 *       capitalised words; key phrases are words of six letters or more; PII are e-mail addresses.
 *       Empty text is a 400 {@code ValidationException}; a text over {@value
 *       #COMPREHEND_MAX_TEXT_BYTES} UTF-8 bytes a 400 {@code TextSizeLimitExceededException} (in a
 *       batch, an {@code ErrorList} entry for that document); more than {@value
 *       #COMPREHEND_MAX_BATCH} documents a 400 {@code BatchSizeLimitExceededException}.
 *   <li>Rekognition {@code DetectLabels}, {@code DetectText}, {@code DetectModerationLabels} and
 *       {@code DetectFaces}. Image bytes that are neither PNG nor JPEG get a 400 {@code
 *       InvalidImageFormatException}; more than {@value #REKOGNITION_MAX_IMAGE_BYTES} bytes a 400
 *       {@code ImageTooLargeException}. An {@code S3Object} image is accepted as it is (the server
 *       has no bucket to read).
 * </ul>
 *
 * <p><b>Threads.</b> One virtual thread accepts connections and one serves each; {@link #close()}
 * stops them and waits for them. Scripting and reading the records are safe from any thread.
 */
public final class AwsJsonServer implements AutoCloseable {
  /** The largest text, in UTF-8 bytes, the built-in Comprehend answers accept. */
  public static final int COMPREHEND_MAX_TEXT_BYTES = 5000;

  /** The most documents a built-in Comprehend batch answer accepts. */
  public static final int COMPREHEND_MAX_BATCH = 25;

  /** The largest image, in bytes, the built-in Rekognition answers accept. */
  public static final int REKOGNITION_MAX_IMAGE_BYTES = 5 * 1024 * 1024;

  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request,"
              + "\\s*SignedHeaders=([^,\\s]+),\\s*Signature=[0-9a-f]{64}");

  private final LoopbackHttpServer http;
  private final ReplyScript<AwsJsonReply> script = new ReplyScript<>();
  private final Map<String, Function<RecordedRequest, AwsJsonReply>> handlers =
      new ConcurrentHashMap<>();

  private AwsJsonServer(int port) {
    http = new LoopbackHttpServer("aws-json-server", port, this::respond);
  }

  /** Starts a server on a free loopback port. */
  public static AwsJsonServer start() {
    return new AwsJsonServer(0);
  }

  /**
   * Starts a server on the given loopback port (0 for any free one).
   *
   * @throws IllegalArgumentException if {@code port} is not in [0, 65535]
   * @throws UncheckedIOException when the port is taken
   */
  public static AwsJsonServer start(int port) {
    return new AwsJsonServer(port);
  }

  /**
   * The endpoint to give an SDK client's {@code endpointOverride}: {@code http://127.0.0.1:port}.
   */
  public URI endpoint() {
    return URI.create("http://" + http.host() + ":" + port());
  }

  /** The port the server listens on. */
  public int port() {
    return http.port();
  }

  /**
   * Queues replies, answered in order to the next requests whatever their operation (after the
   * signature check). Returns this server.
   */
  public AwsJsonServer enqueue(AwsJsonReply... replies) {
    script.enqueue(replies);
    return this;
  }

  /**
   * Answers {@code operation} (for example {@code "DetectSentiment"}, of either service) with
   * {@code handler} instead of the built-in answer, when no queued reply comes first. Returns this
   * server.
   */
  public AwsJsonServer on(String operation, Function<RecordedRequest, AwsJsonReply> handler) {
    handlers.put(Objects.requireNonNull(operation, "operation"), handler);
    return this;
  }

  /** How many queued replies are still waiting for a request. */
  public int pendingReplies() {
    return script.pendingReplies();
  }

  /**
   * The requests received since the start (or {@link #clearRequests()}), in arrival order: the most
   * recent 10,000 at most, so a long benchmark holds bounded memory ({@link #requestCount()} counts
   * them all).
   */
  public List<RecordedRequest> requests() {
    return script.requests();
  }

  /** How many requests were received since the start (or {@link #clearRequests()}). */
  public int requestCount() {
    return script.requestCount();
  }

  /**
   * How many of the kept requests (see {@link #requests()}) name {@code operation} ({@code
   * "BatchDetectSentiment"}) in their {@code X-Amz-Target}.
   */
  public long requestCount(String operation) {
    Objects.requireNonNull(operation, "operation");
    return script.requests().stream()
        .filter(r -> operation.equals(operationOf(r.header("x-amz-target"))))
        .count();
  }

  /**
   * The request received last.
   *
   * @throws IllegalStateException when none was received
   */
  public RecordedRequest lastRequest() {
    return script.lastRequest(endpoint().toString());
  }

  /** Forgets the requests received so far (long benchmark runs call it to bound memory). */
  public void clearRequests() {
    script.clearRequests();
  }

  /** Stops listening, drops every open connection and waits until every server thread has ended. */
  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "AwsJsonServer[" + endpoint() + "]";
  }

  // ---------------------------------------------------------------- serving

  private static @Nullable String operationOf(@Nullable String target) {
    if (target == null) {
      return null;
    }
    int dot = target.indexOf('.');
    return dot < 0 ? null : target.substring(dot + 1);
  }

  /** The SigV4 service name a target's prefix belongs to, or null for an unknown prefix. */
  private static @Nullable String serviceOf(String target) {
    if (target.startsWith("Comprehend_20171127.")) {
      return "comprehend";
    }
    if (target.startsWith("RekognitionService.")) {
      return "rekognition";
    }
    return null;
  }

  private boolean respond(RecordedRequest request, OutputStream out) throws IOException {
    script.record(request);
    AwsJsonReply reply = answer(request);
    write(out, reply);
    return true;
  }

  private AwsJsonReply answer(RecordedRequest request) {
    if (!request.method().equals("POST") || !request.path().equals("/")) {
      return AwsJsonReply.error(
          404,
          "UnknownOperationException",
          "AWS JSON 1.1 takes POST / but got " + request.method() + " " + request.path());
    }
    String target = request.header("x-amz-target");
    String service = target == null ? null : serviceOf(target);
    String operation = operationOf(target);
    if (target == null || service == null || operation == null) {
      return AwsJsonReply.error(
          400, "UnknownOperationException", "Unknown X-Amz-Target: " + target);
    }
    AwsJsonReply unsigned = checkSignature(request.header("authorization"), service);
    if (unsigned != null) {
      return unsigned;
    }
    JsonNode body;
    try {
      body = request.json();
    } catch (IllegalStateException e) {
      return AwsJsonReply.error(400, "SerializationException", "the body is not JSON");
    }
    AwsJsonReply queued = script.nextReply();
    if (queued != null) {
      return queued;
    }
    Function<RecordedRequest, AwsJsonReply> handler = handlers.get(operation);
    if (handler != null) {
      return handler.apply(request);
    }
    AwsJsonReply builtIn =
        service.equals("comprehend")
            ? AwsJsonAnswers.comprehend(operation, body)
            : AwsJsonAnswers.rekognition(operation, body);
    return builtIn != null
        ? builtIn
        : AwsJsonReply.error(400, "UnknownOperationException", "Unknown operation " + target);
  }

  private static @Nullable AwsJsonReply checkSignature(
      @Nullable String authorization, String service) {
    if (authorization == null) {
      return AwsJsonReply.error(
          403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      return AwsJsonReply.error(
          403,
          "IncompleteSignatureException",
          "Authorization header requires AWS4-HMAC-SHA256 Credential, SignedHeaders and"
              + " Signature");
    }
    if (!m.group(4).equals(service)) {
      return AwsJsonReply.error(
          403,
          "InvalidSignatureException",
          "Credential should be scoped to correct service: '" + service + "'. ");
    }
    if (!List.of(m.group(5).split(";")).contains("x-amz-target")) {
      return AwsJsonReply.error(
          403, "InvalidSignatureException", "x-amz-target must be a signed header");
    }
    return null;
  }

  private static void write(OutputStream out, AwsJsonReply reply) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-amz-json-1.1");
    headers.put(
        "x-amzn-RequestId",
        reply.requestId != null ? reply.requestId : UUID.randomUUID().toString());
    headers.putAll(reply.headers);
    headers.put("Content-Length", Integer.toString(reply.body.length));
    HttpWire.writeHead(out, reply.status, headers);
    out.write(reply.body);
  }
}
