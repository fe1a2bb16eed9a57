package dev.genaiprocessors.http;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.resilience.HttpStatusException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * One request per part, the response turned into parts: the bare exchange, before resilience and
 * error strategies are layered on it.
 */
final class Exchange implements PartProcessor {
  static final String STATUS_KEY = "http_status";
  static final String ELAPSED_KEY = "http_elapsed_ms";

  /** How much of an error body is read. */
  private static final int MAX_ERROR_READ = 64 * 1024;

  /**
   * Strict: a body with anything after its JSON value (an HTML tail, a second value) is not JSON.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final String name;
  private final HttpClient client;
  private final String method;
  private final UrlTemplate url;
  private final Map<String, String> headers;
  private final HttpAuth auth;
  private final RequestBody body;
  private final @Nullable JsonPointer pointer;
  private final Duration requestTimeout;
  private final Semaphore permits;

  Exchange(
      String name,
      HttpClient client,
      String method,
      UrlTemplate url,
      Map<String, String> headers,
      HttpAuth auth,
      RequestBody body,
      @Nullable JsonPointer pointer,
      Duration requestTimeout,
      int maxConcurrentRequests) {
    this.name = name;
    this.client = client;
    this.method = method;
    this.url = url;
    this.headers = Map.copyOf(headers);
    this.auth = auth;
    this.body = body;
    this.pointer = pointer;
    this.requestTimeout = requestTimeout;
    this.permits = new Semaphore(maxConcurrentRequests);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Exchanges {@code part}; a failure that shows the credentials (a server or the JDK echoing them)
   * is replaced by one that does not, without the original as cause.
   */
  @Override
  public void call(ProcessorPart part, PartSink output) throws Exception {
    // Failures of whoever reads the output pass untouched: the error strategies tell them apart
    // from the exchange's own by identity.
    RuntimeException[] downstream = new RuntimeException[1];
    PartSink tracked =
        emitted -> {
          try {
            output.emit(emitted);
          } catch (RuntimeException e) {
            downstream[0] = e;
            throw e;
          }
        };
    try {
      exchange(part, tracked);
    } catch (Exception e) {
      if (e == downstream[0] || e instanceof InterruptedException || !auth.appearsIn(e)) {
        throw e;
      }
      throw withoutSecrets(e);
    }
  }

  /**
   * An exception of {@code error}'s kind (an {@link IOException} stays one, so it is still retried)
   * whose message is {@code error}'s with the secrets redacted and whose stack trace is {@code
   * error}'s, with no cause: the cause chain showed the credentials.
   */
  private Exception withoutSecrets(Exception error) {
    String message =
        auth.redactSecrets(error.toString()) + " (cause left out: it showed the credentials)";
    Exception clean =
        error instanceof IOException
            ? new IOException(message)
            : new IllegalStateException(message);
    clean.setStackTrace(error.getStackTrace());
    return clean;
  }

  private void exchange(ProcessorPart part, PartSink output) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder().timeout(requestTimeout);
    headers.forEach(request::setHeader);
    URI uri = auth.apply(url.expand(part), request);
    request.uri(uri);
    boolean typed = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
    switch (body) {
      case RequestBody.NoBody none -> request.method(method, HttpRequest.BodyPublishers.noBody());
      case RequestBody.PartContent content -> {
        request.method(method, HttpRequest.BodyPublishers.ofByteArray(part.bytes()));
        if (!typed) {
          request.setHeader("Content-Type", part.mimeType());
        }
      }
      case RequestBody.Json json -> {
        String text = ProcessorPart.json(json.builder().apply(part)).text();
        request.method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        if (!typed) {
          request.setHeader("Content-Type", MimeTypes.APPLICATION_JSON);
        }
      }
    }
    String shownUrl = auth.redact(uri.toString());
    permits.acquire();
    try {
      long start = System.nanoTime();
      HttpResponse<InputStream> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      try (InputStream in = response.body()) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
          byte[] error = in.readNBytes(MAX_ERROR_READ);
          // Servers echo credentials in errors ("invalid token tok-..."): none reaches the
          // exception.
          Map<String, List<String>> shownHeaders = new LinkedHashMap<>();
          response
              .headers()
              .map()
              .forEach(
                  (header, values) ->
                      shownHeaders.put(header, values.stream().map(auth::redactSecrets).toList()));
          String requestId = requestId(response);
          throw new HttpStatusException(
              status,
              shownUrl,
              shownHeaders,
              auth.redactSecrets(new String(error, StandardCharsets.UTF_8)),
              requestId == null ? null : auth.redactSecrets(requestId));
        }
        Map<String, @Nullable Object> metadata = new LinkedHashMap<>(part.metadata());
        metadata.put(STATUS_KEY, status);
        metadata.put(ELAPSED_KEY, elapsedMillis);
        emitResponse(response, status, in, part, metadata, output);
      }
    } finally {
      permits.release();
    }
  }

  private static @Nullable String requestId(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("x-request-id")
        .or(() -> response.headers().firstValue("request-id"))
        .orElse(null);
  }

  /**
   * The response as parts. The content type decides, and the part carries it; JSON must be valid
   * JSON, and is expected whatever the content type when a JSON pointer is set (see {@link
   * HttpProcessor}'s "The response").
   */
  private void emitResponse(
      HttpResponse<InputStream> response,
      int status,
      InputStream in,
      ProcessorPart input,
      Map<String, @Nullable Object> metadata,
      PartSink output)
      throws IOException {
    @Nullable String sent = response.headers().firstValue("Content-Type").orElse(null);
    String contentType = sent != null ? sent : MimeTypes.APPLICATION_OCTET_STREAM;
    String base = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    Received received = new Received(status, sent);
    if (base.equals("text/event-stream")) {
      readEvents(in, received, input, metadata, output);
    } else if (base.equals("application/x-ndjson")
        || base.equals("application/jsonl")
        || base.equals("application/jsonlines")) {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          output.emit(shaped(jsonPart(line, received), input, metadata));
        }
      }
    } else {
      byte[] bytes = in.readAllBytes();
      if (bytes.length == 0) {
        return;
      }
      ProcessorPart part;
      if (MimeTypes.isJson(base) || pointer != null) {
        // A pointer says the processor expects JSON: a mislabelled JSON body (text/plain) is
        // still read; anything that is not JSON fails, naming the content type it came with.
        part = jsonPart(new String(bytes, StandardCharsets.UTF_8), received);
      } else if (base.startsWith("text/")) {
        part = ProcessorPart.text(new String(bytes, StandardCharsets.UTF_8)).withMimeType(base);
      } else {
        part =
            ProcessorPart.bytes(
                bytes, MimeTypes.isValid(base) ? base : MimeTypes.APPLICATION_OCTET_STREAM);
      }
      output.emit(shaped(part, input, metadata));
    }
  }

  /** Server-sent events: one part per event's data; {@code [DONE]} ends the stream. */
  private void readEvents(
      InputStream in,
      Received received,
      ProcessorPart input,
      Map<String, @Nullable Object> metadata,
      PartSink output)
      throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    StringBuilder data = new StringBuilder();
    boolean hasData = false;
    for (String line = reader.readLine(); ; line = reader.readLine()) {
      if (line == null || line.isEmpty()) {
        if (hasData) {
          String event = data.toString();
          if (event.strip().equals("[DONE]")) {
            return;
          }
          String trimmed = event.strip();
          boolean json = trimmed.startsWith("{") || trimmed.startsWith("[");
          output.emit(
              shaped(
                  json ? jsonPart(event, received) : ProcessorPart.text(event), input, metadata));
          data.setLength(0);
          hasData = false;
        }
        if (line == null) {
          return;
        }
      } else if (line.startsWith("data:")) {
        if (hasData) {
          data.append('\n');
        }
        data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
        hasData = true;
      }
      // Comments (":"), "event:", "id:" and "retry:" lines carry nothing a part needs.
    }
  }

  /** The status and {@code Content-Type} (null when none) of the response being read. */
  private record Received(int status, @Nullable String contentType) {}

  /**
   * A JSON text as a part, narrowed by the JSON pointer if one is set.
   *
   * @throws UnexpectedResponseException when {@code text} is not one valid JSON value
   */
  private ProcessorPart jsonPart(String text, Received received) {
    JsonNode parsed;
    try {
      parsed = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw notJson(text, received, auth.redactSecrets(String.valueOf(e.getOriginalMessage())), e);
    }
    if (parsed == null || parsed.isMissingNode()) {
      throw notJson(text, received, "no JSON value in it", null);
    }
    if (pointer == null) {
      // The server's own text is kept (its number formats, its key order), now known to be JSON.
      return ProcessorPart.text(text).withMimeType(MimeTypes.APPLICATION_JSON);
    }
    JsonNode node = parsed.at(pointer);
    if (node.isMissingNode()) {
      throw new IllegalStateException(
          "JSON pointer " + pointer + " matched nothing in the response of " + name);
    }
    return node.isTextual() ? ProcessorPart.text(node.asText()) : ProcessorPart.json(node);
  }

  /**
   * The failure for a body that is not JSON: names the processor, the status, the content type, why
   * the parser refused it and the start of the body, all free of the credentials. The parser's
   * exception is the cause unless it shows them (its messages quote the offending token).
   */
  private UnexpectedResponseException notJson(
      String text, Received received, String why, @Nullable Exception parserError) {
    // Redact before cutting, so that a secret across the cut cannot leave its first characters.
    String head = text.length() > 4096 ? text.substring(0, 4096) : text;
    String start = auth.redactSecrets(head).strip().replaceAll("\\s+", " ");
    boolean cut = head.length() < text.length();
    if (start.length() > UnexpectedResponseException.BODY_START_CHARS) {
      start = start.substring(0, UnexpectedResponseException.BODY_START_CHARS);
      cut = true;
    }
    String type =
        received.contentType() == null
            ? "no Content-Type"
            : "Content-Type " + auth.redactSecrets(received.contentType());
    String expected = pointer != null ? "JSON (for the JSON pointer " + pointer + ")" : "JSON";
    String message =
        name
            + " expected "
            + expected
            + " but the HTTP "
            + received.status()
            + " response with "
            + type
            + " is not valid JSON ("
            + why
            + "); its body starts: "
            + start
            + (cut ? "..." : "");
    Throwable cause = parserError == null || auth.appearsIn(parserError) ? null : parserError;
    return new UnexpectedResponseException(
        message, received.status(), received.contentType(), start, cause);
  }

  /** {@code part} with the input's role and substream and the response's metadata. */
  private static ProcessorPart shaped(
      ProcessorPart part, ProcessorPart input, Map<String, @Nullable Object> metadata) {
    return part.withRole(input.role())
        .withSubstreamName(input.substreamName())
        .withMetadata(metadata);
  }
}
